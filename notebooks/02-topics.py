# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Topics
#
# What is this corpus about, how do its subjects rise and fall, and which outlets cover what? Topics are
# learned with `arabic_news.topics.TopicModel` (NMF, LDA, or sentence embeddings + UMAP + clustering with
# class-based TF-IDF terms, in the style of BERTopic). Coherence (NPMI, C_V) is measured against this corpus
# itself; diversity is the unique share of the topics' top-10 words.

# %% tags=["parameters"]
corpus_dir = ""      # an ingested corpus folder (articles.parquet); if empty, the small fixed development sample
sample_size = 300    # number of articles to analyse, drawn with `seed`; 0 means all
seed = 42            # seed of the sample and of every model
n_topics = 8         # k of the chosen model
topic_model = "nmf"  # the chosen model: nmf, lda or embed
preprocessing = "light"  # normalized, light (light stems) or lemma
sweep_ks = [4, 6, 8, 10]  # k values of the sweep
comparison_size = 150  # articles in the preprocessing comparison, 0 means all (qalsadi lemmas are slow)
reference_size = 3000  # articles (a seeded sample) for the k sweep and as coherence reference; 0 means all
output_dir = ""      # folder for result tables (CSV) and figures (PNG); if empty, nothing is written

# %% tags=["hide"]
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from arabic_news import plots, reports
from arabic_news.topics import (
    TopicModel,
    evaluate,
    k_sweep,
    prevalence_by_group,
    prevalence_over_time,
    topics_by_label,
)
from arabic_news.topics import plots as topic_plots

plots.setup_matplotlib()
corpus_path, articles = reports.load_corpus(corpus_dir, sample_size=sample_size, seed=seed)
texts = (articles["title"].fillna("") + "\n" + articles["body"].fillna("")).tolist()
titles = articles["title"].fillna("").tolist()
min_df = 2 if len(articles) < 2000 else 5
tables, figures = {}, {}  # written to output_dir at the end


# %%
# NBVAL_CHECK_OUTPUT
print(f"{len(articles):,} articles from {articles['source'].nunique()} outlets")

# %% [markdown]
# ## Preprocessing: normalised forms, light stems or lemmas?
#
# The same NMF model (k = 6) on three versions of the text: normalised surface forms, light stems and
# lemmas (qalsadi; stop words removed in all three), on the first `comparison_size` articles of the sample
# (lemmatisation is slow). Each version's coherence is computed on its own tokens, so the columns compare how
# well each representation groups words that co-occur in this corpus; the vocabulary size shows how much each
# one merges.

# %%
subset = texts[:comparison_size] if comparison_size else texts
rows = []
for prep in ("normalized", "light", "lemma"):
    model = TopicModel(model="nmf", n_topics=6, preprocessing=prep, seed=seed, min_df=2)
    tokens = model.preprocess(subset)
    model.fit(subset, tokens=tokens)
    scores = evaluate(model, tokens)
    rows.append({"preprocessing": prep, "articles": len(subset), "vocabulary": len(model.vocabulary_),
                 **scores, "example topic": model.topic_labels_[0]})
prep_table = pd.DataFrame(rows).set_index("preprocessing")
tables["preprocessing_comparison"] = prep_table
display(reports.styled_table(prep_table, precision=3))

# %%
# NBVAL_CHECK_OUTPUT
print(f"{len(prep_table)} preprocessing variants compared on {int(prep_table['articles'].iloc[0])} articles")

# %% [markdown]
# ## Choosing k
#
# NMF on the chosen preprocessing for each k, three runs each, every run on a different random 80% of the
# articles (seeded): mean coherence and diversity, and stability (mean best-match Jaccard overlap of the
# top-10 terms between the runs; 1 = the same topics whichever articles were drawn). A good k has high
# coherence and stability without losing diversity. On a large corpus the sweep and the coherence reference
# use a seeded sample of `reference_size` articles (coherence counts word co-occurrences in sliding windows
# over every token, the slow part); smaller corpora are used whole.

# %%
base = TopicModel(model="nmf", preprocessing=preprocessing, min_df=min_df)
tokens = base.preprocess(texts)
reference = reports.sample_positions(len(texts), reference_size, seed=seed)
ref_texts, ref_tokens = [texts[i] for i in reference], [tokens[i] for i in reference]
print(f"k sweep and coherence reference on {len(reference):,} of {len(texts):,} articles")
sweep = k_sweep(base, ref_texts, sweep_ks, seeds=[seed, seed + 1, seed + 2], tokens=ref_tokens)
tables["k_sweep"] = sweep.drop(columns="fit_time")  # wall times vary from run to run: shown, not exported
display(reports.styled_table(sweep.set_index("k"), precision=3))
figures["k_sweep"] = topic_plots.sweep_plot(sweep, title="اختيار عدد المواضيع").figure
plt.show()

# %% [markdown]
# ## The topics
#
# The chosen model: each topic's label (its three top terms), size (articles whose dominant topic it is),
# top terms and the titles of its most representative articles.

# %%
model = TopicModel(model=topic_model, n_topics=n_topics, preprocessing=preprocessing, seed=seed, min_df=min_df)
model.fit(texts, titles=titles, tokens=tokens)
doc_topic = model.doc_topic_  # NMF/LDA: topic weights of each article; embed: its cluster (one-hot)
metrics = evaluate(model, ref_tokens)
print(", ".join(f"{k} {v:.3f}" for k, v in metrics.items()))

# %%
# NBVAL_CHECK_OUTPUT
print(f"{model.n_topics_} topics; {int(model.topic_sizes_.sum())} of {len(articles)} articles have a dominant topic")

# %%
for t, (label, size) in enumerate(zip(model.topic_labels_, model.topic_sizes_)):
    print(f"{t:>2}  {size:>4}  {label}")

# %%
topics = model.topics_table()
tables["topics"] = topics
display(reports.rtl_table(topics, index=False, caption="المواضيع"))

# %%
figures["topic_terms"] = topic_plots.topic_terms_grid(model.topic_terms_, model.topic_term_weights_,
                                                     labels=model.topic_labels_, title="أهم كلمات كل موضوع")
plt.show()

# %% [markdown]
# ## Topics over time
#
# Share of each topic per week (mean topic weight of the week's articles), with 95% bootstrap bands
# (articles resampled within each week, 200 draws, seeded). Undated articles are left out and counted.

# %%
over_time = prevalence_over_time(doc_topic, articles["date"], freq="week", n_boot=200, seed=seed,
                                 topic_labels=model.topic_labels_)
tables["prevalence_over_time"] = over_time
print(f"{over_time['period'].nunique()} weeks, {over_time.attrs['n_undated']} undated articles left out")
if len(over_time):
    figures["prevalence_over_time"] = topic_plots.prevalence_lines(over_time, title="حصة المواضيع أسبوعياً").figure
    plt.show()

# %% [markdown]
# ## Topics by outlet
#
# Share of each topic in each outlet's articles (percent; rows sum to 100), with bootstrap bands in the table.

# %%
by_outlet = prevalence_by_group(doc_topic, articles["source"], n_boot=200, seed=seed,
                                topic_labels=model.topic_labels_)
tables["prevalence_by_outlet"] = by_outlet
figures["prevalence_by_outlet"] = topic_plots.prevalence_heatmap(by_outlet, title="المواضيع حسب المصدر").figure
plt.show()

# %% [markdown]
# ## Topics per gold section
#
# When the corpus carries section labels (`label`), the crosstab of section against dominant topic, and the
# agreement between them (NMI, ARI).

# %%
if articles["label"].notna().any():
    crosstab = topics_by_label(model.labels_, articles["label"], topic_labels=model.topic_labels_)
    tables["topics_by_label"] = crosstab
    display(reports.styled_table(crosstab, precision=0))
    print(evaluate(model, ref_tokens, labels=articles["label"].tolist()))
else:
    print("no section labels in this corpus")

# %% [markdown]
# ## Actors per topic
#
# The actors (people, organisations, countries of the curated gazetteer) most associated with each topic:
# `weight` sums the topic's share over the articles naming the actor, `lift` compares the actor's share of
# the topic's articles with its share of all articles (> 1: over-represented in the topic).

# %%
from arabic_news.actors import load_gazetteer
from arabic_news.actors.extract import actor_names, extract_mentions
from arabic_news.topics import topic_actor_association

mentions = extract_mentions(articles)
by_topic = topic_actor_association(doc_topic, articles["doc_id"].tolist(), mentions, top_n=5, min_docs=3,
                                   topic_labels=model.topic_labels_)
by_topic.insert(3, "actor", actor_names(by_topic["actor_id"], load_gazetteer()))
tables["topic_actors"] = by_topic
display(reports.rtl_table(by_topic.drop(columns="actor_id"), index=False, precision=2,
                          caption="أبرز الفاعلين في كل موضوع"))

# %% tags=["hide"]
written = []
if output_dir:
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        table.to_csv(out / f"{name}.csv", encoding="utf-8", float_format="%.6g")
        written.append(name)
    for name, fig in figures.items():
        plots.save_figure(fig, out / f"{name}.png", close=False)
        written.append(name)
print(f"{len(written)} table(s)/figure(s) written to {output_dir}" if written else "nothing written (output_dir is empty)")
