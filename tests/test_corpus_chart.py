"""The overturn-rate chart: Wilson intervals, labels with n, the overall rate, readable group names."""

from __future__ import annotations

import pytest

from openimr.corpus.chart import figure, label
from openimr.corpus.stats import Row, Table, wilson_interval


@pytest.mark.parametrize(("k", "n", "low", "high"), [(1, 1, 0.2065, 1.0), (0, 10, 0.0, 0.2775),
                                                     (5, 45, 0.0484, 0.2353), (27, 215, 0.0876, 0.1769)])
def test_wilson_interval_matches_the_formula(k: int, n: int, low: float, high: float) -> None:
    got = wilson_interval(k, n)
    assert got == pytest.approx((low, high), abs=5e-4)


def test_small_groups_get_wide_intervals() -> None:
    one, many = Row("a", 1, 1), Row("b", 200, 200)
    assert one.interval[1] - one.interval[0] > 0.7 > many.interval[1] - many.interval[0]


def test_the_chart_shows_intervals_counts_and_the_overall_rate() -> None:
    import matplotlib.pyplot as plt

    tables = [Table("All items", [Row("all", 100, 20)]),
              Table("Treatment family", [Row("physical_medicine", 60, 6), Row("dme", 39, 13), Row("facility", 1, 1)]),
              Table("Reviewer guideline family", [Row("none", 100, 20)])]
    fig = figure(tables)
    try:
        ax = fig.axes[0]
        assert [t.get_text() for t in ax.get_yticklabels()] == ["Facility", "Durable medical equipment",
                                                                  "Physical medicine"]
        texts = [t.get_text() for t in ax.texts]
        assert "100% (1/1)" in texts and "10% (6/60)" in texts and any("all items 20.0%" in t for t in texts)
        assert any(line.get_xdata()[0] == pytest.approx(20.0) for line in ax.get_lines())  # the reference line
        assert len(ax.containers) == 2  # the bars and their error bars
        assert [t.get_text() for t in fig.axes[1].get_yticklabels()] == ["No guideline cited"]
    finally:
        plt.close(fig)


def test_labels_are_words_not_keys() -> None:
    family = Table("Treatment family", [])
    assert label(family, "office_visit") == "Office visits" and label(family, "new_family") == "New family"
    assert label(Table("Reviewer specialty", []), "unknown") == "Not stated"
