"""Topic figures: one unit (percent) in the heat map and the lines, readable labels."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from arabic_news.topics import prevalence_by_group, prevalence_over_time  # noqa: E402
from arabic_news.topics import plots as topic_plots  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_heatmap_colours_colour_bar_and_numbers_share_one_unit():
    doc_topic = np.array([[1.0, 0.0], [0.0, 1.0], [0.25, 0.75], [1.0, 0.0], [1.0, 0.0]])
    frame = prevalence_by_group(doc_topic, ["sabq", "sabq", "okaz", "okaz", "okaz"], n_boot=0,
                                topic_labels=["نفط", "كرة"])
    ax = topic_plots.prevalence_heatmap(frame, row_labels={"okaz": "Okaz (عكاظ)", "sabq": "Sabq (سبق)"})
    image = ax.get_images()[0]
    data = np.asarray(image.get_array())
    # rows: okaz (3 articles) before sabq (2); okaz = mean of [0.25, 1, 1] = 75 %
    np.testing.assert_allclose(data, [[75.0, 25.0], [50.0, 50.0]])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Okaz (عكاظ)", "Sabq (سبق)"]
    assert sorted(t.get_text() for t in ax.texts) == ["25", "50", "50", "75"]
    colorbar = image.colorbar
    assert colorbar.ax.get_ylabel() == "%" and colorbar.vmax == pytest.approx(75.0)


def test_prevalence_lines_in_percent():
    frame = prevalence_over_time(np.array([[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]]),
                                 ["2024-01-01", "2024-01-02", "2024-01-09"], freq="week", n_boot=0,
                                 topic_labels=["نفط", "كرة"])
    ax = topic_plots.prevalence_lines(frame)
    first = ax.get_lines()[0]
    np.testing.assert_allclose(np.asarray(first.get_ydata(), dtype=float), [75.0, 0.0])
    assert first.get_label() == "0: نفط" and "%" in ax.get_ylabel()
    shares = topic_plots.prevalence_lines(frame, percent=False).get_lines()[0].get_ydata()
    np.testing.assert_allclose(np.asarray(shares, dtype=float), [0.75, 0.0])
