"""`openimr serve` as a real process on 127.0.0.1, for the crash and load tests.

The database is prepared in the test process (the synthetic reviewers, one user per role with a password hashed
once), the server is started on a free port, and each user logs in through the API for real.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import select

from openimr.db import open_database
from openimr.db.models import User
from openimr.db.workflow import save_reviewers
from openimr.review.registry import Reviewer
from tests.api_support import PASSWORD, USERS, _hashed
from tests.review_fixtures import reviewers


def prepare_database(url: str) -> None:
    db = open_database(url)
    with db.transaction() as s:
        if s.scalar(select(User.id).limit(1)) is not None:
            return
        save_reviewers(s, "test", [Reviewer.model_validate(r) for r in reviewers()])
        for name, (role, rid) in USERS.items():
            s.add(User(name=name, role=role, password_hash=_hashed(), reviewer_id=rid))
    db.engine.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str
    log: Path
    tokens: dict[str, str] = field(default_factory=dict)

    def headers(self, user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[user]}"}

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def start_server(url: str, log: Path, port: int | None = None, env: dict[str, str] | None = None) -> Server:
    port = port or free_port()
    out = log.open("ab")
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from openimr.cli import main; sys.exit(main())",
         "serve", "--host", "127.0.0.1", "--port", str(port), "--db", url],
        stdout=out, stderr=subprocess.STDOUT, env=os.environ | (env or {}))
    server = Server(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"openimr serve exited with {process.returncode}:\n{server.log_text()}")
        try:
            if httpx.get(server.base + "/openapi.json", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"openimr serve did not answer within 20 s:\n{server.log_text()}")


def log_in(server: Server, users: tuple[str, ...] = tuple(USERS)) -> None:
    for user in users:
        r = httpx.post(server.base + "/api/auth/token", json={"username": user, "password": PASSWORD}, timeout=30)
        r.raise_for_status()
        server.tokens[user] = r.json()["access_token"]


def stop(server: Server, sig: int = signal.SIGTERM) -> None:
    if server.process.poll() is None:
        server.process.send_signal(sig)
        try:
            server.process.wait(15)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(5)


@contextmanager
def running_server(url: str, log: Path, env: dict[str, str] | None = None,
                   users: tuple[str, ...] = tuple(USERS)) -> Iterator[Server]:
    prepare_database(url)
    server = start_server(url, log, env=env)
    try:
        log_in(server, users)
        yield server
    finally:
        stop(server)
