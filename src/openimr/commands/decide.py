"""`openimr decide CASE` and `openimr decide --jsonl FILE`: determinations as JSON."""

from __future__ import annotations

import argparse
import functools
import gc
import itertools
import json
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openimr.commands._case import add_strict_option, read_case_file, report_warnings
from openimr.commands._options import positive_int
from openimr.commands._output import open_output
from openimr.errors import InputError

if TYPE_CHECKING:
    from openimr.model import Case

# lines a worker takes at a time: enough to pay for the hand-over, few enough to keep every core busy
CHUNK = 16
Line = tuple[int, bytes]  # (line number, the line as read)
Result = tuple[int, str | None, str | None]  # (line number, determination as one JSON line, or the error)


def register(sub: Any) -> None:
    p = sub.add_parser("decide", help="decide every disputed item of a case; print the determination (JSON)")
    p.add_argument("case", nargs="?", help="case file (JSON or YAML)")
    p.add_argument("--jsonl", metavar="FILE", help="read one case a line from FILE ('-' for stdin), write "
                   "one determination a line, or {\"line\": N, \"error\": ...} for a line that failed (exit 2)")
    p.add_argument("--jobs", type=positive_int, metavar="N",
                   help="with --jsonl: worker processes (default: one per CPU)")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    add_strict_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # the engine is imported here, not at start-up: every other command stays fast
    from openimr.decide import decide_case

    if bool(args.case) == bool(args.jsonl):
        raise InputError("give either a CASE file or --jsonl FILE")
    out = open_output(args.out) if args.out else sys.stdout
    # Deciding allocates many small objects that die young and hold no cycles: a collection of the youngest
    # generation every 700 allocations (the default) cost about 8 % of a long record's time.
    thresholds = gc.get_threshold()
    gc.set_threshold(10_000, *thresholds[1:])
    try:
        if args.case:
            determination = decide_case(read_case_file(args.case, args.strict))
            out.write(determination.model_dump_json(indent=2) + "\n")
            return 0
        return _run_jsonl(args.jsonl, out, args.strict, args.jobs or os.cpu_count() or 1)
    finally:
        gc.set_threshold(*thresholds)
        if args.out:
            out.close()


def _run_jsonl(path: str, out: Any, strict: bool, jobs: int) -> int:
    """Thousands of cases in one process, or one per CPU: the knowledge base is loaded once. Output line N
    answers input line N: a determination, or {"line": N, "error": "..."} for a line that could not be
    decided (also reported on stderr). The exit status is 2 when any line failed. Document paths are relative
    to the JSONL file's folder (the working folder for stdin) and must stay inside it."""
    from openimr.guidelines import load_knowledge_base

    load_knowledge_base()  # before the workers fork, so that they share it
    label = "stdin" if path == "-" else path
    base = Path.cwd() if path == "-" else Path(path).parent
    if path == "-":
        source = sys.stdin.buffer
    else:
        file = Path(path)
        if file.is_dir():
            raise InputError(f"{path}: is a folder, not a file")
        try:
            source = open(file, "rb")  # noqa: SIM115 - closed below; bytes, so one bad line stays one line
        except OSError as exc:
            raise InputError(f"{path}: {exc.strerror}") from None
    decide = functools.partial(decide_chunk, label=label, base=str(base), strict=strict)
    failed = 0
    with source:
        for results in _decided_chunks(_chunks(source), jobs, decide):
            for number, decided, error in results:
                if error is not None:
                    print(f"openimr: error: {error}", file=sys.stderr)
                    out.write(json.dumps({"line": number, "error": error}) + "\n")
                    failed += 1
                else:
                    out.write(decided)
    return 2 if failed else 0


def _chunks(source: Iterable[bytes]) -> Iterator[list[Line]]:
    chunk: list[Line] = []
    for number, raw in enumerate(source, start=1):
        chunk.append((number, raw))
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _decided_chunks(source: Iterator[list[Line]], jobs: int, decide: Any) -> Iterator[list[Result]]:
    """The results of each chunk, in input order; over a pool of worker processes when there is more than
    one chunk to share."""
    head = list(itertools.islice(source, 2))
    if len(head) < 2 or jobs <= 1:
        yield from map(decide, itertools.chain(head, source))
        return
    # the first chunk here: the workers then fork with every lazily built cache (templates, patterns) warm
    yield decide(head.pop(0))
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

    # fork where the platform has it: the workers start with the engine imported and the knowledge base loaded
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        pending: deque[Future[list[Result]]] = deque()
        for chunk in itertools.chain(head, source):
            pending.append(pool.submit(decide, chunk))
            if len(pending) >= jobs * 4:  # read this far ahead only: memory stays flat on any input
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def decide_chunk(chunk: list[Line], label: str, base: str, strict: bool) -> list[Result]:
    """Decide each line of a chunk (in a worker process, or in this one)."""
    from openimr.decide import decide_case
    from openimr.guidelines import load_knowledge_base

    kb = load_knowledge_base()
    results: list[Result] = []
    for number, raw in chunk:
        try:
            case = _case_of_line(raw, f"{label}:{number}", Path(base), strict)
        except InputError as exc:
            results.append((number, None, str(exc)))
            continue
        results.append((number, decide_case(case, kb).model_dump_json() + "\n", None))
    return results


def _case_of_line(raw: bytes, where: str, base: Path, strict: bool) -> Case:
    from openimr.intake import case_from_mapping, parse_case_text
    from openimr.intake.checks import case_warnings, check_plausible

    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{where}: not UTF-8 text") from None
    if not line.strip():
        raise InputError(f"{where}: an empty line, not a case")
    data = parse_case_text(line, where, yaml_ok=False)
    case = case_from_mapping(data, where, base)
    check_plausible(case, where)
    report_warnings(case_warnings(case, where, None), strict)
    return case
