"""`openimr letter CASE [--format text|md|html|pdf] [--public] [--out FILE]`: the Final Determination Letter."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from openimr.commands._case import add_strict_option, read_case_file
from openimr.errors import InputError
from openimr.letter import FORMATS


def register(sub: Any) -> None:
    p = sub.add_parser("letter", help="decide a case and render its Final Determination Letter")
    p.add_argument("case", help="case file (JSON or YAML)")
    p.add_argument("--format", choices=sorted(FORMATS), default="text", help="output format (default text)")
    p.add_argument("--public", action="store_true",
                   help="the redacted copy the Division publishes; what was removed is reported on stderr")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    add_strict_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from openimr.decide import decide_case
    from openimr.letter import render_letter_bytes
    from openimr.letter.pdf import PdfUnavailable
    from openimr.letter.redact import redaction_report

    if args.format == "pdf" and not args.out and sys.stdout.isatty():
        raise InputError("a PDF letter is not for the terminal: give --out FILE.pdf or redirect stdout")
    case = read_case_file(args.case, args.strict)
    try:
        data, removed = render_letter_bytes(case, decide_case(case), args.format, public=args.public)
    except PdfUnavailable as exc:
        raise InputError(str(exc)) from None
    _write_bytes(data, args.out)
    if args.public:
        sys.stderr.write(redaction_report(removed))
    return 0


def _write_bytes(data: bytes, path: str | None) -> None:
    if not path:
        sys.stdout.buffer.write(data) if hasattr(sys.stdout, "buffer") else sys.stdout.write(data.decode("utf-8"))
        return
    try:
        with open(path, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror}") from None
