"""Whole-process decision speed (issue 9, part 8): `openimr decide --jsonl FILE` decides at least 1,000
items a second, start-up, intake and fact extraction included.

The cases are the dev letters' cases built exactly as `openimr corpus evaluate` builds them (103 cases,
220 items: only what the reviewer had), repeated 20 times as JSON lines. The figure is the wall clock of
the whole command as a subprocess, from spawn to exit, output to /dev/null; best of N runs. Without
../shared the synthetic cases of bench_decide.py stand in (and the report says so).

    python benchmarks/bench_decide_jsonl.py [--repeat 20] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _cases import DEV, dev_cases, synthetic_cases, write_jsonl  # noqa: E402
from bench_large_record import run_timed  # noqa: E402

GOAL = 1000


def time_command(path: Path, jobs: int | None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and its worker processes)."""
    command = [sys.executable, "-m", "openimr.cli", "decide", "--jsonl", str(path), "--out", "/dev/null"]
    cpu, wall = run_timed(command + (["--jobs", str(jobs)] if jobs else []))
    return wall, cpu


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20, help="times the case set is repeated in the file")
    ap.add_argument("--runs", type=int, default=3, help="runs of the command; the best counts")
    ap.add_argument("--jobs", type=int, help="passed to the command (default: its own, one worker per CPU)")
    args = ap.parse_args()
    cases = dev_cases()
    source = f"dev letters' cases ({DEV.resolve()})"
    if not cases:
        print(f"{DEV} is absent: using the synthetic cases of bench_decide.py instead")
        cases, source = synthetic_cases(), "synthetic cases (bench_decide.py)"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cases.jsonl"
        items = write_jsonl(cases, path, args.repeat)
        best, cpu = min(time_command(path, args.jobs) for _ in range(args.runs))
    rate = items / best
    load = os.getloadavg()[0]
    print(f"openimr decide --jsonl: {len(cases)} {source} x {args.repeat} = {len(cases) * args.repeat} cases, "
          f"{items} items in {best:.2f} s wall (best of {args.runs}, whole process; {cpu:.2f} s CPU in all "
          f"processes; load average {load:.1f} on {os.cpu_count()} CPUs): {rate:,.0f} items/s; "
          f"goal >= {GOAL:,} items/s {'OK' if rate >= GOAL else 'NOT MET'}")
    return 0 if rate >= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
