"""`openimr users add [--db URL] --role ROLE NAME [--password-stdin] [--reviewer-id ID]`: create a user.

The first admin is created this way; later users can also be added by an admin through POST /api/users.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from openimr.commands._options import add_db_option
from openimr.errors import InputError
from openimr.review.roles import ROLES


def register(sub: Any) -> None:
    p = sub.add_parser("users", help="manage the users of the review service")
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    add = verbs.add_parser("add", help="create a user (the first admin, for instance)")
    add.add_argument("name", help="the user's login name")
    add.add_argument("--role", choices=ROLES, required=True, help="what the user may do")
    add_db_option(add)
    add.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    add.add_argument("--reviewer-id", help="for role reviewer: the reviewer's id in the registry")
    add.set_defaults(run=run_add)
    ls = verbs.add_parser("list", help="list users and roles")
    add_db_option(ls)
    ls.set_defaults(run=run_list)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise InputError("no terminal to ask for the password; use --password-stdin")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password again: "):
        raise InputError("the two passwords differ")
    return first


def run_add(args: argparse.Namespace) -> int:
    from openimr.db import open_database
    from openimr.db.accounts import add_user
    from openimr.db.workflow import CLI_ACTOR, audit

    password = _password(args.password_stdin)
    db = open_database(args.db)
    with db.transaction() as s:
        user = add_user(s, args.name, args.role, password, args.reviewer_id)
        audit(s, CLI_ACTOR, "user_added", None, name=user.name, role=user.role)
    print(f"user {args.name} ({args.role}) created in {db.engine.url.render_as_string()}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from openimr.db import open_database
    from openimr.db.models import User

    db = open_database(args.db)
    with db.transaction() as s:
        users = list(s.scalars(select(User).order_by(User.name)))
    for user in users:
        print(f"{user.name}\t{user.role}\t{user.reviewer_id or ''}")
    if not users:  # on stderr: a script reading stdout sees no rows
        print("no users yet; create the first admin with `openimr users add NAME --role admin`", file=sys.stderr)
    return 0
