"""The review service under load, and the case list at 7,000 cases, on a real `openimr serve` (127.0.0.1).

1. Mixed load: intake files cases (each number twice, so concurrent duplicates happen), reads them, checks
   eligibility; admins read the list, the audit log and the reviewers; a reviewer lists. Reported: requests,
   statuses, requests per second, latency percentiles. Goal: no 5xx at concurrency 32.
2. The case list with 7,000 stored cases (inserted directly): GET /api/cases (a page of 100), ?limit=1000,
   and /api/deadlines. Goal: the default page well under 100 ms (it was 455 ms for an unpaged list).

    python benchmarks/bench_api_load.py [--db URL] [--cases 250] [--concurrency 32] [--list-cases 7000]

Without --db a fresh SQLite file in a temporary folder is used; a PostgreSQL URL must name an empty database
or schema (e.g. ...?options=-csearch_path%3Dbench, after CREATE SCHEMA bench).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the test helpers start the server and draw the load

from openimr.db import open_database  # noqa: E402
from openimr.db.models import CaseRow  # noqa: E402
from openimr.intake import case_from_mapping  # noqa: E402
from tests.review_fixtures import case  # noqa: E402
from tests.server_support import log_in, prepare_database, start_server, stop  # noqa: E402
from tests.test_robustness_load import operations, run_load  # noqa: E402


def _percentile(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))]


def _insert_cases(url: str, count: int) -> None:
    data = case_from_mapping(case(), "bench").model_dump(mode="json", exclude_none=True)
    db = open_database(url)
    with db.transaction() as s:
        for i in range(count):
            s.add(CaseRow(case_number=f"BULK-{i:05d}", state="received", priority="standard",
                          data=data | {"case_number": f"BULK-{i:05d}"}, records_electronic=False))
    db.engine.dispose()


def _time_get(client: httpx.Client, path: str, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(path).raise_for_status()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database URL (default: a new SQLite file)")
    parser.add_argument("--cases", type=int, default=250, help="cases filed in the load phase")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--list-cases", type=int, default=7000, help="cases stored for the list timing")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="openimr-bench-"))
    url = args.db or f"sqlite:///{folder / 'bench.db'}"
    prepare_database(url)
    server = start_server(url, folder / "server.log")
    try:
        log_in(server, ("intake", "admin", "pmr"))
        ops = operations(args.cases)
        latencies: list[float] = []
        started = time.perf_counter()
        statuses, problems = run_load(server, ops, args.concurrency, latencies)
        elapsed = time.perf_counter() - started
        print(f"load: {len(ops)} requests at concurrency {args.concurrency} in {elapsed:.1f} s "
              f"({len(ops) / elapsed:.0f}/s); statuses {dict(sorted(statuses.items()))}")
        print(f"  latency p50 {_percentile(latencies, .5) * 1000:.0f} ms, p95 {_percentile(latencies, .95) * 1000:.0f} ms,"
              f" max {max(latencies) * 1000:.0f} ms; problems (5xx, non-JSON, resets): {len(problems)}")
        for p in problems[:5]:
            print(f"  {p}")
        _insert_cases(url, args.list_cases)
        with httpx.Client(base_url=server.base, headers=server.headers("admin"), timeout=60) as client:
            total = client.get("/api/cases?limit=1").headers["x-total-count"]
            print(f"list with {total} cases stored (median of 5):")
            for path in ("/api/cases", "/api/cases?limit=1000", "/api/cases?limit=100&offset=6900",
                         "/api/deadlines"):
                print(f"  GET {path}: {_time_get(client, path) * 1000:.0f} ms")
        return 1 if problems else 0
    finally:
        stop(server)


if __name__ == "__main__":
    sys.exit(main())
