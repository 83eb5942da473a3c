"""`openimr decide CASE` and `openimr decide --jsonl FILE`: determinations as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openimr.commands._case import add_strict_option, read_case_file, report_warnings
from openimr.commands._output import open_output
from openimr.errors import InputError

if TYPE_CHECKING:
    from openimr.model import Case


def register(sub: Any) -> None:
    p = sub.add_parser("decide", help="decide every disputed item of a case; print the determination (JSON)")
    p.add_argument("case", nargs="?", help="case file (JSON or YAML)")
    p.add_argument("--jsonl", metavar="FILE", help="read one case a line from FILE ('-' for stdin), write "
                   "one determination a line, or {\"line\": N, \"error\": ...} for a line that failed (exit 2)")
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
        return _run_jsonl(args.jsonl, out, args.strict)
    finally:
        if args.out:
            out.close()


def _run_jsonl(path: str, out: Any, strict: bool) -> int:
    """One process for thousands of cases: the knowledge base is loaded once. Output line N answers input
    line N: a determination, or {"line": N, "error": "..."} for a line that could not be decided (also
    reported on stderr). The exit status is 2 when any line failed. Document paths are relative to the
    JSONL file's folder (the working folder for stdin) and must stay inside it."""
    from openimr.decide import decide_case
    from openimr.guidelines import load_knowledge_base

    kb = load_knowledge_base()
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
    failed = 0
    with source:
        for number, raw in enumerate(source, start=1):
            try:
                case = _case_of_line(raw, f"{label}:{number}", base, strict)
            except InputError as exc:
                print(f"openimr: error: {exc}", file=sys.stderr)
                out.write(json.dumps({"line": number, "error": str(exc)}) + "\n")
                failed += 1
                continue
            out.write(decide_case(case, kb).model_dump_json() + "\n")
    return 2 if failed else 0


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
