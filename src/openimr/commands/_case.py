"""Case files on the command line: one --strict option and one way to read them, for every command that
takes a CASE."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from openimr.errors import InputError

if TYPE_CHECKING:
    from openimr.model import Case


def add_strict_option(parser: Any) -> None:
    parser.add_argument("--strict", action="store_true",
                        help="refuse a case file with unknown fields or a request item cut short by a YAML "
                             "comment (default: keep it and warn on stderr)")


def report_warnings(warnings: list[str], strict: bool) -> None:
    """Warnings go to stderr, one line each; under --strict the first one is the error."""
    if strict and warnings:
        more = f" (and {len(warnings) - 1} more)" if len(warnings) > 1 else ""
        raise InputError(f"{warnings[0]}{more}; refused under --strict")
    for warning in warnings:
        print(f"openimr: warning: {warning}", file=sys.stderr)


def read_case_file(path: str, strict: bool) -> Case:
    from openimr.intake import read_case

    case, warnings = read_case(path)
    report_warnings(warnings, strict)
    return case
