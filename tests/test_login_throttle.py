"""Login throttling: per user, per address, and a bound on password hashes computed at once."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from openimr.api import create_app
from openimr.api.throttle import LoginThrottle
from openimr.db import accounts
from tests.api_support import PASSWORD, Service, make_service


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _service(tmp_path: Path, throttle: LoginThrottle) -> Service:
    svc = make_service(f"sqlite:///{tmp_path / 't.db'}")
    svc.client = TestClient(create_app(svc.client.app.state.db, throttle=throttle))  # type: ignore[attr-defined]
    return svc


def _login(svc: Service, user: str, password: str) -> int:
    return int(svc.client.post("/api/auth/token", json={"username": user, "password": password}).status_code)


def test_wrong_passwords_for_one_user_are_throttled_then_forgiven(tmp_path: Path) -> None:
    clock = Clock()
    svc = _service(tmp_path, LoginThrottle(per_user=5, per_address=50, window=60, clock=clock))
    assert [_login(svc, "intake", "wrong") for _ in range(5)] == [401] * 5
    r = svc.client.post("/api/auth/token", json={"username": "intake", "password": PASSWORD})
    assert r.status_code == 429 and int(r.headers["retry-after"]) == 60 and "too many" in r.json()["detail"]
    assert _login(svc, "admin", PASSWORD) == 200  # another user is not locked out
    clock.now += 61
    assert _login(svc, "intake", PASSWORD) == 200
    log = svc.get("admin", "/api/audit").json()
    assert sum(a["action"] == "login_throttled" for a in log) == 1


def test_one_address_trying_many_names_is_throttled(tmp_path: Path) -> None:
    svc = _service(tmp_path, LoginThrottle(per_user=5, per_address=8, window=60, clock=Clock()))
    assert [_login(svc, f"guess{i}", "x") for i in range(8)] == [401] * 8
    assert _login(svc, "admin", PASSWORD) == 429


def test_parallel_wrong_passwords_cannot_take_the_service_down(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    svc = _service(tmp_path, LoginThrottle(per_user=1000, per_address=1000, hashing=2, waiting=2))
    busy, most = 0, 0
    lock = threading.Lock()
    real = accounts.verify_password

    def counted(stored: str, password: str) -> bool:
        nonlocal busy, most
        with lock:
            busy += 1
            most = max(most, busy)
        try:
            return real(stored, password)
        finally:
            with lock:
                busy -= 1

    monkeypatch.setattr(accounts, "verify_password", counted)
    start = threading.Barrier(40)
    statuses: Counter[int] = Counter()

    def attack() -> None:
        start.wait()
        statuses[_login(svc, "admin", "wrong password")] += 1

    threads = [threading.Thread(target=attack) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert most <= 2 and statuses[429] > 0 and set(statuses) <= {401, 429}
    assert svc.get("admin", "/api/me").status_code == 200
