"""The saved results of ``make bench`` (``benchmarks/results/*.json``) as tables for the methods appendix.

The main job never runs a benchmark: the appendix notebook (``notebooks/91-appendix-methods``) reads what the
benchmark scripts wrote and shows it beside the published figures, or says in one sentence how to produce it.
One entry of :data:`BENCHMARKS` per benchmark: its results file, the command that writes it and the methods text
(model, data, protocol). Every reader returns a :class:`pandas.DataFrame` (empty when the section is absent from
the results); :func:`read_results` returns ``None`` for a missing file and raises :class:`BenchmarkResultsError`
(one line naming the file and the fix) for a file that is not the JSON the script writes.
"""
from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from arabic_news import config

logger = logging.getLogger(__name__)


class BenchmarkResultsError(ValueError):
    """A results file that exists but cannot be read as the benchmark's JSON."""


@dataclass(frozen=True)
class Benchmark:
    """One benchmark of ``make bench``: its key, title, results file, script and methods text."""

    key: str
    title: str
    filename: str
    script: str
    run_all_name: str
    methods: str
    arguments: str = ""

    def command(self) -> str:
        """The shell command that writes this benchmark's results file alone."""
        return f"nice -n 10 .venv/bin/python benchmarks/{self.script}" + (f" {self.arguments}" if self.arguments else "")

    def how_to_produce(self, results_dir: str | Path | None = None) -> str:
        """One sentence: the file is missing, and the command (or ``make bench``) that writes it."""
        where = f"No saved results for {self.title} (`{_shown_path(results_dir, self.filename)}`)"
        if not self.run_all_name:
            return (f"{where}: run `{self.command()}` with DIR a SaudiNewsNet folder ingested by `arabic-news "
                    "ingest` (not part of `make bench`).")
        return f"{where}: run `make bench` (every benchmark, a few hours) or `{self.command()}` (this one alone)."


BENCHMARKS: dict[str, Benchmark] = {b.key: b for b in (
    Benchmark(
        "stance", "stance (Mawqif, ANS, Baly et al.) and tone", "bench_stance.json", "bench_stance.py", "stance",
        "Three linear stance models over character and word n-gram TF-IDF of the normalised text, multilingual USE "
        "sentence embeddings and pair features (similarity, overlap, negation and denial cues, number and actor "
        "mismatch). **Target** (Mawqif tweets, 3 targets: Favor / Against / None): per-target NB-weighted "
        "logistic regression with stacked sentiment probabilities, scored once on a seeded 20% development split "
        "of the training file (StanceEval score). **Pair** (ANS headline pairs: agree / disagree / other): "
        "logistic regression on pair features, trained on the official training split and scored on the official "
        "dev split (macro-F1). **Claim** (Baly et al. 2018 claim-article pairs: agree / disagree / discuss / "
        "unrelated): a two-stage model (boosted trees on claim-article relatedness features for related vs "
        "unrelated, then logistic regression on the claim and the article's three sentences most similar to it), "
        "5-fold cross-validation over the corpus' own claim folds, nothing tuned on the outer folds (macro-F1). "
        "Every figure has a seeded bootstrap 95% interval (claims resampled whole). Published figures are on the "
        "official **test** splits, which this project keeps aside: a reference point, not a like-for-like "
        "comparison. **Tone**: the lexicon scorer (NileULex and MoArLex, negation within three tokens) against "
        "Mawqif's sentiment labels, thresholds tuned on 20% of the tweets and scored on the rest."),
    Benchmark(
        "ner", "named-entity recognition (CLEANANERCorp)", "bench_ner.json", "bench_ner.py", "ner",
        "A linear-chain CRF (crfsuite, L-BFGS with L1 and L2 penalties) over word, affix, context, gazetteer-list, "
        "word-cluster (word2vec on SaudiNewsNet, k-means) and document features, trained on CLEANANERCorp's "
        "training file minus a seeded development split (10% of 20-sentence blocks). Entity-level micro-F1 (exact "
        "span and type) on that split; the *tail* protocol scores on the last 10% of the file (other stories, "
        "closer to a test set); out-of-domain scores on AQMAR (Wikipedia) and CAraNER (news)."),
    Benchmark(
        "topics", "topic models (ANT, ASND)", "bench_topics.json", "bench_topics.py", "topics",
        "The project's topic models (LSA + sentence embeddings + k-means, NMF, LDA, an embedding model with "
        "c-TF-IDF labels) beside gensim's LdaModel on the same tokens and vocabulary, on ANT v1.1 (news articles, 9 "
        "sections, deduplicated) and ASND's dev posts (12 classes). The gold sections only score: NMI between each "
        "document's dominant topic and its section, coherence (NPMI, C_V) and topic diversity; every fit in its "
        "own process for time and memory. The LSA settings were chosen on ASND's training split, never on ANT."),
    Benchmark(
        "actor_precision", "actor matching precision (SaudiNewsNet, judged by hand)", "bench_actor_precision.json",
        "bench_actor_precision.py", "",
        "Precision of the gazetteer matcher on SaudiNewsNet: random samples of matched mentions, each judged by "
        "hand in context (stored as offsets and verdicts in `benchmarks/actor_precision_*.csv`); the current "
        "matcher is rerun and each judged position looked up (kept, moved to another reading, dropped).",
        "--corpus DIR"),
    Benchmark(
        "corpus_validity", "claims and tone on SaudiNewsNet, judged by hand", "bench_corpus_validity.json",
        "bench_corpus_validity.py", "",
        "What the stance page says about SaudiNewsNet, checked by hand. **Claims**: 150 claim-article pairs (25 per "
        "example claim, drawn with a seed, stratified by retrieval rank: 1-50, 51-500, beyond) judged related or "
        "not and, if related, agree / disagree / discuss; the report's own outcome for each pair (retrieval cut-off, "
        "full claim model, reliability thresholds) is compared with the verdict: precision and recall of "
        "*related* and the precision of each label the page shows, weighted by the inverse inclusion "
        "probabilities. **Tone**: 300 actor sentences (two strata: with and without a lexicon word) judged "
        "positive / negative / neutral toward the actor; the report's scorer (negation scope, intensifiers, "
        "contrast) and a plain lexicon count are turned into labels by thresholds chosen without the judged "
        "sentence's own verdict (sign; tuned on Mawqif; cross-fitted over five folds of the sample); macro-F1 and "
        "Cohen's kappa, weighted to all actor sentences. Samples stored as offsets and verdicts "
        "(`benchmarks/claim_judged_sample.csv`, `benchmarks/tone_judged_sample.csv`); one judge; 95% intervals "
        "from a bootstrap within strata.",
        "--corpus DIR"),
)}


def _shown_path(results_dir: str | Path | None, filename: str) -> str:
    """The results file as the reader knows it: relative to the project when it lies inside it."""
    path = (Path(results_dir) if results_dir is not None else results_directory()) / filename
    try:
        return path.resolve().relative_to(config.PROJECT_ROOT).as_posix()
    except ValueError:
        return path.name


def results_directory() -> Path:
    """Where the benchmarks write their JSON: ``config.BENCHMARK_RESULTS_DIR``."""
    return Path(config.BENCHMARK_RESULTS_DIR)


def read_results(key: str, results_dir: str | Path | None = None) -> dict | None:
    """The parsed results file of benchmark *key*, or ``None`` when it has not been produced."""
    if key not in BENCHMARKS:
        raise ValueError(f"unknown benchmark {key!r}; choose one of {', '.join(BENCHMARKS)}")
    bench = BENCHMARKS[key]
    path = (Path(results_dir) if results_dir is not None else results_directory()) / bench.filename
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BenchmarkResultsError(f"{path}: not readable as JSON ({type(exc).__name__}); rerun "
                                    f"`{bench.command()}` to rewrite it") from exc
    if not isinstance(data, dict):
        raise BenchmarkResultsError(f"{path}: expected a JSON object, found {type(data).__name__}; rerun "
                                    f"`{bench.command()}` to rewrite it")
    return data


def _num(value):
    """A float for numbers, NaN for missing values (never a string)."""
    if value is None or isinstance(value, bool):
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _ci(rep: dict, key: str) -> tuple[float, float]:
    ci = rep.get(f"{key}_ci") or [None, None]
    return (_num(ci[0]), _num(ci[1])) if len(ci) == 2 else (math.nan, math.nan)


# -- stance ---------------------------------------------------------------------------------------------------
def stance_summary(results: dict | None) -> pd.DataFrame:
    """Our stance figures (dev / CV, with 95% intervals) beside the published ones (test splits)."""
    from arabic_news.stance.evaluate import benchmark_summary

    if not results or not any(results.get(t) for t in ("target", "pair", "claim")):
        return pd.DataFrame()
    df = benchmark_summary(results)
    df = df[~(df["system"].str.startswith("published") & df["value"].isna())]   # unverified published figures
    return df.drop(columns=["n"]).reset_index(drop=True)


def stance_per_class(results: dict | None) -> pd.DataFrame:
    """Per-class F1 of the headline model of each stance task (rows: class, columns: task)."""
    from arabic_news.stance.evaluate import per_class_table

    if not results:
        return pd.DataFrame()
    table = per_class_table(results)
    if table.empty:
        return table
    return table.pivot(index="class", columns="task", values="f1")


def tone_validation(results: dict | None) -> pd.DataFrame:
    """The tone scorer against Mawqif's sentiment labels, and its ablations (one row each)."""
    tone = (results or {}).get("tone")
    if not tone or "macro_f1" not in tone:
        return pd.DataFrame()
    rows = [{"scorer": "lexicon scorer (default)", "accuracy": _num(tone.get("accuracy")),
             "macro_f1": _num(tone.get("macro_f1")), "n_eval": tone.get("n_eval"), "n_tune": tone.get("n_tune")}]
    for name, rep in (tone.get("ablations") or {}).items():
        rows.append({"scorer": name.replace("_", " "), "accuracy": _num(rep.get("accuracy")),
                     "macro_f1": _num(rep.get("macro_f1")), "n_eval": tone.get("n_eval"), "n_tune": tone.get("n_tune")})
    if tone.get("majority_accuracy") is not None:
        rows.append({"scorer": "majority class", "accuracy": _num(tone["majority_accuracy"]), "macro_f1": math.nan,
                     "n_eval": tone.get("n_eval"), "n_tune": tone.get("n_tune")})
    return pd.DataFrame(rows)


# -- NER ------------------------------------------------------------------------------------------------------
def _ner_row(name: str, protocol: str, rep: dict, seconds_key: str) -> dict:
    row = {"model": name, "protocol": protocol, "micro_f1": _num(rep.get("micro_f1")),
           "precision": _num(rep.get("precision")), "recall": _num(rep.get("recall"))}
    for typ, f1 in sorted((rep.get("per_type") or {}).items()):
        row[f"f1_{typ}"] = _num(f1)
    row["train_s"] = _num(rep.get(seconds_key))
    return row


def ner_summary(results: dict | None) -> pd.DataFrame:
    """The NER tagger's entity-level scores: the saved model (dev split), the tail split, the c1/c2 grid."""
    if not results:
        return pd.DataFrame()
    rows = []
    if isinstance(results.get("final"), dict):
        rows.append(_ner_row("saved model (default settings)", "dev split (10% of 20-sentence blocks)",
                             results["final"], "train_seconds"))
    tail = results.get("tail") or {}
    for key, name in (("full", "default settings"), ("plain", "plain word + affix CRF")):
        if isinstance(tail.get(key), dict):
            rows.append(_ner_row(name, "tail split (last 10% of the file)", tail[key], "fit_seconds"))
    for rep in results.get("grid") or []:
        rows.append(_ner_row(str(rep.get("name", "")), "dev split (grid)", rep, "fit_seconds"))
    return pd.DataFrame(rows)


def ner_out_of_domain(results: dict | None) -> pd.DataFrame:
    """The saved NER model on out-of-domain corpora (AQMAR, CAraNER), one row each."""
    ood = (results or {}).get("ood") or {}
    rows = []
    for name, rep in ood.items():
        if isinstance(rep, dict) and "micro_f1" in rep:
            rows.append({"corpus": name, "micro_f1": _num(rep.get("micro_f1")),
                         "precision": _num(rep.get("precision")), "recall": _num(rep.get("recall")),
                         "support": rep.get("support")})
    return pd.DataFrame(rows)


# -- topics ---------------------------------------------------------------------------------------------------
def topics_summary(results: dict | None) -> pd.DataFrame:
    """One row per (dataset, model, k): NMI with the gold sections, coherence, diversity, fit time, memory."""
    rows = [r for r in (results or {}).get("results") or [] if isinstance(r, dict)]
    if not rows:
        return pd.DataFrame()
    cols = ["dataset", "model", "k", "n_docs", "nmi", "npmi", "c_v", "diversity", "fit_s", "peak_rss_mb"]
    df = pd.DataFrame([{c: r.get(c) for c in cols} for r in rows])
    for c in cols[3:]:
        df[c] = pd.to_numeric(df[c], errors="coerce")
    return df.sort_values(["dataset", "k", "nmi"], ascending=[True, True, False], kind="stable").reset_index(drop=True)


# -- actor precision ------------------------------------------------------------------------------------------
def actor_precision_summary(results: dict | None) -> pd.DataFrame:
    """Precision of the actor matcher per judged sample, before and after the current rules."""
    rows = []
    for name, res in ((results or {}).get("samples") or {}).items():
        before = (res.get("before") or {}).get("overall") or {}
        after = (res.get("after") or {}).get("overall") or {}
        rows.append({"sample": name, "precision_before": _num(before.get("precision")), "n_before": before.get("n"),
                     "precision_after": _num(after.get("precision")), "n_after": after.get("n")})
    return pd.DataFrame(rows)


# -- stance and tone on the corpus, judged by hand --------------------------------------------------------------
def _interval(value, ci) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    lo, hi = (ci or (float("nan"), float("nan")))[:2]
    return f"{value:.3f} [{_num(lo):.3f}, {_num(hi):.3f}]" if ci else f"{value:.3f}"


def validity_claims(results: dict | None) -> pd.DataFrame:
    """Per label the report shows: pairs shown, weighted precision and recall (with 95% intervals)."""
    rows = []
    for r in ((results or {}).get("claims") or {}).get("rows") or []:
        rows.append({"label": r.get("label"), "pairs shown": r.get("n_shown"),
                     "precision [95% CI]": _interval(_num(r.get("precision")), r.get("precision_ci")),
                     "recall [95% CI]": _interval(_num(r.get("recall")), r.get("recall_ci")) if "recall" in r else ""})
    return pd.DataFrame(rows)


def validity_tone(results: dict | None) -> pd.DataFrame:
    """Per scorer and threshold rule: weighted macro-F1 and Cohen's kappa against the judged tone."""
    rows = []
    for r in ((results or {}).get("tone") or {}).get("rows") or []:
        rows.append({"scorer": r.get("scorer"), "thresholds": r.get("thresholds"),
                     "macro-F1 [95% CI]": _interval(_num(r.get("macro_f1_weighted")), r.get("macro_f1_weighted_ci")),
                     "kappa [95% CI]": _interval(_num(r.get("kappa_weighted")), r.get("kappa_weighted_ci"))})
    return pd.DataFrame(rows)


def claims_validity_note(corpus_checksum: str, precision_target: float,
                         results_dir: str | Path | None = None) -> str | None:
    """One sentence for the stance page: how the *related* counts fared against the hand-judged claim-article
    pairs of this very corpus (``bench_corpus_validity.py``), or None when no judged sample was measured on it
    (results missing, or measured on another corpus: the checksums differ)."""
    results = read_results("corpus_validity", results_dir)
    if not results or results.get("corpus_checksum") != corpus_checksum:
        return None
    rows = {r.get("label"): r for r in (results.get("claims") or {}).get("rows") or []}
    rel = rows.get("related")
    if not rel or rel.get("precision") is None:
        return None
    p, (lo, hi) = _num(rel.get("precision")), (rel.get("precision_ci") or (math.nan, math.nan))[:2]
    r, (rlo, rhi) = _num(rel.get("recall")), (rel.get("recall_ci") or (math.nan, math.nan))[:2]
    n = (results.get("claims") or {}).get("n", 0)
    text = (f"Checked by hand on this corpus ({n} judged claim-article pairs, methods appendix): of the articles "
            f"counted as related, an estimated {100 * p:.0f}% [{100 * _num(lo):.0f}–{100 * _num(hi):.0f}%] are "
            f"related to the claim, and they hold an estimated {100 * r:.0f}% [{100 * _num(rlo):.0f}–"
            f"{100 * _num(rhi):.0f}%] of the articles that are.")
    if p < precision_target:
        text += (f" That is below the {precision_target:.2f} level the model reached on Baly et al.'s claims: on "
                 "this corpus the related counts are not a measurement of coverage; read them as the articles to "
                 "read first (the evidence below), not as a finding to cite.")
    return text


#: benchmark key -> [(table title, reader)] shown by the appendix, in order
TABLES = {
    "stance": [("Stance: ours (dev / CV) beside the published figures (test)", stance_summary),
               ("Stance: per-class F1 of the headline models", stance_per_class),
               ("Tone: the lexicon scorer against Mawqif's sentiment labels", tone_validation)],
    "ner": [("NER: entity-level scores", ner_summary), ("NER: out of domain", ner_out_of_domain)],
    "topics": [("Topic models: agreement with the gold sections, coherence, time", topics_summary)],
    "actor_precision": [("Actor matching: precision on the judged samples", actor_precision_summary)],
    "corpus_validity": [("Claims on SaudiNewsNet: the report's labels against the judged pairs", validity_claims),
                        ("Tone on SaudiNewsNet: scorers against the judged actor sentences", validity_tone)],
}


def benchmark_tables(key: str, results_dir: str | Path | None = None) -> tuple[dict | None, list[tuple[str, pd.DataFrame]]]:
    """``(results, [(title, table), ...])`` of benchmark *key*; ``(None, [])`` when its file is missing."""
    results = read_results(key, results_dir)
    if results is None:
        return None, []
    tables = [(title, reader(results)) for title, reader in TABLES[key]]
    return results, [(t, df) for t, df in tables if not df.empty]


def overview(results_dir: str | Path | None = None) -> pd.DataFrame:
    """One row per benchmark: its results file, whether it is present, when it was written, the command."""
    base = Path(results_dir) if results_dir is not None else results_directory()
    rows = []
    for b in BENCHMARKS.values():
        path = base / b.filename
        present = path.is_file()
        written = (pd.Timestamp(path.stat().st_mtime, unit="s", tz="UTC").strftime("%Y-%m-%d %H:%M UTC")
                   if present else "")
        rows.append({"benchmark": b.title, "results file": b.filename, "present": "yes" if present else "no",
                     "written": written, "command": b.command()})
    return pd.DataFrame(rows)


def show_benchmark(key: str, results_path=None, tables: dict | None = None):
    """In a notebook: the benchmark's methods text, then its saved tables (each also put in *tables* as
    ``KEY_i``), or one sentence on how to produce them. Returns the saved results, or None."""
    from IPython.display import Markdown, display

    from arabic_news.reports.tables import md_escape, styled_table

    b = BENCHMARKS[key]
    display(Markdown(b.methods))
    results, shown = benchmark_tables(key, results_path)
    if results is None:
        display(Markdown(b.how_to_produce(results_path)))
        return None
    if not shown:
        display(Markdown(f"The results file `{b.filename}` holds none of the sections shown here; rerun "
                         f"`{b.command()}`."))
    for i, (title, table) in enumerate(shown):
        if tables is not None:
            tables[f"{key}_{i}"] = table
        display(Markdown(f"**{md_escape(title)}**"))
        display(styled_table(table, index=table.index.name is not None, precision=3))
    return results
