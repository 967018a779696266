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
# denial cues, number and actor mismatch), after a boosted-trees stage that separates related from unrelated
# articles; it reads only the article's sentences most similar to the claim — the *evidence*. It is the full
# model, trained once on all of Baly et al.'s claim-article pairs and kept in `data/models/` with its reliability
# thresholds (below); the first run trains it and cross-validates it (minutes, with progress bars), every later
# run reuses both.

# %% tags=["parameters"]
corpus_dir = ""    # an ingested corpus folder (articles.parquet); if empty, the small fixed development sample
sample_size = 300  # number of articles to analyse, drawn with `seed`; 0 means all
seed = 42          # seed of the sample
claims_file = ""   # claims: YAML, CSV or JSON Lines (id, claim, period); if empty, data/claims/example_claims.yaml
output_dir = ""    # folder for the result tables (CSV); if empty, they are not written
precision = 0.70   # a stance label is shown only where its cross-validated precision reaches this
max_per_claim = 2000  # hard cap on the articles classified per claim (reported when reached)

# %% tags=["hide"]
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from arabic_news import config, overview, plots, reports
from arabic_news.actors.gazetteer import load_gazetteer
from arabic_news.corpus.store import AnalysisStore
from arabic_news.corpus.outlets import outlet_display_name
from arabic_news.reports.tables import say, show
from arabic_news.stance.analyses import cached_actor_tone, cached_claim_tracking, file_hash
from arabic_news.stance.calibration import get_claim_tracking_model
from arabic_news.stance.claims import claim_label, read_claims
from arabic_news.stance.models import default_model_path
from arabic_news.stance.reliability import STANCE_LABELS
from arabic_news.stance.tone import ToneScorer, aggregate_tone, load_lexicon, plot_tone

plots.setup_matplotlib()
corpus_path, articles = reports.load_corpus(corpus_dir, sample_size=sample_size, seed=seed)
claims_path = Path(claims_file) if claims_file else config.DATA_DIR / "claims" / "example_claims.yaml"
store = AnalysisStore(corpus_path)
sample_key = {"sample_size": int(sample_size), "seed": int(seed), "n_articles": len(articles)}
tables = {}

# %% [markdown]
# ## 1. Claims in the corpus
#
# For each claim of the claims file: how many articles of the corpus report on it, and how many of those support
# it, dispute it, or discuss it without taking a side — by outlet. A stance is given only where the model is
# right often enough (read on for how to read the figures); otherwise the article counts as related with an uncertain stance.

# %% tags=["hide"]
claims = read_claims(claims_path)
claims["claim_label"] = claim_label(claims)
claim_model, origin, reliability = get_claim_tracking_model(precision=precision, seed=seed)
thresholds = reliability.thresholds
shown = thresholds.shown_labels()
tracking = cached_claim_tracking(store, claims, articles, claim_model, params=sample_key,
                                 claims_hash=file_hash(claims_path), model_hash=file_hash(default_model_path("claim")),
                                 reliability=reliability, max_per_claim=max_per_claim)
by_claim = tracking.by_claim
tables["claims_by_claim"] = by_claim
tables["claims_matches"] = tracking.matches
tables["claims_by_outlet"] = tracking.by_outlet
tables["claims_by_day"] = tracking.by_day
labels = dict(zip(claims["claim_id"], claims["claim_label"]))


def _pct(share, lo, hi) -> str:
    return "–" if pd.isna(share) else f"{100 * share:.1f}% [{100 * lo:.1f}–{100 * hi:.1f}]"


# %% tags=["hide"]
# NBVAL_CHECK_OUTPUT
print(f"{len(claims)} claims from {claims_path.name}; {int(by_claim['applies'].sum())} apply to this corpus")

# %% tags=["hide"]
for note in by_claim.loc[~by_claim["applies"], "period_note"]:
    say(reports.md_escape(note))
applied = by_claim[by_claim["applies"]]
if len(applied):
    cols = {"claim_label": "claim", "n_classified": "articles classified", "n_related": "related",
            "related": "share of the corpus related [95% CI]",
            **{f"n_{lab}": lab for lab in shown}, "n_uncertain": "related, stance uncertain"}
    view = applied.assign(related=[_pct(*r) for r in applied[["related_share", "related_lo", "related_hi"]]
                                   .itertuples(index=False)])
    show(view[list(cols)].rename(columns=cols), highlight="related")
    for r in applied.itertuples(index=False):
        parts = [f"{getattr(r, 'n_' + lab):,} {lab}" for lab in shown] + [f"{r.n_uncertain:,} with an uncertain stance"]
        cap_note = (f" ({r.n_candidates:,} passed the retrieval cut-off; the {max_per_claim:,} best were classified)"
                  if r.capped else "")
        say(f"**{reports.md_escape(r.claim_label)}** — {r.n_related:,} of {r.n_articles:,} articles are related "
                    f"to the claim ({_pct(r.related_share, r.related_lo, r.related_hi)}){cap_note}: "
                    + ", ".join(parts) + ".")
    if not applied[[f"n_{lab}" for lab in shown]].to_numpy().sum():
        say("No related article of this corpus reaches the threshold of a stance label"
            + (f" ({', '.join(shown)})" if shown else "") + ": the model cannot say, at the stated precision, "
            "whether these articles support the claims or dispute them. Their number is the finding; their stance "
            "needs reading (the evidence is below).")
else:
    say("No claim of the claims file applies to this corpus.")

# %% [markdown]
# By outlet: the related articles of each claim, split by the stance shown (only labels that pass the precision
# bar) and "uncertain"; the share is of the outlet's articles in the corpus.

# %% tags=["hide"]
by_outlet = tracking.by_outlet
if len(by_outlet) and by_outlet["n_related"].sum():
    o = by_outlet[by_outlet["n_related"] > 0].copy()
    o["claim"] = o["claim_id"].map(labels)
    o["outlet"] = [outlet_display_name(s) for s in o["source"]]
    o["related (share of outlet)"] = [f"{n:,} · {_pct(s, lo, hi)}" for n, s, lo, hi in
                                      o[["n_related", "related_share", "related_lo", "related_hi"]].itertuples(index=False)]
    cols = ["claim", "outlet", "n_articles", "related (share of outlet)", *[f"n_{lab}" for lab in shown], "n_uncertain"]
    show(o[cols].rename(columns={"n_articles": "outlet's articles", "n_uncertain": "uncertain",
                                         **{f"n_{lab}": lab for lab in shown}}))
    stack = o.assign(label=o["claim"] + " · " + o["outlet"]).set_index("label")[[*[f"n_{lab}" for lab in shown],
                                                                                   "n_uncertain"]]
    stack.columns = [*shown, "uncertain"]
    stack = stack.loc[stack.sum(axis=1).sort_values().index[-25:]]
    colours = {"agree": "#2a9d8f", "disagree": "#e76f51", "discuss": "#e9c46a", "uncertain": "#bbbbbb"}
    ax = stack.plot.barh(stacked=True, figsize=(8, 0.3 * len(stack) + 1.5), color=[colours[c] for c in stack.columns])
    ax.set_xlabel("related articles")
    ax.set_ylabel("")
    ax.set_title("المقالات المرتبطة بكل ادعاء حسب المصدر", loc="right")
    plt.show()
else:
    say("No article of this corpus was found related to any claim.")

# %% [markdown]
# Over time: related articles per day for each claim.

# %% tags=["hide"]
by_day = tracking.by_day
if len(by_day) and by_day["n_related"].sum():
    days = by_day[(by_day["day"] != "undated") & (by_day["n_related"] > 0)]
    if len(days):
        pivot = days.assign(claim=days["claim_id"].map(labels)).pivot_table(
            index="day", columns="claim", values="n_related", aggfunc="sum", fill_value=0)
        pivot.index = pd.to_datetime(pivot.index)
        ax = pivot.plot(figsize=(8, 3.5), marker=".", linestyle="-")
        ax.set_ylabel("related articles per day")
        ax.set_xlabel("")
        plt.show()

# %% [markdown]
# The evidence: for every claim, the three related articles the model finds most related, with their headline,
# outlet and date next to the sentences the model read.

# %% tags=["hide"]
m = tracking.matches
if len(m) and (m["stance"] != "unrelated").any():
    ev = m[m["stance"] != "unrelated"].assign(p_related=lambda d: 1.0 - d["p_unrelated"])
    ev = ev.sort_values("p_related", ascending=False).groupby("claim_id").head(3)
    ev = ev.assign(claim=ev["claim_id"].map(labels), outlet=[outlet_display_name(s) for s in ev["source"]],
                   date=pd.to_datetime(ev["date"], errors="coerce").dt.strftime("%Y-%m-%d"),
                   evidence=ev["evidence"].astype(str).str.slice(0, 300))
    tables["claims_top_evidence"] = ev
    show(ev[["claim", "title", "outlet", "date", "stance", "evidence"]].rename(
        columns={"title": "headline", "stance": "reported as"}))

# %% [markdown]
# ### How to read it
#
# * **Related** means the model judges that the article reports on the claim's event, not merely its topic. An
#   article is counted as related only when the model's probability of "related" passes a threshold at which, on
#   held-out claims, at least the stated share of its "related" calls were right.
# * **Agree / disagree / discuss** are shown only for labels whose cross-validated precision reaches the stated
#   level, and only for articles whose probability for that label passes the label's threshold. A label that
#   never reaches it on held-out claims is never shown on this page; its articles, and all related articles below
#   their label's threshold, are **related, stance uncertain**. Read a count of, say, *agree* as "at least this
#   many articles agree, each call right about as often as the precision below"; the uncertain ones may agree,
#   disagree or discuss.
# * The shares are of all articles of the corpus (or of the outlet, or the day), with 95% Wilson intervals: they
#   describe this corpus, not a population. Only the articles that pass the retrieval cut-off are classified, so
#   about one related article in ten can be missed (below).
# * The model was trained on Baly et al.'s Arabic claims (Syrian war fact-checks, 2017), not on this corpus; how
#   well it carries over is checked by hand in the validation appendix where one exists.
#
# ### Methods: thresholds and the retrieval cut-off

# %% tags=["hide"]
table = thresholds.table()
table = table.assign(threshold=table["threshold"].map(lambda v: "never shown" if pd.isna(v) else f"{v:.3f}"))
say(f"Thresholds for a precision of at least {thresholds.precision_target:.2f}, chosen on out-of-fold "
            f"probabilities of {thresholds.n_pairs:,} claim-article pairs ({reports.md_escape(thresholds.source.get('protocol', ''))}; "
            f"at least {thresholds.min_support} predictions at a threshold). Coverage: for *related* the share of "
            "all pairs called related, for a stance the share of the related pairs given that stance "
            f"(together {100 * thresholds.coverage:.0f}% of the related pairs get a stance).")
show(table[["label", "threshold", "cv_precision", "recall", "coverage", "n_predicted"]].rename(
    columns={"cv_precision": "CV precision", "n_predicted": "predictions"}), precision=2, rtl=False)
c = reliability.cutoff
say(f"Retrieval: every article whose claim score reaches **{c['cutoff']:.3f}** is classified. The score is "
            "the article's BM25 for the claim's words divided by the BM25 of an average-length article that holds "
            "each of the claim's words once, so it is comparable between claims (1.0: as good a match as such an "
            f"article). The cut-off keeps {100 * c['recall']:.0f}% of the related pairs of Baly et al.'s data "
            f"(target {100 * c['recall_target']:.0f}%) and {100 * c['unrelated_passing']:.0f}% of its unrelated "
            f"candidates; at most {max_per_claim:,} articles per claim are classified "
            f"({int(by_claim['capped'].sum())} claim(s) hit that cap here). Claim model: {reports.md_escape(origin)}.")

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
    _findings["claims_labels_shown"] = list(shown)
    _findings["claims"] = [
        {"claim": str(r.get("claim_label") or r.get("claim") or ""), "applies": bool(r["applies"]),
         **{c: int(r[c]) if pd.notna(r.get(c)) else 0
            for c in ("n_classified", "n_related", "n_agree", "n_disagree", "n_discuss", "n_uncertain")}}
        for r in _by_claim.to_dict("records")]
reports.write_findings(output_dir, "stance", _findings)
