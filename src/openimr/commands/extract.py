"""`openimr extract CASE`: the clinical facts of a case, each with its source span, as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from openimr.commands._case import add_strict_option, read_case_file


def register(sub: Any) -> None:
    p = sub.add_parser("extract", help="print the clinical facts of a case with their source spans (JSON)")
    p.add_argument("case", help="case file (JSON or YAML)")
    p.add_argument("--name", action="append", metavar="NAME",
                   help="only facts of this name (repeatable), e.g. --name prior_treatment --name imaging")
    add_strict_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # imported here so that the CLI starts fast for the other sub-commands
    from openimr.facts import extract_case_facts

    facts = extract_case_facts(read_case_file(args.case, args.strict)).facts
    if args.name:
        wanted = set(args.name)
        facts = [f for f in facts if f.name in wanted]
    json.dump([f.model_dump(mode="json") for f in facts], sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0
