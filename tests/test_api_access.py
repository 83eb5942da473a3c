"""Access rules for every role, the audit log, and authentication."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from openimr.db.accounts import issue_token, user_for_token
from openimr.db.models import utcnow
from tests.api_support import PASSWORD, Service, make_service
from tests.review_fixtures import case


def _to_assigned(svc: Service, number: str = "TEST-0001", **changes: object) -> None:
    assert svc.post("intake", "/api/cases", {"case": case(case_number=number, **changes),
                                             "application_date": "2024-03-15"}).status_code == 201
    for step in ("eligibility", "records-request", "records"):
        assert svc.post("intake", f"/api/cases/{number}/{step}").status_code == 200
    assert svc.post("admin", f"/api/cases/{number}/assignment").status_code == 200


@pytest.fixture
def svc(tmp_path) -> Service:
    return make_service(f"sqlite:///{tmp_path / 'a.db'}")


def test_without_credentials_everything_is_401(svc: Service) -> None:
    for path in ("/api/cases", "/api/cases/TEST-0001", "/api/deadlines", "/api/reviewers", "/api/audit"):
        r = svc.client.get(path)
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert svc.client.get("/api/cases", headers={"Authorization": "Bearer forged"}).status_code == 401
    assert svc.client.post("/api/auth/token", json={"username": "admin", "password": "wrong"}).status_code == 401
    assert svc.client.post("/api/auth/token", json={"username": "ghost", "password": PASSWORD}).status_code == 401


def test_tokens_expire_and_can_be_revoked(tmp_path) -> None:
    svc = make_service(f"sqlite:///{tmp_path / 'b.db'}")
    db = svc.client.app.state.db  # type: ignore[attr-defined]
    with db.transaction() as s:
        token, expires = issue_token(s, "admin", PASSWORD, ttl=dt.timedelta(seconds=-1))
        assert expires < utcnow()
    with db.transaction() as s:
        assert user_for_token(s, token) is None
    assert svc.client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert svc.get("admin", "/api/me").json() == {"name": "admin", "role": "admin"}
    svc.post("admin", "/api/auth/logout")
    assert svc.get("admin", "/api/me").status_code == 401


def test_passwords_are_stored_hashed(svc: Service) -> None:
    db = svc.client.app.state.db  # type: ignore[attr-defined]
    with db.engine.connect() as conn:
        hashes = conn.execute(sa.text("SELECT password_hash FROM users")).scalars().all()
        tokens = conn.execute(sa.text("SELECT token_hash FROM sessions")).scalars().all()
    assert hashes and all(h.startswith("$argon2") and PASSWORD not in h for h in hashes)
    assert svc.tokens["admin"] not in tokens


def test_reviewer_sees_only_assigned_cases(svc: Service) -> None:
    _to_assigned(svc)
    assert [c["case_number"] for c in svc.get("pmr", "/api/cases").json()] == ["TEST-0001"]
    assert svc.get("chiro", "/api/cases").json() == []
    r = svc.get("chiro", "/api/cases/TEST-0001")
    assert r.status_code == 404
    assert svc.post("chiro", "/api/cases/TEST-0001/draft").status_code == 404
    assert svc.get("chiro", "/api/deadlines").json() == {"at_risk": [], "overdue": []}
    assert svc.get("pmr", "/api/cases/TEST-0001").status_code == 200


def test_only_admins_see_reviewer_identities(svc: Service) -> None:
    _to_assigned(svc)
    admin_view = svc.get("admin", "/api/cases/TEST-0001").json()
    assert admin_view["reviewer"]["name"] == "Dana Physiatrist" and admin_view["reviewer"]["id"] == "r-pmr"
    for user in ("intake", "pmr"):
        view = svc.get(user, "/api/cases/TEST-0001").json()
        assert view["reviewer"] == {"licensure": ["California"], "specialty": ["Physical Medicine & Rehabilitation"]}
        assert "Dana" not in str(view) and "r-pmr" not in str(view)
    for user in ("intake", "pmr", "chiro"):
        assert svc.get(user, "/api/reviewers").status_code == 403
        assert svc.get(user, "/api/audit").status_code == 403
    assert len(svc.get("admin", "/api/reviewers").json()) == 7


@pytest.mark.parametrize("user,path,allowed", [
    ("pmr", "/api/cases", False),  # reviewers do not file cases
    ("intake", "/api/cases/TEST-0002/assignment", False),  # only admins assign
    ("pmr", "/api/cases/TEST-0002/assignment", False),
    ("intake", "/api/cases/TEST-0002/draft", False),
    ("admin", "/api/cases/TEST-0002/sign", False),  # only the assigned reviewer signs
    ("intake", "/api/cases/TEST-0002/sign", False),
    ("pmr", "/api/cases/TEST-0002/eligibility", False),
    ("pmr", "/api/users", False),
])
def test_role_permissions(svc: Service, user: str, path: str, allowed: bool) -> None:
    _to_assigned(svc, "TEST-0002")
    body = {"case": case(case_number="TEST-0003")} if path == "/api/cases" else \
        {"name": "x", "role": "admin", "password": "longenough"} if path == "/api/users" else {}
    r = svc.post(user, path, body)
    assert r.status_code == 403, r.text
    assert "role" in r.json()["detail"]


def test_admin_adds_users_and_new_user_logs_in(svc: Service) -> None:
    r = svc.post("admin", "/api/users", {"name": "rev2", "role": "reviewer", "password": "longenough",
                                         "reviewer_id": "r-chiro"})
    assert r.status_code == 201, r.text
    r = svc.client.post("/api/auth/token", json={"username": "rev2", "password": "longenough"})
    assert r.status_code == 200
    assert svc.post("admin", "/api/users", {"name": "rev2", "role": "intake", "password": "longenough"}
                    ).status_code == 400
    assert svc.post("admin", "/api/users", {"name": "x", "role": "reviewer", "password": "longenough",
                                            "reviewer_id": "nobody"}).status_code == 400


def test_every_read_and_write_is_audited_and_the_log_is_append_only(db_url: str) -> None:
    svc = make_service(db_url)
    _to_assigned(svc)
    svc.get("pmr", "/api/cases/TEST-0001")
    svc.get("chiro", "/api/cases/TEST-0001")  # refused, and still logged
    log = svc.get("admin", "/api/audit", case="TEST-0001").json()
    seen = {(a["user"], a["action"]) for a in log}
    assert ("pmr", "read") in seen and ("chiro", "refused:read") in seen and ("admin", "assign") in seen
    assert ("intake", "create") in seen
    # no route alters the log ...
    for method in ("put", "patch", "delete"):
        assert getattr(svc.client, method)("/api/audit", headers=svc.as_("admin")).status_code == 405
    # ... and the database itself refuses updates and deletes
    db = svc.client.app.state.db  # type: ignore[attr-defined]
    for stmt in ("UPDATE audit_log SET action = 'forged'", "DELETE FROM audit_log"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only|permission denied"), db.engine.begin() as conn:
            conn.execute(sa.text(stmt))
    assert len(svc.get("admin", "/api/audit", case="TEST-0001").json()) >= len(log)
