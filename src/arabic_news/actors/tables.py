"""Reader-facing tables of the actors report: names instead of ids, readable column names, no row index.

Each function turns an analysis table (rankings, ties, concordance, mention kinds) into the DataFrame a report
shows; the notebook styles it with ``arabic_news.reports.rtl_table(df, index=False)``
(:mod:`arabic_news.reports.tables`) and :func:`escape_and_highlight` (every text cell HTML-escaped, the mention
highlighted). :func:`marked_text_html` builds the one piece of HTML of the actors pages by hand (the seed article
with its mentions marked), escaping every string taken from the data.
"""
from __future__ import annotations

import html
from typing import Sequence

import pandas as pd

from arabic_news.actors.labels import TYPE_LABELS, actor_label, actor_names, outlet_label

#: reader-facing names of the mention kinds
KIND_LABELS = {
    "name": "by name",
    "adjective": "as adjective",
    "short_name": "by short name",
    "reference": "back-reference",
}
KIND_DESCRIPTIONS = {
    "name": "the actor's name or an alias (السعودية، المملكة العربية السعودية، الناتو)",
    "adjective": "a nisba adjective or demonym pointing at a country (السعودي، الأمريكية)",
    "short_name": "a person's family or short name, counted only after the full name in the same article (الكاظمي)",
    "reference": "a generic word or short title referring back to an organisation, country or place named in full "
                 "in the same article (المملكة after السعودية, الحلف after حلف شمال الأطلسي)",
}


def ranking_table(rankings: pd.DataFrame, actor_type: str, top_n: int | None = None) -> pd.DataFrame:
    """The ranking of one actor type from :func:`arabic_news.actors.extract.actor_rankings`: ``actor`` (Arabic
    name), ``English name``, ``articles``, ``% of articles`` and the mentions by kind, one column per kind the
    type has (a kind column that is zero throughout is left out, ``by name`` always stays)."""
    r = rankings[rankings["type"] == actor_type].sort_values("rank")
    if top_n is not None:
        r = r.head(top_n)
    out = pd.DataFrame({
        "actor": r["name_ar"].astype(str).to_numpy(),
        "English name": r["name_en"].astype(str).to_numpy(),
        "articles": r["documents"].astype("int64").to_numpy(),
        "% of articles": (100.0 * r["doc_share"].astype(float)).to_numpy(),
    })
    for kind, label in KIND_LABELS.items():
        if kind in r.columns and (kind == "name" or int(r[kind].sum()) > 0):
            out[label] = r[kind].astype("int64").to_numpy()
    return out


def kind_summary(mentions: pd.DataFrame, kinds: Sequence[str] = tuple(KIND_LABELS)) -> pd.DataFrame:
    """Mentions per kind in the whole corpus with what each kind means: ``kind``, ``mentions``, ``actors``,
    ``what it is``."""
    rows = []
    for kind in kinds:
        sub = mentions[mentions["kind"] == kind] if len(mentions) else mentions
        rows.append({"kind": KIND_LABELS.get(kind, kind), "mentions": int(len(sub)),
                     "actors": int(sub["actor_id"].nunique()) if len(sub) else 0,
                     "what it is": KIND_DESCRIPTIONS.get(kind, "")})
    return pd.DataFrame(rows, columns=["kind", "mentions", "actors", "what it is"])


def ties_table(edges: pd.DataFrame, gazetteer, top_n: int | None = None, *,
               columns: Sequence[str] = ("count", "expected", "npmi", "g2"),
               count_label: str = "articles together") -> pd.DataFrame:
    """Pairs of actors by name (``actor``, ``with``) and their statistics, renamed for readers: *count_label*
    (``count``; ``"sentences together"`` for sentence dyads), ``articles`` (``documents``), ``expected`` (under
    independence), ``NPMI``, ``PMI``, ``G2``."""
    e = edges.head(top_n) if top_n is not None else edges
    out = pd.DataFrame({"actor": actor_names(e["source"], gazetteer), "with": actor_names(e["target"], gazetteer)})
    labels = {"count": count_label, "documents": "articles", "expected": "expected", "npmi": "NPMI",
              "pmi": "PMI", "g2": "G2"}
    for c in columns:
        if c in e.columns:
            out[labels.get(c, c)] = e[c].to_numpy()
    return out


def concordance_table(concordance: pd.DataFrame, gazetteer=None, *, actor_column: bool = True) -> pd.DataFrame:
    """A concordance from :func:`arabic_news.actors.concordance.sample_concordance` for reading right to left:
    ``actor``, ``before``, ``mention``, ``after`` (in a right-to-left table the text before the mention stands
    to its right), then ``headline``, ``outlet``, ``date`` and the mention's ``kind``."""
    c = concordance
    out = pd.DataFrame({
        "before": c["left"].astype(str).to_numpy(),
        "mention": c["match"].astype(str).to_numpy(),
        "after": c["right"].astype(str).to_numpy(),
        "headline": c["title"].fillna("").astype(str).to_numpy(),
        "outlet": [outlet_label(s) for s in c["source"]],
        "date": [("" if pd.isna(d) else f"{pd.Timestamp(d):%Y-%m-%d}") for d in c["date"]],
        "kind": [KIND_LABELS.get(k, k) for k in c["kind"]],
    })
    if actor_column:
        out.insert(0, "actor", actor_names(c["actor_id"], gazetteer))
    return out


def escape_and_highlight(styler, highlight: str | None = None):
    """HTML-escape every text cell of a pandas Styler (``escape='html'`` on its object columns; numbers keep the
    formats set before) and set the *highlight* column apart (bold on a light yellow ground): the Styler writes
    data strings into HTML as they are unless told to escape them."""
    df = styler.data
    text_cols = [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])
                 and not pd.api.types.is_datetime64_any_dtype(df[c])]
    if text_cols:
        styler = styler.format(escape="html", subset=text_cols, na_rep="")
    if highlight is not None and highlight in df.columns:
        styler = styler.set_properties(subset=[highlight], **{"background-color": "#fff3bf", "font-weight": "bold"})
    return styler


#: background colour of each mention kind in :func:`marked_text_html`
KIND_COLOURS = {"name": "#ffe066", "adjective": "#a5d8ff", "short_name": "#b2f2bb", "reference": "#ffc078"}


def marked_text_html(text: str, mentions: pd.DataFrame | Sequence, gazetteer=None) -> str:
    """*text* as right-to-left HTML paragraphs with every mention wrapped in ``<mark class="an-kind-KIND">``
    (tooltip: the actor's names and the mention kind; one colour per kind, with a legend). Every piece of *text*
    and every name is escaped with :func:`html.escape`; overlapping mentions keep the first."""
    rows = mentions.to_dict("records") if isinstance(mentions, pd.DataFrame) else [
        m.to_dict() if hasattr(m, "to_dict") else dict(m) for m in mentions]
    rows = sorted(rows, key=lambda r: (int(r["start"]), -int(r["end"])))
    parts, pos = [], 0
    for r in rows:
        start, end = int(r["start"]), int(r["end"])
        if start < pos or end > len(text):
            continue
        parts.append(html.escape(text[pos:start]))
        kind = r["kind"] if r["kind"] in KIND_COLOURS else "name"
        tip = f"{actor_label(r['actor_id'], gazetteer)} · {KIND_LABELS.get(r['kind'], r['kind'])}"
        parts.append(f'<mark class="an-kind-{kind}" title="{html.escape(tip, quote=True)}">'
                     f'{html.escape(text[start:end])}</mark>')
        pos = end
    parts.append(html.escape(text[pos:]))
    paragraphs = [p for p in "".join(parts).split("\n") if p.strip()]
    style = "".join(f".an-kind-{k}{{background-color:{c}}}" for k, c in KIND_COLOURS.items())
    legend = " ".join(f'<mark class="an-kind-{k}">{html.escape(KIND_LABELS[k])}</mark>' for k in KIND_COLOURS)
    return "\n".join([f"<style>{style}</style>", f"<p>{legend}</p>",
                      *(f'<p dir="rtl">{p}</p>' for p in paragraphs)])


def type_heading(actor_type: str) -> str:
    """``People (الأشخاص)``: the heading of one type's ranking."""
    en, ar = TYPE_LABELS.get(actor_type, (actor_type, ""))
    return f"{en} ({ar})" if ar else en
