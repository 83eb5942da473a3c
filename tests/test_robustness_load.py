"""A bounded mixed load on a real `openimr serve` (127.0.0.1): 32 clients at once, reads and writes, some of them
racing on the same case; no answer may be a 5xx and every acknowledged case must be stored.

The figures (requests per second, latencies) are measured by benchmarks/load.py, not asserted here.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from tests.review_fixtures import case
from tests.server_support import Server, running_server

CONCURRENCY = 32
CASES = 40


def operations(cases: int = CASES, seed: int = 12) -> list[tuple[str, str, str, Any]]:
    """(user, method, path, json body) in a shuffled order: creations race with reads of the same cases, and
    every case number is filed twice so that concurrent duplicates happen."""
    ops: list[tuple[str, str, str, Any]] = []
    for i in range(cases):
        number = f"LOAD-{i:03d}"
        body = {"case": case(case_number=number), "application_date": "2024-03-15"}
        ops += [("intake", "POST", "/api/cases", body), ("intake", "POST", "/api/cases", body),
                ("intake", "GET", f"/api/cases/{number}", None),
                ("intake", "POST", f"/api/cases/{number}/eligibility", None),
                ("admin", "GET", "/api/cases?limit=20", None)]
    ops += [("admin", "GET", "/api/audit?limit=50", None), ("admin", "GET", "/api/reviewers", None),
            ("intake", "GET", "/api/deadlines", None), ("pmr", "GET", "/api/cases", None)] * (cases // 4)
    random.Random(seed).shuffle(ops)
    return ops


def run_load(server: Server, ops: list[tuple[str, str, str, Any]], concurrency: int = CONCURRENCY,
             latencies: list[float] | None = None) -> tuple[Counter[int], list[str]]:
    """Run ops from `concurrency` threads; the status counts and the problems (5xx, non-JSON, transport
    errors). latencies, when given, receives each request's duration in seconds."""
    local = threading.local()
    statuses: Counter[int] = Counter()
    problems: list[str] = []
    lock = threading.Lock()

    def one(op: tuple[str, str, str, Any]) -> None:
        user, method, path, body = op
        if not hasattr(local, "client"):  # one keep-alive connection per worker thread
            local.client = httpx.Client(base_url=server.base, timeout=30)
        try:
            started = time.perf_counter()
            r = local.client.request(method, path, json=body, headers=server.headers(user))
            ok_json = r.headers.get("content-type", "").startswith("application/json")
            with lock:
                if latencies is not None:
                    latencies.append(time.perf_counter() - started)
                statuses[r.status_code] += 1
                if r.status_code >= 500 or not ok_json:
                    problems.append(f"{method} {path}: {r.status_code} {r.text[:200]}")
        except httpx.HTTPError as exc:
            with lock:
                problems.append(f"{method} {path}: {type(exc).__name__} {exc}")

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, ops))
    return statuses, problems


def test_mixed_load_gets_no_5xx_and_loses_no_acknowledged_case(db_url: str, tmp_path: Path) -> None:
    with running_server(db_url, tmp_path / "server.log", users=("intake", "admin", "pmr")) as server:
        ops = operations()
        statuses, problems = run_load(server, ops)
        assert not problems, problems[:5]
        assert sum(statuses.values()) == len(ops)
        assert statuses[201] == CASES and statuses[409] >= CASES  # each number stored once, its twin refused
        listed = httpx.get(server.base + "/api/cases?limit=1000", headers=server.headers("admin"), timeout=30).json()
        assert sorted(c["case_number"] for c in listed) == [f"LOAD-{i:03d}" for i in range(CASES)]
        assert "Traceback" not in server.log_text()
