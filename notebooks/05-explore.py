# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Exploring the corpus: concordance, trends, collocates, keywords and dictionaries
#
# Counts a reader can read behind: every hit of a query as a concordance line in the words the outlet wrote,
# its frequency over time and by outlet, the words that travel with it, the keywords that set one outlet (or
# period) apart from the rest, and the themes of a user dictionary by outlet. Matching is Arabic-aware: a word
# is found with its proclitics (`وزير` finds `الوزير`, `للوزير`, `ووزير`, never `زير`), whatever its diacritics,
# tatweel or letter variants, and counts pool `العراق`, `بالعراق` and `وللعراق` as one word.

# %% tags=["parameters"]
corpus_dir = ""        # an ingested corpus folder (articles.parquet); if empty, the small fixed development sample
sample_size = 300      # number of articles to analyse, drawn with `seed`; 0 means all
seed = 42              # seed of the sample and of the concordance sample
output_dir = ""        # folder for the result tables (CSV); if empty, they are not written
query = "العراق"       # a word, a glob (عراق*), a phrase or actor:ID (e.g. actor:Q796)
compare_by = "source"  # column defining the sub-corpora of the keyness comparison (source, month, label ...)
target = ""            # the value of compare_by to compare with the rest; if empty, the largest group
dictionary_file = ""   # YAML dictionary of categories; if empty, the example data/dictionaries/news_themes.yaml

# %% tags=["hide"]
import matplotlib.pyplot as plt
import pandas as pd
import pyarrow.parquet as pq
from IPython.display import HTML, display

from arabic_news import explore, overview, plots, reports
from arabic_news.explore.subcorpus import doc_labels
from arabic_news.text import normalize_tokens

plots.setup_matplotlib()
corpus_path, articles = reports.load_corpus(corpus_dir, sample_size=sample_size, seed=seed, paragraphs=False)
# the whole ingested corpus: its index is cached beside it; a sample: an index in memory
whole = pq.read_metadata(corpus_path / "articles.parquet").num_rows == len(articles)
corpus = explore.open_index(corpus_path if whole else articles)
row_of = dict(zip(corpus.docs["doc_id"], range(corpus.n_docs)))  # doc_id -> row of the index
tables = {}

# %% [markdown]
# ## The token index
#
# Every token of every article (title, blank line, body) as the text pipeline produces it, with its span in the
# original text, its clitic-stripped form and its light stem. The concordance and every count below come
# from it.

# %%
print(f"{corpus.n_docs:,} articles, {corpus.n_tokens:,} tokens ({corpus.meta['n_words']:,} words), "
      f"{corpus.meta['n_forms']:,} distinct normalised forms")

# %%
# NBVAL_CHECK_OUTPUT
forms = corpus.term_list
doc_col, form_col = corpus.col("doc"), corpus.col("form")
texts = corpus.texts(range(min(corpus.n_docs, 50)))
same = all([forms[i] for i in form_col[doc_col == d]] == normalize_tokens(t) for d, t in texts.items())
print("index tokens equal the text pipeline's tokens (first 50 articles):", same)

# %% [markdown]
# ## Concordance
#
# Every hit of the query with eight tokens of context on each side, in the article's own spelling. Below: a
# random sample of 25 hits (drawn with `seed`), sorted by the first word after the match, as AntConc sorts.

# %%
lines = explore.kwic(corpus, query)
tables["kwic"] = lines
print(f"{len(lines):,} hits in {lines['doc_id'].nunique():,} articles for the query: {query}")
sample = explore.kwic(corpus, query, sample=25, seed=seed, sort="R1")
display(HTML(explore.kwic_html(sample, caption=f"«{query}» (عينة مرتبة حسب الكلمة التالية)")))

# %%
# NBVAL_CHECK_OUTPUT
rows = [row_of[d] for d in lines["doc_id"]]
full_texts = corpus.texts(rows)
print("every concordance line's offsets point at its match:",
      all(full_texts[r][s:e] == m for r, s, e, m in zip(rows, lines["start"], lines["end"], lines["match"])))

# %% [markdown]
# How the hits are spelled: the proclitics and spellings the clitic-aware match pooled.

# %%
spellings = lines["match"].value_counts().rename_axis("as written").to_frame("hits").head(15)
display(reports.rtl_table(spellings, caption="صيغ الكلمة كما وردت"))

# %% [markdown]
# ## Trend by outlet
#
# Hits per 10,000 words of each outlet, per day, for the outlets that use the query most. A day on which an
# outlet published nothing is a gap in its line, not a zero.

# %%
trend = explore.trend(corpus, query, by="day", group="source")
tables["trend"] = trend
top_outlets = trend.groupby("source")["hits"].sum().sort_values(ascending=False).head(6).index.tolist()
wide = trend[trend["source"].isin(top_outlets)].pivot(index="period", columns="source", values="per_10k")
plots.timeseries_by_outlet(wide.reindex(columns=top_outlets), top=None, title=f"«{query}» لكل 10,000 كلمة",
                           ylabel="لكل 10,000 كلمة")
plt.show()
overall = explore.trend(corpus, query, by="week")
display(reports.styled_table(overall.set_index("period"), precision=2))

# %% [markdown]
# ## Collocates
#
# Words within five words of the query (stop words left out), ranked by log-likelihood, with the observed and
# expected counts, mutual information and t-score; and the corpus' most strongly bound two-word expressions.

# %%
colloc = explore.collocations(corpus, query, min_freq=2, top=25)
tables["collocations"] = colloc
display(reports.rtl_table(colloc.set_index("collocate"), precision=2, caption=f"الكلمات المصاحبة لـ«{query}»"))

# %%
phr = explore.phrases(corpus, min_count=3, top=20)
tables["phrases"] = phr
display(reports.rtl_table(phr.set_index("phrase"), precision=2, caption="التعابير الثنائية"))

# %% [markdown]
# ## Keywords of one outlet
#
# Terms (clitic-stripped) over- and under-used in the target against all other articles: signed
# log-likelihood G2 (positive: over-used), Hardie's log ratio (the effect size: +1 means twice as frequent) and
# p (kept: p < 0.001, i.e. |G2| >= 10.83, seen at least 5 times; the p values are in the exported table).

# %%
if not target:
    labels = doc_labels(corpus, compare_by)
    counts = pd.Series([x for x in labels if x is not None]).value_counts()
    target = str(counts.index[0])
try:
    key = explore.keyness(corpus, by=compare_by, target=target)
    s = key.attrs["summary"]
    print(f"{compare_by} = {target}: {s['target_tokens']:,} words in {s['target_articles']:,} articles against "
          f"{s['reference_tokens']:,} words in {s['reference_articles']:,}; {s['terms_tested']:,} terms tested, "
          f"{s['keywords']:,} keywords and {s['negative_keywords']:,} negative keywords")
except explore.ExploreError as exc:  # e.g. a corpus with a single outlet: nothing to compare with
    print(f"no keyness comparison: {exc}")
    key = pd.DataFrame(columns=["term", "target_count", "reference_count", "target_per_10k", "reference_per_10k",
                                "g2", "log_ratio", "p_value"]).astype({"g2": float})
tables["keyness"] = key
shown = key.drop(columns="p_value").set_index("term")
display(reports.rtl_table(shown.head(20), precision=2, caption=f"الكلمات المميزة لـ {target}"))

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 6), layout="constrained")
over, under = key[key["g2"] > 0].head(20), key[key["g2"] < 0].tail(20)
for ax, part, sign, title, color in [(ax1, over, 1, f"أكثر استعمالاً في {target} (G2)", "#2a6f97"),
                                     (ax2, under, -1, f"أقل استعمالاً في {target} (G2)", "#b5651d")]:
    if len(part):
        plots.bar_counts(dict(zip(part["term"], sign * part["g2"])), title=title, ax=ax, color=color)
    else:  # a small sub-corpus: say so in the figure rather than leave it out
        ax.text(0.5, 0.5, "لا كلمة تبلغ p < 0.001", ha="center", va="center", transform=ax.transAxes)
        ax.set_title(title, loc="right")
        ax.set_axis_off()
plt.show()

# %% [markdown]
# ## Dictionary categories by outlet
#
# The categories of a user dictionary (by default the small example shipped with the project: economy,
# security, diplomacy, health) counted per article, then per outlet: hits per 10,000 words and the share of
# the outlet's articles with at least one hit. The second table lists each pattern's hits, to read behind a
# category's count.

# %%
dictionary = explore.load_dictionary(dictionary_file or explore.EXAMPLE_DICTIONARY)
per_doc = explore.dictionary_counts(corpus, dictionary)
tables["dictionary_by_article"] = per_doc
by_outlet = explore.dictionary_summary(per_doc, "source")
tables["dictionary_by_outlet"] = by_outlet
rates = by_outlet[["articles", "words"] + [f"{c}_per_10k" for c in dictionary.categories]]
display(reports.styled_table(rates, precision=1, caption="الفئات لكل 10,000 كلمة حسب المصدر"))
patterns = explore.dictionary_patterns(per_doc)
display(reports.rtl_table(patterns.set_index(["category", "pattern"]), caption="عدد مرات كل نمط"))

# %% tags=["hide"]
written = overview.export_tables(tables, output_dir)
print(f"{len(written)} table(s) written to {output_dir}" if written else "tables not exported (output_dir is empty)")
