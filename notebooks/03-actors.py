# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Actors: who the corpus talks about, how often, when, where and with whom
#
# Every article is matched against the project's curated actor gazetteer (`data/actors/`: countries,
# organisations, people with dated roles, armed groups, media, places). The matcher works on normalised
# tokens, strips proclitics (و ف ب ل ك and the article: `وللعراق` → العراق), never matches inside a longer
# word, prefers the longest name (`حلف شمال الأطلسي` over `الأطلسي`), maps nisba adjectives to their country
# (`العراقية` → Iraq, counted separately as *adjective* mentions) and resolves a short name (`الكاظمي`) to the
# person named in full in the same article. A trained NER tagger then lists names the gazetteer lacks.

# %% tags=["parameters"]
corpus_dir = ""    # an ingested corpus folder (articles.parquet); if empty, the small fixed development sample
sample_size = 300  # number of articles to analyse, drawn with `seed`; 0 means all
seed = 42          # seed of the sample and of the network layout
output_dir = ""    # folder for the result tables (CSV); if empty, they are not written
top_n = 20         # actors shown in the frequency tables and charts
network_top_n = 30 # actors drawn in the co-occurrence network
ner_model = ""     # trained NER model file; if empty, data/models/ner_crf.model.zip
discovery_articles = 150  # articles tagged by NER for the discovery list (the CRF is the slow part)
n_jobs = 2         # worker processes for actor matching (used from 2,000 articles up; 1 for none)

# %% tags=["hide"]
import json
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from arabic_news import config, overview, plots, reports
from arabic_news.actors import extract, ner, network
from arabic_news.actors.gazetteer import load_gazetteer
from arabic_news.actors.matcher import ActorMatcher

plots.setup_matplotlib()
corpus_path, articles = reports.load_corpus(corpus_dir, sample_size=sample_size, seed=seed)
gazetteer = load_gazetteer()
matcher = ActorMatcher(gazetteer=gazetteer, resolve_affiliations=True).fit()
tables = {}


# %% [markdown]
# ## The gazetteer
#
# Number of actors per type, with the number of Arabic surface forms (names, aliases, adjectives) the
# matcher looks for (before adding the proclitic variants).

# %%
gaz_summary = pd.DataFrame(
    [{"type": t, "actors": n,
      "surface forms": sum(1 for sf in gazetteer.surface_forms() if gazetteer.actors[sf.actor_id].type == t)}
     for t, n in gazetteer.counts().items()]
)
tables["gazetteer_summary"] = gaz_summary
display(gaz_summary)
print(f"{len(gazetteer):,} actors; the matcher's automaton holds {matcher.n_keys_:,} surface strings "
      "(forms with their proclitic variants)")

# %% [markdown]
# ## One article, read closely: the seed article
#
# The reference article of the project (a phone call between NATO's Secretary General and Iraq's Prime
# Minister, February 2021). Each row is one actor with its number of mentions, the kinds of mention and the
# surface forms as written (proclitics included). People carry their affiliations on the article's date.

# %%
seed_file = config.seed_dir() / "000_3b35e6c31fdcd92e.txt" if config.seed_dir() else None
if seed_file is not None and seed_file.is_file():
    title, body = extract.read_article(seed_file)
    seed_actors = pd.DataFrame(extract.article_actors(title, body, matcher, date="2021-02-16"))
    seed_actors["kinds"] = seed_actors["kinds"].map(lambda d: ", ".join(f"{k} {v}" for k, v in d.items()))
    seed_actors["surfaces"] = seed_actors["surfaces"].map("، ".join)
    seed_actors["affiliations"] = seed_actors.get("affiliations", pd.Series(dtype=object)).map(
        lambda x: "، ".join(extract.actor_names(x, gazetteer)) if isinstance(x, list) else "")
    display(reports.rtl_table(seed_actors[["name_ar", "name_en", "type", "mentions", "kinds", "surfaces",
                                           "affiliations"]], caption="الفاعلون في المقالة المرجعية"))
else:
    seed_actors = pd.DataFrame()
    print("the seed article (../shared/seed) is not available")

# %%
# NBVAL_CHECK_OUTPUT
if len(seed_actors):
    by_name = seed_actors.set_index("name_en")
    for person in ("Jens Stoltenberg", "Mustafa al-Kadhimi"):
        print(f"{person}: {by_name.loc[person, 'mentions']} mentions, affiliated on 2021-02-16 with "
              f"{by_name.loc[person, 'affiliations']}")

# %% [markdown]
# ## Mentions in the corpus
#
# The mentions table has one row per mention: article, actor, kind (`name`, `adjective` for a nisba such as
# العراقي, `short_name` for a family name resolved inside the article), character and token offsets into
# "title, blank line, body" and the sentence index (the title is sentence 0).

# %%
mentions = extract.extract_mentions(articles, matcher, n_jobs=n_jobs)
doc_counts = extract.document_counts(mentions)
n_with = mentions["doc_id"].nunique()
print(f"{len(articles):,} articles, {len(mentions):,} mentions of {mentions['actor_id'].nunique():,} actors; "
      f"{n_with:,} articles name at least one actor, {len(articles) - n_with:,} name none")
display(mentions["kind"].value_counts().rename("mentions").to_frame())
display(reports.rtl_table(mentions.head(10)[["doc_id", "actor_id", "kind", "surface", "sentence", "start", "end"]],
                          caption="أول عشرة أسطر من جدول الإشارات"))

# %%
# NBVAL_CHECK_OUTPUT
texts = {d: extract.article_text(t, b) for d, t, b in zip(articles["doc_id"], articles["title"], articles["body"])}
print("every mention's offsets point at its surface form:",
      all(texts[m.doc_id][m.start:m.end] == m.surface for m in mentions.itertuples()))

# %% [markdown]
# ## The most mentioned actors
#
# Mentions (all kinds) and the share of articles naming the actor at least once. Adjectives (السعودي،
# الأمريكية) are a large part of what countries get: the second table splits the counts by kind.

# %%
freq = extract.actor_frequencies(mentions, gazetteer, n_documents=len(articles))
tables["actor_frequencies"] = freq
display(reports.rtl_table(freq.head(top_n), precision=3, caption="الفاعلون الأكثر ذكراً"))
plots.bar_counts(dict(zip(freq["name_ar"].head(top_n), freq["mentions"].head(top_n))),
                 title="الفاعلون الأكثر ذكراً (عدد الإشارات)", xlabel="عدد الإشارات")
plt.show()

# %%
kinds = (doc_counts.groupby("actor_id")[["name", "adjective", "short_name"]].sum()
         .loc[freq["actor_id"].head(top_n)])
kinds.index = extract.actor_names(kinds.index, gazetteer)
tables["mentions_by_kind"] = kinds
display(reports.rtl_table(kinds, precision=0, caption="الإشارات حسب النوع: اسم، صفة نسبة، اسم مختصر"))

# %% [markdown]
# ## By outlet
#
# Share of each outlet's articles that name each of the most frequent actors (rows: actors, columns:
# outlets). Outlets differ in their beat: sports, economy and local news name other actors than politics.

# %%
by_outlet = extract.frequencies_by_outlet(mentions, articles, gazetteer)
tables["by_outlet"] = by_outlet
share = extract.outlet_share_table(by_outlet, list(freq["actor_id"].head(15)), gazetteer)
display(reports.rtl_table(share, precision=2, caption="نسبة مقالات كل مصدر التي تذكر الفاعل"))
network.draw_share_heatmap(share, title="الفاعلون حسب المصدر", label="نسبة المقالات")
plt.show()

# %% [markdown]
# ## Over time
#
# Mentions per day of the most frequent actors (undated articles are left out). On a small sample the
# daily series are noisy; `extract.frequencies_by_period(..., by="week")` or `"month"` smooths them.

# %%
by_day = extract.frequencies_by_period(mentions, articles, "day", gazetteer)
tables["by_day"] = by_day
series = extract.time_series(by_day, top=6, label="name_ar")
if len(series):
    print(f"{len(series)} days from {series.index.min():%Y-%m-%d} to {series.index.max():%Y-%m-%d}; "
          f"{int(articles['date'].isna().sum())} undated articles left out")
    plots.timeseries_by_outlet(series, title="الإشارات اليومية لأكثر الفاعلين ذكراً", ylabel="عدد الإشارات", top=6)
    plt.show()
else:
    print("no dated mentions")

# %% [markdown]
# ## Who appears with whom
#
# Document-level co-occurrence: `count` = articles naming both actors; PMI compares that with what the two
# actors' frequencies predict (N = all articles), NPMI rescales it to [-1, 1]. The drawing shows the most
# frequent actors and, for each, its strongest ties by NPMI among pairs seen at least twice (edge width =
# count). Sentence-level dyads (two actors in the same sentence) are a stricter notion of "together".

# %%
graph = network.build_network(mentions, gazetteer, n_units=len(articles))
nodes, edges = network.network_tables(graph)
print(f"{graph.number_of_nodes():,} actors, {graph.number_of_edges():,} co-occurring pairs")
network.draw_network(graph, top_n=network_top_n, min_count=2, seed=seed, title="شبكة الفاعلين (التواجد المشترك في المقالات)")
plt.show()

# %%
strong = edges[edges["count"] >= 3].sort_values(["npmi", "count"], ascending=False)
tables["network_edges"] = edges
display(reports.rtl_table(network.label_edges(edges.head(15), gazetteer), precision=2,
                          caption="أكثر الأزواج تواجداً معاً"))
display(reports.rtl_table(network.label_edges(strong.head(15), gazetteer), precision=2,
                          caption="أقوى الروابط (NPMI، ثلاث مقالات على الأقل)"))
dyads = network.sentence_dyads(mentions)
tables["sentence_dyads"] = dyads
display(reports.rtl_table(network.label_edges(dyads.head(15), gazetteer), precision=2,
                          caption="الأزواج في الجملة نفسها"))

# %% [markdown]
# ## Names the gazetteer lacks: NER evaluation and discovery
#
# A CRF tagger trained on CLEANANERCorp (`arabic-news actors train-ner`) tags persons, organisations and
# locations. Its scores below are on a development split carved from the training file (the official test
# split is held out). The discovery list ranks the names it finds in this corpus that are not in the
# gazetteer, with example sentences, for a researcher to review and add.

# %%
model_path = Path(ner_model) if ner_model else ner.default_model_path()
metrics_path = model_path.with_name(model_path.name + ".metrics.json")
if model_path.is_file() and metrics_path.is_file():
    metrics = json.loads(metrics_path.read_text(encoding="utf-8"))
    print(f"model {model_path.name}: dev micro-F1 {metrics['micro_f1']:.3f} (precision {metrics['precision']:.3f}, "
          f"recall {metrics['recall']:.3f}) on {metrics['n_dev_sentences']:,} held-out sentences")
    per_type = pd.DataFrame({"F1": metrics.get("per_type", {})})
    display(per_type)
else:
    display(Markdown(f"No trained NER model at `{model_path}` (or no metrics file next to it): run "
                     "`arabic-news actors train-ner` to train it and get its development scores."))

# %%
if model_path.is_file():
    candidates = ner.discover_candidates(articles.head(discovery_articles), gazetteer, model_path=model_path,
                                         min_count=2)
    tables["ner_candidates"] = candidates
    print(f"{len(candidates):,} candidate names in {min(discovery_articles, len(articles))} articles "
          f"({candidates.attrs.get('n_known', 0):,} of {candidates.attrs.get('n_mentions', 0):,} entity "
          "mentions were already in the gazetteer)")
    shown = candidates.head(top_n).assign(examples=lambda d: d["examples"].map(lambda x: x[0] if x else ""))
    display(reports.rtl_table(shown[["name", "type", "count", "n_docs", "examples"]], precision=0,
                              caption="أسماء يقترحها NER وليست في المعجم"))
else:
    display(Markdown("The discovery list needs the trained NER model (see above)."))

# %% tags=["hide"]
written = overview.export_tables(tables, output_dir)
print(f"{len(written)} table(s) written to {output_dir}" if written else "tables not exported (output_dir is empty)")
