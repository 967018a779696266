"""Figures for topic models (Arabic labels render shaped and right-to-left via ``arabic_news.plots``).

Every function takes an optional ``ax`` (or returns a new Figure for grids) so notebooks can compose figures;
write them with ``arabic_news.plots.save_figure``.
"""
from __future__ import annotations

import logging
import math
from typing import Sequence

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)


def _axes(ax, figsize):
    import matplotlib.pyplot as plt

    from arabic_news.plots import setup_matplotlib

    setup_matplotlib()
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def topic_terms_grid(topic_terms: Sequence[Sequence[str]], weights: Sequence[Sequence[float]], *,
                     labels: Sequence[str] | None = None, n_terms: int = 8, n_cols: int = 4,
                     title: str = ""):
    """Small multiples: one horizontal bar chart of the top *n_terms* terms (and weights) per topic."""
    import matplotlib.pyplot as plt

    from arabic_news.plots import setup_matplotlib

    setup_matplotlib()
    k = len(topic_terms)
    n_cols = max(1, min(n_cols, k))
    n_rows = math.ceil(k / n_cols)
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(3.2 * n_cols, 2.4 * n_rows), layout="constrained",
                             squeeze=False)
    for t in range(n_rows * n_cols):
        ax = axes[t // n_cols][t % n_cols]
        if t >= k:
            ax.axis("off")
            continue
        terms = list(topic_terms[t])[:n_terms][::-1]
        values = list(weights[t])[:n_terms][::-1]
        ax.barh(range(len(terms)), values, color=f"C{t % 10}")
        ax.set_yticks(range(len(terms)), terms)
        ax.tick_params(axis="x", labelsize=7)
        ax.set_title(f"{t}: {labels[t]}" if labels is not None else str(t), fontsize=9, loc="right")
    if title:
        fig.suptitle(title)
    return fig


def prevalence_lines(frame: pd.DataFrame, *, topics: Sequence[int] | None = None, title: str = "",
                     ylabel: str = "حصة الموضوع (%)", ax=None, percent: bool = True):
    """Lines of topic share per period with their bootstrap bands (a ``prevalence_over_time`` frame), in
    percent of the period's articles (``percent=False``: as shares 0-1)."""
    ax = _axes(ax, (10, 4.5))
    scale = 100.0 if percent else 1.0
    topics = sorted(frame["topic"].unique()) if topics is None else topics
    for t in topics:
        part = frame[frame["topic"] == t].sort_values("period")
        label = f"{t}: {part['topic_label'].iloc[0]}" if len(part) else str(t)
        style = ("-", "--", ":")[(t // 10) % 3]  # colours repeat after ten topics: the line style tells them apart
        ax.plot(part["period"], scale * part["share"], marker="o", markersize=3, linewidth=1.3, label=label,
                color=f"C{t % 10}", linestyle=style)
        if part["lo"].notna().any():
            ax.fill_between(part["period"], scale * part["lo"], scale * part["hi"], alpha=0.12, color=f"C{t % 10}")
    ax.set_ylabel(ylabel)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    ax.figure.autofmt_xdate()
    if title:
        ax.set_title(title, loc="right")
    return ax


def prevalence_heatmap(frame: pd.DataFrame, *, row: str = "group", title: str = "", ax=None,
                       value: str = "share", row_labels: dict | None = None):
    """Heatmap of topic share (columns = topics, labelled) per group (rows), in percent: the colours, the
    colour bar and the numbers in the cells all use the same unit (% of the group's articles). Groups are
    ordered by size (``n_docs``, largest first) when the frame has it.
    ``row_labels`` maps group values to the labels shown (e.g. outlet ids to display names)."""
    table = 100.0 * frame.pivot_table(index=row, columns="topic", values=value, aggfunc="first")
    if "n_docs" in frame:  # largest group first
        sizes = frame.drop_duplicates(row).set_index(row)["n_docs"]
        table = table.loc[sorted(table.index, key=lambda g: (-int(sizes.get(g, 0)), str(g)))]
    names = frame.drop_duplicates("topic").set_index("topic")["topic_label"]
    ax = _axes(ax, (1.1 * table.shape[1] + 3, 0.45 * table.shape[0] + 2))
    image = ax.imshow(table.to_numpy(), aspect="auto", cmap="Blues", vmin=0)
    ax.set_xticks(range(table.shape[1]), [f"{t}: {names.get(t, t)}" for t in table.columns], rotation=40,
                  ha="right", fontsize=8)
    ax.set_yticks(range(table.shape[0]), [str((row_labels or {}).get(i, i)) for i in table.index], fontsize=8)
    values = table.to_numpy()
    top = np.nanmax(values) if values.size else 0
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            v = values[i, j]
            if np.isfinite(v):
                ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize=7,
                        color="white" if v > 0.6 * top else "black")
    ax.figure.colorbar(image, ax=ax, shrink=0.8, label="%")
    if title:
        ax.set_title(title, loc="right")
    return ax


def sweep_plot(frame: pd.DataFrame, *, metrics: Sequence[str] = ("npmi", "c_v", "diversity", "stability"),
               title: str = "", ax=None):
    """Metrics of a ``k_sweep`` frame against k."""
    ax = _axes(ax, (6, 3.5))
    for m in metrics:
        if m in frame:
            ax.plot(frame["k"], frame[m], marker="o", label=m)
    ax.set_xlabel("k")
    ax.set_xticks(list(frame["k"]))
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize="small", frameon=False)
    ax.grid(True, alpha=0.3)
    if title:
        ax.set_title(title, loc="right")
    return ax
