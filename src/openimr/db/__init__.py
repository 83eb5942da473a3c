"""Persistence: SQLAlchemy 2 models, the database URL rules, sessions, and schema upgrades (Alembic)."""

from openimr.db.engine import Database, database_url, open_database

__all__ = ["Database", "database_url", "open_database"]
