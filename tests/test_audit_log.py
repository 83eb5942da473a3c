"""The audit log: what it records, and that direct SQL as the application's own role cannot rewrite it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.api_support import PASSWORD, Service, make_service
from tests.review_fixtures import case


def _log(svc: Service) -> list[dict[str, object]]:
    return list(svc.get("admin", "/api/audit", limit=1000).json())


def test_failed_logins_refusals_422s_audit_reads_and_logouts_are_audited(db_url: str) -> None:
    svc = make_service(db_url)
    assert svc.client.post("/api/auth/token", json={"username": "intake", "password": "wrong"}).status_code == 401
    assert svc.client.post("/api/auth/token", json={"username": "ghost", "password": "x"}).status_code == 401
    assert svc.get("pmr", "/api/audit").status_code == 403
    assert svc.get("intake", "/api/cases", limit="many").status_code == 422
    assert svc.post("intake", "/api/cases", {"case": case(case_number="N\x00")}).status_code == 400
    ok = svc.client.post("/api/auth/token", json={"username": "chiro", "password": PASSWORD}).json()
    assert svc.client.post("/api/auth/logout", headers={"Authorization": f"Bearer {ok['access_token']}"}).json()
    _log(svc)
    seen = {(a["user"], a["action"]) for a in _log(svc)}
    expected = {("intake", "login_failed"), ("ghost", "login_failed"), ("pmr", "refused:read_audit"),
                ("intake", "refused:invalid_request"), ("intake", "refused:unstorable_input"),
                ("chiro", "login"), ("chiro", "logout"), ("admin", "read_audit")}
    assert expected <= seen, expected - seen


def test_direct_sql_cannot_replace_truncate_update_or_delete_audit_rows(db_url: str) -> None:
    svc = make_service(db_url)
    svc.get("admin", "/api/cases")
    db = svc.client.app.state.db  # type: ignore[attr-defined]
    with db.engine.connect() as conn:
        before = conn.execute(sa.text("SELECT id, action FROM audit_log ORDER BY id")).all()
    first = before[0][0]
    attacks = ["UPDATE audit_log SET action = 'forged'", "DELETE FROM audit_log"]
    if db.engine.dialect.name == "sqlite":
        attacks += [f"INSERT OR REPLACE INTO audit_log (id, at, user_name, action, detail) "
                    f"VALUES ({first}, '2020-01-01', 'x', 'forged', '{{}}')",
                    f"REPLACE INTO audit_log (id, at, user_name, action, detail) "
                    f"VALUES ({first}, '2020-01-01', 'x', 'forged', '{{}}')"]
    else:
        attacks += ["TRUNCATE audit_log", "TRUNCATE audit_log CASCADE",
                    f"INSERT INTO audit_log (id, at, user_name, action, detail) VALUES ({first}, now(), 'x', "
                    "'forged', '{}') ON CONFLICT (id) DO UPDATE SET action = 'forged'"]
    for stmt in attacks:
        with pytest.raises(sa.exc.DBAPIError, match="append-only|permission denied"), db.engine.begin() as conn:
            conn.execute(sa.text(stmt))
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT id, action FROM audit_log ORDER BY id")).all() == before
