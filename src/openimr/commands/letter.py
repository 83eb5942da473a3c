"""`openimr letter CASE [--format text|md|html]`: the Final Determination Letter."""

from __future__ import annotations

import argparse
from typing import Any

from openimr.commands._case import add_strict_option, read_case_file
from openimr.commands._output import write_output
from openimr.letter import FORMATS


def register(sub: Any) -> None:
    p = sub.add_parser("letter", help="decide a case and render its Final Determination Letter")
    p.add_argument("case", help="case file (JSON or YAML)")
    p.add_argument("--format", choices=sorted(FORMATS), default="text", help="output format (default text)")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    add_strict_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from openimr.decide import decide_case
    from openimr.letter import render_letter

    case = read_case_file(args.case, args.strict)
    text = render_letter(case, decide_case(case), args.format)
    write_output(text, args.out)
    return 0
