"""Arabic figures: shaping and right-to-left layout, and what each plot draws."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.backends.backend_agg import RendererAgg  # noqa: E402
from PIL import Image  # noqa: E402

from arabic_news import plots  # noqa: E402

COUNTS = {"الرياض": 12, "عكاظ": 30, "الشرق الأوسط": 7, "سبق": 30}


@pytest.fixture(autouse=True)
def _arabic_matplotlib():
    with matplotlib.rc_context():
        plots.setup_matplotlib()
        yield
    plt.close("all")


@pytest.fixture
def drawn_strings(monkeypatch):
    """Every string the real Agg renderer is asked to draw (a spy: the original method still draws)."""
    seen: list[str] = []
    original = RendererAgg.draw_text

    def spy(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        seen.append(s)
        return original(self, gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

    monkeypatch.setattr(RendererAgg, "draw_text", spy)
    return seen


def _png_ok(path):
    assert path.is_file() and path.stat().st_size > 2000
    with Image.open(path) as im:
        assert im.format == "PNG"
        w, h = im.size
        assert w > 200 and h > 100
        # not a blank canvas: the image has dark pixels (text, bars)
        assert np.asarray(im.convert("L")).min() < 100


def test_font_has_arabic_glyphs_and_matplotlib_shapes_arabic():
    assert plots.arabic_font() == "DejaVu Sans"
    assert matplotlib.rcParams["font.sans-serif"][0] == "DejaVu Sans"
    assert plots.arabic_shaping_supported()


def test_joined_letters_get_contextual_glyphs():
    isolated = plots.shaped_glyphs("ب")[0][1]
    glyphs = plots.shaped_glyphs("ببب")  # initial, medial and final beh
    ids = [g for _, g, _ in glyphs]
    assert len(ids) == 3
    assert isolated not in ids
    assert len(set(ids)) == 3


def test_arabic_is_drawn_right_to_left_and_latin_left_to_right():
    word = "السعودية"
    glyphs = plots.shaped_glyphs(word)
    assert "".join(c for c, _, _ in glyphs) == word[::-1]          # last letter drawn leftmost
    xs = [x for _, _, x in glyphs]
    assert xs == sorted(xs)
    assert "".join(c for c, _, _ in plots.shaped_glyphs("okaz")) == "okaz"


def test_bar_counts_draws_arabic_labels_on_the_right(tmp_path, drawn_strings):
    ax = plots.bar_counts(COUNTS, title="المقالات حسب المصدر", xlabel="عدد المقالات")
    path = plots.save_figure(ax, tmp_path / "bar.png")
    _png_ok(path)
    # largest first (ties alphabetical), labels on the right, bars growing leftwards
    assert [t.get_text() for t in ax.get_yticklabels()] == ["سبق", "عكاظ", "الرياض", "الشرق الأوسط"]
    assert ax.yaxis.get_ticks_position() == "right"
    assert ax.xaxis_inverted() and ax.yaxis_inverted()
    assert [p.get_width() for p in ax.patches] == [30, 30, 12, 7]
    # what the renderer actually drew
    for label in ["الرياض", "عكاظ", "الشرق الأوسط", "سبق", "المقالات حسب المصدر", "عدد المقالات"]:
        assert label in drawn_strings
    assert any(s.strip() == "30" for s in drawn_strings)


def test_bar_counts_top_keeps_largest(tmp_path):
    ax = plots.bar_counts(pd.Series(COUNTS), top=2)
    assert len(ax.patches) == 2
    assert {t.get_text() for t in ax.get_yticklabels()} == {"سبق", "عكاظ"}


def test_timeseries_by_outlet_sums_the_tail_into_others(tmp_path, drawn_strings):
    idx = pd.date_range("2015-07-21", periods=4, freq="D")
    table = pd.DataFrame({"عكاظ": [5, 1, 0, 2], "سبق": [1, 1, 1, 1], "الرياض": [0, 0, 3, 0], "was": [1, 0, 0, 0]},
                         index=idx)
    ax = plots.timeseries_by_outlet(table, top=2, title="المقالات يومياً", ylabel="عدد المقالات")
    path = plots.save_figure(ax, tmp_path / "ts.png")
    _png_ok(path)
    lines = {ln.get_label(): ln.get_ydata() for ln in ax.get_lines()}
    assert list(lines) == ["عكاظ", "سبق", "أخرى"]
    np.testing.assert_array_equal(lines["أخرى"], [1, 0, 3, 0])     # الرياض + was: nothing lost
    for label in ["عكاظ", "سبق", "أخرى", "المقالات يومياً"]:
        assert label in drawn_strings


def test_timeseries_by_outlet_breaks_lines_at_days_without_data(tmp_path):
    """Missing days (as articles_by_date marks them) are gaps: NaN in the line, a shaded span, never a zero."""
    idx = pd.date_range("2015-07-21", periods=5, freq="D")
    table = pd.DataFrame({"okaz": [3, 1, pd.NA, 2, 4], "sabq": [pd.NA, 2, pd.NA, 0, 1]}, index=idx, dtype="Int64")
    ax = plots.timeseries_by_outlet(table, labels={"okaz": "Okaz (عكاظ)"}, title="المقالات")
    plots.save_figure(ax, tmp_path / "gaps.png", close=False)
    lines = {ln.get_label(): np.asarray(ln.get_ydata(), dtype=float) for ln in ax.get_lines()}
    assert list(lines) == ["Okaz (عكاظ)", "sabq"]                   # display names in the legend
    assert np.isnan(lines["Okaz (عكاظ)"][2]) and lines["sabq"][3] == 0  # a gap vs a real zero
    assert np.isnan(lines["sabq"][0])
    shaded = [p for p in ax.patches if p.get_label() == "لا بيانات"]
    assert len(shaded) == 1                                            # only 2015-07-23 has no data at all
    x0, x1 = shaded[0].get_x(), shaded[0].get_x() + shaded[0].get_width()
    day = matplotlib.dates.date2num(pd.Timestamp("2015-07-23"))
    assert x0 < day < x1
    # the "others" line of a gap day stays a gap
    many = pd.DataFrame({c: [1, pd.NA, 2] for c in "abc"}, index=idx[:3], dtype="Int64")
    others = {ln.get_label(): ln.get_ydata() for ln in plots.timeseries_by_outlet(many, top=1).get_lines()}["أخرى"]
    assert np.isnan(np.asarray(others, dtype=float)[1]) and list(np.asarray(others, dtype=float)[[0, 2]]) == [2, 4]


def test_length_histogram_marks_the_median(tmp_path, drawn_strings):
    values = [3, 1, 4, 1, 5, 9, 2, 6]
    ax = plots.length_histogram(values, title="عدد الفقرات", xlabel="الفقرات")
    path = plots.save_figure(ax, tmp_path / "hist.png")
    _png_ok(path)
    median_line = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"][0]
    assert median_line.get_xdata()[0] == pytest.approx(3.5)
    # whole numbers: one bar per value from 1 to 9
    assert len(ax.patches) == 9 and sum(p.get_height() for p in ax.patches) == len(values)
    assert "الوسيط 4" in drawn_strings and "عدد الفقرات" in drawn_strings


def test_length_histogram_gathers_the_tail_in_the_last_bar(tmp_path, drawn_strings):
    values = [1] * 50 + [2] * 40 + [3] * 9 + [500]
    ax = plots.length_histogram(values, clip_quantile=0.99)
    plots.save_figure(ax, tmp_path / "tail.png")
    heights = [p.get_height() for p in ax.patches]
    assert sum(heights) == 100                       # nothing dropped
    assert len(heights) == 3 and heights[-1] == 10   # 9 threes + the 500 in the last bar
    assert "≥ 3: 10" in drawn_strings


def test_length_histogram_log_scale_and_empty_input(tmp_path):
    ax = plots.length_histogram(np.array([10, 100, 1000, 250]), log_x=True)
    assert ax.get_xscale() == "log"
    zeros = plots.length_histogram([0, 0], log_x=True)   # nothing to put on a log axis: linear, no error
    assert zeros.get_xscale() == "linear"
    empty = plots.length_histogram([])
    assert [t.get_text() for t in empty.texts] == ["لا توجد بيانات"]


def test_zipf_plot_ranks_frequencies_on_log_axes(tmp_path, drawn_strings):
    before = [1, 7, 3, 3, 1]           # any order
    after = [10, 5]
    ax = plots.zipf_plot({"قبل التطبيع": before, "بعد التطبيع": after}, title="قانون زيبف")
    path = plots.save_figure(ax, tmp_path / "zipf.png")
    _png_ok(path)
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    first, second, ref = ax.get_lines()
    np.testing.assert_array_equal(first.get_xdata(), [1, 2, 3, 4, 5])
    np.testing.assert_array_equal(first.get_ydata(), [7, 3, 3, 1, 1])
    np.testing.assert_array_equal(second.get_ydata(), [10, 5])
    np.testing.assert_allclose(ref.get_xdata(), [1, 5])
    np.testing.assert_allclose(ref.get_ydata(), [7, 7 / 5])   # slope -1 from the first series' top
    ax2 = plots.zipf_plot({"x": [3, 1, 1, 1, 1, 1, 1]})
    np.testing.assert_allclose(ax2.get_lines()[1].get_xdata(), [1, 3])    # stops at frequency 1
    assert "قبل التطبيع (5)" in drawn_strings and "بعد التطبيع (2)" in drawn_strings
