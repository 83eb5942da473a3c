"""Records from letters (parsed on the fly) or from .jsonl files written by `openimr corpus parse`."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from openimr.corpus.batch import run_batch
from openimr.corpus.record import LetterRecord
from openimr.errors import InputError


def _jsonl_records(path: Path, sink: Callable[[LetterRecord], object]) -> tuple[int, int]:
    parsed = failed = 0
    try:
        lines = path.open(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or 'cannot read'}") from None
    with lines:
        try:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    sink(LetterRecord.from_dict(json.loads(line)))
                    parsed += 1
                except (json.JSONDecodeError, TypeError, AttributeError) as exc:
                    print(f"openimr: error: {path}:{number}: not a letter record ({exc})", file=sys.stderr)
                    failed += 1
        except UnicodeDecodeError:
            raise InputError(f"{path}: not UTF-8 text") from None
    return parsed, failed


def each_record(paths: Iterable[str], jobs: int | None, sink: Callable[[LetterRecord], object]) -> tuple[int, int]:
    """Hand every record under paths to sink, one at a time; (parsed, failed)."""
    paths = list(paths)
    records = [Path(p) for p in paths if p.endswith(".jsonl")]
    letters = [p for p in paths if not p.endswith(".jsonl")]
    for path in records:
        if not path.is_file():
            raise InputError(f"{path}: no such file")
    parsed = failed = 0
    if letters:
        parsed, failed = run_batch(letters, jobs, sink)
    for path in records:
        p, f = _jsonl_records(path, sink)
        parsed, failed = parsed + p, failed + f
    return parsed, failed
