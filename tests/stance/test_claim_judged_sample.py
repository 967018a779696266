"""The hand-judged claim sample (benchmarks/claim_judged_sample.csv) and its loader (benchmarks/claim_sample.py):
the committed file is complete and consistent on its own; the loader re-slices evidence through the offsets and
refuses rows that do not fit the corpus."""
from __future__ import annotations

import importlib.util

import pandas as pd
import pytest

from arabic_news import config

_SPEC = importlib.util.spec_from_file_location("claim_sample", config.PROJECT_ROOT / "benchmarks" / "claim_sample.py")
claim_sample = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(claim_sample)


def test_committed_sample_is_fully_judged_and_stratified():
    df = claim_sample.read_claim_sample()
    claims = pd.read_csv(claim_sample.SAMPLE, dtype=str)["claim_id"].unique()
    assert set(df["related"]) <= {"yes", "no"} and len(df) == len(claims) * 25
    # weights: stratum size / number drawn, the same within a claim's stratum; top stratum = 50 ranks / 12 drawn
    per = df.groupby(["claim_id", "stratum"])
    assert (per["weight"].nunique() == 1).all()
    top = df[df["stratum"] == "top"]
    assert top["weight"].round(6).eq(round(50 / 12, 6)).all()
    assert df["note"].map(lambda s: len(s) <= 120).all()  # notes are short glosses, never article text


def _toy(tmp_path, rows):
    path = tmp_path / "sample.csv"
    pd.DataFrame(rows, columns=claim_sample.COLUMNS).to_csv(path, index=False)
    return path


ARTICLES = pd.DataFrame({"doc_id": ["d1", "d2"], "title": ["عنوان الخبر", "خبر آخر"],
                         "body": ["جملة أولى. جملة ثانية عن الاتفاق.", "لا شيء هنا."]})


def test_loader_reslices_evidence_from_title_newline_body(tmp_path):
    text = "عنوان الخبر\nجملة أولى. جملة ثانية عن الاتفاق."
    a = text.index("جملة ثانية")
    path = _toy(tmp_path, [["c", "d1", 3, "top", 50 / 12, "yes", "agree", a, len(text), ""],
                           ["c", "d2", 600, "tail", 100.0, "no", "", "", "", ""]])
    out = claim_sample.load_claim_sample(ARTICLES, path)
    assert out.loc[0, "evidence"] == "جملة ثانية عن الاتفاق."
    assert out.loc[1, "evidence"] == ""
    assert out.loc[0, "title"] == "عنوان الخبر"


@pytest.mark.parametrize("row, message", [
    (["c", "d1", 3, "top", 4.2, "yes", "agree", 0, 200, ""], "past the end"),
    (["c", "d1", 3, "top", 4.2, "yes", "agree", 13, 18, ""], "cuts a word"),
    (["c", "d1", 3, "top", 4.2, "yes", "agree", 11, 16, ""], "whitespace"),
    (["c", "d9", 3, "top", 4.2, "no", "", "", "", ""], "not in the corpus"),
    (["c", "d1", 3, "top", 4.2, "yes", "maybe", 12, 22, ""], "stance must be"),
    (["c", "d1", 3, "top", 4.2, "no", "agree", "", "", ""], "unrelated pair"),
    (["c", "d1", 60, "top", 4.2, "no", "", "", "", ""], "outside stratum"),
    (["c", "d1", 3, "top", 4.2, "", "", "", "", ""], "yes or no"),
])
def test_loader_refuses_bad_rows(tmp_path, row, message):
    with pytest.raises(claim_sample.ClaimSampleError, match=message):
        claim_sample.load_claim_sample(ARTICLES, _toy(tmp_path, [row]))


def test_verdict_counts_per_claim_and_stratum():
    df = pd.DataFrame({"claim_id": ["c"] * 3, "stratum": ["top", "top", "tail"],
                       "related": ["yes", "no", "yes"], "stance": ["agree", "", "discuss"]})
    counts = claim_sample.verdict_counts(df)
    top = counts[counts["stratum"] == "top"].iloc[0]
    assert (top["n"], top["related"], top["agree"], top["unrelated"]) == (2, 1, 1, 1)
    assert counts["stratum"].tolist() == ["top", "tail"]
