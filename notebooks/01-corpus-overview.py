# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Corpus overview
#
# What the corpus holds before any modelling: how many articles each outlet published and when (with the
# gaps in the collection), how long the articles are, what the ingest step loaded, set aside as duplicates
# or rejected (and why), which words are most frequent before and after Arabic normalisation, and how the
# vocabulary follows Zipf's law.

# %% tags=["parameters"]
corpus_dir = ""    # an ingested corpus folder (articles.parquet); if empty, the small fixed development sample
sample_size = 300  # number of articles to analyse, drawn with `seed`; 0 means all
seed = 42          # seed of the sample
output_dir = ""    # folder for the result tables (CSV); if empty, they are not written

# %% tags=["hide"]
import matplotlib.pyplot as plt
from IPython.display import HTML, display

from arabic_news import overview, plots, reports
from arabic_news.corpus.store import AnalysisStore

plots.setup_matplotlib()
corpus_path, articles = reports.load_corpus(corpus_dir, sample_size=sample_size, seed=seed)
ingest_report = overview.read_ingest_report(corpus_path)
tables = {}

# %% [markdown]
# ## The corpus at a glance
#
# How many articles, from how many outlets, over which period; then what a reader must keep in mind before
# comparing counts: days without any article (gaps in the collection), outlets covered on only a few days,
# articles without a date or an outlet.

# %%
# NBVAL_CHECK_OUTPUT
print(overview.describe_corpus(articles))

# %% tags=["hide"]
note = overview.metadata_note(articles)
notes = ([note] if note else []) + overview.coverage_warnings(articles)
display(HTML(overview.notes_html(notes or ["Every article has an outlet and a date, and every day of the "
                                           "period has data."])))

# %% [markdown]
# ## Articles by outlet
#
# Number of articles per outlet, their share of the corpus, the number of tokens they contribute, the number
# of days with at least one article and the first and last publication dates.

# %%
by_source = overview.articles_by_source(articles)
tables["articles_by_source"] = by_source
if (by_source.index == overview.UNKNOWN_SOURCE).all():
    print(f"Articles by outlet need outlets (the source column); none of the {len(articles):,} articles has one.")
else:
    shown = by_source.set_index("outlet")
    display(reports.styled_table(shown, caption="المقالات حسب المصدر"))
    plots.bar_counts(shown["articles"], title="عدد المقالات حسب المصدر", xlabel="عدد المقالات")
    plt.show()

# %% [markdown]
# ## Articles over time
#
# Dated articles per day and outlet (the largest outlets get their own line, the rest are summed). Days on
# which no article at all is dated are gaps in the collection, not quiet days: the lines break there and the
# day is shaded. An outlet's line starts at its first and ends at its last dated article.

# %%
by_date = overview.articles_by_date(articles, freq="D")
tables["articles_by_date"] = by_date
if len(by_date):
    per_day = by_date.sum(axis=1, min_count=1)
    print(f"from {by_date.index.min():%Y-%m-%d} to {by_date.index.max():%Y-%m-%d}: {len(by_date)} days, "
          f"{int(per_day.notna().sum())} with data; busiest day {per_day.idxmax():%Y-%m-%d} "
          f"({int(per_day.max()):,} articles)")
    plots.timeseries_by_outlet(by_date, title="عدد المقالات يومياً حسب المصدر", ylabel="عدد المقالات",
                               labels={s: overview.outlet_display_name(s) for s in by_date.columns})
    plt.show()
else:
    print(f"Articles over time need dates; none of the {len(articles):,} articles has one.")

# %% [markdown]
# ## Article lengths
#
# Tokens per article (camel-tools word tokens, as counted at ingestion) and paragraphs per article; the
# percentiles are lengths of actual articles.

# %%
lengths = overview.article_lengths(articles)
length_summary = overview.length_summary(lengths)
tables["length_summary"] = length_summary
display(reports.styled_table(length_summary))
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained")
plots.length_histogram(lengths["n_tokens"], log_x=True, title="طول المقالات", xlabel="عدد الكلمات في المقالة", ax=ax1)
plots.length_histogram(lengths["n_paragraphs"], bins=30, clip_quantile=0.99, title="عدد الفقرات",
                       xlabel="عدد الفقرات في المقالة", ax=ax2)
plt.show()

# %% [markdown]
# ## Ingest outcomes: duplicates and rejects
#
# Every input file or record of the corpus appears once in `ingest_report.csv` as loaded, duplicate (same
# normalised body as a kept article), rejected (with the reason) or ignored (not an article); loaded articles
# that look like near duplicates of another are kept but flagged. Below: counts by kind of reason, and the
# first few duplicates and near duplicates shown by headline beside the article they repeat. When the
# notebook analyses a sample, these counts describe the whole corpus.

# %%
# NBVAL_CHECK_OUTPUT
status_counts = overview.ingest_status_counts(ingest_report)
tables["ingest_status"] = status_counts
print(overview.ingest_sentence(status_counts))

# %% tags=["hide"]
from arabic_news.corpus import load_articles

headlines = load_articles(corpus_path, columns=["doc_id", "title", "source"])  # the whole corpus, not the sample
for status, label in [("rejected", "Rejected inputs"), ("duplicate", "Exact duplicates (left out)"),
                      ("loaded", "Near duplicates (kept, flagged)")]:
    reasons = overview.ingest_reasons(ingest_report, status, drop_empty=True)
    if reasons.empty:
        print(f"{label}: none.")
        continue
    print(f"{label}: {int(reasons['inputs'].sum()):,}; the first five:")
    if status == "rejected":
        display(reports.styled_table(reasons))  # by kind of reason, with an example reason of each kind
        examples = overview.rejected_examples(ingest_report, n=5, corpus_dir=corpus_path)
    else:
        kind = "exact" if status == "duplicate" else "near"
        examples = overview.duplicate_examples(ingest_report, headlines, kind=kind, n=5, corpus_dir=corpus_path)
    display(reports.styled_table(examples, index=False, precision=2))

# %% [markdown]
# ## Most frequent words before and after normalisation
#
# Word tokens (punctuation and numbers left out) of titles and bodies, counted three ways: as written,
# after normalisation (diacritics and tatweel removed; alef, alef maksura and teh marbuta unified), and
# after normalisation without stop words.

# %%
texts = (articles["title"].fillna("") + "\n" + articles["body"].fillna("")).tolist()
counters = overview.corpus_frequency_lists(texts, articles["doc_id"].astype(str), store=AnalysisStore(corpus_path))
raw_counts, norm_counts = counters["as written"], counters["normalised"]
top = overview.top_tokens(counters, k=20)
tables["top_tokens"] = top
display(reports.rtl_table(top, caption="الكلمات الأكثر تكراراً"))

# %% [markdown]
# Normalisation shrinks the vocabulary: spellings that differ only in diacritics, tatweel or letter variants
# become one type. The table counts tokens, types and hapax legomena (types seen once); the second table
# shows the normalised forms that merge the most frequent spellings.

# %%
vocabulary = overview.vocabulary_summary(counters)
tables["vocabulary"] = vocabulary
display(reports.styled_table(vocabulary, precision=4))
merges = overview.normalisation_merges(raw_counts, k=15)
tables["normalisation_merges"] = merges
if merges.empty:
    print("normalisation merges no spellings in this corpus")
else:
    display(reports.rtl_table(merges, index=False, caption="الصيغ التي يوحّدها التطبيع"))

# %% [markdown]
# ## Zipf's law
#
# Rank against frequency on log-log axes, before and after normalisation; the dotted line has slope -1.

# %%
plots.zipf_plot({"قبل التطبيع": list(raw_counts.values()), "بعد التطبيع": list(norm_counts.values())},
                title="قانون زيبف: الرتبة والتكرار")
plt.show()

# %% tags=["hide"]
written = overview.export_tables(tables, output_dir)
print(f"{len(written)} table(s) written to {output_dir}" if written else "tables not exported (output_dir is empty)")

# %% tags=["remove_cell"]
# Key results for index.html (arabic_news.reports.findings: plain data, escaped by the index); never shown.
import pandas as pd

_by_source = tables.get("articles_by_source")
_dated = pd.to_datetime(articles["date"]).dropna() if "date" in articles else pd.Series(dtype="datetime64[ns]")
reports.write_findings(output_dir, "overview", {
    "n_articles": len(articles),
    "description": overview.describe_corpus(articles),
    "outlets": [] if _by_source is None else [
        {"outlet": str(source), "name": str(row["outlet"]), "articles": int(row["articles"]),
         "share_pct": float(row["share_pct"]), "days": int(row["days"])}
        for source, row in _by_source.iterrows() if source != overview.UNKNOWN_SOURCE],
    "n_without_outlet": 0 if _by_source is None or overview.UNKNOWN_SOURCE not in _by_source.index
    else int(_by_source.loc[overview.UNKNOWN_SOURCE, "articles"]),
    "first_date": _dated.min() if len(_dated) else None,
    "last_date": _dated.max() if len(_dated) else None,
    "n_undated": len(articles) - len(_dated),
    "coverage_warnings": list(globals().get("notes") or []),
})
