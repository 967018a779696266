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
# What is this corpus about, how do its subjects rise and fall, and which outlets cover what? Each topic is a
# group of words that tend to appear in the same articles; every article gets a share of each topic, and its
# *dominant* topic is the one with the largest share. Topics are labelled by their three top words as written
# in the articles; you can name them yourself in a YAML file (`topic_names_file`). How the topics were found
# and how their number was chosen is at the end of the page; the methods appendix compares the topic models
# and the Arabic preprocessing (normalised forms against light stems) on a labelled news corpus (ANT).

# %% tags=["parameters"]
corpus_dir = ""      # an ingested corpus folder (articles.parquet); if empty, the small fixed development sample
sample_size = 300    # number of articles to analyse, drawn with `seed`; 0 means all
seed = 42            # seed of the sample and of every model
n_topics = 0         # number of topics k; 0 means chosen by the k sweep
topic_model = "nmf"  # the chosen model: nmf, lda or embed
preprocessing = "light"  # normalized, light (light stems) or lemma
sweep_ks = []        # k values of the sweep; empty means chosen from the corpus size (8, 10, 12, 15, 20 from 160 articles)
reference_size = 1000  # articles (a seeded sample) for the k sweep and as coherence reference; 0 means all
topic_names_file = ""  # YAML file of topic names (number: name), see data/topics/example_topic_names.yaml
output_dir = ""      # folder for result tables (CSV) and figures (PNG); if empty, nothing is written

# %% tags=["hide"]
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, Markdown, display

from arabic_news import overview, plots, reports
from arabic_news.corpus.store import AnalysisStore
from arabic_news.topics import (
    MIN_TOPIC_ARTICLES,
    k_choice_sentence,
    label_agreement,
    prevalence_by_group,
    prevalence_over_time,
    requirement,
    topics_by_label,
)
from arabic_news.topics import stored
from arabic_news.topics import plots as topic_plots
from arabic_news.topics.names import TopicNamesError, apply_topic_names, read_topic_names

plots.setup_matplotlib()
corpus_path, articles = reports.load_corpus(corpus_dir, sample_size=sample_size, seed=seed, paragraphs=False)
store = AnalysisStore(corpus_path)  # results computed once per corpus, reused by every rerun
doc_ids = articles["doc_id"].astype(str).tolist()
texts = (articles["title"].fillna("") + "\n" + articles["body"].fillna("")).tolist()
titles = articles["title"].fillna("").tolist()
too_few = requirement("topics", need=MIN_TOPIC_ARTICLES, have=len(articles))  # None: enough articles
tables, figures = {}, {}  # written to output_dir at the end


# %%
# NBVAL_CHECK_OUTPUT
print(overview.describe_corpus(articles))

# %% tags=["hide"]
# tokens, k sweep, chosen k and the fitted model, each computed once per corpus (the stance page reuses them);
# the k sweep is shown at the end of the page, under "How the number of topics was chosen"
found = None
if not too_few:
    found = stored.corpus_topics(texts, doc_ids, titles=titles, store=store, seed=seed, n_topics=n_topics,
                                 model=topic_model, preprocessing=preprocessing, sweep_ks=sweep_ks,
                                 reference_size=reference_size)
    too_few = found.too_few
if not too_few:
    sweep, k = found.sweep, found.k
    tables["k_sweep"] = sweep.drop(columns="fit_time")  # wall times vary from run to run: not shown, not exported

# %% [markdown]
# ## The topics
#
# The chosen model: each topic's label (its three top words as most often written in the articles, or the
# name you gave it), size (articles whose dominant topic it is), top words and the titles of its most
# representative articles.

# %%
if too_few:
    print(too_few)
else:
    model = found.model
    doc_topic = model.doc_topic_  # NMF/LDA: topic weights of each article; embed: its cluster (one-hot)
    labels = model.topic_labels_
    if topic_names_file:
        try:
            labels, unused = apply_topic_names(labels, read_topic_names(topic_names_file),
                                               source=Path(topic_names_file).name)
        except TopicNamesError as exc:
            unused = [f"{exc}; the topics keep their automatic labels."]
        for sentence in unused:
            print(sentence)
    metrics = stored.topic_metrics(model, found.reference_tokens, found.reference_ids, store=store)
    print("Coherence of these topics in this corpus (higher is better): "
          + ", ".join(f"{name} {value:.3f}" for name, value in metrics.items()))
    topics = model.topics_table(labels=labels)
    tables["topics"] = topics
    display(reports.rtl_table(topics.drop(columns="terms"), index=False, caption="المواضيع"))

# %%
# NBVAL_CHECK_OUTPUT
if not too_few:
    print(f"{model.n_topics_} topics; {int(model.topic_sizes_.sum())} of {len(articles)} articles have a dominant topic")

# %%
if not too_few:
    figures["topic_terms"] = topic_plots.topic_terms_grid(model.topic_words_, model.topic_term_weights_,
                                                         labels=labels, title="أهم كلمات كل موضوع")
    plt.show()

# %% [markdown]
# ## Topics over time
#
# Share of each topic per week, in percent of the week's articles (mean topic weight), with 95% bootstrap
# bands (articles resampled within each week, 200 draws, seeded). Undated articles are left out and counted.

# %%
n_dated = int(pd.to_datetime(articles["date"]).notna().sum())
if too_few:
    print(too_few)
elif not n_dated:
    print(f"Topics over time need dated articles; none of the {len(articles):,} articles has a date.")
else:
    over_time = prevalence_over_time(doc_topic, articles["date"], freq="week", n_boot=200, seed=seed,
                                     topic_labels=labels)
    tables["prevalence_over_time"] = over_time
    print(f"{over_time['period'].nunique()} weeks, {over_time.attrs['n_undated']} undated articles left out")
    figures["prevalence_over_time"] = topic_plots.prevalence_lines(over_time, title="حصة المواضيع أسبوعياً").figure
    plt.show()

# %% [markdown]
# ## Topics by outlet
#
# Share of each topic in each outlet's articles, in percent (each row sums to 100); bootstrap bands are in
# the exported table.

# %%
n_with_outlet = int(articles["source"].notna().sum())
if too_few:
    print(too_few)
elif not n_with_outlet:
    print(f"Topics by outlet need outlets (the source column); none of the {len(articles):,} articles has one.")
else:
    by_outlet = prevalence_by_group(doc_topic, articles["source"], n_boot=200, seed=seed, topic_labels=labels)
    tables["prevalence_by_outlet"] = by_outlet
    names = {s: overview.outlet_display_name(s) for s in by_outlet["group"].unique()}
    figures["prevalence_by_outlet"] = topic_plots.prevalence_heatmap(
        by_outlet, title="المواضيع حسب المصدر (% من مقالات المصدر)", row_labels=names).figure
    plt.show()

# %% tags=["hide"]
# Topics per gold section: only when the corpus carries section labels (the `label` column)
if not too_few and articles["label"].notna().any():
    display(Markdown("## Topics per gold section\n\nThe corpus carries section labels: the crosstab of section "
                     "against dominant topic, and the agreement between them (NMI, ARI)."))
    crosstab = topics_by_label(model.labels_, articles["label"], topic_labels=labels)
    tables["topics_by_label"] = crosstab
    display(reports.styled_table(crosstab, precision=0))
    agreement = label_agreement(model.labels_, articles["label"].tolist())
    print(f"NMI {agreement['nmi']:.3f}, ARI {agreement['ari']:.3f}")

# %% [markdown]
# ## Actors per topic
#
# The actors (people, organisations, countries and places of the curated gazetteer) most associated with each
# topic, among those clearly over-represented in it: `lift` compares the actor's share of the topic's articles
# with its share of all articles (only lift > 1.5 is shown), `support` counts the topic's articles that name
# the actor (at least 10), `weight` sums the topic's share over all articles naming the actor.

# %%
if too_few:
    print(too_few)
else:
    from arabic_news.actors import load_gazetteer
    from arabic_news.actors.extract import actor_names, corpus_mentions
    from arabic_news.topics import topic_actor_association

    mentions = corpus_mentions(articles, store=store)  # shared with the actors and stance pages
    by_topic = topic_actor_association(doc_topic, articles["doc_id"].tolist(), mentions, top_n=5, min_docs=3,
                                       min_lift=1.5, min_support=10, topic_labels=labels)
    by_topic.insert(3, "actor", actor_names(by_topic["actor_id"], load_gazetteer()))
    tables["topic_actors"] = by_topic
    if by_topic.empty:
        print(f"No actor is named in at least 10 articles of one topic with a lift above 1.5 "
              f"({len(articles):,} articles, {model.n_topics_} topics).")
    else:
        display(reports.rtl_table(by_topic.drop(columns="actor_id"), index=False, precision=2,
                                  caption="أبرز الفاعلين في كل موضوع"))

# %% [markdown]
# ## How the number of topics was chosen
#
# NMF on the chosen preprocessing for each k, three runs each, every run on a different random 80% of the
# articles (seeded): mean coherence and diversity, and stability (mean best-match Jaccard overlap of the
# top-10 terms between the runs; 1 = the same topics whichever articles were drawn). Unless `n_topics` fixes
# it, k is the value with the best mean of NPMI and diversity, each rescaled to 0-1 across the values tried
# (ties go to the smaller k). On a large corpus the sweep and the coherence reference use a seeded sample of
# `reference_size` articles (coherence counts word co-occurrences in sliding windows over every token, the
# slow part); smaller corpora are used whole.

# %%
if too_few:
    print(too_few)
else:
    display(HTML(overview.notes_html([k_choice_sentence(sweep, k, chosen=found.chosen)])))
    print(f"k sweep over k = {', '.join(map(str, found.ks))}; coherence reference: {found.n_reference:,} of "
          f"{len(texts):,} articles")
    display(reports.styled_table(tables["k_sweep"], index=False, precision=3))
    figures["k_sweep"] = topic_plots.sweep_plot(sweep, title="اختيار عدد المواضيع").figure
    figures["k_sweep"].axes[0].axvline(k, color="0.5", linestyle="--", linewidth=1)
    plt.show()

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

# %% tags=["remove_cell"]
# Key results for index.html (arabic_news.reports.findings: plain data, escaped by the index); never shown.
_g = globals()
_findings = {"n_articles": len(articles), "needs": _g.get("too_few") or None}
_topics, _model = tables.get("topics"), _g.get("model")
if _topics is not None and _model is not None and not _g.get("too_few"):
    _n = max(len(articles), 1)
    _findings["k"] = int(_model.n_topics_)
    if _g.get("sweep") is not None:
        _findings["k_sentence"] = k_choice_sentence(_g["sweep"], int(_model.n_topics_), chosen=not n_topics)
    _over_time = tables.get("prevalence_over_time")
    _findings["trend_period"] = "week"
    _findings["topics"] = [
        {"topic": int(row["topic"]), "label": str(row["label"]), "words": str(row["words"]),
         "articles": int(row["size"]), "share_pct": round(100.0 * float(row["size"]) / _n, 1),
         "trend": [] if _over_time is None else [
             {"period": p, "share_pct": round(100.0 * float(s), 1)}
             for p, s in _over_time.loc[_over_time["topic"] == row["topic"], ["period", "share"]].itertuples(index=False)]}
        for _, row in _topics.iterrows()]
reports.write_findings(output_dir, "topics", _findings)
