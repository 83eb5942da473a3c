"""SQLite under concurrent writers: transactions wait for the lock instead of failing with "database is
locked", and the file is in WAL mode so readers do not block the writer."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from openimr.db import open_database
from openimr.db.models import AuditRow, User
from openimr.db.workflow import audit


def test_concurrent_read_then_write_transactions_all_commit(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "c.db"))
    errors: list[str] = []
    start = threading.Barrier(16)

    def worker() -> None:
        start.wait()
        for _ in range(15):
            try:
                with db.transaction() as s:
                    seen = s.scalar(select(func.count(AuditRow.id)))  # read first, then write: the risky order
                    s.execute(sa.text("SELECT 1"))
                    audit(s, "t", "probe", None, seen=seen)
                    s.flush()
                    s.scalar(select(func.max(AuditRow.id)))
            except Exception as exc:  # collected: the assertion below names them
                errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    with db.transaction() as s:
        assert s.scalar(select(func.count(AuditRow.id))) == 16 * 15
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_a_writer_waits_for_a_slow_transaction_instead_of_failing(tmp_path: Path) -> None:
    """The driver's default wait was 5 s: a slow draft or a large upload held the lock longer under load."""
    db = open_database(str(tmp_path / "slow.db"))
    holding = threading.Event()

    def slow() -> None:
        with db.transaction() as s:
            audit(s, "slow", "probe")
            s.flush()
            holding.set()
            threading.Event().wait(5.5)

    t = threading.Thread(target=slow)
    t.start()
    holding.wait(10)
    with db.transaction() as s:  # raised "database is locked" after 5 s before
        audit(s, "fast", "probe")
    t.join(30)
    with db.transaction() as s:
        assert [r.user_name for r in s.scalars(select(AuditRow).order_by(AuditRow.id))] == ["slow", "fast"]


def test_database_errors_do_not_carry_the_statement_parameters(db_url: str) -> None:
    """The server logs a failed statement's error; its parameters held password hashes and case text."""
    db = open_database(db_url)
    with db.transaction() as s:
        s.add(User(name="dup", role="admin", password_hash="$argon2id$FIRST-SECRET-HASH"))
    with pytest.raises(sa.exc.IntegrityError) as failure, db.transaction() as s:
        s.add(User(name="dup", role="admin", password_hash="$argon2id$SECOND-SECRET-HASH"))
    assert "SECRET-HASH" not in str(failure.value) and "parameters hidden" in str(failure.value)


def test_a_new_sqlite_file_is_private_to_its_owner(tmp_path: Path) -> None:
    old = os.umask(0o022)  # the usual umask, which left the file readable by everyone
    try:
        db = open_database(str(tmp_path / "private.db"))
        with db.transaction() as s:
            audit(s, "t", "probe")
        for name in ("private.db", "private.db-wal", "private.db-shm"):
            assert stat.S_IMODE((tmp_path / name).stat().st_mode) & 0o077 == 0, name
    finally:
        os.umask(old)
