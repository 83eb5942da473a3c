"""`openimr cases list|deadlines [--db URL]`: the stored cases and their deadlines, from the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from openimr.commands._options import add_db_option


def register(sub: Any) -> None:
    p = sub.add_parser("cases", help="stored review cases and their deadlines")
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    ls = verbs.add_parser("list", help="list cases, optionally in one state")
    ls.add_argument("--state", help="only cases in this state (received, records_requested, assigned, ...)")
    add_db_option(ls)
    ls.set_defaults(run=run_list)
    dead = verbs.add_parser("deadlines", help="cases whose deadline is at risk or overdue")
    dead.add_argument("--today", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)")
    add_db_option(dead)
    dead.set_defaults(run=run_deadlines)


def days_text(days_left: int) -> str:
    """'3 day(s) left', 'due today', 'overdue by 2 day(s)'."""
    if days_left < 0:
        return f"overdue by {-days_left} day(s)"
    return "due today" if days_left == 0 else f"{days_left} day(s) left"


def run_list(args: argparse.Namespace) -> int:
    from openimr.db import open_database
    from openimr.db import workflow as wf

    db = open_database(args.db)
    with db.transaction() as s:
        cases = wf.list_cases(s, wf.CLI_ACTOR, dt.date.today(), args.state)
    for c in cases:
        due = c["deadline"]
        print(f"{c['case_number']}\t{c['state']}\t{c['priority']}\t"
              + (f"{due['what']} due {due['due']} ({due['status']})" if due else ""))
    if not cases:  # on stderr, so that a script reading stdout sees no rows
        print("no cases" + (f" in state {args.state}" if args.state else " in the database"), file=sys.stderr)
    return 0


def run_deadlines(args: argparse.Namespace) -> int:
    from openimr.db import open_database
    from openimr.db import workflow as wf

    today = args.today or dt.date.today()
    db = open_database(args.db)
    with db.transaction() as s:
        report = wf.deadline_report(s, wf.CLI_ACTOR, today)
    for status in ("overdue", "at_risk"):
        for d in report[status]:
            print(f"{status}\t{d['case_number']}\t{d['what']} due {d['due']}\t{days_text(d['days_left'])}")
    if not (report["overdue"] or report["at_risk"]):
        print(f"no case is at risk or overdue on {today}", file=sys.stderr)
    return 0
