"""Cases the whole-process benchmarks and the output check feed to `openimr decide --jsonl`.

The dev letters' cases are built exactly as `openimr corpus evaluate` builds them (only what the reviewer
had). Without ../shared the synthetic cases of bench_decide.py stand in, and the caller says so.
"""

from __future__ import annotations

import json
from pathlib import Path

DEV = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "dwc-imr-2016" / "dev"


def dev_cases(folder: Path = DEV) -> list[dict]:
    """The dev letters' cases as JSON-ready mappings, in file order; [] when the folder is absent."""
    if not folder.is_dir():
        return []
    from openimr.corpus.evaluate import build_case
    from openimr.corpus.sources import each_record

    cases: list[dict] = []
    each_record([str(folder)], 1, lambda record: cases.append(build_case(record).model_dump(mode="json",
                                                                                             exclude_none=True)))
    return cases


def synthetic_cases(count: int = 103) -> list[dict]:
    from bench_decide import make_cases

    return [case.model_dump(mode="json", exclude_none=True) for case in make_cases(count)]


def write_jsonl(cases: list[dict], path: Path, repeat: int = 1) -> int:
    """Write the cases repeat times, one a line; returns the number of items (requests) written."""
    lines = [json.dumps(case) + "\n" for case in cases]
    with path.open("w", encoding="utf-8") as fh:
        for _ in range(repeat):
            fh.writelines(lines)
    return repeat * sum(len(case["requests"]) for case in cases)
