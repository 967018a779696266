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
# Two readings of the corpus: which of its articles report on each claim of a claims file, and whether they support
# or dispute it; and how the sentences that name an actor sound, per actor and per outlet.
#
# * **claims** — for each claim of a claims file, how many articles of the corpus report on it, and whether they
#   support it, dispute it or discuss it — a stance is shown only where the model is validated to be right at
#   least 70% of the time; otherwise the article counts as related, with an uncertain stance;
# * **tone** — how the sentences that name an actor sound, per actor and per outlet, and which outlet differences
#   remain once each outlet's beat (the topics it covers) is taken into account.
#
# Findings come first in each section; how to read them and the methods follow.

# %% tags=["parameters"]
corpus_dir = ""    # an ingested corpus folder (articles.parquet); if empty, the small fixed development sample
sample_size = 300  # number of articles to analyse, drawn with `seed`; 0 means all
seed = 42          # seed of the sample
claims_file = ""   # claims: YAML, CSV or JSON Lines (id, claim, period); if empty, data/claims/example_claims.yaml
output_dir = ""    # folder for the result tables (CSV); if empty, they are not written
precision = 0.70   # a stance label is shown only where its cross-validated precision reaches this
max_per_claim = 2000  # hard cap on the articles classified per claim (reported when reached)
n_topics = 0       # topics of the topics page (the beat outlets are compared within); 0 means chosen by its k sweep

# %% tags=["hide"]
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from arabic_news import config, overview, plots, reports
from arabic_news.actors.gazetteer import load_gazetteer
from arabic_news.corpus.store import AnalysisStore
from arabic_news.corpus.outlets import outlet_display_name
from arabic_news.reports.benchmark_results import claims_validity_note
from arabic_news.reports.tables import say, share_text, show
from arabic_news.stance.analyses import cached_actor_tone, cached_claim_tracking, cached_tone_summary, file_hash
from arabic_news.stance.calibration import get_claim_tracking_model
from arabic_news.stance.claims import claim_label, read_claims
from arabic_news.stance.models import default_model_path
from arabic_news.stance.reliability import STANCE_LABELS
from arabic_news.stance.tone import ToneScorer, aggregate_tone, load_lexicon, plot_tone

plots.setup_matplotlib()
corpus_path, articles = reports.load_corpus(corpus_dir, sample_size=sample_size, seed=seed, paragraphs=False)
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
    view = applied.assign(related=[share_text(*r) for r in applied[["related_share", "related_lo", "related_hi"]]
                                   .itertuples(index=False)])
    show(view[list(cols)].rename(columns=cols), highlight="related")
    lines = []
    for r in applied.itertuples(index=False):
        parts = [f"{getattr(r, 'n_' + lab):,} {lab}" for lab in shown] + [f"{r.n_uncertain:,} with an uncertain stance"]
        cap_note = (f" ({r.n_candidates:,} passed the retrieval cut-off; the {max_per_claim:,} best were classified)"
                    if r.capped else "")
        # the figures first and the Arabic label last, isolated (U+2068 ... U+2069): the line reads left to right
        lines.append(f"- {r.n_related:,} of {r.n_articles:,} articles related "
                     f"({share_text(r.related_share, r.related_lo, r.related_hi)}){cap_note}: " + ", ".join(parts)
                     + f" — claim \u2068{reports.md_escape(r.claim_label)}\u2069")
    say("\n".join(lines))
    _checked = claims_validity_note(store.checksum, thresholds.precision_target)
    if _checked:
        say(f"**{_checked}**")
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
    o["related (share of outlet)"] = [f"{n:,} · {share_text(s, lo, hi)}" for n, s, lo, hi in
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
#   well it carries over to Saudi news of 2015 is checked by hand in the methods appendix ("claims and tone on
#   SaudiNewsNet, judged by hand": the precision and recall of *related* on 150 judged claim-article pairs).
#
# ### Methods: the claim model, its thresholds and the retrieval cut-off
#
# The claim model is linear (logistic regression, class-weighted, calibrated probabilities) over character and
# word n-gram TF-IDF, multilingual USE sentence embeddings and pair features (similarity, overlap, negation and
# denial cues, number and actor mismatch), after a boosted-trees stage that separates related from unrelated
# articles; it reads only the article's sentences most similar to the claim — the *evidence*. It is the full
# model, trained once on all of Baly et al.'s claim-article pairs and kept in `data/models/` with its reliability
# thresholds (below); the first run trains it and cross-validates it (minutes, with progress bars), every later
# run reuses both.

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
# How the sentences that name an actor sound, per actor and per outlet, and whether an outlet's difference
# survives once the beat is accounted for: a sports desk writes cheerful sentences whatever actor they name, so
# outlets are compared within topics. Findings first; the method, its rules and its limits follow the tables.

# %% tags=["hide"]
from arabic_news.stance.outlet_effects import outlet_effects, survival_sentence
from arabic_news.topics import dominant_topics
from arabic_news.topics import stored as stored_topics

MIN_OUTLET_SENTENCES = 10  # an outlet needs this many sentences about an actor to be compared

lex_stats = {}
scorer = ToneScorer(lexicon=load_lexicon(stats=lex_stats)).fit()
gazetteer = load_gazetteer()
names = {a.id: a.name_ar for a in gazetteer}
scored = cached_actor_tone(store, articles, scorer, params=sample_key, gazetteer=gazetteer)
ok = scored[scored["status"] == "ok"]
_sentences = ok.drop_duplicates(["doc_id", "sentence"])
_summary = cached_tone_summary(store, _sentences, scorer, params=sample_key)  # computed once per corpus
coverage, rules_effect = _summary["coverage"], _summary["rules"]

# the beat: each article's dominant topic in the topics page's model (same settings: read from the analysis store)
beat = None
_ids = articles["doc_id"].astype(str).tolist()
_texts = (articles["title"].fillna("") + "\n" + articles["body"].fillna("")).tolist()
beat_topics = stored_topics.corpus_topics(_texts, _ids, titles=articles["title"].fillna("").tolist(), store=store,
                                          seed=seed, n_topics=n_topics)
if beat_topics.model is not None:
    beat_model = beat_topics.model
    _dominant = dominant_topics(beat_model.doc_topic_)
    beat = pd.Series([beat_model.topic_labels_[t] if t >= 0 else None for t in _dominant], index=_ids)

by_actor = aggregate_tone(scored, by="actor")
by_actor = by_actor[by_actor["n_sentences"] >= 5].head(15)
by_actor.insert(1, "name_ar", by_actor["actor_id"].map(names))
tables["tone_by_actor"] = by_actor
top_actors = by_actor["actor_id"].head(8).tolist()
effects = outlet_effects(ok[ok["actor_id"].isin(top_actors)], topics=beat, min_sentences=MIN_OUTLET_SENTENCES)
outlet_names = {o: overview.outlet_display_name(o) for o in ok["source"].dropna().unique()}
tables["tone_outlet_effects"] = effects.assign(actor_name=effects["actor"].map(names),
                                               outlet_name=effects["outlet"].map(outlet_names))
actor_outlet = aggregate_tone(scored[scored["actor_id"].isin(top_actors)], by="actor_outlet")
if len(actor_outlet):
    actor_outlet["name_ar"] = actor_outlet["actor_id"].map(names)
    tables["tone_actor_outlet"] = actor_outlet

# %%
if len(by_actor):
    _top = by_actor.iloc[0]
    say(
        f"**Coverage.** {coverage['share_sentences_with_hit']:.0%} of the {coverage['n_sentences']:,} sentences that "
        f"name an actor hold at least one lexicon word ({coverage['share_words_in_hits']:.1%} of their words are "
        f"lexicon hits, {coverage['n_terms_matched']:,} distinct lexicon entries matched"
        + (f", on a seeded sample of {coverage['n_rescored']:,} sentences" if coverage.get("n_rescored", 0)
           < coverage["n_sentences"] else "")
        + "): the rest score 0, so a "
        "tone near 0 mostly means *no evaluative word the lexicon knows*, read it with `share_with_lexicon`. "
        f"The negation rules flip a lexicon word in {rules_effect['negated']:.0%} of these sentences; against a "
        f"plain lexicon count the rules change the sign of {rules_effect['sign_changed']:.1%} of them"
        + (" (same sample)" if coverage.get("n_rescored", 0) < coverage["n_sentences"] else "") + ".\n\n"
        "**Outlets, raw and within topics.** "
        + survival_sentence(effects, actor_names={k: reports.md_escape(v) for k, v in names.items()},
                            outlet_names={k: reports.md_escape(v) for k, v in outlet_names.items()}) + " "
        + (f"The beat is each article's dominant topic among the {beat_topics.k} topics of the topics page."
           if beat is not None else
           "This corpus is too small for a topic model: the differences are not adjusted for the beat.")
        + " With few articles per outlet and topic, cluster-robust intervals tend to be too narrow: treat a "
        "difference resting on a handful of articles as a lead to read, not a result."
        + (f" {len(effects.attrs['skipped'])} outlet–actor group(s) had too few sentences to be compared "
           "(listed below the table)." if len(effects.attrs.get("skipped", [])) else ""))
else:
    say("No actor of the gazetteer is named in five or more sentences of this corpus: no tone by actor.")

# %% [markdown]
# Tone toward the most named actors: the mean tone of the sentences naming each, with a 95% interval that treats
# the sentences of one article as one cluster (CR1 cluster-robust standard error, Student's t), the share of
# those sentences that carry any lexicon word, and GDELT's pooled tone (Σ positive − Σ negative words per 100
# words).

# %%
if len(by_actor):
    show(by_actor[["name_ar", "n_sentences", "n_articles", "share_with_lexicon", "mean_tone", "tone_lo",
                           "tone_hi", "tone", "share_positive", "share_negative"]], precision=2)

# %% [markdown]
# Outlet differences in tone toward each actor, in tone points from the average outlet (sum coding: each outlet
# against the unweighted mean of the outlets compared, so no outlet is hidden as the reference). **Raw**: a
# regression of sentence tone on outlet; **adjusted**: the same with topic fixed effects (outlets compared
# within topics). 95% intervals, cluster-robust by article. *Survives*: the adjusted interval excludes 0 with the
# raw difference's sign. An outlet confined to topics nobody else covers cannot be compared within topics (no
# adjusted value).

# %%
if len(effects):
    _view = tables["tone_outlet_effects"][["actor_name", "outlet_name", "n_sentences", "n_articles", "raw_diff",
                                           "raw_lo", "raw_hi", "adj_diff", "adj_lo", "adj_hi", "survives"]]
    show(_view, precision=2, highlight="adj_diff")
else:
    print("no actor is named in enough sentences by two or more outlets to compare outlets")
_skipped = effects.attrs.get("skipped", pd.DataFrame())
if len(_skipped):
    _thin = _skipped[_skipped["reason"] == "too few sentences"]
    print(f"not compared (fewer than {MIN_OUTLET_SENTENCES} sentences): " + "; ".join(
        f"{names.get(a, a)}: "
        + ", ".join(f"{outlet_names.get(o, o)} ({n})" for o, n in zip(g["outlet"], g["n_sentences"]))
        for a, g in _thin.groupby("actor", sort=False)))
    _alone = _skipped[_skipped["reason"] == "fewer than two outlets"]["actor"]
    if len(_alone):
        print("no outlet comparison (fewer than two outlets with enough sentences): "
              + "، ".join(names.get(a, a) for a in _alone))

# %% [markdown]
# Mean sentence tone of all actor sentences per outlet (beat not removed: for orientation only):

# %%
by_outlet_tone = aggregate_tone(scored, by="outlet")
by_outlet_tone.insert(1, "outlet_name", by_outlet_tone["source"].map(overview.outlet_display_name))
tables["tone_by_outlet"] = by_outlet_tone
if len(by_outlet_tone):
    plot_tone(by_outlet_tone, label="outlet_name", value="mean_tone",
              title="نبرة الجمل التي تذكر فاعلين، حسب المصدر (دون ضبط الموضوع)")
    plt.show()

# %% [markdown]
# ### Method: how a sentence's tone is read
#
# Every actor mention (the project's gazetteer matcher) gets the tone of its sentence: hits of the NileULex and
# MoArLex polarity lexicons (read at run time, normalised like the text, proclitics and the accusative tanween
# alef stripped; MoArLex, built by automatic expansion and noisier, counts half), weighted by explicit rules —
#
# * **negation with scope**: لم، لن، لا، ليس (and its forms)، ما (only before كان, عاد, تمكن, استطاع: elsewhere
#   ما is read as "what"), with و / ف attached, flip the lexicon words that follow, up to five words and never
#   across punctuation, لكن، بل، إلا; the nominal negators غير، عدم، دون، بدون، بلا flip only the noun phrase
#   they govern (the next two words); "ما زال / لا يزال" ("still") and "لا سيما" are not negations;
# * **intensifiers** (جدا، للغاية، بشدة، كثيرا، أكثر، أشد، بالغ، شديد ...) multiply the adjacent lexicon word by 1.5;
# * **contrast** (لكن، ولكن، لكنه، بيد أن، غير أن، إلا أن): within a sentence, what comes before weighs 0.5 and
#   what comes after 1.5 — the clause after "but" is the one the writer stresses;
#
# tone = (positive − negative) / words × 100, as in GDELT. Checked against Mawqif's sentiment labels (methods
# appendix): a weak but real signal; the outlet differences are indicative, not measurements of bias. The
# example sentences below are scored with these rules:

# %%
# NBVAL_CHECK_OUTPUT
print(f"lexicon: {lex_stats['total']:,} terms (NileULex {lex_stats['nileulex']['entries']:,}, "
      f"MoArLex adds {lex_stats['moarlex']['added']:,}; {lex_stats['moarlex']['conflicting_dropped']} "
      "MoArLex terms with both polarities dropped)")
for sentence in ("الاتفاق ناجح", "الاتفاق غير ناجح", "لم يحقق الاتفاق أي نجاح", "ليس فشلا", "ما زال ناجحا",
                 "نجح الاتفاق لكن التنفيذ فشل", "فشل جزئي لكن النتائج ممتازة", "الاتفاق ناجح جدا"):
    s = scorer.score(sentence)
    print(f"{sentence} → tone {s['tone']:+.1f} (positive {s['pos']:.2f}, negative {s['neg']:.2f} over "
          f"{int(s['n_tokens'])} words; {int(s['n_hits'])} lexicon word(s), {int(s['n_negated'])} negated, "
          f"{int(s['n_intensified'])} intensified)")

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
if len(effects):
    _findings["tone_outlets_sentence"] = survival_sentence(effects, actor_names=names, outlet_names=outlet_names,
                                                           details=False)
if not (_by_actor is not None and len(_by_actor)):
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
