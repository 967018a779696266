import numpy as np
import pandas as pd
import pytest

from arabic_news.stance.claims import ClaimFileError, ClaimRetriever, read_claims, track_claims, write_tracking
from arabic_news.stance.models import ClaimStanceModel

from .stance_fixtures import claim_frame


def test_read_claims_yaml_and_csv(tmp_path):
    y = tmp_path / "c.yaml"
    y.write_text("claims:\n  - id: a\n    claim: إيران توقع الاتفاق النووي\n    date: 2015-07-14\n", encoding="utf-8")
    df = read_claims(y)
    assert df[["claim_id", "claim"]].values.tolist() == [["a", "إيران توقع الاتفاق النووي"]]
    c = tmp_path / "c.csv"
    c.write_text("claim_id,claim\nb,تركيا تقصف داعش\n", encoding="utf-8")
    assert read_claims(c)["claim_id"].tolist() == ["b"]
    c.write_text("id,text\nb,تركيا\n", encoding="utf-8")
    with pytest.raises(ClaimFileError, match="missing column 'claim'"):
        read_claims(c)


def test_example_claims_file_is_valid():
    from arabic_news import config

    df = read_claims(config.DATA_DIR / "claims" / "example_claims.yaml")
    assert len(df) >= 4 and df["claim_id"].is_unique


def test_retriever_ranks_relevant_first():
    docs = ["افتتاح معرض الكتاب في الرياض", "إيران والقوى الكبرى توقع الاتفاق النووي في فيينا",
            "الطقس حار في جدة", "الاتفاق النووي مع إيران يثير جدلا"]
    r = ClaimRetriever(use_embeddings=False).fit(docs)
    idx, score, lex_rank, _ = r.search("توقيع الاتفاق النووي مع إيران", top_n=3)
    assert set(idx[:2].tolist()) == {1, 3}
    assert list(score) == sorted(score, reverse=True)
    assert 0 not in idx.tolist() and 2 not in idx.tolist()  # no lexical match, no embeddings -> not returned


def test_retriever_on_a_large_corpus_embeds_only_bm25_candidates(tmp_path, monkeypatch):
    """Above max_embedded_docs the dense side re-ranks the query's BM25 candidates (embedded on demand); at or
    below it every document is embedded at fit time, as before."""
    from arabic_news import config

    monkeypatch.setattr(config, "CACHE_DIR", tmp_path)      # the embedding cache of this test only
    docs = ["افتتاح معرض الكتاب في الرياض", "إيران والقوى الكبرى توقع الاتفاق النووي في فيينا",
            "الطقس حار في جدة", "الاتفاق النووي مع إيران يثير جدلا", "مباراة الهلال والنصر"]
    query = "توقيع الاتفاق النووي مع إيران"
    whole = ClaimRetriever(max_embedded_docs=5).fit(docs)
    lazy = ClaimRetriever(max_embedded_docs=4).fit(docs)
    assert whole.dense_scope_ == "all documents" and whole.embeddings_.shape == (5, 512)
    assert lazy.embeddings_ is None and lazy.dense_scope_.startswith("BM25")
    w_idx, _, w_lex, w_emb = whole.search(query, top_n=5)
    l_idx, _, l_lex, l_emb = lazy.search(query, top_n=5)
    assert set(l_idx.tolist()) == {1, 3}                     # only lexical candidates can come back
    assert len(w_idx) == 5 and set(w_idx[:2].tolist()) == {1, 3}   # whole-corpus dense side reaches them all
    assert sorted(l_emb.tolist()) == [1.0, 2.0]              # cosine ranks among the candidates
    # the two documents keep their relative embedding order
    order_whole = [i for i in w_idx[np.argsort(w_emb)] if i in (1, 3)]
    assert list(l_idx[np.argsort(l_emb)]) == order_whole


def _thresholds(related=0.5, agree=0.5, disagree=None, discuss=0.5):
    from arabic_news.stance.reliability import ReliabilityThresholds

    def entry(t):
        return {"threshold": t, "precision": 0.8 if t is not None else 0.3, "recall": 0.5, "n_predicted": 30,
                "reached": t is not None}

    return ReliabilityThresholds(precision_target=0.7, min_support=20, related=entry(related),
                                 labels={"agree": entry(agree), "disagree": entry(disagree),
                                         "discuss": entry(discuss)})


def test_track_claims_end_to_end(tmp_path):
    df = claim_frame()
    model = ClaimStanceModel(use_embeddings=False, min_df=1, C=10.0, k=1, related_classifier="lr").fit(df[["claim", "article"]], df["stance"])
    articles = pd.DataFrame({
        "doc_id": ["a1", "a2", "a3"], "title": ["", "", ""], "source": ["okaz", "okaz", "alriyadh"],
        "date": pd.to_datetime(["2015-07-01", "2015-07-02", "2015-08-01"]),
        "body": ["أكد مسؤول أن الحكومة أعلنت رفع أسعار الوقود هذا الأسبوع. وتحدثت الصحف عن الطقس.",
                 "نفت الحكومة أنها أعلنت رفع أسعار الوقود ووصفت الخبر بأنه شائعة. وتحدثت الصحف عن الطقس.",
                 "فاز المنتخب في مباراة كرة القدم. وتحدثت الصحف عن الطقس."],
    })
    claims = pd.DataFrame({"claim_id": ["fuel"], "claim": ["الحكومة أعلنت رفع أسعار الوقود"]})
    th = _thresholds(related=0.0, agree=0.0, disagree=0.0, discuss=0.0)  # every label shown: the model's arg-max
    res = track_claims(claims, articles, model, th, cutoff=0.1, retriever=ClaimRetriever(use_embeddings=False))
    stance = dict(zip(res.matches["doc_id"], res.matches["stance"]))
    assert stance["a1"] == "agree" and stance["a2"] == "disagree" and "a3" not in stance  # a3: no claim word
    assert res.by_claim.loc[0, "n_agree"] == 1 and res.by_claim.loc[0, "n_disagree"] == 1
    assert "evidence" in res.matches.columns and res.matches["evidence"].str.len().min() > 0
    # disagree is not validated: the same article is then related with an uncertain stance
    res2 = track_claims(claims, articles, model, _thresholds(related=0.0, agree=0.0, discuss=0.0), cutoff=0.1)
    assert dict(zip(res2.matches["doc_id"], res2.matches["stance"]))["a2"] == "related, stance uncertain"
    paths = write_tracking(res, tmp_path)
    assert pd.read_csv(paths["by_outlet"])["source"].tolist()[0] in {"okaz", "alriyadh"}


# a toy corpus: two claims, eight hand-written articles in three outlets over three days
TOY = pd.DataFrame({
    "doc_id": [f"d{i}" for i in range(8)],
    "title": ["رفع أسعار الوقود", "الحكومة ترفع الوقود", "نفي رفع الوقود", "أسعار الوقود", "مباراة",
              "الجيش يسيطر على المدينة", "معارك المدينة", "الطقس"],
    "source": ["okaz", "okaz", "alriyadh", "alyaum", "alyaum", "okaz", "alriyadh", "okaz"],
    "date": pd.to_datetime(["2015-07-01", "2015-07-01", "2015-07-02", "2015-07-03", "2015-07-03", "2015-07-02",
                            "2015-07-03", "2015-07-03"]),
    "body": ["أعلنت الحكومة رفع أسعار الوقود اعتبارا من الشهر المقبل.",
             "قالت الحكومة إنها أعلنت رفع أسعار الوقود بعد دراسة.",
             "نفت الحكومة أنها أعلنت رفع أسعار الوقود.",
             "تساءل محللون عن أثر رفع أسعار الوقود على الأسر.",
             "فاز المنتخب في مباراة كرة القدم مساء أمس.",
             "أعلن الجيش أنه سيطر على المدينة بالكامل.",
             "تتواصل المعارك حول المدينة ولم يسيطر الجيش عليها بعد.",
             "الطقس حار في الرياض اليوم."],
})
TOY_CLAIMS = pd.DataFrame({"claim_id": ["fuel", "army"],
                           "claim": ["الحكومة أعلنت رفع أسعار الوقود", "الجيش سيطر على المدينة"]})


def test_prevalence_counting_on_a_toy_corpus(monkeypatch):
    """The real retrieval, decision and counting code; only the classifier's probabilities are fixed by hand,
    per article, so the expected counts follow from the thresholds."""
    from arabic_news.stance.reliability import UNCERTAIN

    df = claim_frame()
    model = ClaimStanceModel(use_embeddings=False, min_df=1, C=10.0, k=1, related_classifier="lr").fit(
        df[["claim", "article"]], df["stance"])
    # classes: agree, disagree, discuss, unrelated; one probability row per article (keyed by its first words)
    fixed = {"أعلنت الحكومة": [0.80, 0.05, 0.05, 0.10],   # agree
             "قالت الحكومة": [0.40, 0.10, 0.20, 0.30],    # related (0.7), agree 0.40 < 0.5 -> uncertain
             "نفت الحكومة": [0.05, 0.75, 0.10, 0.10],    # disagree has no threshold -> uncertain
             "تساءل محللون": [0.10, 0.05, 0.65, 0.20],   # discuss
             "أعلن الجيش": [0.70, 0.05, 0.05, 0.20],     # agree
             "الجيش يسيطر": [0.70, 0.05, 0.05, 0.20],    # (the same article when its title is the evidence)
             "تتواصل المعارك": [0.10, 0.10, 0.10, 0.70]}  # unrelated (related 0.3 < 0.5)

    def fake_proba(evidence):
        rows = []
        for sentences in evidence["evidence_sentences"]:
            text = " ".join(sentences)
            rows.append(next(v for k, v in fixed.items() if k in text))
        return np.asarray(rows)

    monkeypatch.setattr(model, "predict_proba_evidence", fake_proba)
    res = track_claims(TOY_CLAIMS, TOY, model, _thresholds(), cutoff=0.3, retriever=ClaimRetriever(use_embeddings=False))
    m = res.matches
    got = dict(zip(zip(m["claim_id"], m["doc_id"]), m["stance"]))
    assert got == {("fuel", "d0"): "agree", ("fuel", "d1"): UNCERTAIN, ("fuel", "d2"): UNCERTAIN,
                   ("fuel", "d3"): "discuss", ("army", "d5"): "agree", ("army", "d6"): "unrelated"}
    c = res.by_claim.set_index("claim_id")
    assert c.loc["fuel", ["n_classified", "n_related", "n_agree", "n_disagree", "n_discuss", "n_uncertain"]].tolist() \
        == [4, 4, 1, 0, 1, 2]
    assert c.loc["army", ["n_classified", "n_related", "n_agree", "n_unrelated"]].tolist() == [2, 1, 1, 1]
    # prevalence over the whole corpus: 4 of 8 articles related to the fuel claim, with a Wilson interval
    assert c.loc["fuel", "related_share"] == pytest.approx(0.5)
    assert c.loc["fuel", "related_lo"] < 0.5 < c.loc["fuel", "related_hi"]
    assert c.loc["fuel", "agree_share"] == pytest.approx(0.25)  # of the related
    # per outlet: every outlet of the corpus, against its own number of articles
    o = res.by_outlet.set_index(["claim_id", "source"])
    assert o.loc[("fuel", "okaz"), ["n_articles", "n_related", "n_agree", "n_uncertain"]].tolist() == [4, 2, 1, 1]
    assert o.loc[("fuel", "alyaum"), ["n_articles", "n_related", "n_discuss"]].tolist() == [2, 1, 1]
    assert o.loc[("army", "alyaum"), "n_classified"] == 0
    # per day
    d = res.by_day.set_index(["claim_id", "day"])
    assert d.loc[("fuel", "2015-07-01"), ["n_articles", "n_related", "n_agree"]].tolist() == [2, 2, 1]
    assert d.loc[("army", "2015-07-03"), ["n_related", "n_unrelated"]].tolist() == [0, 1]
    # the cap: one article per claim, the best-scoring, and the claim says it was capped
    capped = track_claims(TOY_CLAIMS, TOY, model, _thresholds(), cutoff=0.3, max_per_claim=1)
    cc = capped.by_claim.set_index("claim_id")
    assert cc["n_classified"].tolist() == [1, 1] and cc["capped"].all()
    assert cc.loc["fuel", "n_candidates"] == 4
    assert capped.matches.groupby("claim_id")["retrieval_score"].max().to_dict() == \
        m.groupby("claim_id")["retrieval_score"].max().to_dict()


def test_claims_outside_the_corpus_period_are_not_applied(tmp_path):
    from arabic_news.stance.claims import claims_period_check

    y = tmp_path / "c.yaml"
    y.write_text("period: {start: 2015-07-01, end: 2015-08-31}\nclaims:\n"
                 "  - id: fuel\n    claim: الحكومة أعلنت رفع أسعار الوقود\n"
                 "  - id: old\n    claim: الجيش سيطر على المدينة\n    period: {start: 2011-01-01, end: 2011-02-01}\n",
                 encoding="utf-8")
    claims = read_claims(y)
    assert claims["period_start"].dt.strftime("%Y-%m-%d").tolist() == ["2015-07-01", "2011-01-01"]
    check = claims_period_check(claims, TOY).set_index("claim_id")
    assert bool(check.loc["fuel", "applies"]) and check.loc["fuel", "period_note"] == ""
    assert not check.loc["old", "applies"]
    assert "2011-01-01 to 2011-02-01" in check.loc["old", "period_note"]
    assert "2015-07-01 to 2015-07-03" in check.loc["old", "period_note"]
    assert "old" not in check.loc["old", "period_note"]  # the page names the claim by its text, not its id
    th = _thresholds(related=0.0, agree=0.0, disagree=0.0, discuss=0.0)
    df = claim_frame()
    model = ClaimStanceModel(use_embeddings=False, min_df=1, C=10.0, k=1, related_classifier="lr").fit(
        df[["claim", "article"]], df["stance"])
    res = track_claims(claims, TOY, model, th, cutoff=0.3)
    assert set(res.matches["claim_id"]) == {"fuel"}  # the army claim matches d5, d6 but is not applied
    assert res.by_claim.set_index("claim_id").loc["old", "n_classified"] == 0
    assert "old" not in set(res.by_outlet["claim_id"])


def test_read_claims_jsonl_and_errors(tmp_path):
    j = tmp_path / "c.jsonl"
    j.write_text('{"id": "a", "claim": "إيران توقع الاتفاق", "period_start": "2015-07-01", "period_end": "2015-07-31"}\n'
                 "\n"
                 '{"id": "b", "claim": "تركيا تقصف داعش", "period": {"start": "2015-07-20"}}\n', encoding="utf-8")
    df = read_claims(j)
    assert df["claim_id"].tolist() == ["a", "b"]
    assert df["period_end"].isna().tolist() == [False, True]
    j.write_text('{"id": "a", "claim": "إيران"}\n{"id": "b", "claim": \n', encoding="utf-8")
    with pytest.raises(ClaimFileError) as err:
        read_claims(j)
    assert str(err.value).startswith(f"{j}: line 2 is not valid JSON") and "\n" not in str(err.value)
    j.write_text('["a", "b"]\n', encoding="utf-8")
    with pytest.raises(ClaimFileError, match="line 1 is not a JSON object"):
        read_claims(j)
    t = tmp_path / "c.txt"
    t.write_text("a claim\n", encoding="utf-8")
    with pytest.raises(ClaimFileError, match=r"YAML \(\.yaml/\.yml\), CSV \(\.csv\) or JSON Lines \(\.jsonl\)"):
        read_claims(t)
    c = tmp_path / "c.csv"
    c.write_text("id,claim,period_start\na,إيران,July\n", encoding="utf-8")
    with pytest.raises(ClaimFileError, match="claim a: period start 'July' is not a date"):
        read_claims(c)
