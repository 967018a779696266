"""Tables and text for report pages: pandas Stylers that escape everything and read right-to-left for Arabic
(:func:`styled_table`, :func:`rtl_table`, :func:`html_text`), and literal text inside Markdown a notebook builds
from data (:func:`md_escape`, :func:`md_code`).
"""
from __future__ import annotations

import hashlib
import html
import re
from typing import Any

_ARABIC_RE = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")


def has_arabic(value: Any) -> bool:
    """True when *value* (as text) contains an Arabic letter."""
    return isinstance(value, str) and bool(_ARABIC_RE.search(value))


def _frame_has_arabic(df, *, rows: int = 50) -> bool:
    import pandas as pd

    labels = list(df.columns.to_flat_index()) + list(df.index[:rows])
    flat = [x for lab in labels for x in (lab if isinstance(lab, tuple) else (lab,))]
    if any(has_arabic(x) for x in flat):
        return True
    for col in df.columns:
        if not pd.api.types.is_numeric_dtype(df[col]) and any(has_arabic(v) for v in df[col].head(rows)):
            return True
    return False


def html_text(value: Any, *, precision: int = 1, thousands: bool = True, na_rep: str = "") -> str:
    """How a report table shows *value* in HTML: a number with ``precision`` decimals (thousands separated
    when ``thousands``), a missing value as ``na_rep``, anything else (text, lists, dates, objects) as its
    ``str()`` with ``& < > " '`` escaped, so that text from the data is shown, never interpreted.

    >>> html_text('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    >>> html_text(1234.567), html_text(1234, thousands=False), html_text(float("nan")), html_text(["<b>"])
    ('1,234.6', '1234', '', '[&#x27;&lt;b&gt;&#x27;]')
    """
    import numbers

    import numpy as np
    import pandas as pd

    if isinstance(value, str):
        return html.escape(value)
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return html.escape(na_rep)
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}" if thousands else str(int(value))
    if isinstance(value, numbers.Real):
        return f"{float(value):,.{precision}f}" if thousands else f"{float(value):.{precision}f}"
    return html.escape(str(value))


def _escaped_names(names) -> list:
    return [html.escape(n) if isinstance(n, str) else n for n in names]


def readable_header(label: Any) -> Any:
    """A column name as a reader sees it: ``share_pct`` → ``share %``, ``n_articles`` → ``articles``,
    ``first_date`` → ``first date`` (other labels unchanged).

    >>> readable_header("share_pct"), readable_header("n_articles"), readable_header("first_date"), readable_header(3)
    ('share %', 'articles', 'first date', 3)
    """
    if not isinstance(label, str) or "_" not in label:
        return label
    text = label[2:] if label.startswith("n_") and len(label) > 2 else label
    if text.endswith("_pct"):
        text = text[:-4] + " %"
    return text.replace("_", " ").strip()


def styled_table(df, *, rtl: bool | str = "auto", index: bool = True, precision: int = 1,
                 caption: str | None = None, uuid: str | None = None):
    """A pandas Styler for reports: thousands separators, ``precision`` decimals, dates as YYYY-MM-DD.

    ``rtl=True`` (or ``"auto"`` and the table holds Arabic text) makes it read right-to-left: first column
    on the right, cells right-aligned. ``index=False`` hides the row labels. The Styler's element ids are
    derived from the table's content and options (or ``uuid``), so the HTML is identical across runs and two
    different tables on one page never share ids.

    Everything shown is HTML-escaped (a Styler, unlike ``DataFrame.to_html``, escapes nothing by default):
    cell values (:func:`html_text`), row and column labels, the index and column names and the caption. Text
    from the corpus (titles, outlets, file names, claims, actor names ...) is shown as text, never run.
    """
    import pandas as pd
    if rtl == "auto":
        rtl = _frame_has_arabic(df)
    if uuid is None:
        key = f"{rtl}|{index}|{precision}|{caption}|{df.to_csv()}".encode("utf-8")
        uuid = hashlib.sha1(key).hexdigest()[:10]
    shown = df.copy(deep=False)   # index and column *names* are not formatted by the Styler: escape them here
    if index and not isinstance(df.index, pd.MultiIndex) and df.index.name is not None \
            and df.index.name not in df.columns and df.columns.name is None:
        # a named row index would get a header row of its own: show it as the first column instead
        shown, index = shown.reset_index(), False
        df = shown
    shown.index = shown.index.set_names(_escaped_names(shown.index.names))
    shown.columns = shown.columns.set_names(_escaped_names(shown.columns.names))
    label_precision = pd.get_option("styler.format.precision")
    styler = shown.style.set_uuid(uuid).format(lambda v: html_text(v, precision=precision))
    dates = [c for c in df.columns if pd.api.types.is_datetime64_any_dtype(df[c])]
    if dates:
        styler = styler.format(lambda v: "" if pd.isna(v) else f"{v:%Y-%m-%d}", subset=dates)
    labels = lambda v: html_text(v, precision=label_precision, thousands=False, na_rep="nan")  # noqa: E731
    if isinstance(df.index, pd.DatetimeIndex):
        styler = styler.format_index(lambda v: f"{v:%Y-%m-%d}", axis=0)
    else:
        styler = styler.format_index(labels, axis=0)
    styler = styler.format_index(lambda v: labels(readable_header(v)), axis=1)
    if rtl:
        styler = styler.set_table_attributes('class="an-rtl" dir="rtl"')
        styler = styler.set_table_styles(
            [{"selector": "", "props": "direction: rtl;"},
             {"selector": "th, td", "props": "text-align: right; unicode-bidi: plaintext;"}],
            overwrite=False,
        )
    if not index:
        styler = styler.hide(axis="index")
    if caption:
        styler = styler.set_caption(html.escape(caption))
    return styler


def rtl_table(df, *, index: bool = True, precision: int = 1, caption: str | None = None, uuid: str | None = None):
    """:func:`styled_table` that always reads right-to-left (for tables of Arabic words and names)."""
    return styled_table(df, rtl=True, index=index, precision=precision, caption=caption, uuid=uuid)


#: ASCII punctuation that can start Markdown syntax (emphasis, code, links, headings, lists, tables, math,
#: strike-through, autolinks, marks); each is backslash-escaped, which CommonMark allows for any of them.
_MD_PUNCTUATION_RE = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:^=])")
_MD_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def md_escape(value: Any) -> str:
    r"""*value* as literal text inside Markdown narration built in a notebook (``Markdown(f"... {md_escape(x)}")``).

    Markdown passes raw HTML through, so text from the data must not reach ``IPython.display.Markdown``
    as it is: ``& < >`` become character references, the punctuation that starts Markdown syntax is
    backslash-escaped (no emphasis, code, link, heading, list, table or math can start) and line breaks become
    spaces (no new block).

    >>> print(md_escape('<img src=x onerror="alert(1)"> *a* [b](c)'))
    &lt;img src\=x onerror\="alert\(1\)"&gt; \*a\* \[b\]\(c\)
    """
    text = " ".join(str(value).splitlines())
    text = _MD_PUNCTUATION_RE.sub(r"\\\1", text)
    return "".join(_MD_HTML.get(ch, ch) for ch in text)


def md_code(value: Any) -> str:
    """*value* as a Markdown code span (``md_code(path)`` → `` `path` ``), whatever backticks it holds.

    A code span's content is shown literally (its ``<`` ``>`` ``&`` escaped by the renderer); the fence is
    one backtick longer than the longest run inside, line breaks become spaces.

    >>> md_code("data/models/ner.joblib"), md_code("a`b")
    ('`data/models/ner.joblib`', '``a`b``')
    """
    text = " ".join(str(value).splitlines())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def share_text(share, lo, hi) -> str:
    """A share with its interval as a reader sees it: ``"0.2% [0.2–0.3]"`` (``"–"`` when missing).

    >>> share_text(0.0023, 0.0018, 0.0029), share_text(float("nan"), 0, 0)
    ('0.2% [0.2–0.3]', '–')
    """
    import pandas as pd

    return "–" if pd.isna(share) else f"{100 * share:.1f}% [{100 * lo:.1f}–{100 * hi:.1f}]"


def say(markdown: str) -> None:
    """Display *markdown* as narration in a notebook (interpolate data with :func:`md_escape` / :func:`md_code`)."""
    from IPython.display import Markdown, display

    display(Markdown(markdown))


def table_view(df, *, precision: int = 0, highlight: str | None = None, rtl: bool = True):
    """A notebook table without row index: :func:`styled_table`, right to left unless *rtl* is False (then
    left-aligned), every text cell HTML-escaped and the *highlight* column set apart."""
    from arabic_news.actors.tables import escape_and_highlight

    styler = styled_table(df, rtl=rtl, index=False, precision=precision)
    if not rtl:
        styler = styler.set_properties(**{"text-align": "left"})
    return escape_and_highlight(styler, highlight)


def show(df, **kwargs) -> None:
    """Display :func:`table_view` of *df* in a notebook."""
    from IPython.display import display

    display(table_view(df, **kwargs))
