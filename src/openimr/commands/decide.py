"""`openimr decide CASE` and `openimr decide --jsonl FILE`: determinations as JSON."""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from openimr.commands._output import open_output
from openimr.errors import InputError

# lines a worker takes at a time: enough to pay for the hand-over, few enough to keep every core busy
CHUNK = 16
Line = tuple[str, str]  # (where, text): "FILE:NUMBER" and the line
Result = tuple[str | None, str | None]  # (determination as one JSON line, or the error message)


def register(sub: Any) -> None:
    p = sub.add_parser("decide", help="decide every disputed item of a case; print the determination (JSON)")
    p.add_argument("case", nargs="?", help="case file (JSON or YAML)")
    p.add_argument("--jsonl", metavar="FILE", help="read one case a line from FILE ('-' for stdin), "
                   "write one determination a line")
    p.add_argument("--jobs", type=int, metavar="N", help="with --jsonl: worker processes (default: one per CPU)")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # the engine is imported here, not at start-up: every other command stays fast
    from openimr.decide import decide_case
    from openimr.intake import load_case

    if bool(args.case) == bool(args.jsonl):
        raise InputError("give either a CASE file or --jsonl FILE")
    if args.jobs is not None and args.jobs < 1:
        raise InputError("--jobs must be at least 1")
    # Deciding allocates many small objects that die young and hold no cycles: a collection of the youngest
    # generation every 700 allocations (the default) cost about 8 % of a long record's time.
    out = open_output(args.out) if args.out else sys.stdout
    thresholds = gc.get_threshold()
    gc.set_threshold(10_000, *thresholds[1:])
    try:
        if args.case:
            determination = decide_case(load_case(args.case))
            out.write(determination.model_dump_json(indent=2) + "\n")
            return 0
        return _run_jsonl(args.jsonl, out, args.jobs or os.cpu_count() or 1)
    finally:
        gc.set_threshold(*thresholds)
        if args.out:
            out.close()


def _run_jsonl(path: str, out: Any, jobs: int) -> int:
    """One process (or one per CPU) for thousands of cases: the knowledge base is loaded once. Output keeps
    the input's order. A bad line is reported on stderr with its number and skipped; the exit status is 1
    when any line failed."""
    from openimr.guidelines import load_knowledge_base

    load_knowledge_base()  # before the workers fork, so that they share it
    try:
        source = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror}") from None
    failed = 0
    with source:
        for results in _decided_chunks(_chunks(source, path), jobs):
            for decided, error in results:
                if error is not None:
                    print(f"openimr: error: {error}", file=sys.stderr)
                    failed += 1
                else:
                    out.write(decided)
    return 1 if failed else 0


def _chunks(source: Iterable[str], path: str) -> Iterator[list[Line]]:
    chunk: list[Line] = []
    for number, line in enumerate(source, start=1):
        if line.strip():
            chunk.append((f"{path}:{number}", line))
            if len(chunk) == CHUNK:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


def _decided_chunks(chunks: Iterator[list[Line]], jobs: int) -> Iterator[list[Result]]:
    """The results of each chunk, in input order; over a pool of worker processes when there is more than
    one chunk to share."""
    head = list(itertools.islice(chunks, 2))
    if len(head) < 2 or jobs <= 1:
        yield from map(decide_chunk, itertools.chain(head, chunks))
        return
    # the first chunk here: the workers then fork with every lazily built cache (templates, patterns) warm
    yield decide_chunk(head.pop(0))
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

    # fork where the platform has it: the workers start with the engine imported and the knowledge base loaded
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        pending: deque[Future[list[Result]]] = deque()
        for chunk in itertools.chain(head, chunks):
            pending.append(pool.submit(decide_chunk, chunk))
            if len(pending) >= jobs * 4:  # read this far ahead only: memory stays flat on any input
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def decide_chunk(chunk: list[Line]) -> list[Result]:
    """Decide each line of a chunk (in a worker process, or in this one)."""
    from openimr.decide import decide_case
    from openimr.guidelines import load_knowledge_base
    from openimr.intake import case_from_mapping

    kb = load_knowledge_base()
    results: list[Result] = []
    for where, line in chunk:
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            results.append((None, f"{where}: not valid JSON ({exc.msg})"))
            continue
        try:
            case = case_from_mapping(data, where)
        except InputError as exc:
            results.append((None, str(exc)))
            continue
        results.append((decide_case(case, kb).model_dump_json() + "\n", None))
    return results
