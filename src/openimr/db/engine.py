"""Database URLs, engines, sessions and schema upgrades.

A plain path (or nothing: ./openimr.db) means an SQLite file; any SQLAlchemy URL is taken as is, so
postgresql://user:pw@host/db works (the psycopg 3 driver is selected for it). The schema is brought up to date
with the Alembic migrations shipped in openimr/db/migrations whenever a database is opened.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from openimr.errors import InputError
from openimr.storekind import refuse_other_kind, sqlite_tables

T = TypeVar("T")

DEFAULT_DB = "openimr.db"
ENV_VAR = "OPENIMR_DB"


def database_url(given: str | None = None) -> str:
    """The SQLAlchemy URL for --db (or $OPENIMR_DB, or ./openimr.db)."""
    raw = given or os.environ.get(ENV_VAR) or DEFAULT_DB
    if "://" not in raw:
        return f"sqlite:///{Path(raw).expanduser().resolve()}"
    try:
        url = make_url(raw)
    except ArgumentError:
        raise InputError(f"{raw!r} is not a database URL") from None
    if url.drivername in {"postgresql", "postgres"}:
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


# how long an SQLite writer waits for another one before giving up ("database is locked")
SQLITE_BUSY_MS = 15_000
# connections per process: as many as the server's worker threads (40), so no request waits for the pool
POOL_SIZE, POOL_OVERFLOW = 5, 35


def _sqlite_connect(dbapi_conn: object, _record: object) -> None:
    # the driver's own transaction handling is switched off: _sqlite_begin opens every transaction instead
    dbapi_conn.isolation_level = None  # type: ignore[attr-defined]
    cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    # readers and the writer no longer block each other; persistent in the file, so set once per connection
    cur.execute("PRAGMA journal_mode=WAL")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    """Every transaction takes the write lock up front (BEGIN IMMEDIATE), waiting up to the busy timeout.

    A deferred transaction that read first and writes later cannot wait for the lock (SQLite answers
    "database is locked" at once, to avoid a deadlock), and nearly every request writes (the audit log)."""
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    # parameters stay out of error messages and logs: they hold password hashes and case text
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False}, hide_parameters=True,
                               pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=True, pool_size=POOL_SIZE,
                         max_overflow=POOL_OVERFLOW)


def upgrade(engine: Engine) -> None:
    """Run the packaged Alembic migrations up to head, without an alembic.ini."""
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("openimr.db").joinpath("migrations")))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def retryable(exc: DBAPIError) -> bool:
    """A failure that running the same transaction again can cure: a unique key another transaction took
    meanwhile (the retry then sees that row and refuses cleanly), a lock that was busy, a deadlock."""
    if isinstance(exc, IntegrityError):
        return True
    text = str(exc.orig).lower() if isinstance(exc, OperationalError) else ""
    return any(word in text for word in ("database is locked", "deadlock detected", "could not serialize"))


def _create_private(file: Path) -> None:
    """Create a new SQLite file readable by its owner only (it holds case files and password hashes); SQLite
    gives its -wal and -shm files the same mode. An existing file keeps the mode its owner chose."""
    try:
        os.close(os.open(file, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        pass
    except OSError as exc:
        raise InputError(f"{file}: cannot create the database file ({exc.strerror or exc})") from None


@dataclass
class Database:
    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back whole when it raises."""
        with self.sessions() as session, session.begin():
            yield session

    def run(self, fn: Callable[[Session], T], attempts: int = 3) -> T:
        """fn(session) in a transaction of its own, run again (from scratch) after a retryable failure."""
        for attempt in range(1, attempts + 1):
            try:
                with self.transaction() as session:
                    return fn(session)
            except DBAPIError as exc:
                if attempt == attempts or not retryable(exc):
                    raise
                time.sleep(0.02 * attempt)
        raise AssertionError("unreachable")


def open_database(given: str | None = None, migrate: bool = True) -> Database:
    url = database_url(given)
    parsed = make_url(url)
    sqlite = parsed.get_backend_name() == "sqlite"
    if sqlite and parsed.database and parsed.database != ":memory:":
        file = Path(parsed.database)
        if not file.parent.is_dir():
            raise InputError(f"{file.parent}: no such folder for the database file")
        # read before SQLAlchemy connects: its first connection may already write (journal mode)
        refuse_other_kind(str(file), sqlite_tables(file) or set(), "service")
        _create_private(file)
    try:
        engine = make_engine(url)
    except (ImportError, NoSuchModuleError) as exc:  # mysql://, oracle://, a driver that is not installed
        raise InputError(f"cannot open the database {parsed.render_as_string()}: no driver for "
                         f"{parsed.drivername!r} is installed ({exc})") from None
    if migrate:
        try:
            if not sqlite:
                refuse_other_kind(parsed.render_as_string(), set(inspect(engine).get_table_names()), "service")
            upgrade(engine)
        except InputError:
            raise
        except Exception as exc:  # a wrong URL or a server that is down: one line, not a traceback
            raise InputError(f"cannot open the database {make_url(url).render_as_string()}: "
                             f"{str(exc).splitlines()[0]}") from None
    return Database(url, engine, sessionmaker(engine, expire_on_commit=False))
