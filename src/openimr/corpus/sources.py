"""Records from letters (parsed on the fly) or from .jsonl files written by `openimr corpus parse`."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from openimr.corpus.batch import run_batch
from openimr.corpus.record import LetterRecord
from openimr.errors import InputError

_TEXT_FIELDS = ("case_number", "date_assigned", "date_of_injury", "decision_date", "ur_denial_date",
                "received_date", "priority", "source")
_ITEM_TEXT_FIELDS = ("ur_guideline", "reviewer_guideline", "rationale", "original", "authorized", "remaining")


def record_from_json(line: bytes) -> LetterRecord:
    """One line of a records file as a LetterRecord, every field of the type the store and the engine expect;
    ValueError naming the first field that is not (a record is checked whole before anything is stored)."""
    try:
        data = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise ValueError("nested too deeply") from None
    if not isinstance(data, dict):
        raise ValueError(f"a record is a JSON object, not {type(data).__name__}")
    if not isinstance(data.get("layout"), str):
        raise ValueError("field 'layout' must be text")
    for name in _TEXT_FIELDS:
        _text_or_none(data.get(name), name)
    if not isinstance(data.get("clinical_summary", ""), str):
        raise ValueError("field 'clinical_summary' must be text")
    for name in ("licensure", "specialty"):
        value = data.get(name, [])
        if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise ValueError(f"field '{name}' must be a list of text")
    items = data.get("items", [])
    if not isinstance(items, list):
        raise ValueError("field 'items' must be a list")
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise ValueError(f"items.{i} must be an object")
        if not isinstance(item.get("item"), str) or not item["item"].strip():
            raise ValueError(f"field 'items.{i}.item' must be non-empty text")
        if item.get("decision") not in ("Overturned", "Upheld"):
            raise ValueError(f"field 'items.{i}.decision' must be Overturned or Upheld")
        for name in _ITEM_TEXT_FIELDS:
            _text_or_none(item.get(name), f"items.{i}.{name}")
    return LetterRecord.from_dict({"case_number": None, **data})  # a letter without a number is keyed by digest


def _text_or_none(value: object, name: str) -> None:
    if value is not None and not isinstance(value, str):
        raise ValueError(f"field '{name}' must be text or null")


def _jsonl_records(path: Path, sink: Callable[[LetterRecord], object]) -> tuple[int, int]:
    """Each line on its own (bytes, so one line that is not UTF-8 fails alone); a bad line is one error on
    stderr and the batch goes on."""
    parsed = failed = 0
    try:
        lines = path.open("rb")
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or 'cannot read'}") from None
    with lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = record_from_json(line)
            except ValueError as exc:
                print(f"openimr: error: {path}:{number}: not a letter record ({exc})", file=sys.stderr)
                failed += 1
                continue
            sink(record)
            parsed += 1
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
