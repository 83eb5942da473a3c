"""Overturn rates by treatment family, reviewer guideline family, reviewer specialty and year."""

from __future__ import annotations

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
