"""Close the two ways around the append-only audit log that direct SQL still had.

SQLite: INSERT OR REPLACE (and REPLACE, and an upsert) with an existing id replaced a row without firing the
DELETE trigger; a BEFORE INSERT trigger now refuses any insert whose id is already taken.
PostgreSQL: row triggers do not fire on TRUNCATE, which emptied the table as the application's own role; a
statement trigger now refuses it, and UPDATE, DELETE and TRUNCATE are revoked from the role that runs the
migration (it keeps SELECT and INSERT) and from PUBLIC. An owner can grant itself those back; docs/security.md
describes running the service as a role that does not own the tables, which cannot.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_SQLITE = [
    "CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log "
    "WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id) "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
]
_PG = [
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
    "REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC",
    "REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM CURRENT_USER",
]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for stmt in _PG if dialect == "postgresql" else _SQLITE if dialect == "sqlite" else []:
        op.execute(stmt)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("GRANT UPDATE, DELETE, TRUNCATE ON audit_log TO CURRENT_USER")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
    elif dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_replace")
