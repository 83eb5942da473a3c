"""The workbench served by uvicorn on a free local port, and Debian's chromium driven by Playwright.

No browser is downloaded: Playwright launches /usr/bin/chromium (installed by scripts/ci-system-packages.sh)
with a new, empty profile. Without chromium or playwright the browser tests skip, except under CI=true, where
they fail: CI must run them.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from openimr.db import Database, open_database
from openimr.db import workflow as wf
from openimr.db.models import User
from openimr.review.registry import Reviewer
from tests.api_support import USERS, _hashed
from tests.review_fixtures import case, reviewers

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TODAY = dt.date(2024, 3, 20)


def browser_or_skip() -> Any:
    """playwright.sync_api.sync_playwright, or a skip (a failure under CI) naming what is missing."""
    missing = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = "the playwright package is not installed (pip install -e '.[dev]')"
    if missing is None and not CHROMIUM.is_file():
        missing = f"{CHROMIUM} is missing (apt-get install chromium; scripts/ci-system-packages.sh does it)"
    if missing:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"browser tests cannot run under CI: {missing}")
        pytest.skip(missing)
    return sync_playwright


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def seed(db: Database) -> None:
    """Reviewers, one user per role, and three cases on TODAY: WEB-0001 drafted for the MD (on time), WEB-0002
    drafted for the chiropractor, assigned by override (overdue), WEB-0003 waiting for assignment (at risk)."""
    with db.transaction() as s:
        wf.save_reviewers(s, "test", [Reviewer.model_validate(r) for r in reviewers()])
        for name, (role, rid) in USERS.items():
            s.add(User(name=name, role=role, password_hash=_hashed(), reviewer_id=rid))
    admin = wf.CLI_ACTOR
    day = dt.date.fromisoformat
    # case, employee, reviewer, UR decision, application, records requested, records received
    plans = [("WEB-0001", "Sam Worker", "auto", "2024-03-01", "2024-03-15", "2024-03-16", "2024-03-18"),
             ("WEB-0002", "Alex Driver", "r-chiro", "2024-01-20", "2024-02-01", "2024-02-02", "2024-02-15"),
             ("WEB-0003", "Jo Loader", None, "2024-02-10", "2024-02-15", "2024-02-16", "2024-02-22")]
    for number, employee, reviewer, ur, applied, requested, received in plans:
        data = case(case_number=number, ur_denial_date=ur)
        data["parties"] = dict(data["parties"], employee=employee)
        with db.transaction() as s:
            wf.create_case(s, admin, data, day(applied))
            wf.check_eligibility(s, admin, number)
            wf.request_records(s, admin, number, day(requested), False)
            wf.receive_records(s, admin, number, day(received), [])
            if reviewer is not None:
                override = None if reviewer == "auto" else reviewer
                wf.assign_case(s, admin, number, override, "chiropractic request" if override else None)
                wf.draft(s, admin, number)


class Server:
    """uvicorn serving create_app on 127.0.0.1 in a thread of the test process."""

    def __init__(self, db: Database):
        import uvicorn

        from openimr.api import create_app

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(db, today=lambda: TODAY), host="127.0.0.1", port=self.port,
                                log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError(f"uvicorn did not start on port {self.port}")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def serve(tmp: Path) -> Iterator[Server]:
    db = open_database(f"sqlite:///{tmp / 'web.db'}")
    seed(db)
    with Server(db) as server:
        yield server


def small_png(data: bytes, path: Path) -> None:
    """A screenshot reduced to a 256-colour palette: legible, and a fraction of the size."""
    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB")
    path.parent.mkdir(parents=True, exist_ok=True)
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
