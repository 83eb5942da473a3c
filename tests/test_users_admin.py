"""Disabling a user, changing a password and ending every session: through the API and the command line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from openimr.cli import main
from tests.api_support import PASSWORD, Service, make_service


def _login(svc: Service, user: str, password: str = PASSWORD) -> str | None:
    r = svc.client.post("/api/auth/token", json={"username": user, "password": password})
    return r.json()["access_token"] if r.status_code == 200 else None


def _me(svc: Service, token: str) -> int:
    return int(svc.client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code)


def test_admin_disables_and_enables_a_user(db_url: str) -> None:
    svc = make_service(db_url)
    token = _login(svc, "intake")
    assert token and _me(svc, token) == 200
    r = svc.post("admin", "/api/users/intake/disable")
    assert r.status_code == 200 and r.json() == {"name": "intake", "disabled": True}
    assert _me(svc, token) == 401 and svc.get("intake", "/api/me").status_code == 401
    assert _login(svc, "intake") is None  # the same 401 as a wrong password
    assert {u["name"]: u["disabled"] for u in svc.get("admin", "/api/users").json()}["intake"] is True
    assert svc.post("admin", "/api/users/intake/enable").json()["disabled"] is False
    assert _login(svc, "intake")
    assert svc.post("pmr", "/api/users/chiro/disable").status_code == 403
    assert svc.post("admin", "/api/users/admin/disable").status_code == 400
    assert svc.post("admin", "/api/users/nobody/disable").status_code == 404
    actions = {a["action"] for a in svc.get("admin", "/api/audit").json()}
    assert {"user_disabled", "user_enabled"} <= actions


def test_password_changes_end_every_session(tmp_path: Path) -> None:
    svc = make_service(f"sqlite:///{tmp_path / 'p.db'}")
    other = _login(svc, "pmr")
    assert other
    r = svc.post("pmr", "/api/users/pmr/password", {"password": "a new long password"})
    assert r.status_code == 403  # their own, without the current password
    r = svc.post("pmr", "/api/users/pmr/password", {"password": "a new long password", "current_password": PASSWORD})
    assert r.status_code == 200, r.text
    assert _me(svc, other) == 401 and svc.get("pmr", "/api/me").status_code == 401
    assert _login(svc, "pmr") is None and _login(svc, "pmr", "a new long password")
    assert svc.post("intake", "/api/users/pmr/password", {"password": "x" * 12}).status_code == 403
    assert svc.post("admin", "/api/users/pmr/password", {"password": "short"}).status_code == 400
    assert svc.post("admin", "/api/users/pmr/password", {"password": "reset by admin"}).status_code == 200


def test_logout_all_ends_every_session_of_the_user(tmp_path: Path) -> None:
    svc = make_service(f"sqlite:///{tmp_path / 'l.db'}")
    tokens = [_login(svc, "chiro") for _ in range(3)]
    r = svc.post("chiro", "/api/users/chiro/logout-all")
    assert r.status_code == 200 and r.json()["sessions_ended"] == 4
    assert all(t and _me(svc, t) == 401 for t in tokens)
    assert svc.post("pmr", "/api/users/intake/logout-all").status_code == 403
    assert svc.post("admin", "/api/users/intake/logout-all").json()["sessions_ended"] == 1
    assert svc.get("intake", "/api/me").status_code == 401


def test_the_command_line_disables_changes_passwords_and_logs_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    svc = make_service(url)
    assert main(["users", "disable", "intake", "--db", url]) == 0
    assert svc.get("intake", "/api/me").status_code == 401 and _login(svc, "intake") is None
    assert main(["users", "enable", "intake", "--db", url]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("a brand new password\n"))
    assert main(["users", "passwd", "intake", "--password-stdin", "--db", url]) == 0
    assert _login(svc, "intake", "a brand new password")
    assert main(["users", "logout-all", "pmr", "--db", url]) == 0
    assert svc.get("pmr", "/api/me").status_code == 401
    assert main(["users", "disable", "nobody", "--db", url]) == 2
    assert "no user 'nobody'" in capsys.readouterr().err
    assert main(["users", "list", "--db", url]) == 0
    assert "intake\tintake\t\tactive\n" in capsys.readouterr().out
