"""Errors that escape a route, seen from a real HTTP client on a keep-alive connection (uvicorn in a thread)."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy.exc import OperationalError

from openimr.db import workflow as wf
from tests.api_support import Service, make_service
from tests.server_support import free_port


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Service, str]]:
    svc = make_service(f"sqlite:///{tmp_path / 't.db'}")
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(svc.client.app, host="127.0.0.1", port=port, log_level="critical"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield svc, f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def _failing(exc: Exception):  # type: ignore[no-untyped-def]
    def fail(*_args: object, **_kwargs: object) -> None:
        raise exc
    return fail


def test_a_500_is_json_and_does_not_break_the_next_request(served, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    svc, base = served
    monkeypatch.setattr(wf, "deadline_report", _failing(RuntimeError("an unforeseen bug")))
    with httpx.Client(base_url=base, headers=svc.as_("admin"), timeout=10) as client:
        r = client.get("/api/deadlines")
        assert r.status_code == 500 and r.json() == {"detail": "internal error; it has been logged"}
        assert "an unforeseen bug" not in r.text
        assert client.get("/api/me").status_code == 200  # was a reset connection


def test_a_database_that_stays_locked_is_503_with_retry_after(served, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    svc, base = served
    locked = OperationalError("INSERT ...", {}, sqlite3.OperationalError("database is locked"))
    monkeypatch.setattr(wf, "deadline_report", _failing(locked))
    with httpx.Client(base_url=base, headers=svc.as_("admin"), timeout=30) as client:
        r = client.get("/api/deadlines")
        assert r.status_code == 503 and r.headers["retry-after"] == "2" and "busy" in r.json()["detail"]
        assert client.get("/api/me").status_code == 200
