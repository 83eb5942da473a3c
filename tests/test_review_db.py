"""The schema comes from the packaged migrations, on SQLite and PostgreSQL; a failed unit of work leaves nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from openimr.db import database_url, open_database
from openimr.db import workflow as wf
from openimr.review.lifecycle import TransitionError
from tests.review_fixtures import case


def test_migrations_run_once_and_are_idempotent(db_url: str) -> None:
    db = open_database(db_url)
    open_database(db_url)  # a second open finds the schema at head and changes nothing
    names = set(sa.inspect(db.engine).get_table_names())
    assert {"cases", "drafts", "letters", "reviewers", "users", "sessions", "audit_log", "alembic_version"} <= names
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one() == _head()


def _head() -> str:
    """The newest packaged migration."""
    from importlib import resources

    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("openimr.db").joinpath("migrations")))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    assert head is not None
    return head


def test_a_failed_unit_of_work_is_rolled_back_whole(db_url: str) -> None:
    db = open_database(db_url)
    with db.transaction() as s:
        wf.create_case(s, wf.CLI_ACTOR, case(), dt.date(2024, 3, 15))
    with pytest.raises(TransitionError), db.transaction() as s:
        wf.create_case(s, wf.CLI_ACTOR, case(case_number="TEST-0002"), None)  # stored, then ...
        wf.receive_records(s, wf.CLI_ACTOR, "TEST-0001", dt.date(2024, 3, 18), [])  # ... a refused move
    with db.transaction() as s:
        numbers = [c["case_number"] for c in wf.list_cases(s, wf.CLI_ACTOR, dt.date(2024, 3, 20))]
    assert numbers == ["TEST-0001"]


def test_database_urls() -> None:
    assert database_url("data/imr.db").startswith("sqlite:////")
    assert database_url("postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"
