"""Model files (JSON + NumPy arrays, `arabic_news.model_files`) against the pickles of earlier versions: size, save
and load times, identical predictions, on real-size models.

Usage::

    nice -n 10 .venv/bin/python benchmarks/bench_model_files.py                      # all parts, ~10 min
    nice -n 10 .venv/bin/python benchmarks/bench_model_files.py --parts gazetteer,pair

Parts

* ``gazetteer``: the parsed actor gazetteer (``data/actors``) cached as JSON (now) vs pickled (before): the time of
  ``load_gazetteer()`` from a warm cache, and of reading the cache file alone.
* ``target``, ``pair``, ``claim``: the stance models with default parameters, trained on the whole training file
  (Mawqif, ANS, Baly et al.) unless ``config.MODELS_DIR/stance_<task>.model.zip`` (or one kept by an earlier run,
  ``--keep-models DIR``) exists;
  ``save_model``/``load_model`` (now) vs ``pickle.dump``/``pickle.load`` of the same payload (before).
* ``ner``: the CRF tagger (``config.MODELS_DIR/ner_crf.model.zip``, else ``train_ner`` with its defaults on
  CLEANANERCorp, ~5 min, not saved there); ``save_tagger``/``load_tagger`` (now) vs ``joblib.dump(compress=3)`` /
  ``joblib.load`` (before).

The "before" files are written by this script into a private temporary folder and read back from there (the
project never reads a pickle otherwise). Every load is repeated (``--repeats``); the minimum and median are
reported for wall-clock and for the process's CPU time (steadier on a shared machine), with the 1-minute load
average. Predictions of the model read back from the new
format are compared with the in-memory model's (exact equality of probabilities / tags). Results:
``benchmarks/results/bench_model_files.json``.
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
PARTS = ("gazetteer", "target", "pair", "claim", "ner")


def _times(fn, repeats: int) -> dict:
    """Wall-clock and CPU time (this process) of *repeats* calls: CPU time is the steadier figure on a busy machine."""
    wall, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - t0)
    return {"min_s": round(min(wall), 4), "median_s": round(statistics.median(wall), 4),
            "cpu_min_s": round(min(cpu), 4), "cpu_median_s": round(statistics.median(cpu), 4), "runs": len(wall)}


def _compare(before: dict, after: dict) -> dict:
    return {"before": before, "after": after,
            "load_cpu_ratio_after_over_before": round(after["load"]["cpu_median_s"]
                                                      / max(before["load"]["cpu_median_s"], 1e-9), 2)}


def part_gazetteer(args, tmp: Path) -> dict:
    from arabic_news import config
    from arabic_news.actors.gazetteer import _cache_key, _gazetteer_from_json, _yaml_files, load_gazetteer

    saved, config.CACHE_DIR = config.CACHE_DIR, tmp / "cache"
    try:
        cold = _times(lambda: load_gazetteer(use_cache=False), max(1, args.repeats // 4))
        gaz = load_gazetteer()  # writes the JSON cache
        cache = next((tmp / "cache" / "actors").glob("gazetteer-*.json"))
        after = {"bytes": cache.stat().st_size, "load": _times(load_gazetteer, args.repeats * 4),
                 "read_cache_file": _times(lambda: _gazetteer_from_json(json.loads(cache.read_text("utf-8"))),
                                           args.repeats * 4)}
        old = tmp / "gazetteer.pkl"
        old.write_bytes(pickle.dumps(gaz, protocol=pickle.HIGHEST_PROTOCOL))
        files = _yaml_files(config.ACTORS_DIR)

        def old_load():  # what load_gazetteer did from a warm cache: key the files, unpickle
            _cache_key(files)
            with open(old, "rb") as fh:
                return pickle.load(fh)

        before = {"bytes": old.stat().st_size, "load": _times(old_load, args.repeats * 4),
                  "read_cache_file": _times(lambda: pickle.loads(old.read_bytes()), args.repeats * 4)}
        assert old_load().actors == load_gazetteer().actors
    finally:
        config.CACHE_DIR = saved
    return {"actors": len(gaz), "no_cache": cold, **_compare(before, after)}


def _stance_data(task: str):
    from arabic_news.corpus import dataset_path
    from arabic_news.stance.data import read_task_data

    files = {"target": ("mawqif", "Mawqif_AllTargets_Train.csv"), "pair": ("ans_stance", "stance/train.csv"),
             "claim": ("unifiedfc_stance", "unifiedfc_pairs.jsonl.gz")}
    name, rel = files[task]
    return read_task_data(task, dataset_path(name) / rel)


def part_stance(task: str, args, tmp: Path) -> dict:
    import numpy as np

    from arabic_news.stance.data import LABELS
    from arabic_news.stance.models import (
        build_model,
        default_model_path,
        load_model,
        model_inputs,
        save_model,
        training_inputs,
    )

    df = _stance_data(task)
    info: dict = {"rows": len(df)}
    path = default_model_path(task)
    kept = args.keep_models / f"stance_{task}.model.zip" if args.keep_models else None
    if not path.is_file() and kept is not None and kept.is_file():
        path = kept
    if path.is_file():
        model, _ = load_model(path, task=task)
        info["model"] = f"read from {path}"
    else:
        model = build_model(task, seed=args.seed)
        t0 = time.perf_counter()
        model.fit(training_inputs(task, df), df["stance"].to_numpy())
        info["model"] = f"trained now on all {len(df)} rows (default parameters)"
        info["fit_s"] = round(time.perf_counter() - t0, 1)
        if kept is not None:
            save_model(model, kept, task=task, meta={"benchmark": True})
    X = model_inputs(task, df.head(args.check_rows))
    expected = model.predict_proba(X)
    new = tmp / f"stance_{task}.model.zip"
    t0 = time.perf_counter()
    save_model(model, new, task=task, meta={"benchmark": True})
    after = {"bytes": new.stat().st_size, "save_s": round(time.perf_counter() - t0, 3),
             "load": _times(lambda: load_model(new, task=task), args.repeats)}
    loaded, _ = load_model(new, task=task)
    identical = bool(np.array_equal(loaded.predict_proba(X), expected))
    old = tmp / f"stance_{task}.pkl"
    payload = {"format": "arabic-news-stance/1", "task": task, "labels": list(LABELS[task]), "model": model,
               "meta": {"benchmark": True}}
    t0 = time.perf_counter()
    with open(old, "wb") as fh:  # what save_model wrote before
        pickle.dump(payload, fh, protocol=pickle.HIGHEST_PROTOCOL)
    before = {"bytes": old.stat().st_size, "save_s": round(time.perf_counter() - t0, 3)}

    def old_load():
        with open(old, "rb") as fh:
            return pickle.load(fh)

    before["load"] = _times(old_load, args.repeats)
    return {**info, "checked_rows": len(X), "identical_probabilities": identical, **_compare(before, after)}


def part_ner(args, tmp: Path) -> dict:
    import joblib

    from arabic_news.actors.ner import (
        default_model_path,
        default_train_path,
        load_tagger,
        read_conll,
        save_tagger,
        split_tokens_tags,
        train_ner,
    )

    info: dict = {}
    path = default_model_path()
    if not path.is_file() and args.keep_models and (args.keep_models / "ner_crf.model.zip").is_file():
        path = args.keep_models / "ner_crf.model.zip"
    if not path.is_file():
        path = (args.keep_models or tmp / "trained") / "ner_crf.model.zip"
        res = train_ner(model_path=path)
        info["model"] = f"trained now with train_ner() defaults: dev micro-F1 {res.get('micro_f1')}"
        info["train_s"] = res.get("train_seconds")
    else:
        info["model"] = f"read from {path}"
    tagger = load_tagger(path)
    X, _ = split_tokens_tags(read_conll(default_train_path())[: args.check_rows])
    expected = tagger.predict(X)
    new = tmp / "ner_crf.model.zip"
    t0 = time.perf_counter()
    save_tagger(tagger, new)
    after = {"bytes": new.stat().st_size, "save_s": round(time.perf_counter() - t0, 3),
             "load": _times(lambda: load_tagger(new), args.repeats)}
    identical = load_tagger(new).predict(X) == expected
    old = tmp / "ner_crf.joblib"
    t0 = time.perf_counter()
    joblib.dump(tagger, old, compress=3)  # what save_tagger wrote before
    before = {"bytes": old.stat().st_size, "save_s": round(time.perf_counter() - t0, 3),
              "load": _times(lambda: joblib.load(old), args.repeats)}
    return {**info, "checked_sentences": len(X), "identical_tags": identical, **_compare(before, after)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default=",".join(PARTS), help=f"comma-separated, from {', '.join(PARTS)}")
    parser.add_argument("--repeats", type=int, default=5, help="loads timed per format (gazetteer: 4x as many)")
    parser.add_argument("--check-rows", type=int, default=300, help="rows/sentences whose predictions are compared")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--keep-models", type=Path, default=None,
                        help="folder where models trained here are kept (and read on the next run)")
    args = parser.parse_args(argv)
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        parser.error(f"unknown part(s) {', '.join(unknown)}; choose from {', '.join(PARTS)}")
    result: dict = {"started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "python": sys.version.split()[0], "load_avg_1min_before": os.getloadavg()[0], "parts": {}}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for part in parts:
            t0 = time.perf_counter()
            if part == "gazetteer":
                out = part_gazetteer(args, tmp)
            elif part == "ner":
                out = part_ner(args, tmp)
            else:
                out = part_stance(part, args, tmp)
            out["part_wall_s"] = round(time.perf_counter() - t0, 1)
            out["load_avg_1min_after"] = os.getloadavg()[0]
            result["parts"][part] = out
            b, a = out["before"], out["after"]
            print(f"[{part}] bytes {b['bytes']:,} -> {a['bytes']:,}; load wall min {b['load']['min_s']}s -> "
                  f"{a['load']['min_s']}s, CPU median {b['load']['cpu_median_s']}s -> {a['load']['cpu_median_s']}s"
                  + (f"; identical: {out.get('identical_probabilities', out.get('identical_tags'))}"
                     if part != "gazetteer" else ""), flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench_model_files.json").write_text(json.dumps(result, indent=2, ensure_ascii=False),
                                                    encoding="utf-8")
    ok = all(p.get("identical_probabilities", p.get("identical_tags", True)) for p in result["parts"].values())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
