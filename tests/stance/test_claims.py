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
    res = track_claims(claims, articles, model, top_n=3, retriever=ClaimRetriever(use_embeddings=False))
    stance = dict(zip(res.matches["doc_id"], res.matches["stance"]))
    assert stance["a1"] == "agree" and stance["a2"] == "disagree"
    assert res.by_claim.loc[0, "n_agree"] == 1 and res.by_claim.loc[0, "n_disagree"] == 1
    assert "evidence" in res.matches.columns and res.matches["evidence"].str.len().min() > 0
    paths = write_tracking(res, tmp_path)
    assert pd.read_csv(paths["by_outlet"])["source"].tolist()[0] in {"okaz", "alriyadh"}
