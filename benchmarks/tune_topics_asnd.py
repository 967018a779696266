"""Choose the ``lsa`` topic model's settings on a labelled corpus that is NOT ANT: the ASND train posts.

Protocol (no label leakage into the ANT benchmark): the ANT sections are only used to score, in
benchmarks/bench_topics.py. The k-independent settings of ``TopicModel(model='lsa')`` - preprocessing,
LSA dimensions, embedding weight - are chosen here by NMI with the 12 ASND classes on the ASND *train* split
(``asnd_news_topics/sm_news_ar_trn.csv``), after removing train posts whose text also occurs in the dev split
(ASND dev is a benchmark row too). k = number of ASND classes (12). Each setting is scored as the mean NMI over
3 seeds. Writes ``benchmarks/results/tune_topics_asnd.json`` with every setting's score and the winner.

    nice -n 10 .venv/bin/python benchmarks/tune_topics_asnd.py
"""
from __future__ import annotations

import csv
import itertools
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "results" / "tune_topics_asnd.json"
GRID = {"preprocessing": ["normalized", "light"], "lsa_components": [50, 100, 200],
        "embedding_weight": [0.0, 0.5, 1.0]}
SEEDS = (0, 1, 2)


def load():
    from arabic_news.corpus import dataset_path

    folder = dataset_path("asnd_news_topics")
    with open(folder / "sm_news_ar_dev.csv", encoding="utf-8", newline="") as fh:
        dev = {row["Content"].strip() for row in csv.DictReader(fh)}
    texts, labels, n_overlap = [], [], 0
    with open(folder / "sm_news_ar_trn.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["Content"].strip() in dev:
                n_overlap += 1
                continue
            texts.append(row["Content"])
            labels.append(row["Class"])
    return texts, labels, n_overlap


def main() -> int:
    from sklearn.metrics import normalized_mutual_info_score

    from arabic_news.topics import TopicModel
    from arabic_news.topics.embeddings import SentenceEmbedder
    from arabic_news.topics.models import preprocess_texts

    texts, labels, n_overlap = load()
    k = len(set(labels))
    print(f"ASND train: {len(texts)} posts ({n_overlap} dropped: also in dev), {k} classes", file=sys.stderr)
    emb = SentenceEmbedder(threads=1, batch_size=256, show_progress=False).encode(
        [" ".join(t.split()[:128]) for t in texts])
    tokens = {p: preprocess_texts(texts, p) for p in GRID["preprocessing"]}
    rows = []
    for prep, comps, weight in itertools.product(*GRID.values()):
        scores = []
        for seed in SEEDS:
            model = TopicModel(model="lsa", n_topics=k, preprocessing=prep, lsa_components=comps,
                               embedding_weight=weight, seed=seed, min_df=2, max_df=0.5)
            model.fit(texts, tokens=tokens[prep], embeddings=emb)
            scores.append(normalized_mutual_info_score(labels, model.labels_))
        rows.append({"preprocessing": prep, "lsa_components": comps, "embedding_weight": weight,
                     "nmi_mean": float(np.mean(scores)), "nmi_seeds": scores})
        print(f"  {prep:<10} lsa={comps:<4} emb_w={weight:<4} NMI={np.mean(scores):.3f} "
              f"({' '.join(f'{s:.3f}' for s in scores)})", file=sys.stderr)
    best = max(rows, key=lambda r: r["nmi_mean"])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                               "n_docs": len(texts), "n_dropped_dev_overlap": n_overlap, "k": k,
                               "seeds": SEEDS, "grid": GRID, "results": rows, "best": best},
                              ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(best))
    return 0


if __name__ == "__main__":
    sys.exit(main())
