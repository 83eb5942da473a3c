"""Which of openimr's two databases a file is, found without writing to it.

The corpus store (`openimr corpus ...`, stdlib SQLite) and the review service's database (`openimr serve`,
`users`, `cases`, `reviewers`; SQLAlchemy + Alembic) are different schemas that both live happily in an SQLite
file. Pointing a command at the other kind used to add half a schema to it; now each store knows its own kind
and refuses the other before it changes a byte:
- the corpus store keeps a marker table, openimr_store, with one row: its kind;
- the service database is known by Alembic's version table.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from openimr.errors import InputError

CORPUS_MARKER = "openimr_store"
SERVICE_MARKER = "alembic_version"
# corpus stores written before the marker existed hold exactly these tables
LEGACY_CORPUS_TABLES = frozenset({"letters", "items"})


def sqlite_tables(path: Path) -> set[str] | None:
    """The tables of an SQLite file, read through a read-only connection; None when there is no file yet
    (or an empty one, which SQLite treats as a new database)."""
    if not path.is_file() or path.stat().st_size == 0:
        return None
    try:
        db = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise InputError(f"{path}: cannot be opened ({exc})") from None
    try:
        rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    except sqlite3.DatabaseError as exc:
        raise InputError(f"{path}: not an SQLite database ({exc})") from None
    finally:
        db.close()
    return {str(name) for (name,) in rows}


def kind_of(tables: set[str]) -> str:
    """corpus, service, empty or other."""
    if CORPUS_MARKER in tables or (tables and tables <= LEGACY_CORPUS_TABLES | {"sqlite_sequence"}
                                   and LEGACY_CORPUS_TABLES <= tables):
        return "corpus"
    if SERVICE_MARKER in tables:
        return "service"
    return "other" if tables - {"sqlite_sequence"} else "empty"


DESCRIPTIONS = {
    "corpus": "the corpus store of published letters (openimr corpus ingest|stats|similar)",
    "service": "the review service's database (openimr serve|users|cases|reviewers)",
    "other": "a database of another application",
}


def refuse_other_kind(where: str, tables: set[str], wanted: str) -> None:
    """InputError unless the tables are those of the wanted kind (or none at all)."""
    kind = kind_of(tables)
    if kind in (wanted, "empty"):
        return
    listed = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
    detail = f" (tables: {listed})" if kind == "other" else ""
    raise InputError(f"{where}: this is {DESCRIPTIONS[kind]}{detail}, not {DESCRIPTIONS[wanted]}; "
                     "refused without changing it")
