"""The overturn-rate tables drawn as horizontal bar charts, one panel per dimension (matplotlib, Agg).

A rate from 1 item is not a rate: each bar carries its Wilson 95% interval and a label "rate (k/n)", groups of
fewer than SMALL_N items are drawn pale, and a dashed line marks the rate over all items, so a long bar from
a handful of letters reads as the guess it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from openimr.corpus.stats import Row, Table
from openimr.errors import InputError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MAX_BARS = 15  # the most frequent groups of each dimension; the long tail would be unreadable
SMALL_N = 10
BAR, PALE, LINE = "#4a7ab5", "#b9cde6", "#c0392b"

# treatment families are keys of the engine's vocabulary; the rest of the keys are already words
FAMILY_LABELS = {
    "dme": "Durable medical equipment", "labs": "Laboratory tests", "physical_medicine": "Physical medicine",
    "electrodiagnostics": "Electrodiagnostic studies", "electrotherapy": "Electrotherapy (TENS, H-wave)",
    "office_visit": "Office visits", "functional_restoration": "Functional restoration",
    "home_health": "Home health care", "psychology": "Psychological care", "other": "Other / not recognized",
}
SPECIAL_KEYS = {"none": "No guideline cited", "other": "Another guideline", "unknown": "Not stated"}


def label(table: Table, key: str) -> str:
    if table.title == "Treatment family":
        return FAMILY_LABELS.get(key, key.replace("_", " ").capitalize())
    return SPECIAL_KEYS.get(key, key)


def _overall(tables: list[Table]) -> Row | None:
    every = next((t for t in tables if t.title == "All items"), None)
    return every.rows[0] if every and every.rows and every.rows[0].items else None


CHART_SUFFIXES = (".png", ".svg", ".pdf")


def check_chart_path(path: str) -> None:
    """The chart's format comes from its name; without a known suffix matplotlib would raise, or quietly
    write FILE.png beside what was asked for."""
    if not path.lower().endswith(CHART_SUFFIXES):
        raise InputError(f"{path}: a chart file ends in {', '.join(CHART_SUFFIXES)}")


def draw(tables: list[Table], path: str) -> None:
    import matplotlib.pyplot as plt

    check_chart_path(path)
    fig = figure(tables)
    try:
        fig.savefig(path, dpi=110)
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror}") from None
    finally:
        plt.close(fig)


def figure(tables: list[Table]) -> Figure:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [t for t in tables if t.title != "All items" and t.rows]
    if not panels:
        raise InputError("nothing to draw: the corpus store holds no items")
    overall = _overall(tables)
    heights = [min(len(t.rows), MAX_BARS) + 2.5 for t in panels]  # bars plus room for title and axis
    fig, axes = plt.subplots(len(panels), 1, figsize=(10, 0.3 * sum(heights) + 0.6), squeeze=False,
                             gridspec_kw={"height_ratios": heights})
    for ax, table in zip(axes[:, 0], panels, strict=True):
        rows = table.rows[:MAX_BARS][::-1]
        ys = range(len(rows))
        rates = [100 * r.rate for r in rows]
        low = [100 * (r.rate - r.interval[0]) for r in rows]
        high = [100 * (r.interval[1] - r.rate) for r in rows]
        ax.barh(ys, rates, height=0.65, color=[BAR if r.items >= SMALL_N else PALE for r in rows])
        ax.errorbar(rates, ys, xerr=[low, high], fmt="none", ecolor="#333333", elinewidth=0.9, capsize=2.5)
        for y, r in zip(ys, rows, strict=True):
            ax.text(100 * r.interval[1] + 1.2, y, f"{r.rate:.0%} ({r.overturned}/{r.items})", va="center",
                    fontsize=7.5, color="#222222", bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.4})
        if overall is not None:
            ax.axvline(100 * overall.rate, color=LINE, linestyle="--", linewidth=1)
            ax.text(100 * overall.rate, len(rows) - 0.35, f" all items {overall.rate:.1%}", color=LINE,
                    fontsize=7.5, va="bottom")
        ax.set_yticks(list(ys), [label(table, r.key) for r in rows], fontsize=8)
        ax.set_ylim(-0.7, len(rows) + 0.3)
        shown = f" (the {MAX_BARS} largest of {len(table.rows)} groups)" if len(table.rows) > MAX_BARS else ""
        ax.set_title(f"Overturn rate by {table.title.lower()}{shown}", fontsize=10)
        ax.set_xlim(0, 118)  # room for the labels beyond 100%
        ax.set_xticks(range(0, 101, 20))
        ax.set_xlabel(f"overturned, % of items; whiskers: Wilson 95% interval; pale: fewer than {SMALL_N} items",
                      fontsize=8)
        ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
        ax.set_axisbelow(True)
    fig.tight_layout()
    return fig
