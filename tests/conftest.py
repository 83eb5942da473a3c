"""Shared test fixtures: paths to the repository, its examples and the shared corpus beside it, and fresh
databases.

Database tests run on SQLite always and on PostgreSQL when a server is known: OPENIMR_TEST_PG_URL, else the
URL scripts/ci-services.sh wrote to .ci/pg-url. Each PostgreSQL test gets a schema of its own, dropped
afterwards, so tests neither see nor disturb each other.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
DEV_CORPUS = SHARED / "corpus" / "dwc-imr-2016" / "dev"


@pytest.fixture
def seed_case_path() -> Path:
    return EXAMPLES / "seed-case.yaml"


def needs_dev_corpus() -> pytest.MarkDecorator:
    return pytest.mark.skipif(not DEV_CORPUS.is_dir(), reason="shared dev corpus not present beside the repo")


def pg_url() -> str | None:
    url = os.environ.get("OPENIMR_TEST_PG_URL")
    if url:
        return url
    file = ROOT / ".ci" / "pg-url"
    return (file.read_text().strip() or None) if file.is_file() else None


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL: an SQLite file, or a private schema on the test PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'openimr.db'}"
        return
    base = pg_url()
    if not base:
        pytest.skip("no PostgreSQL: set OPENIMR_TEST_PG_URL or run scripts/ci-services.sh")
    import sqlalchemy as sa

    from openimr.db.engine import database_url

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(database_url(base))
    try:
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        pytest.skip(f"PostgreSQL at {base} is not reachable: {str(exc).splitlines()[0]}")
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()
