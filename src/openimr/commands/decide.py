"""`openimr decide CASE` and `openimr decide --jsonl FILE`: determinations as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from openimr.commands._case import add_strict_option, read_case_file
from openimr.commands._output import open_output
from openimr.errors import InputError


def register(sub: Any) -> None:
    p = sub.add_parser("decide", help="decide every disputed item of a case; print the determination (JSON)")
    p.add_argument("case", nargs="?", help="case file (JSON or YAML)")
    p.add_argument("--jsonl", metavar="FILE", help="read one case a line from FILE ('-' for stdin), "
                   "write one determination a line")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    add_strict_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # the engine is imported here, not at start-up: every other command stays fast
    from openimr.decide import decide_case
    if bool(args.case) == bool(args.jsonl):
        raise InputError("give either a CASE file or --jsonl FILE")
    out = open_output(args.out) if args.out else sys.stdout
    try:
        if args.case:
            determination = decide_case(read_case_file(args.case, args.strict))
            out.write(determination.model_dump_json(indent=2) + "\n")
            return 0
        return _run_jsonl(args.jsonl, out)
    finally:
        if args.out:
            out.close()


def _run_jsonl(path: str, out: Any) -> int:
    """One process for thousands of cases: the knowledge base is loaded once. A bad line is reported on
    stderr with its number and skipped; the exit status is 1 when any line failed."""
    from openimr.decide import decide_case
    from openimr.guidelines import load_knowledge_base
    from openimr.intake import case_from_mapping
    from openimr.intake.casefile import TOO_DEEP

    kb = load_knowledge_base()
    try:
        source = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror}") from None
    failed = 0
    with source:
        for number, line in enumerate(source, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                print(f"openimr: error: {where}: not valid JSON ({exc.msg})", file=sys.stderr)
                failed += 1
                continue
            except RecursionError:
                print(f"openimr: error: {where}: {TOO_DEEP}", file=sys.stderr)
                failed += 1
                continue
            try:
                case = case_from_mapping(data, where)
            except InputError as exc:
                print(f"openimr: error: {exc}", file=sys.stderr)
                failed += 1
                continue
            out.write(decide_case(case, kb).model_dump_json() + "\n")
    return 1 if failed else 0
