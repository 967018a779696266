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
# The people, organisations, countries, places, armed groups and media the articles name, ranked per type with
# sampled sentences behind every count, then compared across outlets and over time, and the pairs of actors
# that appear together more often than chance. Actors come from the project's curated gazetteer (`data/actors/`);
# a trained NER tagger lists frequent names the gazetteer lacks.
#
# How a mention is counted: the matcher works on normalised tokens, strips proclitics (و ف ب ل ك and the
# article: `وللعراق` → العراق), never matches inside a longer word and prefers the longest name (`حلف شمال
# الأطلسي` over `الأطلسي`). Nisba adjectives (`السعودي`, `العراقية`) count for their country but in their own
# column; a person's family name (`الكاظمي`) counts only after the full name in the same article; a generic word
# (`المملكة` 'the Kingdom', `الحلف` 'the Alliance') counts, as a *back-reference*, only after the actor's full
# name in the same article. The seed article read closely, mention by mention, is in the appendix
# `90-appendix-seed-article`.

# %% tags=["parameters"]
corpus_dir = ""    # an ingested corpus folder (articles.parquet); if empty, the small fixed development sample
sample_size = 300  # number of articles to analyse, drawn with `seed`; 0 means all
seed = 42          # seed of the sample, of the sampled concordances and of the network layout
output_dir = ""    # folder for the result tables (CSV); if empty, they are not written
top_n = 15         # actors shown in each ranking
concordance_actors = 3  # actors of each type shown with sampled mentions
concordance_lines = 4   # sampled mentions per actor (from different articles)
network_top_n = 30 # actors drawn in the co-occurrence network
ties_min_count = 10  # articles that must name both actors of a tie
max_actors_per_article = 30  # articles naming more actors are lists (fixtures, draws) and left out of the ties
ner_model = ""     # trained NER model file; if empty, data/models/ner_crf.model.zip
discovery_articles = 150  # articles tagged by NER for the discovery list (the CRF is the slow part)
n_jobs = 2         # worker processes for actor matching (used from 2,000 articles up; 1 for none)

# %% tags=["hide"]
import json
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from arabic_news import overview, plots, reports
from arabic_news.actors import concordance, extract, ner, network
from arabic_news.actors import tables as actor_tables
from arabic_news.actors.gazetteer import load_gazetteer
from arabic_news.actors.labels import TYPE_LABELS
from arabic_news.corpus.store import AnalysisStore
from arabic_news.reports.tables import say, show

plots.setup_matplotlib()
corpus_path, articles = reports.load_corpus(corpus_dir, sample_size=sample_size, seed=seed, paragraphs=False)
store = AnalysisStore(corpus_path)  # results computed once per corpus, reused by every page and rerun
gazetteer = load_gazetteer()
matcher = extract.corpus_matcher(gazetteer, fit=False)  # the automaton is built only when mentions are computed
mentions = extract.corpus_mentions(articles, store=store, matcher=matcher, n_jobs=n_jobs)
n_articles = len(articles)
tables = {}


# %% tags=["hide"]
n_with = int(mentions["doc_id"].nunique()) if len(mentions) else 0
say(f"**{n_articles:,} articles**; {n_with:,} of them ({n_with / max(n_articles, 1):.0%}) name at least one actor "
    f"of the gazetteer: {len(mentions):,} mentions of {mentions['actor_id'].nunique():,} actors.")

# %% [markdown]
# ## Who is named most
#
# One ranking per actor type, by the number of articles that mention the actor (an article repeating a name
# twenty times counts once); `% of articles` is the share of all articles. The mentions are split by kind:
# `by name`, `as adjective` (nisba: السعودي counts for Saudi Arabia but is not its name), `by short name`
# (people) and `back-reference` (المملكة after السعودية). Under each ranking, a few mentions of its first
# actors drawn at random (seeded, from different articles) show what the counts count.

# %% tags=["hide"]
rankings = extract.actor_rankings(mentions, gazetteer, n_documents=n_articles)
tables["actor_rankings"] = rankings
tables["actor_frequencies"] = extract.actor_frequencies(mentions, gazetteer, n_documents=n_articles)
samples = []
present = [t for t in TYPE_LABELS if (rankings["type"] == t).any()]
if not present:
    say(f"Rankings need articles that name actors of the gazetteer; none of the {n_articles:,} articles of this "
        "corpus does.")
for actor_type in present:
    say(f"### {actor_tables.type_heading(actor_type)}")
    show(actor_tables.ranking_table(rankings, actor_type, top_n), precision=1)
    first = rankings[rankings["type"] == actor_type].head(concordance_actors)
    sample = concordance.sample_concordance(mentions, articles, first["actor_id"], n=concordance_lines, seed=seed)
    samples.append(sample)
    if len(sample):
        say(f"Sampled mentions of {reports.md_escape('، '.join(first['name_ar']))}:")
        show(actor_tables.concordance_table(sample, gazetteer), highlight="mention")
tables["concordance_samples"] = pd.concat(samples, ignore_index=True) if samples else \
    concordance.sample_concordance(mentions, articles, [])

# %% [markdown]
# ## By outlet
#
# Share of each outlet's articles that name each of the most frequent actors (rows: actors, columns: outlets).
# Outlets differ in their beat: sports, economy and local news name other actors than politics.

# %% tags=["hide"]
outlets = articles["source"].dropna() if "source" in articles.columns else pd.Series(dtype=object)
overall = rankings.sort_values(["documents", "mentions", "actor_id"], ascending=[False, False, True])
if outlets.nunique() < 2:
    say(f"Comparing outlets needs articles from at least two outlets; this corpus has {outlets.nunique()} "
        f"({len(outlets):,} of its {n_articles:,} articles have an outlet: give the folder a `metadata.csv` with "
        "`file` and `source` columns, see the README).")
else:
    by_outlet = extract.frequencies_by_outlet(mentions, articles, gazetteer)
    tables["by_outlet"] = by_outlet
    share = extract.outlet_share_table(by_outlet, list(overall["actor_id"].head(15)), gazetteer)
    show(share.rename_axis("actor").reset_index(), precision=2)
    network.draw_share_heatmap(share, title="الفاعلون حسب المصدر", label="نسبة المقالات")
    plt.show()

# %% [markdown]
# ## Over time
#
# Share of each day's articles (each week's, when the corpus spans more than three months) that name the most
# frequent actors. Days without any article are gaps in the lines; undated articles are left out.

# %% tags=["hide"]
dates = articles["date"].dropna() if "date" in articles.columns else pd.Series(dtype="datetime64[ns]")
n_days = int(pd.to_datetime(dates).dt.normalize().nunique())
if n_days < 3:
    say(f"A time line needs dated articles on at least 3 days; this corpus has {len(dates):,} dated articles "
        f"on {n_days} day(s) (give the folder a `metadata.csv` with `file` and `date` columns, see the README).")
else:
    period = "day" if (dates.max() - dates.min()).days <= 92 else "week"
    by_period = extract.frequencies_by_period(mentions, articles, period, gazetteer)
    tables[f"by_{period}"] = by_period
    top_ids = list(overall["actor_id"].head(6))
    with_articles = extract.period_start(articles["date"], period).dropna().unique()
    series = 100 * extract.time_series(by_period, value="doc_share", actors=top_ids, label="name_ar",
                                       periods=with_articles, by=period)
    say(f"{len(dates):,} dated articles from {dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d} "
        f"({n_articles - len(dates):,} undated).")
    plots.timeseries_by_outlet(series, title="نسبة المقالات التي تذكر الفاعل", ylabel="% of articles", top=6)
    plt.show()

# %% [markdown]
# ## Who appears with whom
#
# Two actors are tied when articles name them together more often than their own frequencies predict. A tie
# listed here has real support: at least `ties_min_count` (10) articles naming both, a log-likelihood ratio
# G2 of at least 10.83 against independence (p < 0.001) and more articles than expected; ties are ranked by
# NPMI (1 = the two are only ever named together, 0 = as often as chance predicts). Lists that name dozens of
# countries (fixture lists, draws, results tables: more than `max_actors_per_article`, 30, actors) are left
# out, so that two small countries drawn in the same qualifying group do not pass for allies.

# %% tags=["hide"]
ties = network.strongest_ties(mentions, n_documents=n_articles, min_count=ties_min_count,
                              max_actors=max_actors_per_article)
tables["strongest_ties"] = ties
if ties.empty:
    say(f"No pair of actors passes: a tie needs at least {ties_min_count} articles naming both actors and a "
        f"significant log-likelihood ratio; this corpus has {n_articles:,} articles.")
else:
    say(f"{len(ties):,} of {ties.attrs['n_pairs']:,} co-occurring pairs pass "
        f"({ties.attrs['list_articles']:,} list article(s) left out, N = {ties.attrs['n_documents']:,}).")
    show(actor_tables.ties_table(ties, gazetteer, top_n), precision=2)

# %% tags=["hide"]
graph = network.build_network(mentions, gazetteer, n_units=max(n_articles, 1))
nodes, edges = network.network_tables(graph)
tables["network_edges"] = edges
if (edges["count"] >= 2).sum() == 0:
    say(f"A network drawing needs pairs of actors named together in at least 2 articles; this corpus has "
        f"{len(edges):,} pair(s), none in 2 articles.")
else:
    say(f"The network: the {min(network_top_n, graph.number_of_nodes())} actors named in most articles and, "
        "for each, its strongest ties by NPMI among pairs seen in at least 2 articles (edge width: articles "
        "together; colour: actor type).")
    network.draw_network(graph, top_n=network_top_n, min_count=2, seed=seed,
                         title="شبكة الفاعلين (التواجد المشترك في المقالات)")
    plt.show()

# %% [markdown]
# For comparison, the most frequent pairs (by articles together, whatever chance predicts: frequent actors
# pair with everyone) and the pairs most often named in the same sentence, a stricter notion of "together".

# %% tags=["hide"]
dyads = network.sentence_dyads(mentions)
tables["sentence_dyads"] = dyads
if edges.empty:
    say("Pairs need articles that name at least two actors; this corpus has none.")
else:
    say("**Most frequent pairs in the same article**")
    show(actor_tables.ties_table(edges.sort_values(["count", "source", "target"], ascending=[False, True, True]),
                                 gazetteer, 10, columns=("count", "npmi")), precision=2)
    if len(dyads):
        say("**Most frequent pairs in the same sentence**")
        show(actor_tables.ties_table(dyads, gazetteer, 10, columns=("count", "documents", "npmi"),
                                     count_label="sentences together"), precision=2)

# %% [markdown]
# ## Names the gazetteer lacks: NER evaluation and discovery
#
# A CRF tagger trained on CLEANANERCorp (`arabic-news actors train-ner`) tags persons, organisations and
# locations. Its scores below are on a development split carved from the training file (the official test
# split is held out). The discovery list ranks the names it finds in this corpus that are not in the
# gazetteer, with an example sentence, for a researcher to review and add.

# %% tags=["hide"]
model_path = Path(ner_model) if ner_model else ner.default_model_path()
metrics_path = model_path.with_name(model_path.name + ".metrics.json")
if model_path.is_file() and metrics_path.is_file():
    metrics = json.loads(metrics_path.read_text(encoding="utf-8"))
    say(f"Model {reports.md_code(model_path.name)}: development micro-F1 {metrics['micro_f1']:.3f} (precision "
        f"{metrics['precision']:.3f}, recall {metrics['recall']:.3f}) on {metrics['n_dev_sentences']:,} held-out "
        "sentences.")
    show(pd.DataFrame({"entity type": list(metrics.get("per_type", {})),
                       "F1": list(metrics.get("per_type", {}).values())}), precision=3)
else:
    say(f"No trained NER model at {reports.md_code(model_path)} (or no metrics file next to it): run "
        "`arabic-news actors train-ner` to train it and get its development scores.")

# %% tags=["hide"]
if model_path.is_file():
    candidates = ner.discover_candidates(articles.head(discovery_articles), gazetteer, model_path=model_path,
                                         min_count=2)
    tables["ner_candidates"] = candidates
    say(f"{len(candidates):,} candidate names in {min(discovery_articles, n_articles):,} articles "
        f"({candidates.attrs.get('n_known', 0):,} of {candidates.attrs.get('n_mentions', 0):,} entity mentions "
        "were already in the gazetteer).")
    if len(candidates):
        shown = candidates.head(top_n).assign(example=lambda d: d["examples"].map(lambda x: x[0] if x else ""))
        show(shown[["name", "type", "count", "n_docs", "example"]].rename(columns={"n_docs": "articles"}))
else:
    say("The discovery list needs the trained NER model (see above).")

# %% [markdown]
# ## How the counts are made
#
# The gazetteer: actors per type and the Arabic surface forms (names, aliases, adjectives, short forms) the
# matcher looks for, before the proclitic variants are added. Then the mentions of this corpus by kind.

# %% tags=["hide"]
counts = gazetteer.counts()
forms_per_type = pd.Series([gazetteer.actors[sf.actor_id].type for sf in gazetteer.surface_forms()]).value_counts()
gaz_summary = pd.DataFrame({"actor type": [actor_tables.type_heading(t) for t in counts],
                            "actors": list(counts.values()),
                            "surface forms": [int(forms_per_type.get(t, 0)) for t in counts]})
tables["gazetteer_summary"] = gaz_summary
show(gaz_summary)
say(f"{len(gazetteer):,} actors; the matcher's automaton holds {extract.automaton_size(matcher, store=store):,} "
    "surface strings (forms with their proclitic variants).")
kinds = actor_tables.kind_summary(mentions)
tables["mentions_by_kind"] = kinds
show(kinds)

# %% tags=["remove_cell"]
# NBVAL_CHECK_OUTPUT
texts = {d: extract.article_text(t, b) for d, t, b in zip(articles["doc_id"], articles["title"], articles["body"])}
print("every mention's offsets point at its surface form:",
      all(texts[m.doc_id][m.start:m.end] == m.surface for m in mentions.itertuples()))
types = mentions["actor_id"].map(lambda a: gazetteer.actors[a].type)
print("short names resolved to actors other than people:", int(((mentions["kind"] == "short_name")
                                                                 & (types != "person")).sum()))
print("concordance matches equal their mention:",
      all(texts[r.doc_id][r.start:r.end] == r.match for r in tables["concordance_samples"].itertuples()))

# %% tags=["hide"]
written = overview.export_tables(tables, output_dir)
say(f"{len(written)} table(s) written to {reports.md_code(output_dir)}." if written else
    "Tables not exported (`output_dir` is empty).")

# %% tags=["remove_cell"]
# Key results for index.html (arabic_news.reports.findings: plain data, escaped by the index); never shown.
_rankings = tables.get("actor_rankings")
_findings = {"n_articles": n_articles, "n_mentions": len(mentions), "rankings": {}}
for _type in ("person", "organization", "country", "place"):
    _top = (_rankings[_rankings["type"] == _type].head(5).to_dict("records")
            if _rankings is not None and len(_rankings) else [])
    _findings["rankings"][_type] = [
        {"name_ar": str(r["name_ar"]), "name_en": r["name_en"] if isinstance(r["name_en"], str) else "",
         "articles": int(r["documents"]), "share_pct": round(100.0 * float(r["doc_share"]), 1),
         "mentions": int(r["mentions"])} for r in _top]
_ties = tables.get("strongest_ties")
if _ties is not None and len(_ties):
    from arabic_news.actors.labels import actor_names

    _top_ties = _ties.head(5)
    _findings["ties"] = [{"a": a, "b": b, "articles": int(n)} for a, b, n in zip(
        actor_names(_top_ties["source"], gazetteer), actor_names(_top_ties["target"], gazetteer), _top_ties["count"])]
if not len(mentions):
    _findings["needs"] = (f"Rankings need articles that name actors of the gazetteer; none of the {n_articles:,} "
                          "articles of this corpus does.")
reports.write_findings(output_dir, "actors", _findings)
