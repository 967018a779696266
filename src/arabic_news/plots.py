"""Matplotlib figures that render Arabic correctly: shaped, joined and right-to-left.

matplotlib 3.11 lays text out with libraqm, so Arabic strings are shaped (contextual letter forms) and
ordered right-to-left without any pre-processing, provided the font has Arabic glyphs. DejaVu Sans, which
ships with matplotlib, does. :func:`setup_matplotlib` selects such a font; :func:`arabic_shaping_supported`
checks that the running matplotlib really shapes Arabic (an older matplotlib without libraqm draws isolated
letters left-to-right; the check then fails and a warning is logged: upgrade matplotlib, the pinned version
in requirements.lock shapes correctly).

Every plotting function takes an optional ``ax`` and returns the :class:`matplotlib.axes.Axes` it drew on,
so notebooks can compose figures; :func:`save_figure` writes PNGs.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib
import numpy as np

logger = logging.getLogger(__name__)

#: Fonts tried in order; the first one installed that has Arabic glyphs wins.
ARABIC_FONTS = ("DejaVu Sans", "Noto Sans Arabic", "Noto Naskh Arabic", "Amiri", "Arial", "FreeSerif")

# A few letters whose presence in the font's character map we require (alef, beh, ain, heh, yeh, teh marbuta).
_ARABIC_PROBE = "ابعهية"


def _font_has_arabic(font_path: str) -> bool:
    from matplotlib.ft2font import FT2Font

    charmap = FT2Font(font_path).get_charmap()
    return all(ord(ch) in charmap for ch in _ARABIC_PROBE)


def arabic_font() -> str:
    """The name of the first installed font in :data:`ARABIC_FONTS` that has Arabic glyphs.

    Raises RuntimeError (naming the fix) when none is installed.
    """
    from matplotlib import font_manager

    for name in ARABIC_FONTS:
        try:
            path = font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
        except ValueError:
            continue
        if _font_has_arabic(path):
            return name
    raise RuntimeError(
        "no installed font has Arabic glyphs; matplotlib ships DejaVu Sans, reinstall matplotlib "
        "(pip install -r requirements.lock) or install fonts-dejavu"
    )


def setup_matplotlib(*, style: str | None = None, dpi: int = 110) -> str:
    """Configure matplotlib for Arabic figures and return the font family chosen.

    Uses the non-interactive Agg backend when no display backend was chosen, a font with Arabic glyphs,
    a plain ASCII minus sign (the Unicode minus is missing from some Arabic fonts) and a readable default
    size. Idempotent.
    """
    font = arabic_font()
    rc = matplotlib.rcParams
    rc["font.family"] = "sans-serif"
    rc["font.sans-serif"] = [font] + [f for f in rc["font.sans-serif"] if f != font]
    rc["axes.unicode_minus"] = False
    rc["figure.dpi"] = dpi
    rc["savefig.dpi"] = dpi
    rc["savefig.bbox"] = "tight"
    rc["axes.spines.top"] = False
    if style:
        matplotlib.style.use(style)
    if not arabic_shaping_supported():
        logger.warning(
            "matplotlib %s does not shape Arabic (no libraqm layout): labels will show isolated letters "
            "left-to-right; install the pinned matplotlib from requirements.lock", matplotlib.__version__
        )
    return font


def shaped_glyphs(text: str, *, font: str | None = None) -> list[tuple[str, int, float]]:
    """How matplotlib lays out *text*: ``(character, glyph index, x position)`` in drawing order (left to right).

    Used to check shaping: joined Arabic letters get contextual glyphs (a different glyph index from the
    isolated letter), and a right-to-left run is drawn with its last character leftmost.
    """
    from matplotlib import font_manager
    from matplotlib._text_helpers import layout  # matplotlib's own text layout (libraqm)

    path = font_manager.findfont(font_manager.FontProperties(family=font or arabic_font()))
    ft = font_manager.get_font(path)
    ft.set_size(12, 72)
    return [(item.char, int(item.glyph_index), float(item.x)) for item in layout(text, ft)]


def arabic_shaping_supported() -> bool:
    """True when matplotlib joins Arabic letters and draws them right-to-left."""
    try:
        isolated = shaped_glyphs("ب")
        joined = shaped_glyphs("بب")
    except Exception:  # pragma: no cover - very old matplotlib without the layout helper
        logger.debug("matplotlib text layout unavailable", exc_info=True)
        return False
    if len(joined) != 2 or len(isolated) != 1:
        return False
    contextual = all(g[1] != isolated[0][1] for g in joined)
    rtl = [c for c, _, _ in shaped_glyphs("با")] == ["ا", "ب"]  # alef (second letter) is drawn leftmost
    return contextual and rtl


def _new_axes(ax, figsize):
    import matplotlib.pyplot as plt

    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def bar_counts(
    counts: Mapping[str, float] | "pandas.Series",  # noqa: F821
    *,
    title: str = "",
    xlabel: str = "",
    top: int | None = None,
    ax=None,
    color: str = "#2a6f97",
    annotate: bool = True,
):
    """Horizontal bar chart of *counts* (label -> value), largest first, read right-to-left.

    Bars grow from the right edge leftwards and the (Arabic) labels sit on the right-hand side, where an
    Arabic reader starts. ``top`` keeps the largest ``top`` entries.
    """
    items = sorted(((str(k), float(v)) for k, v in dict(counts).items()), key=lambda kv: (-kv[1], kv[0]))
    if top is not None:
        items = items[:top]
    labels = [k for k, _ in items]
    values = np.array([v for _, v in items], dtype=float)
    ax = _new_axes(ax, (7, max(2.0, 0.32 * len(items) + 1.2)))
    y = np.arange(len(items))
    ax.barh(y, values, color=color)
    ax.set_yticks(y, labels)
    ax.invert_yaxis()          # largest at the top
    ax.invert_xaxis()          # bars grow right-to-left
    ax.yaxis.tick_right()      # labels on the right
    ax.spines["left"].set_visible(False)
    ax.spines["right"].set_visible(True)
    if annotate and len(values):
        for yi, v in zip(y, values):
            ax.text(v, yi, f" {v:,.0f} ", va="center", ha="right", fontsize="small")
        ax.set_xlim(values.max() * 1.15, 0)
    ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title, loc="right")
    return ax


def timeseries_by_outlet(
    table: "pandas.DataFrame",  # noqa: F821
    *,
    title: str = "",
    ylabel: str = "",
    top: int | None = 8,
    ax=None,
    labels: Mapping[str, str] | None = None,
    shade_gaps: bool = True,
):
    """Line chart of a date x outlet table of counts (index = dates, one column per outlet).

    Only the ``top`` outlets with the largest totals get their own line; the rest are summed into one
    line labelled "أخرى" (others) so nothing is dropped. Missing values (days without data, as
    :func:`arabic_news.overview.articles_by_date` marks them) break the lines instead of dropping to zero;
    with ``shade_gaps`` the days on which no outlet has data are shaded grey and labelled "لا بيانات"
    (no data). ``labels`` maps column names to legend labels (e.g. outlet ids to display names).
    """
    table = table.sort_index().astype("float64")   # nullable integers -> floats with NaN for the gaps
    totals = table.sum(axis=0).sort_values(ascending=False, kind="stable")
    if top is not None and len(totals) > top:
        keep = list(totals.index[:top])
        rest = table.drop(columns=keep).sum(axis=1, min_count=1)
        table = table[keep].copy()
        table["أخرى"] = rest
    else:
        table = table[list(totals.index)]
    ax = _new_axes(ax, (9, 4))
    for column in table.columns:
        label = (labels or {}).get(column, column)
        ax.plot(table.index, table[column].to_numpy(), marker="o", markersize=3, linewidth=1.2, label=str(label))
    if shade_gaps and len(table) > 1:
        empty = table.isna().all(axis=1).to_numpy()
        step = (table.index[1] - table.index[0]) if len(table.index) > 1 else None
        first = True
        for i in np.flatnonzero(empty):
            day = table.index[i]
            ax.axvspan(day - step / 2, day + step / 2, color="0.88", zorder=0, linewidth=0,
                       label="لا بيانات" if first else None)
            first = False
    ax.set_ylabel(ylabel)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    ax.figure.autofmt_xdate()
    if title:
        ax.set_title(title, loc="right")
    return ax


def length_histogram(
    values: Sequence[float] | np.ndarray,
    *,
    bins: int = 40,
    title: str = "",
    xlabel: str = "",
    log_x: bool = False,
    clip_quantile: float | None = None,
    ax=None,
    color: str = "#468faf",
):
    """Histogram of lengths (tokens or paragraphs per article) with the median marked.

    ``clip_quantile`` (e.g. 0.99) keeps a long tail readable: values above that quantile are counted in the
    last bar, which is labelled "≥ value" with the number of articles it gathers (nothing is dropped).
    """
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    ax = _new_axes(ax, (6, 3.5))
    if len(values) == 0:
        ax.text(0.5, 0.5, "لا توجد بيانات", ha="center", va="center", transform=ax.transAxes)
        return ax
    median = float(np.median(values))
    if clip_quantile is not None and not log_x:
        upper = float(np.quantile(values, clip_quantile, method="lower"))  # a value of the data
        if (values > upper).any():
            n_tail = int((values >= upper).sum())  # everything the last bar holds
            values = np.minimum(values, upper)
            ax.annotate(f"≥ {upper:,.0f}: {n_tail:,}", xy=(upper, 0), xytext=(0, 14), textcoords="offset points",
                        ha="center", va="bottom", fontsize="x-small", arrowprops={"arrowstyle": "-", "lw": 0.6})
    if log_x and not (values > 0).any():
        log_x = False   # nothing to draw on a log axis (e.g. only empty articles)
    if log_x:
        positive = values[values > 0]
        edges = np.logspace(np.log10(max(positive.min(), 1)), np.log10(positive.max() + 1), bins + 1)
        ax.hist(positive, bins=edges, color=color)
        ax.set_xscale("log")
    elif np.all(values == np.round(values)) and values.max() - values.min() <= 2 * bins:
        # small whole numbers (e.g. paragraphs): one bar per value, centred on it
        ax.hist(values, bins=np.arange(values.min(), values.max() + 2) - 0.5, color=color)
    else:
        ax.hist(values, bins=bins, color=color)
    ax.axvline(median, color="#c1121f", linestyle="--", linewidth=1)
    ax.annotate(f"الوسيط {median:,.0f}", xy=(median, 1.0), xycoords=("data", "axes fraction"), xytext=(4, -4),
                textcoords="offset points", color="#c1121f", ha="left", va="top", fontsize="small",
                bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none", "pad": 1.5})
    ax.set_xlabel(xlabel)
    ax.set_ylabel("عدد المقالات")
    if title:
        ax.set_title(title, loc="right")
    return ax


def zipf_plot(
    frequencies: Mapping[str, Sequence[int] | np.ndarray],
    *,
    title: str = "",
    ax=None,
):
    """Log-log rank/frequency (Zipf) plot of one or more frequency lists (label -> counts, any order).

    Typically ``{"before normalisation": raw_counts, "after normalisation": normalised_counts}``; each
    series is sorted in decreasing order and drawn against its rank. A dotted reference line of slope -1
    (Zipf's law with exponent 1) is anchored on the first series' top frequency.
    """
    ax = _new_axes(ax, (6, 4.5))
    first_top = None
    max_rank = 1
    for label, counts in frequencies.items():
        freqs = np.sort(np.asarray(list(counts), dtype=float))[::-1]
        freqs = freqs[freqs > 0]
        if not len(freqs):
            continue
        ranks = np.arange(1, len(freqs) + 1)
        ax.loglog(ranks, freqs, linewidth=1.5, label=f"{label} ({len(freqs):,})")
        first_top = freqs[0] if first_top is None else first_top
        max_rank = max(max_rank, len(freqs))
    if first_top is not None:
        # drawn down to frequency 1 (where the data end), not below
        ref = np.array([1, max(2.0, min(max_rank, first_top))], dtype=float)
        ax.loglog(ref, first_top / ref, linestyle=":", color="grey", linewidth=1, label="1/r")
    ax.set_xlabel("الرتبة (rank)")
    ax.set_ylabel("التكرار (frequency)")
    ax.legend(fontsize="small", frameon=False)
    ax.grid(True, which="major", alpha=0.3)
    if title:
        ax.set_title(title, loc="right")
    return ax


def save_figure(fig_or_ax, path: str | Path, *, close: bool = True) -> Path:
    """Write a figure (or the figure of an Axes) to *path* (PNG unless the suffix says otherwise)."""
    import matplotlib.pyplot as plt

    fig = getattr(fig_or_ax, "figure", fig_or_ax)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    if close:
        plt.close(fig)
    logger.info("wrote %s", path)
    return path


__all__ = [
    "ARABIC_FONTS",
    "arabic_font",
    "arabic_shaping_supported",
    "bar_counts",
    "length_histogram",
    "save_figure",
    "setup_matplotlib",
    "shaped_glyphs",
    "timeseries_by_outlet",
    "zipf_plot",
]
