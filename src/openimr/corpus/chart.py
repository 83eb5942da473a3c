"""The overturn-rate tables drawn as horizontal bar charts, one panel per dimension (matplotlib, Agg)."""

from __future__ import annotations

from openimr.corpus.stats import Table
from openimr.errors import InputError

MAX_BARS = 15  # the most frequent groups of each dimension; the long tail would be unreadable


def draw(tables: list[Table], path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [t for t in tables if t.title != "All items"]
    fig, axes = plt.subplots(len(panels), 1, figsize=(9, 3.2 * len(panels)), squeeze=False)
    for ax, table in zip(axes[:, 0], panels, strict=True):
        rows = table.rows[:MAX_BARS][::-1]
        ax.barh([f"{r.key} (n={r.items})" for r in rows], [100 * r.rate for r in rows], color="#4a7ab5")
        ax.set_title(f"Overturn rate by {table.title.lower()}")
        ax.set_xlabel("overturned, % of items")
        ax.set_xlim(0, 100)
        ax.tick_params(axis="y", labelsize=8)
    fig.tight_layout()
    try:
        fig.savefig(path, dpi=110)
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror}") from None
    finally:
        plt.close(fig)
