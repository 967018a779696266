"""Benchmark: the CRF NER tagger (arabic_news.actors.ner) on CLEANANERCorp's training file.

Sections (``--sections``, default all):

- ``ablation``: on the seeded dev split that ``train_ner`` carves (10 % of 20-sentence blocks, seed 42): the plain
  word + affix CRF, the plain CRF plus each feature group alone, the full feature set, and the full set minus
  each group.
- ``grid``: a small c1/c2 grid for L-BFGS and the averaged perceptron, full features, same dev split.
- ``tail``: a harder, test-like split: the LAST 10 % of the training file (contiguous, other stories) as dev,
  full features and the default parameters (and the plain CRF for reference).
- ``final``: ``train_ner()`` with the default parameters (saves ``data/models/ner_crf.model.zip``); its dev
  figures, training time and model size.
- ``ood``: out-of-domain evaluation of the final model: AQMAR (Arabic Wikipedia; PER->PERS, MIS*->MISC, stray
  tags -> O/MISC) and CAraNER (COVID-era news; PER->PERS, MIS->MISC, TIT (titles, not an ANERcorp type) -> O).

Run: ``nice -n 10 .venv/bin/python benchmarks/bench_ner.py [--sections ablation,grid,...]``. Writes
``benchmarks/results/bench_ner-<UTC time>.json`` and ``benchmarks/results/bench_ner.json`` (sections of
earlier runs are kept in the latter unless re-run).
"""
from __future__ import annotations

import argparse
import csv
import datetime as _dt
import json
import logging
import os
import platform
import re
import sys
import time
from pathlib import Path

from arabic_news import config
from arabic_news.actors.ner import (
    NERTagger,
    default_model_path,
    default_train_path,
    entity_scores,
    load_tagger,
    read_conll,
    split_dev,
    split_tokens_tags,
    train_ner,
)
from arabic_news.actors.ner_features import FEATURE_GROUPS
from arabic_news.corpus import DatasetNotAvailable, dataset_path

RESULTS = Path(__file__).resolve().parent / "results"
logger = logging.getLogger("bench_ner")


def run(train, dev, **params) -> dict:
    X, y = split_tokens_tags(train)
    Xd, yd = split_tokens_tags(dev)
    t0 = time.perf_counter()
    tagger = NERTagger(**params).fit(X, y)
    fit_s = time.perf_counter() - t0
    scores = entity_scores(yd, tagger.predict(Xd))
    row = {"params": {k: (list(v) if isinstance(v, tuple) else v) for k, v in params.items()},
           "micro_f1": scores["micro_f1"], "precision": scores["precision"], "recall": scores["recall"],
           "per_type": scores["per_type"], "support": scores["support"], "fit_seconds": round(fit_s, 1),
           "n_features": tagger.n_features_}
    logger.info("%s -> F1 %.4f (P %.4f R %.4f) %s in %.0fs", params, row["micro_f1"], row["precision"],
                row["recall"], row["per_type"], fit_s)
    return row


def ablation(train, dev, best: dict, minus=FEATURE_GROUPS[1:]) -> list[dict]:
    rows = [dict(run(train, dev, feature_groups=("word",), **best), name="plain word+affix")]
    for g in FEATURE_GROUPS[1:]:
        rows.append(dict(run(train, dev, feature_groups=("word", g), **best), name=f"plain + {g}"))
    rows.append(dict(run(train, dev, feature_groups=FEATURE_GROUPS, **best), name="full"))
    for g in minus:
        groups = tuple(x for x in FEATURE_GROUPS if x != g)
        rows.append(dict(run(train, dev, feature_groups=groups, **best), name=f"full - {g}"))
    return rows


def grid(train, dev) -> list[dict]:
    rows = []
    for c1, c2 in ((0.02, 0.01), (0.1, 0.01), (0.1, 0.05), (0.2, 0.02), (0.05, 0.1)):
        rows.append(dict(run(train, dev, algorithm="lbfgs", c1=c1, c2=c2, max_iterations=100),
                         name=f"lbfgs c1={c1} c2={c2}"))
    rows.append(dict(run(train, dev, algorithm="ap", max_iterations=20), name="averaged perceptron, 20 epochs"))
    return rows


_AQMAR_TAG = re.compile(r"^([BI])-+(PER|LOC|ORG|MIS.*)$")


def aqmar_tag(tag: str) -> str:
    """AQMAR -> ANERcorp tags: PER->PERS, MIS0-3 (and stray MIS variants) -> MISC, other strays -> O."""
    m = _AQMAR_TAG.match(tag.strip("`"))
    if not m:
        return "O"
    bio, typ = m.groups()
    typ = {"PER": "PERS", "LOC": "LOC", "ORG": "ORG"}.get(typ, "MISC")
    return f"{bio}-{typ}"


def caraner_sentences(path: Path) -> list[list[tuple[str, str]]]:
    """CAraNER.csv -> sentences; ``Revised_Label`` as gold, PER->PERS, MIS->MISC, TIT->O."""
    by_sent: dict[str, list[tuple[int, str, str]]] = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            lab = row["Revised_Label"].strip().replace("_", "-")
            m = re.match(r"^([BI])-(PER|LOC|ORG|MIS|TIT)$", lab)
            if not m or m.group(2) == "TIT":
                lab = "O"
            else:
                lab = f"{m.group(1)}-" + {"PER": "PERS", "MIS": "MISC"}.get(m.group(2), m.group(2))
            by_sent.setdefault(row["Sentence_ID"], []).append((int(row["Word_ID"]), row["Word"], lab))
    return [[(w, t) for _, w, t in sorted(toks)] for _, toks in sorted(by_sent.items(), key=lambda kv: kv[0])]


def core_types(sentences):
    """The same sentences with MISC tags turned into O (PERS/LOC/ORG only)."""
    return [[(w, "O" if t.endswith("MISC") else t) for w, t in s] for s in sentences]


def score_ood(tagger, sents, note: str) -> dict:
    t0 = time.perf_counter()
    X, y = split_tokens_tags(sents)
    pred = tagger.predict(X)
    res = dict(entity_scores(y, pred), n_sentences=len(X), n_tokens=sum(map(len, X)),
               seconds=round(time.perf_counter() - t0, 1), note=note)
    strip = [["O" if t.endswith("MISC") else t for t in s] for s in pred]
    core = entity_scores([[t for _, t in s] for s in core_types(sents)], strip)
    res["pers_loc_org_only"] = {k: core[k] for k in ("micro_f1", "precision", "recall", "support")}
    return res


def ood(model_path: Path) -> dict:
    tagger = load_tagger(model_path)
    out = {}
    try:
        folder = dataset_path("aqmar") / "articles"
        sents = []
        for f in sorted(folder.glob("*.txt")):
            sents.extend(read_conll(f, tag_map=aqmar_tag))
        out["aqmar"] = score_ood(tagger, sents, "Arabic Wikipedia (out of domain); PER->PERS, MIS*->MISC "
                                 "(AQMAR's MIS classes are article-specific, unlike ANERcorp's MISC)")
        logger.info("AQMAR: %s", out["aqmar"])
    except DatasetNotAvailable as exc:
        out["aqmar"] = {"skipped": str(exc)}
    try:
        sents = caraner_sentences(dataset_path("caraner") / "CAraNER.csv")
        out["caraner"] = score_ood(tagger, sents, "COVID-era news, shuffled sentences; PER->PERS, MIS->MISC, "
                                   "TIT->O; CAraNER tags countries acting as political actors as ORG")
        logger.info("CAraNER: %s", out["caraner"])
    except DatasetNotAvailable as exc:
        out["caraner"] = {"skipped": str(exc)}
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sections", default="grid,ablation,tail,final,ood")
    ap.add_argument("--seed", type=int, default=config.DEFAULT_SEED)
    ap.add_argument("--model", type=Path, default=None, help="where the final model goes (default: data/models)")
    ap.add_argument("--minus", default=",".join(FEATURE_GROUPS[1:]),
                    help="feature groups for the 'full minus one group' ablation rows")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("gensim").setLevel(logging.WARNING)
    sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    data = default_train_path()
    sentences = read_conll(data)
    train, dev = split_dev(sentences, dev_fraction=0.1, seed=args.seed)
    defaults = {k: v for k, v in NERTagger().get_params().items() if k in ("algorithm", "c1", "c2", "max_iterations")}
    result = {"data": str(data), "n_sentences": len(sentences), "dev_split": {
        "method": "10% of 20-sentence blocks, seeded", "seed": args.seed, "n_train": len(train), "n_dev": len(dev)},
        "defaults": defaults, "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                                          "load_avg_start": os.getloadavg()[0]}}
    if "grid" in sections:
        result["grid"] = grid(train, dev)
    if "ablation" in sections:
        result["ablation"] = ablation(train, dev, defaults, [g for g in args.minus.split(",") if g])
    if "tail" in sections:
        n_tail = len(sentences) // 10
        tr, dv = sentences[:-n_tail], sentences[-n_tail:]
        result["tail"] = {"method": f"last {n_tail} sentences of the training file as dev",
                          "full": run(tr, dv, **defaults),
                          "plain": run(tr, dv, feature_groups=("word",), **defaults)}
    model_path = args.model or default_model_path()
    if "final" in sections:
        t0 = time.perf_counter()
        res = train_ner(data, model_path, seed=args.seed)
        res["wall_seconds"] = round(time.perf_counter() - t0, 1)
        res["model_mb"] = round(res["model_bytes"] / 1e6, 2)
        result["final"] = res
        logger.info("final: %s", {k: res[k] for k in ("micro_f1", "precision", "recall", "per_type", "model_mb",
                                                      "train_seconds")})
    if "ood" in sections:
        result["ood"] = ood(model_path)
    result["machine"]["load_avg_end"] = os.getloadavg()[0]
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS / f"bench_ner-{stamp}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), "utf-8")
    latest = RESULTS / "bench_ner.json"
    merged = json.loads(latest.read_text("utf-8")) if latest.is_file() else {}
    merged.update(result)
    latest.write_text(json.dumps(merged, ensure_ascii=False, indent=2), "utf-8")
    sys.stdout.write(json.dumps({k: result[k] for k in result if k in ("final", "tail")}, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
