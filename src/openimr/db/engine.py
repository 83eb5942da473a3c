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
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from openimr.errors import InputError

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


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


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
    if url.startswith("sqlite:///"):
        folder = Path(url.removeprefix("sqlite:///")).parent
        if not folder.is_dir():
            raise InputError(f"{folder}: no such folder for the database file")
    engine = make_engine(url)
    if migrate:
        try:
            upgrade(engine)
        except InputError:
            raise
        except Exception as exc:  # a wrong URL or a server that is down: one line, not a traceback
            raise InputError(f"cannot open the database {make_url(url).render_as_string()}: "
                             f"{str(exc).splitlines()[0]}") from None
    return Database(url, engine, sessionmaker(engine, expire_on_commit=False))
