"""The corpus store and the service database each know their own kind and refuse the other, untouched."""

from __future__ import annotations

import contextlib
import io
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from openimr.cli import main
from openimr.corpus.store import Store
from openimr.db import open_database
from openimr.db.engine import database_url
from openimr.errors import InputError
from tests.corpus_shared import FIXTURES

SEED_CASE = Path(__file__).resolve().parents[1] / "examples" / "seed-case.yaml"


@pytest.fixture
def corpus_db(tmp_path: Path) -> Path:
    db = tmp_path / "corpus.db"
    assert main(["corpus", "ingest", str(FIXTURES), "--db", str(db), "--jobs", "1"]) == 0
    return db


@pytest.fixture
def service_db(tmp_path: Path) -> Path:
    db = tmp_path / "service.db"
    assert main(["users", "list", "--db", str(db)]) == 0
    return db


def _refused_untouched(db: Path, argv: list[str], capsys: pytest.CaptureFixture[str], says: str) -> None:
    def state() -> object:
        # what the file holds: its SQL dump when it is a database (the service database runs in WAL mode, where
        # closing a connection may checkpoint the journal into the file, so its bytes are not the measure)
        if db.read_bytes()[:16] != b"SQLite format 3\x00":
            return db.read_bytes()
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as connection:
            return list(connection.iterdump())

    before = state()
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("openimr: error: ") and err.count("\n") == 1 and says in err, err
    assert state() == before


def test_service_commands_refuse_the_corpus_store(corpus_db: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-enough\n"))
    for argv in (["users", "add", "boss", "--role", "admin", "--password-stdin"], ["users", "list"],
                 ["cases", "list"], ["cases", "deadlines"], ["reviewers", "export"]):
        _refused_untouched(corpus_db, [*argv, "--db", str(corpus_db)], capsys, "corpus store")
    _refused_untouched(corpus_db, ["users", "list", "--db", f"sqlite+pysqlite:///{corpus_db}"], capsys, "corpus store")
    with Store.open(str(corpus_db), must_exist=True) as store:  # still a working corpus store
        assert store.counts() == (3, 6)


def test_corpus_commands_refuse_the_service_database(service_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["corpus", "ingest", str(FIXTURES), "--jobs", "1"], ["corpus", "stats"],
                 ["corpus", "similar", str(SEED_CASE)]):
        _refused_untouched(service_db, [*argv, "--db", str(service_db)], capsys, "review service's database")
    assert main(["users", "list", "--db", str(service_db)]) == 0


def test_both_refuse_another_applications_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    _refused_untouched(other, ["corpus", "ingest", str(FIXTURES), "--db", str(other)], capsys, "invoices")
    _refused_untouched(other, ["users", "list", "--db", str(other)], capsys, "invoices")


def test_both_refuse_a_file_that_is_not_sqlite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database " * 200)
    _refused_untouched(junk, ["corpus", "ingest", str(FIXTURES), "--db", str(junk)], capsys, "not an SQLite")
    _refused_untouched(junk, ["cases", "list", "--db", str(junk)], capsys, "not an SQLite")


def test_a_corpus_store_from_before_the_marker_still_opens(corpus_db: Path) -> None:
    with sqlite3.connect(corpus_db) as db:
        db.execute("DROP TABLE openimr_store")  # as stores were written before the marker
    with Store.open(str(corpus_db), must_exist=True) as store:
        assert store.counts() == (3, 6)
    with sqlite3.connect(corpus_db) as db:
        assert db.execute("SELECT kind FROM openimr_store").fetchall() == [("corpus",)]
    assert main(["users", "list", "--db", str(corpus_db)]) == 2


def test_stats_on_an_empty_file_is_refused_untouched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    _refused_untouched(empty, ["corpus", "stats", "--db", str(empty)], capsys, "empty")


def test_the_service_database_on_postgresql_refuses_foreign_tables(db_url: str) -> None:
    engine = sa.create_engine(database_url(db_url))
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE letters (case_key TEXT PRIMARY KEY)"))
        conn.execute(sa.text("CREATE TABLE items (case_key TEXT)"))
    with pytest.raises(InputError, match="corpus store"):
        open_database(db_url)
    with engine.connect() as conn:
        assert set(sa.inspect(conn).get_table_names()) == {"letters", "items"}
    engine.dispose()


def test_an_ingest_refused_for_a_missing_path_creates_no_store(tmp_path: Path, corpus_db: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["corpus", "ingest", str(tmp_path / "absent"), "--db", str(tmp_path / "new.db")]) == 2
    assert not (tmp_path / "new.db").exists()
    _refused_untouched(corpus_db, ["corpus", "ingest", str(FIXTURES), str(tmp_path / "gone.jsonl"), "--db",
                                   str(corpus_db)], capsys, "gone.jsonl: no such file")
