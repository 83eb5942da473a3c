"""Overturn rates by treatment family, reviewer guideline family, reviewer specialty and year."""

from __future__ import annotations

import math
from dataclasses import dataclass

from openimr.corpus.store import Store

OVERTURNED = "SUM(CASE WHEN i.decision = 'Overturned' THEN 1 ELSE 0 END)"

# each dimension: a title, the SQL expression it groups by, and the rows it groups (items i joined to letters l)
DIMENSIONS: list[tuple[str, str, str]] = [
    ("Treatment family", "i.family", "FROM items i JOIN letters l USING (case_key)"),
    ("Reviewer guideline family", "i.guideline_family", "FROM items i JOIN letters l USING (case_key)"),
    # a letter with two specialties counts under each
    ("Reviewer specialty", "s.value", "FROM items i JOIN letters l USING (case_key), json_each(l.specialty) s"),
    ("Decision year", "l.year", "FROM items i JOIN letters l USING (case_key)"),
]


@dataclass
class Row:
    key: str
    items: int
    overturned: int

    @property
    def rate(self) -> float:
        return self.overturned / self.items if self.items else 0.0

    @property
    def interval(self) -> tuple[float, float]:
        return wilson_interval(self.overturned, self.items)


Z95 = 1.959964  # the normal quantile of a two-sided 95% interval


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a proportion: unlike p +/- z*se it stays inside [0, 1] and is honest for
    small n (1 overturned of 1 is 21%-100%, not 100%), which is what a bar chart of rates needs."""
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass
class Table:
    title: str
    rows: list[Row]


def compute(store: Store) -> list[Table]:
    tables = []
    total = store.query(f"SELECT count(*), {OVERTURNED} FROM items i")[0]
    tables.append(Table("All items", [Row("all", int(total[0] or 0), int(total[1] or 0))]))  # type: ignore[call-overload]
    for title, expr, source in DIMENSIONS:
        rows = store.query(f"SELECT COALESCE({expr}, 'unknown'), count(*), {OVERTURNED} {source} "
                           f"GROUP BY 1 ORDER BY 2 DESC, 1")
        tables.append(Table(title, [Row(str(k), int(n), int(o)) for k, n, o in rows]))  # type: ignore[call-overload]
    return tables


def render_tables(tables: list[Table]) -> str:
    """Plain-text tables: key, items, overturned, rate."""
    out = []
    for table in tables:
        width = max([len(table.title)] + [len(r.key) for r in table.rows])
        out.append(f"{table.title:<{width}}  {'items':>6}  {'overturned':>10}  {'rate':>6}")
        out.append("-" * (width + 30))
        for r in table.rows:
            out.append(f"{r.key:<{width}}  {r.items:>6}  {r.overturned:>10}  {r.rate:>6.1%}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
