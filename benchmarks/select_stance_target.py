"""Model selection for the target-stance (Mawqif) model by 5-fold CV inside the training part.

Protocol: the Mawqif training file minus the 20% dev split (``mawqif_dev_split``, seed 42) is split into 5
stratified folds (target+stance, seed 42). For every fold, the TF-IDF vectorisers (char_wb 2–5 and word
1–2, sublinear tf, min_df 2 — as in :class:`~arabic_news.stance.models.TargetStanceModel`) are fitted on the
fold's training rows, and one class-weighted LR per target is trained on: TF-IDF (C=1, 3), TF-IDF with
emojis/symbols kept (C=1), USE embeddings (C=1, 3) and TF-IDF+USE concatenated (C=1, the previous default).
The out-of-fold probabilities then score: every single model, the late fusion (probability average) of
each TF-IDF model with each embedding model (weight 0.3–0.7 on the embeddings), and, for the best few, a
log-probability bias on Against and None (decision thresholds; StanceEval ignores F1(None)). The
configuration with the best out-of-fold StanceEval score becomes the model's default; the dev split is
scored once, by ``bench_stance.py --sections target``. Nothing here reads the dev rows.

Usage::

    nice -n 10 .venv/bin/python benchmarks/select_stance_target.py            # ~12 min on a loaded 2-core box
    .venv/bin/python benchmarks/select_stance_target.py --oof /tmp/oof.npz    # re-score cached OOF probabilities

Writes ``benchmarks/results/select_stance_target.json``.
"""
from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
CLASSES = np.array(["Against", "Favor", "None"])


def out_of_fold(seed: int = 42) -> dict:
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    from arabic_news.corpus import dataset_path
    from arabic_news.stance import mawqif_dev_split, read_mawqif
    from arabic_news.stance.features import embed_texts, normalize_many

    df = read_mawqif(dataset_path("mawqif") / "Mawqif_AllTargets_Train.csv")
    train, _dev = mawqif_dev_split(df, dev_fraction=0.2, seed=seed)  # dev is never used below
    y = train["stance"].to_numpy()
    tg = train["target"].to_numpy()
    texts = {False: normalize_many(train["text"]), True: normalize_many(train["text"], keep_symbols=True)}
    E = embed_texts(list(train["text"]))
    strat = (train["target"] + "|" + train["stance"]).to_numpy()
    configs: dict[str, np.ndarray] = {}

    def add(name, rows, P):
        configs.setdefault(name, np.zeros((len(train), 3)))[rows] = P

    def lr(C):
        return LogisticRegression(C=C, class_weight="balanced", max_iter=3000)

    t0 = time.time()
    for fi, (tr, te) in enumerate(StratifiedKFold(5, shuffle=True, random_state=seed).split(E, strat)):
        feats = {}
        for sym, tx in texts.items():
            cv = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True)
            wv = TfidfVectorizer(token_pattern=r"\S+", ngram_range=(1, 2), min_df=2, sublinear_tf=True)
            fit_txt = [tx[i] for i in tr]
            cv.fit(fit_txt)
            wv.fit(fit_txt)
            feats[sym] = sp.hstack([cv.transform(tx), wv.transform(tx)], format="csr")
        concat = sp.hstack([feats[False], sp.csr_matrix(E)], format="csr")
        for t in sorted(set(tg)):
            trt, tet = tr[tg[tr] == t], te[tg[te] == t]
            for sym, Cs in ((False, (1, 3)), (True, (1,))):
                for C in Cs:
                    add(f"tfidf_sym{int(sym)}_C{C}", tet, lr(C).fit(feats[sym][trt], y[trt]).predict_proba(feats[sym][tet]))
            for C in (1, 3):
                add(f"emb_C{C}", tet, lr(C).fit(E[trt], y[trt]).predict_proba(E[tet]))
            add("concat_C1", tet, lr(1).fit(concat[trt], y[trt]).predict_proba(concat[tet]))
        print(f"fold {fi} done ({time.time() - t0:.0f}s)", flush=True)
    return {"configs": configs, "y": y, "tg": tg, "n_train_part": len(train)}


def write_oof(oof: dict, path: Path) -> None:
    """The out-of-fold probabilities as a NumPy archive (arrays only: read back without pickle)."""
    arrays = {f"config:{k}": v for k, v in oof["configs"].items()}
    with open(path, "wb") as fh:
        np.savez(fh, y=np.asarray(oof["y"], dtype=str), tg=np.asarray(oof["tg"], dtype=str),
                 n_train_part=np.asarray(oof["n_train_part"]), **arrays)


def read_oof(path: Path) -> dict:
    with np.load(path, allow_pickle=False) as z:
        return {"configs": {k.split(":", 1)[1]: z[k] for k in z.files if k.startswith("config:")},
                "y": z["y"], "tg": z["tg"], "n_train_part": int(z["n_train_part"])}


def score(oof: dict) -> dict:
    from arabic_news.stance.evaluate import stanceeval_score

    C, y, tg = oof["configs"], oof["y"], oof["tg"]

    def se(P, bias=(0.0, 0.0, 0.0)):
        return stanceeval_score(y, CLASSES[(np.log(np.clip(P, 1e-12, None)) + np.array(bias)).argmax(1)], tg)

    res = {k: se(P) for k, P in C.items()}
    fused = {}
    for t in [k for k in C if k.startswith("tfidf")]:
        for e in [k for k in C if k.startswith("emb")]:
            for w in (0.3, 0.4, 0.5, 0.6, 0.7):
                key = f"avg[{t}+{e}]w{w}"
                fused[key] = (1 - w) * C[t] + w * C[e]
                res[key] = se(fused[key])
    ranked = sorted(res, key=lambda k: -res[k])
    biased = {}
    for key in list(dict.fromkeys(ranked[:3] + ["concat_C1", "tfidf_sym0_C1"])):
        P = C.get(key, fused.get(key))
        best = max(((se(P, (ba, 0.0, bn)), float(ba), float(bn))
                    for ba, bn in itertools.product(np.round(np.arange(-1.0, 1.01, 0.1), 2),
                                                    np.round(np.arange(-3.0, 0.51, 0.25), 2))),
                   key=lambda r: r[0])
        biased[key] = {"stanceeval": best[0], "bias_Against": best[1], "bias_None": best[2]}
    choice = max(biased, key=lambda k: biased[k]["stanceeval"])
    return {"n_train_part": int(oof.get("n_train_part", len(y))), "folds": 5, "metric": "stanceeval (out-of-fold)",
            "single_and_fused": dict(sorted(res.items(), key=lambda kv: -kv[1])),
            "with_decision_bias": biased, "choice": choice, "choice_score": biased[choice]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--oof", type=Path, default=None, help=".npz of cached out-of-fold probabilities (read, "
                    "or written when missing)")
    args = ap.parse_args(argv)
    if args.oof is not None and args.oof.is_file():
        oof = read_oof(args.oof)
    else:
        oof = out_of_fold(args.seed)
        if args.oof is not None:
            write_oof(oof, args.oof)
    res = score(oof)
    res["command"] = "nice -n 10 .venv/bin/python benchmarks/select_stance_target.py"
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "select_stance_target.json").write_text(json.dumps(res, indent=1), encoding="utf-8")
    print(f"choice: {res['choice']} {res['choice_score']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
