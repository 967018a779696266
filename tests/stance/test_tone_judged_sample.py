"""The hand-judged tone sample (benchmarks/tone_judged_sample.csv) and its drawing/loading code
(benchmarks/draw_tone_sample.py), checked without the corpus: the stored file's shape, the two-stage draw's
weights on a toy population, and the loader's re-slicing and offset checks on a toy article."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("draw_tone_sample", ROOT / "benchmarks" / "draw_tone_sample.py")
dts = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(dts)


def test_stored_sample_is_complete_and_offsets_are_consistent():
    s = pd.read_csv(dts.SAMPLE, dtype={"doc_id": str}, keep_default_na=False)
    assert list(s.columns) == dts.COLUMNS
    assert set(s["verdict"]) <= set(dts.VERDICTS) and (s["verdict"] != "").all()
    assert s["stratum"].value_counts().to_dict() == {k: dts.PER_STRATUM for k in dts.STRATA}
    assert s["doc_id"].is_unique  # at most one sentence per article
    assert ((s["sent_start"] <= s["mention_start"]) & (s["mention_start"] < s["mention_end"])
            & (s["mention_end"] <= s["sent_end"])).all()
    assert (s["weight"] > 0).all()


def test_draw_weights_are_inverse_inclusion_probabilities():
    # lexicon: 4 articles holding 1..4 triples, 3 drawn -> weight = 4/3 x the article's triples;
    # no_lexicon: 3 articles of one triple each, all drawn -> weights sum to the stratum's triples
    rows = []
    for d in range(4):
        rows += [{"doc_id": f"a{d}", "sentence": k, "start": 10 * k, "end": 10 * k + 3, "sent_start": 10 * k,
                  "sent_end": 10 * k + 9, "actor_id": "Q1", "stratum": "lexicon"} for k in range(d + 1)]
    rows += [{"doc_id": f"b{d}", "sentence": 0, "start": 0, "end": 3, "sent_start": 0, "sent_end": 9,
              "actor_id": "Q2", "stratum": "no_lexicon"} for d in range(3)]
    pop = pd.DataFrame(rows)
    sample, sizes = dts.draw(pop, seed=1, per_stratum=3)
    assert sample["doc_id"].is_unique
    assert sizes["lexicon"] == {"triples": 10, "articles": 4, "articles_eligible": 4, "drawn": 3}
    lex = sample[sample["stratum"] == "lexicon"]
    per_doc = pop[pop["stratum"] == "lexicon"].groupby("doc_id").size()
    assert lex["weight"].tolist() == pytest.approx([4 / 3 * per_doc[d] for d in lex["doc_id"]], abs=1e-4)
    rest = sample[sample["stratum"] == "no_lexicon"]
    assert rest["weight"].sum() == pytest.approx((pop["stratum"] == "no_lexicon").sum())
    again, _ = dts.draw(pop, seed=1, per_stratum=3)
    assert again.equals(sample)  # seeded: the same draw twice


@pytest.fixture(scope="module")
def toy():
    from arabic_news.actors.extract import article_text
    from arabic_news.actors.gazetteer import load_gazetteer
    from arabic_news.actors.matcher import ActorMatcher

    title, body = "زيارة رسمية", "وصل الوفد إلى الرياض أمس.\nوقال إن السعودية ترحب بالتعاون."
    arts = pd.DataFrame({"doc_id": ["d1"], "title": [title], "body": [body], "date": [pd.NaT]})
    text = article_text(title, body)
    m = next(m for m in ActorMatcher(gazetteer=load_gazetteer()).fit().find(text) if m.kind == "name")
    b = dts.sentence_bounds(text)
    row = {"doc_id": "d1", "sent_start": b[m.sentence], "sent_end": b[m.sentence + 1], "mention_start": m.start,
           "mention_end": m.end, "actor_id": m.actor_id, "stratum": "lexicon", "weight": 1.0,
           "verdict": "neutral", "note": ""}
    return arts, text, m, row


def test_loader_reslices_sentence_and_mention(toy, tmp_path):
    arts, text, m, row = toy
    path = tmp_path / "s.csv"
    pd.DataFrame([row], columns=dts.COLUMNS).to_csv(path, index=False)
    out = dts.load_tone_sample(arts, path)
    assert out.loc[0, "mention"] == m.surface
    assert out.loc[0, "sentence"] == text[row["sent_start"]:row["sent_end"]]
    assert m.surface in out.loc[0, "sentence"]


@pytest.mark.parametrize("change, error", [
    ({"mention_start": 1}, AssertionError),            # mention outside its sentence / not the matcher's span
    ({"sent_end": 5}, AssertionError),                 # not a sentence of the splitter
    ({"verdict": "good"}, ValueError),                 # unknown verdict
    ({"doc_id": "zz"}, ValueError),                    # doc_id not in the articles
])
def test_loader_rejects_bad_rows(toy, tmp_path, change, error):
    arts, _, _, row = toy
    path = tmp_path / "s.csv"
    pd.DataFrame([{**row, **change}], columns=dts.COLUMNS).to_csv(path, index=False)
    with pytest.raises(error):
        dts.load_tone_sample(arts, path)
