"""The methods appendix reads the saved results of `make bench`: tables with the numbers of the JSON files when
they exist, one sentence per benchmark on how to produce them when they do not. The notebook itself (91) runs
through papermill on a results folder written here by hand."""
from __future__ import annotations

import json

import nbformat
import pandas as pd
import pytest

from arabic_news.reports import benchmark_results as bench
from arabic_news import config

# hand-made results in the shape the benchmark scripts write (only the keys the appendix reads, plus noise)
STANCE = {
    "machine": {"python": "3.11.7"},
    "target": {"n_dev": 701, "models": {"nbsvm_sentiment_per_target": {
        "stanceeval": 0.7061, "stanceeval_ci": [0.662, 0.743], "macro_f1": 0.611, "n": 701,
        "f1_Favor": 0.81, "f1_Against": 0.6, "f1_None": 0.42,
        "confusion": {"labels": ["Favor", "Against", "None"], "matrix": [[5, 1, 0], [1, 3, 1], [0, 1, 2]]}}}},
    "pair": {"models": {"tfidf_use_pair_lr": {"macro_f1": 0.736, "macro_f1_ci": [0.667, 0.786], "n": 755,
                                               "f1_agree": 0.9, "f1_disagree": 0.55, "f1_other": 0.75}}},
    "claim": {"pooled": {"macro_f1": 0.447, "macro_f1_ci": [0.421, 0.473], "n": 3042, "f1_agree": 0.645,
                         "f1_disagree": 0.135, "f1_discuss": 0.159, "f1_unrelated": 0.848}},
    "tone": {"accuracy": 0.51, "macro_f1": 0.488, "majority_accuracy": 0.45, "n_eval": 2800, "n_tune": 700,
             "ablations": {"without_negation": {"accuracy": 0.5, "macro_f1": 0.47}}},
}
NER = {"final": {"micro_f1": 0.7891, "precision": 0.83, "recall": 0.75, "per_type": {"LOC": 0.85, "PERS": 0.77},
                 "train_seconds": 312.4},
       "grid": [{"name": "lbfgs c1=0.2 c2=0.02", "micro_f1": 0.781, "precision": 0.8, "recall": 0.76,
                 "per_type": {"LOC": 0.84, "PERS": 0.76}, "fit_seconds": 200.0}],
       "ood": {"aqmar": {"micro_f1": 0.52, "precision": 0.6, "recall": 0.46, "support": 100},
               "caraner": {"skipped": "not here"}}}
TOPICS = {"results": [{"dataset": "ANT", "model": "lsa", "k": 9, "n_docs": 9966, "nmi": 0.396, "npmi": 0.163,
                       "c_v": 0.687, "diversity": 0.867, "fit_s": 10.1, "peak_rss_mb": 950},
                      {"dataset": "ANT", "model": "nmf", "k": 9, "n_docs": 9966, "nmi": 0.356, "npmi": 0.202,
                       "c_v": 0.75, "diversity": 0.967, "fit_s": 1.5, "peak_rss_mb": 289}]}


@pytest.fixture()
def results_dir(tmp_path):
    folder = tmp_path / "results"
    folder.mkdir()
    for name, data in (("bench_stance.json", STANCE), ("bench_ner.json", NER), ("bench_topics.json", TOPICS)):
        (folder / name).write_text(json.dumps(data), encoding="utf-8")
    return folder


def test_no_results_gives_one_sentence_per_benchmark(tmp_path):
    for key, b in bench.BENCHMARKS.items():
        assert bench.read_results(key, tmp_path) is None
        assert bench.benchmark_tables(key, tmp_path) == (None, [])
        sentence = b.how_to_produce(tmp_path)
        assert sentence.count(". ") == 0 and sentence.endswith(".")
        assert b.filename in sentence and f"benchmarks/{b.script}" in sentence
    assert "`make bench`" in bench.BENCHMARKS["stance"].how_to_produce(tmp_path)
    status = bench.overview(tmp_path)
    assert list(status["present"]) == ["no"] * len(bench.BENCHMARKS)


def test_default_folder_is_benchmarks_results_and_shown_relative():
    assert bench.results_directory() == config.BENCHMARK_RESULTS_DIR
    sentence = bench.BENCHMARKS["ner"].how_to_produce(config.PROJECT_ROOT / "benchmarks" / "results")
    assert "(`benchmarks/results/bench_ner.json`)" in sentence


def test_stance_tables_carry_the_saved_numbers(results_dir):
    results, tables = bench.benchmark_tables("stance", results_dir)
    titles = [t for t, _ in tables]
    assert len(tables) == 3 and titles[0].startswith("Stance: ours")
    summary = tables[0][1]
    ours = summary[summary["system"] == "ours: nbsvm_sentiment_per_target"].iloc[0]
    assert (ours["value"], ours["ci_low"], ours["ci_high"]) == (0.7061, 0.662, 0.743)
    claim = summary[summary["task"] == "claim (Baly et al. 2018)"]
    assert list(claim["value"]) == [0.447]        # the unverified published figure (None) is left out
    published = summary[summary["system"].str.startswith("published")]
    assert sorted(published["value"]) == [0.718, 0.767, 0.844]
    per_class = tables[1][1]
    assert per_class.loc["disagree", "claim"] == 0.135 and per_class.loc["Favor", "target"] == 0.81
    tone = tables[2][1]
    assert list(tone["scorer"]) == ["lexicon scorer (default)", "without negation", "majority class"]
    assert list(tone["macro_f1"].iloc[:2]) == [0.488, 0.47]


def test_ner_and_topics_tables(results_dir):
    _, tables = bench.benchmark_tables("ner", results_dir)
    scores, ood = tables[0][1], tables[1][1]
    assert list(scores["micro_f1"]) == [0.7891, 0.781]
    assert scores.loc[0, "train_s"] == 312.4 and scores.loc[0, "f1_PERS"] == 0.77
    assert list(ood["corpus"]) == ["aqmar"] and ood.loc[0, "micro_f1"] == 0.52   # skipped corpora are not rows
    _, tables = bench.benchmark_tables("topics", results_dir)
    topics = tables[0][1]
    assert list(topics["model"]) == ["lsa", "nmf"] and list(topics["nmi"]) == [0.396, 0.356]
    assert bench.benchmark_tables("actor_precision", results_dir) == (None, [])


def test_unreadable_results_file_is_one_clear_error(tmp_path):
    (tmp_path / "bench_ner.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(bench.BenchmarkResultsError, match=r"bench_ner\.json: not readable as JSON .*bench_ner\.py"):
        bench.read_results("ner", tmp_path)
    (tmp_path / "bench_topics.json").write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(bench.BenchmarkResultsError, match="expected a JSON object"):
        bench.read_results("topics", tmp_path)


def _run_appendix(tmp_path, results):
    import papermill as pm

    out = tmp_path / "91.ipynb"
    pm.execute_notebook(str(config.NOTEBOOKS_DIR / "91-appendix-methods.ipynb"), str(out),
                        parameters={"results_dir": str(results), "output_dir": str(tmp_path / "tables")},
                        kernel_name="python3", progress_bar=False, cwd=str(tmp_path))
    nb = nbformat.read(str(out), as_version=4)
    shown = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            assert o.get("output_type") != "error", o
            data = o.get("data", {})
            shown.append(data.get("text/html") or data.get("text/markdown") or o.get("text", ""))
    return "\n".join(shown)


def test_appendix_notebook_without_results_says_how_to_produce_each(tmp_path):
    empty = tmp_path / "none"
    empty.mkdir()
    text = _run_appendix(tmp_path, empty)
    for b in bench.BENCHMARKS.values():
        assert text.count(b.how_to_produce(empty)) == 1
    assert "<table" in text  # the overview table of the benchmarks


def test_appendix_notebook_shows_the_saved_numbers(tmp_path, results_dir):
    text = _run_appendix(tmp_path, results_dir)
    for figure in ("0.706", "0.662", "0.743", "0.447", "0.789", "0.396", "0.135"):
        assert figure in text
    assert "No saved results for stance" not in text and "No saved results for topic" not in text
    assert bench.BENCHMARKS["actor_precision"].how_to_produce(results_dir) in text
    ner = pd.read_csv(tmp_path / "tables" / "ner_0.csv")
    assert list(ner["micro_f1"]) == [0.7891, 0.781]


def test_corpus_validity_tables_read_the_scripts_json(tmp_path):
    import json

    from arabic_news.reports import benchmark_results as bench

    (tmp_path / "bench_corpus_validity.json").write_text(json.dumps({
        "claims": {"rows": [{"label": "related", "n_shown": 40, "precision": 0.8, "precision_ci": [0.7, 0.9],
                             "recall": 0.5, "recall_ci": [0.3, 0.6]},
                            {"label": "disagree", "n_shown": 0, "precision": None, "precision_ci": None}]},
        "tone": {"rows": [{"scorer": "rules", "thresholds": "sign", "macro_f1_weighted": 0.31,
                           "macro_f1_weighted_ci": [0.21, 0.41], "kappa_weighted": 0.1,
                           "kappa_weighted_ci": [0.0, 0.2]}]}}), encoding="utf-8")
    results, shown = bench.benchmark_tables("corpus_validity", tmp_path)
    claims, tone = (table for _, table in shown)
    assert claims.to_dict("records") == [
        {"label": "related", "pairs shown": 40, "precision [95% CI]": "0.800 [0.700, 0.900]",
         "recall [95% CI]": "0.500 [0.300, 0.600]"},
        {"label": "disagree", "pairs shown": 0, "precision [95% CI]": "–", "recall [95% CI]": ""}]
    assert tone.iloc[0]["kappa [95% CI]"] == "0.100 [0.000, 0.200]"
    assert "bench_corpus_validity.py --corpus DIR" in bench.BENCHMARKS["corpus_validity"].how_to_produce(tmp_path)


def test_the_stance_page_quotes_the_hand_check_only_for_the_corpus_it_was_measured_on(tmp_path):
    import json

    from arabic_news.reports.benchmark_results import claims_validity_note

    (tmp_path / "bench_corpus_validity.json").write_text(json.dumps({
        "corpus_checksum": "abc", "claims": {"n": 150, "rows": [
            {"label": "related", "n_shown": 45, "precision": 0.421, "precision_ci": [0.217, 0.693],
             "recall": 0.139, "recall_ci": [0.069, 0.218]}]}}), encoding="utf-8")
    note = claims_validity_note("abc", 0.7, tmp_path)
    assert "an estimated 42% [22–69%] are related" in note and "14% [7–22%]" in note
    assert "below the 0.70 level" in note
    assert claims_validity_note("other corpus", 0.7, tmp_path) is None
    assert "below" not in claims_validity_note("abc", 0.4, tmp_path)
    assert claims_validity_note("abc", 0.7, tmp_path / "missing") is None
