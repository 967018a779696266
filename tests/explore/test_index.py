"""The positional token index: identical tokens, spans, clitic and stem columns, caching beside the corpus."""
from __future__ import annotations

import json

import numpy as np
import pytest

from arabic_news import config
from arabic_news.explore import index as ix
from arabic_news.explore.index import TokenIndex, build_index, open_index
from arabic_news.text import normalize_text, normalize_tokens

from explore_fixtures import ARTICLES, article_frame, text_of, write_corpus


@pytest.fixture()
def index() -> TokenIndex:
    return TokenIndex.from_frame(article_frame())


def _forms(index: TokenIndex, doc: int) -> list[str]:
    sel = index.col("doc") == doc
    return [index.term_list[i] for i in index.col("form")[sel]]


def test_tokens_are_normalize_tokens_of_the_article_text(index):
    for row, (doc_id, *_rest) in enumerate(ARTICLES):
        assert _forms(index, row) == normalize_tokens(text_of(doc_id))
    assert index.n_tokens == sum(len(normalize_tokens(text_of(d))) for d, *_ in ARTICLES)


def test_spans_index_the_article_text(index):
    terms = index.term_list
    for row, (doc_id, *_rest) in enumerate(ARTICLES):
        text = text_of(doc_id)
        sel = np.flatnonzero(index.col("doc") == row)
        for i in sel:
            s, e = int(index.col("start")[i]), int(index.col("end")[i])
            assert terms[index.col("form")[i]] in normalize_text(text[s:e])
    # d3: العِرَاقِ والـــعـراق -- the spans hold the diacritics and the tatweels as written
    sel = np.flatnonzero(index.col("doc") == 2)[:2]
    text = text_of("d3")
    assert [text[index.col("start")[i]:index.col("end")[i]] for i in sel] == ["العِرَاقِ", "والـــعـراق"]


def test_positions_and_lines(index):
    doc, pos, line = index.col("doc"), index.col("pos"), index.col("line")
    d1 = np.flatnonzero(doc == 0)
    assert pos[d1].tolist() == list(range(len(d1)))
    forms = _forms(index, 0)
    # title on line 0, the blank line is line 1, the body's two lines are 2 and 3
    assert line[d1[forms.index("وزير")]] == 0
    assert line[d1[forms.index("اكد")]] == 2
    assert line[d1[forms.index("وقال")]] == 3
    docs = index.docs
    assert docs["first"].tolist() == [0, int((doc == 0).sum()), int((doc <= 1).sum())]
    assert docs["n_words"].tolist() == [21, 19, 6]  # word tokens (punctuation left out): counted in the fixture


def test_clitic_and_stem_columns(index):
    terms = index.term_list
    forms = _forms(index, 0)
    d1 = np.flatnonzero(index.col("doc") == 0)

    def cols(form):
        i = d1[forms.index(form)]
        return terms[index.col("clitic")[i]], terms[index.col("stem")[i]]

    assert cols("للعراق") == ("عراق", "عراق")          # لل = ل + ال
    assert cols("الوزير") == ("وزير", "وزير")
    assert cols("ووزير") == ("وزير", "وزير")            # bare و stripped: وزير is as frequent as ووزير here
    assert cols("الخارجيه") == ("خارجيه", "خارج")       # the stemmer saw الخارجية (ة kept): nisba ية removed
    assert cols("يدعم") == ("يدعم", "يدعم")


def test_stems_are_the_light_preprocessors():
    """The stem column equals ArabicPreprocessor(stemmer='light') fitted on the same texts (its tokens are the
    index's word and number tokens: it drops punctuation)."""
    from arabic_news.text.preprocess import ArabicPreprocessor
    from arabic_news.text.tokenize import EMIT_CHARS

    frame = article_frame()
    texts = [text_of(d) for d, *_ in ARTICLES]
    pre = ArabicPreprocessor(stemmer="light", remove_stopwords=False, min_token_len=0, keep_digits=True)
    expected = pre.fit_transform(texts)
    index = TokenIndex.from_frame(frame)
    terms = index.term_list
    for row in range(len(texts)):
        sel = np.flatnonzero(index.col("doc") == row)
        got = [terms[index.col("stem")[i]] for i in sel
               if not (len(terms[index.col("form")[i]]) == 1 and terms[index.col("form")[i]] in EMIT_CHARS)]
        assert got == expected[row]


def test_term_flags(index):
    is_word, is_stop = index.term_array("is_word"), index.term_array("is_stop")
    assert is_word[index.term_id("العراق")] and not is_stop[index.term_id("العراق")]
    assert is_word[index.term_id("في")] and is_stop[index.term_id("في")]
    assert not is_word[index.term_id("،")] and not is_word[index.term_id(".")]
    assert is_word[index.term_id("2021م")] and is_word[index.term_id("NATO")]
    assert index.term_id("غير موجود") is None


def test_built_once_beside_the_corpus_and_read_lazily(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    corpus = tmp_path / "corpus"
    write_corpus(corpus)
    path = build_index(corpus)
    assert path.parent == corpus / "explore_index" and path.name.endswith(f"-v{ix.INDEX_VERSION}")
    meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    from arabic_news.corpus.partitioned import file_sha256

    assert meta["corpus_sha256"] == file_sha256(corpus / "articles.parquet")
    assert path.name.startswith(meta["corpus_sha256"][:16])
    stamp = (path / "tokens.parquet").stat().st_mtime_ns
    assert build_index(corpus) == path and (path / "tokens.parquet").stat().st_mtime_ns == stamp  # not rebuilt
    import os

    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o777 & ~mask  # readable like any folder the user creates
    assert (path / "tokens.parquet").stat().st_mode & 0o777 == 0o666 & ~mask
    ix._OPEN.clear()
    idx = open_index(corpus)
    assert idx._cols == {}                 # nothing read yet
    assert len(idx.col("form")) == idx.n_tokens and set(idx._cols) == {"form"}
    assert open_index(corpus) is idx       # one open index per corpus and process
    assert idx.texts([2])[2] == text_of("d3")


def test_a_changed_corpus_gets_a_new_index(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    corpus = tmp_path / "corpus"
    write_corpus(corpus)
    old = build_index(corpus)
    frame = article_frame().head(2)
    import pyarrow as pa
    import pyarrow.parquet as pq

    from arabic_news.corpus.schema import ARTICLE_SCHEMA

    frame["n_tokens"] = frame["n_tokens"].astype("int32")
    pq.write_table(pa.Table.from_pandas(frame, schema=ARTICLE_SCHEMA, preserve_index=False),
                   corpus / "articles.parquet")
    new = build_index(corpus)
    assert new != old and not old.exists()
    ix._OPEN.clear()
    assert open_index(corpus).n_docs == 2


def test_unwritable_corpus_folder_uses_the_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    corpus = tmp_path / "corpus"
    write_corpus(corpus)
    (corpus / "explore_index").write_text("a file where the index folder would go", encoding="utf-8")
    path = build_index(corpus)
    assert path.is_relative_to(tmp_path / "cache" / "explore_index")
    ix._OPEN.clear()
    assert open_index(corpus).n_docs == 3


def test_missing_corpus_is_an_explore_error(tmp_path):
    with pytest.raises(ix.ExploreError, match="arabic-news ingest"):
        build_index(tmp_path / "nothing")
