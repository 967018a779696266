# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Stance and tone: claims tracked through the corpus, actors' tone by outlet
#
# Two readings of the corpus with the project's stance module (`arabic_news.stance`, command line
# `arabic-news stance`):
#
# * **claims** — for each claim of a claims file, the articles that report on it, and whether each agrees with
#   it, disagrees, or discusses it (a claim-article model trained on Baly et al. 2018);
# * **tone** — how the sentences that mention an actor sound, per outlet (a sentiment lexicon).
#
# The claim model is linear (logistic regression, class-weighted, calibrated probabilities) over character and
# word n-gram TF-IDF, multilingual USE sentence embeddings and pair features (similarity, overlap, negation and
# denial cues, number and actor mismatch); it reads only the article's sentences most similar to the claim — the
# *evidence*. It is the full model, trained once on all of Baly et al.'s claim-article pairs and kept in
# `data/models/`; the first run trains it (a few minutes, with a progress bar), every later run reuses it. How
# well it does on held-out claims, and the other stance benchmarks, are in the methods appendix.

# %% tags=["parameters"]
corpus_dir = ""    # an ingested corpus folder (articles.parquet); if empty, the small fixed development sample
sample_size = 300  # number of articles to analyse, drawn with `seed`; 0 means all
seed = 42          # seed of the sample
claims_file = ""   # YAML/CSV of claims (id, claim); if empty, data/claims/example_claims.yaml
output_dir = ""    # folder for the result tables (CSV); if empty, they are not written
top_n = 15         # articles retrieved per claim

# %% tags=["hide"]
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from arabic_news import config, overview, plots, reports
from arabic_news.actors.gazetteer import load_gazetteer
from arabic_news.corpus.store import AnalysisStore
from arabic_news.stance.analyses import cached_actor_tone, cached_claim_tracking, file_hash
from arabic_news.stance.claims import ClaimRetriever, read_claims
from arabic_news.stance.models import default_model_path, get_or_train_model
from arabic_news.stance.tone import ToneScorer, aggregate_tone, load_lexicon, plot_tone

plots.setup_matplotlib()
corpus_path, articles = reports.load_corpus(corpus_dir, sample_size=sample_size, seed=seed)
claims_path = Path(claims_file) if claims_file else config.DATA_DIR / "claims" / "example_claims.yaml"
store = AnalysisStore(corpus_path)
sample_key = {"sample_size": int(sample_size), "seed": int(seed), "n_articles": len(articles)}
tables = {}

# %% [markdown]
# ## 1. Claim tracking on the corpus
#
# The claims are Arabic sentences about events of July–August 2015 (the period SaudiNewsNet covers): the Iran
# nuclear agreement, the liberation of Aden, coalition strikes in Yemen, Turkey's strikes on ISIS, an ISIS
# mosque bombing. For each claim, articles are retrieved by BM25 over normalised tokens and by USE-embedding
# cosine, fused by reciprocal rank; the claim model then labels each retrieved article, reading only its
# sentences most similar to the claim (shown as evidence). On a corpus of more than 5,000 articles the
# embedding side re-ranks each claim's 200 best BM25 candidates instead of encoding every article (USE encodes
# some 10-25 article leads a second on one core: all of SaudiNewsNet would take tens of minutes).

# %%
# NBVAL_CHECK_OUTPUT
claims = read_claims(claims_path)
print(f"{len(claims)} claims from {claims_path.name}")
print(", ".join(claims["claim_id"]))

# %%
claim_model, origin = get_or_train_model("claim", seed=seed)
display(Markdown(f"Claim model: {reports.md_escape(origin)}."))
tracking = cached_claim_tracking(store, claims, articles, claim_model, params=sample_key,
                                 claims_hash=file_hash(claims_path), model_hash=file_hash(default_model_path("claim")),
                                 top_n=top_n, retriever=ClaimRetriever())
tables["claims_by_claim"] = tracking.by_claim
tables["claims_matches"] = tracking.matches
display(reports.styled_table(tracking.by_claim, index=False, precision=2))

# %% [markdown]
# Stance counts per outlet (related articles only: agree, disagree, discuss), and for every claim the two
# retrieved articles the model finds most related (highest 1 − P(unrelated)) with their evidence sentences.
# The claim model learnt "unrelated" from Baly et al.'s articles, which were retrieved for each claim and are
# often on the same broad topic; it therefore calls most topical-but-not-on-claim articles unrelated, and a
# random 300-article sample holds few articles on any one event: expect small counts.

# %%
by_outlet = tracking.by_outlet
tables["claims_by_outlet"] = by_outlet
if len(by_outlet):
    related = by_outlet.groupby("source")[["n_agree", "n_disagree", "n_discuss"]].sum()
    related = related[related.sum(axis=1) > 0]
    if len(related):
        ax = related.plot.barh(stacked=True, figsize=(7, 0.35 * len(related) + 1.5),
                               color=["#2a9d8f", "#e76f51", "#e9c46a"])
        ax.set_xlabel("articles (agree / disagree / discuss)")
        ax.set_ylabel("")
        ax.set_title("المواقف من الادعاءات حسب المصدر", loc="right")
        plt.show()
    else:
        print("no article was labelled agree, disagree or discuss")
shown = tracking.matches.copy()
shown["p_related"] = 1.0 - shown["p_unrelated"]
# per claim, the two retrieved articles the model finds most related to it, with their evidence sentences
shown = shown.sort_values("p_related", ascending=False).groupby("claim_id").head(2)
tables["claims_top_evidence"] = shown
display(reports.rtl_table(shown[["claim_id", "source", "date", "stance", "p_related", "p_agree", "p_disagree",
                                 "evidence"]].assign(evidence=lambda d: d["evidence"].str.slice(0, 300)),
                          index=False, precision=2))

# %% [markdown]
# ## 2. Actor tone by outlet
#
# Every actor mention (the project's gazetteer matcher) gets the tone of its sentence: lexicon hits from
# NileULex and MoArLex (read at run time, normalised like the text, proclitics stripped; MoArLex, built by
# automatic expansion and noisier, counts half), flipped when a negator occurs in the three previous tokens;
# tone = (positive − negative) / tokens × 100, as in GDELT. Checked against Mawqif's sentiment labels (see the
# methods appendix): a weak but real signal on dialectal tweets — read the outlet-level differences below as
# indicative, not as measurements of bias.

# %%
# NBVAL_CHECK_OUTPUT
lex_stats = {}
scorer = ToneScorer(lexicon=load_lexicon(stats=lex_stats)).fit()
print(f"lexicon: {lex_stats['total']:,} terms (NileULex {lex_stats['nileulex']['entries']:,}, "
      f"MoArLex adds {lex_stats['moarlex']['added']:,}; {lex_stats['moarlex']['conflicting_dropped']} "
      "MoArLex terms with both polarities dropped)")
# a negator in the 3 previous tokens flips a hit; farther away it does not (a known limit of the rule)
for sentence in ("الاتفاق ناجح", "الاتفاق غير ناجح", "لم يحقق الاتفاق أي نجاح"):
    print(sentence, "→ tone", round(scorer.score(sentence)["tone"], 1))

# %%
gazetteer = load_gazetteer()
scored = cached_actor_tone(store, articles, scorer, params=sample_key, gazetteer=gazetteer)
by_outlet_tone = aggregate_tone(scored, by="outlet")
tables["tone_by_outlet"] = by_outlet_tone
display(reports.styled_table(by_outlet_tone, index=False, precision=2))
plot_tone(by_outlet_tone, label="source", title="نبرة الجمل التي تذكر فاعلين، حسب المصدر")
plt.show()

# %% [markdown]
# Tone of the most mentioned actors, overall and per outlet (actors with at least five mentions):

# %%
names = {a.id: a.name_ar for a in gazetteer}
by_actor = aggregate_tone(scored, by="actor")
by_actor = by_actor[by_actor["n_mentions"] >= 5].head(15)
by_actor.insert(1, "name_ar", by_actor["actor_id"].map(names))
tables["tone_by_actor"] = by_actor
display(reports.styled_table(by_actor, index=False, precision=2))
actor_outlet = aggregate_tone(scored[scored["actor_id"].isin(by_actor["actor_id"].head(8))], by="actor_outlet")
if len(actor_outlet):
    actor_outlet["name_ar"] = actor_outlet["actor_id"].map(names)
    pivot = actor_outlet.pivot(index="name_ar", columns="source", values="tone")
    tables["tone_actor_outlet"] = actor_outlet
    display(reports.styled_table(pivot, precision=2))

# %% tags=["hide"]
written = overview.export_tables(tables, output_dir)
print(f"{len(written)} table(s) written to {output_dir}" if written else "tables not exported (output_dir is empty)")

# %% tags=["remove_cell"]
# Key results for index.html (arabic_news.reports.findings: plain data, escaped by the index); never shown.
_findings = {"n_articles": len(articles)}
_actor_outlet, _by_actor = tables.get("tone_actor_outlet"), tables.get("tone_by_actor")
if _by_actor is not None and len(_by_actor):
    _findings["tone_actors"] = [
        {"actor": str(r.get("name_ar") or r["actor_id"]), "tone": float(r["tone"]), "mentions": int(r["n_mentions"])}
        for r in _by_actor.head(8).to_dict("records")]
if _actor_outlet is not None and len(_actor_outlet):
    _findings["tone_by_outlet"] = [
        {"actor": str(r.get("name_ar") or r["actor_id"]), "outlet": str(r["source"]),
         "outlet_name": overview.outlet_display_name(r["source"]) if isinstance(r["source"], str) else "",
         "tone": float(r["tone"]), "mentions": int(r["n_mentions"])}
        for r in _actor_outlet.to_dict("records")]
elif not (_by_actor is not None and len(_by_actor)):
    _findings["tone_needs"] = ("Tone toward actors needs articles that name actors of the gazetteer at least five "
                               f"times; this corpus has {len(articles):,} articles.")
_by_claim = tables.get("claims_by_claim")
if _by_claim is not None:
    _findings["claims"] = [
        {"claim_id": str(r["claim_id"]), "claim": str(r.get("claim") or ""),
         **{c: int(r[c]) if pd.notna(r.get(c)) else 0
            for c in ("n_retrieved", "n_agree", "n_disagree", "n_discuss", "n_related")}}
        for r in _by_claim.to_dict("records")]
reports.write_findings(output_dir, "stance", _findings)
