"""`openimr reviewers import|export|list|assign`: the reviewer registry and case assignment.

`openimr reviewers assign CASE` takes a case file (CASE is a path) and the registry (--registry FILE, or the
reviewers in the database) and explains the choice without storing anything; when CASE is the number of a case
in the database, the assignment is stored and audited.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from openimr.commands._case import add_strict_option, read_case_file
from openimr.commands._options import add_db_option
from openimr.commands._output import write_output
from openimr.errors import InputError

CASE_SUFFIXES = {".json", ".yaml", ".yml"}
EMPTY_DATABASE = ("the database holds no reviewers, so there is nobody to choose; import them with "
                  "`openimr reviewers import FILE` or give --registry FILE")

# the database and the engine are imported when a verb runs, so that `openimr --help` starts fast


def register(sub: Any) -> None:
    p = sub.add_parser("reviewers", help="reviewer registry and assignment")
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    imp = verbs.add_parser("import", help="add or update reviewers from a CSV or JSON file")
    imp.add_argument("file", help="the registry: a .csv or .json file (see docs/workflow.md for the columns)")
    add_db_option(imp)
    imp.set_defaults(run=run_import)
    exp = verbs.add_parser("export", help="write the registry as CSV or JSON")
    exp.add_argument("--format", choices=["csv", "json"], default="json", help="file format (default json)")
    exp.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    add_db_option(exp)
    exp.set_defaults(run=run_export)
    asg = verbs.add_parser("assign", help="choose a reviewer for a case and explain why")
    asg.add_argument("case", help="a case file, or the number of a case in the database")
    asg.add_argument("--registry", metavar="FILE", help="reviewers from this CSV/JSON file instead of the database")
    asg.add_argument("--reviewer", metavar="ID", help="manual override (needs --reason)")
    asg.add_argument("--reason", help="why the override (required with --reviewer; audited)")
    add_db_option(asg)
    asg.add_argument("--json", action="store_true", help="print the assignment as JSON")
    add_strict_option(asg)
    asg.set_defaults(run=run_assign)


def run_import(args: argparse.Namespace) -> int:
    from openimr.db import open_database
    from openimr.db import workflow as wf
    from openimr.review.registry import load_registry

    reviewers = load_registry(args.file)
    db = open_database(args.db)
    with db.transaction() as s:
        added, updated = wf.save_reviewers(s, wf.CLI_ACTOR, reviewers)
    print(f"{added} reviewer(s) added, {updated} updated")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from openimr.db import open_database
    from openimr.db import workflow as wf
    from openimr.review.registry import dump_registry

    db = open_database(args.db)
    with db.transaction() as s:
        reviewers = wf.all_reviewers(s)
    write_output(dump_registry(reviewers, args.format), args.out)
    if not reviewers:
        print("the registry is empty; add reviewers with `openimr reviewers import FILE`", file=sys.stderr)
    return 0


def run_assign(args: argparse.Namespace) -> int:
    from openimr.db import open_database
    from openimr.db import workflow as wf
    from openimr.review.assignment import assign
    from openimr.review.lifecycle import TransitionError
    from openimr.review.registry import load_registry

    if Path(args.case).suffix.lower() in CASE_SUFFIXES and not Path(args.case).is_file():
        raise InputError(f"{args.case}: no such file")
    if Path(args.case).is_file():
        case = read_case_file(args.case, args.strict)
        if args.registry:
            reviewers, loads = load_registry(args.registry), {}
            if not reviewers:
                raise InputError(f"{args.registry}: the registry lists no reviewers, so there is nobody to choose")
        else:
            db = open_database(args.db)
            with db.transaction() as s:
                reviewers, loads = wf.all_reviewers(s), wf.open_case_counts(s)
            if not reviewers:
                raise InputError(EMPTY_DATABASE)
        result = assign(case, reviewers, loads, args.reviewer, args.reason)
    else:
        db = open_database(args.db)
        with db.transaction() as s:
            if not wf.all_reviewers(s):
                raise InputError(EMPTY_DATABASE)
        try:
            with db.transaction() as s:
                result = wf.assign_case(s, wf.CLI_ACTOR, args.case, args.reviewer, args.reason)
        except (wf.NotFound, TransitionError) as exc:
            first, _, explanation = str(exc).partition("\n")
            sys.stdout.write(explanation)  # the why, as `assign CASE-FILE` prints it; the error stays one line
            raise InputError(first.rstrip(":")) from None
    if args.json:
        print(json.dumps(result.as_dict(with_names=True), indent=2))
    else:
        sys.stdout.write(result.explain())
    return 0 if result.chosen else 1
