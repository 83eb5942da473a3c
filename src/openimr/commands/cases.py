"""`openimr cases list|deadlines [--db URL]`: the stored cases and their deadlines, from the command line."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("cases", help="stored review cases and their deadlines")
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    ls = verbs.add_parser("list", help="list cases, optionally in one state")
    ls.add_argument("--state")
    ls.add_argument("--db", metavar="URL")
    ls.set_defaults(run=run_list)
    dead = verbs.add_parser("deadlines", help="cases whose deadline is at risk or overdue")
    dead.add_argument("--today", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)")
    dead.add_argument("--db", metavar="URL")
    dead.set_defaults(run=run_deadlines)


def run_list(args: argparse.Namespace) -> int:
    from openimr.db import open_database
    from openimr.db import workflow as wf

    db = open_database(args.db)
    with db.transaction() as s:
        for c in wf.list_cases(s, wf.CLI_ACTOR, dt.date.today(), args.state):
            due = c["deadline"]
            print(f"{c['case_number']}\t{c['state']}\t{c['priority']}\t"
                  + (f"{due['what']} due {due['due']} ({due['status']})" if due else ""))
    return 0


def run_deadlines(args: argparse.Namespace) -> int:
    from openimr.db import open_database
    from openimr.db import workflow as wf

    db = open_database(args.db)
    with db.transaction() as s:
        report = wf.deadline_report(s, wf.CLI_ACTOR, args.today or dt.date.today())
    for status in ("overdue", "at_risk"):
        for d in report[status]:
            print(f"{status}\t{d['case_number']}\t{d['what']} due {d['due']}\t{d['days_left']} day(s) left")
    return 0
