"""A tiny hand-written corpus for the exploration tests (texts written for this project).

Article texts (title, blank line, body lines) and what they hold for the tests:

d1 (alpha, 2021-02-16)  وزير الخارجية يدعم العراق
                        أكد أمين عام حلف شمال الأطلسي دعمه للعراق.
                        وقال الوزيرُ إن للوزير دوراً مهماً، ووزير الدفاع وصل.
d2 (beta, 2021-02-23)   زيارة لحلف شمال الأطلسي
                        زار الوزير مقر الحلف، وبالعراق تعاون مع العراقيين.
                        والزير قديم في 2021م وفي NATO أيضاً.
d3 (beta, 2021-03-08)   العِرَاقِ والـــعـراق            (diacritics; tatweel)
                        وزيرها يزور العراق… نعم        (an ellipsis that normalises to three full stops)

No article is dated in the week of 2021-03-01: a gap for the trend tests.
"""
from __future__ import annotations

import pandas as pd

ARTICLES = [
    ("d1", "alpha", "2021-02-16", "وزير الخارجية يدعم العراق",
     "أكد أمين عام حلف شمال الأطلسي دعمه للعراق.\nوقال الوزيرُ إن للوزير دوراً مهماً، ووزير الدفاع وصل."),
    ("d2", "beta", "2021-02-23", "زيارة لحلف شمال الأطلسي",
     "زار الوزير مقر الحلف، وبالعراق تعاون مع العراقيين.\nوالزير قديم في 2021م وفي NATO أيضاً."),
    ("d3", "beta", "2021-03-08", "العِرَاقِ والـــعـراق", "وزيرها يزور العراق… نعم"),
]


def article_frame() -> pd.DataFrame:
    """The corpus as a load_articles-style frame."""
    rows = [{"doc_id": d, "title": t, "body": b, "paragraphs": b.split("\n"), "date": pd.Timestamp(day),
             "source": s, "url": None, "label": None, "path": f"{d}.txt", "n_tokens": 0,
             "near_duplicate_of": None, "encoding": "utf-8"} for d, s, day, t, b in ARTICLES]
    return pd.DataFrame(rows)


def text_of(doc_id: str) -> str:
    """The article text (title, blank line, body) of one article."""
    for d, _, _, t, b in ARTICLES:
        if d == doc_id:
            return f"{t}\n\n{b}"
    raise KeyError(doc_id)


def write_corpus(folder) -> None:
    """Write the corpus as an ingested folder (articles.parquet with the canonical schema)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from arabic_news.corpus.schema import ARTICLE_SCHEMA

    folder.mkdir(parents=True, exist_ok=True)
    frame = article_frame()
    frame["n_tokens"] = frame["n_tokens"].astype("int32")
    pq.write_table(pa.Table.from_pandas(frame, schema=ARTICLE_SCHEMA, preserve_index=False),
                   folder / "articles.parquet")
