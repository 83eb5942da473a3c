"""The corpus store: SQLite (stdlib, one file, no server), one row per letter and one per item.

Ingest is idempotent: a letter is keyed by its case number, and ingesting it again replaces its rows.
Records are written as they arrive and committed in batches, so memory stays flat in the number of
letters. Each item row also keeps what statistics group by (treatment family from the engine's
request normalization, the reviewer's guideline family), computed once at ingest.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from types import TracebackType

from openimr.corpus.guideline_ref import primary
from openimr.corpus.record import LetterRecord
from openimr.errors import InputError
from openimr.storekind import CORPUS_MARKER, refuse_other_kind, sqlite_tables

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {CORPUS_MARKER} (kind TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS letters (
  case_key TEXT PRIMARY KEY, case_number TEXT, layout TEXT, date_assigned TEXT, date_of_injury TEXT,
  decision_date TEXT, ur_denial_date TEXT, received_date TEXT, priority TEXT, licensure TEXT,
  specialty TEXT, clinical_summary TEXT, source TEXT, year INTEGER, record TEXT);
CREATE TABLE IF NOT EXISTS items (
  case_key TEXT NOT NULL REFERENCES letters(case_key) ON DELETE CASCADE, position INTEGER NOT NULL,
  item TEXT, decided_item TEXT, decision TEXT, ur_guideline TEXT, reviewer_guideline TEXT, rationale TEXT,
  original TEXT, authorized TEXT, remaining TEXT, topic TEXT, family TEXT, guideline_family TEXT,
  guideline_section TEXT, PRIMARY KEY (case_key, position));
CREATE INDEX IF NOT EXISTS items_family ON items(family);
"""
COMMIT_EVERY = 500


def case_key(record: LetterRecord) -> str:
    """The case number; a letter without one (the seed generation's header-less letters) is keyed by
    a digest of its content, so ingesting it twice still keeps one copy."""
    if record.case_number:
        return record.case_number
    digest = hashlib.sha1(record.to_json().encode("utf-8")).hexdigest()[:16]
    return f"sha1:{digest}"


class Store:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self._pending = 0

    @classmethod
    def open(cls, path: str, must_exist: bool = False) -> Store:
        """The corpus store at path, created when absent unless must_exist. A file of another kind (the
        review service's database, another application's, not SQLite at all) is refused untouched."""
        file = Path(path)
        if must_exist and not file.is_file():
            raise InputError(f"{path}: no such corpus database (run `openimr corpus ingest` first)")
        if file.is_dir() or not file.parent.is_dir():
            raise InputError(f"{path}: not a usable database path")
        tables = sqlite_tables(file)
        refuse_other_kind(path, tables or set(), "corpus")
        if must_exist and not tables:
            raise InputError(f"{path}: an empty database, not a corpus store (run `openimr corpus ingest` first)")
        try:
            db = sqlite3.connect(file)
            db.execute("PRAGMA foreign_keys = ON")
            db.executescript(SCHEMA)
            db.execute(f"INSERT INTO {CORPUS_MARKER} (kind) SELECT 'corpus' "
                       f"WHERE NOT EXISTS (SELECT 1 FROM {CORPUS_MARKER})")
            db.commit()
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{path}: not a corpus database ({exc})") from None
        return cls(db)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.db.commit()
        self.db.close()

    def add(self, record: LetterRecord) -> None:
        """Store one letter with its items, all or nothing: a failure part-way leaves no half letter."""
        self.db.execute("SAVEPOINT add_letter")
        try:
            self._add(record)
        except BaseException:
            self.db.execute("ROLLBACK TO add_letter")
            raise
        finally:
            self.db.execute("RELEASE add_letter")
        self._pending += 1
        if self._pending >= COMMIT_EVERY:
            self.db.commit()
            self._pending = 0

    def _add(self, record: LetterRecord) -> None:
        from openimr.services import normalize  # the engine's vocabulary: one source of treatment families

        key = case_key(record)
        year = int(record.decision_date[:4]) if record.decision_date and record.decision_date[:4].isdigit() else None
        self.db.execute("DELETE FROM items WHERE case_key = ?", (key,))
        self.db.execute(
            "INSERT OR REPLACE INTO letters VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (key, record.case_number, record.layout, record.date_assigned, record.date_of_injury,
             record.decision_date, record.ur_denial_date, record.received_date, record.priority,
             json.dumps(record.licensure), json.dumps(record.specialty), record.clinical_summary,
             record.source, year, record.to_json()))
        for position, item in enumerate(record.items, start=1):
            service = normalize(item.decided_item)
            ref = primary(item.reviewer_guideline)
            self.db.execute(
                "INSERT INTO items VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (key, position, item.item, item.decided_item, item.decision, item.ur_guideline,
                 item.reviewer_guideline, item.rationale, item.original, item.authorized, item.remaining,
                 service.topic, service.family, ref.family, ref.section))

    def counts(self) -> tuple[int, int]:
        letters = self.db.execute("SELECT count(*) FROM letters").fetchone()[0]
        items = self.db.execute("SELECT count(*) FROM items").fetchone()[0]
        return int(letters), int(items)

    def query(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        return list(self.db.execute(sql, params))
