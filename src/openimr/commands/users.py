"""`openimr users add|list|disable|enable|passwd|logout-all`: manage the users of the review service.

`add [--db URL] --role ROLE NAME [--password-stdin] [--reviewer-id ID]` creates a user: the first admin is
created this way; later users can also be added by an admin through POST /api/users. `disable NAME` stops a
user logging in and ends their sessions (`enable NAME` undoes it), `passwd NAME` sets a new password and
`logout-all NAME` ends every session of the user. Each change is written to the audit log as 'cli'.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from openimr.commands._options import add_db_option
from openimr.errors import InputError
from openimr.review.roles import ROLES

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


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
    ls = verbs.add_parser("list", help="list users, roles and whether each is active or disabled")
    add_db_option(ls)
    ls.set_defaults(run=run_list)
    for verb, helptext, run in (("disable", "stop a user logging in and end their sessions", run_disable),
                                ("enable", "let a disabled user log in again", run_enable),
                                ("passwd", "set a user's password (ends their sessions)", run_passwd),
                                ("logout-all", "end every session of a user", run_logout_all)):
        v = verbs.add_parser(verb, help=helptext)
        v.add_argument("name", help="the user's login name")
        add_db_option(v)
        if verb == "passwd":
            v.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
        v.set_defaults(run=run)


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
        print(f"{user.name}\t{user.role}\t{user.reviewer_id or ''}\t{'disabled' if user.disabled else 'active'}")
    if not users:  # on stderr: a script reading stdout sees no rows
        print("no users yet; create the first admin with `openimr users add NAME --role admin`", file=sys.stderr)
    return 0


def _change(args: argparse.Namespace, action: str, change: Callable[[Session, str], str]) -> int:
    """change(session, name) in one transaction, audited as the command line; it returns what to print."""
    from openimr.db import open_database
    from openimr.db.workflow import CLI_ACTOR, audit

    db = open_database(args.db)
    with db.transaction() as s:
        message = change(s, args.name)
        audit(s, CLI_ACTOR, action, None, name=args.name)
    print(message)
    return 0


def _switch(args: argparse.Namespace, disabled: bool) -> int:
    from openimr.db.accounts import set_disabled

    def change(s: Session, name: str) -> str:
        set_disabled(s, name, disabled)
        return f"user {name} disabled; their sessions have ended" if disabled else f"user {name} enabled"
    return _change(args, "user_disabled" if disabled else "user_enabled", change)


def run_disable(args: argparse.Namespace) -> int:
    return _switch(args, disabled=True)


def run_enable(args: argparse.Namespace) -> int:
    return _switch(args, disabled=False)


def run_passwd(args: argparse.Namespace) -> int:
    from openimr.db.accounts import change_password

    password = _password(args.password_stdin)

    def change(s: Session, name: str) -> str:
        change_password(s, name, password)
        return f"password of {name} changed; their sessions have ended"
    return _change(args, "password_changed", change)


def run_logout_all(args: argparse.Namespace) -> int:
    from openimr.db.accounts import end_sessions, find_user

    def change(s: Session, name: str) -> str:
        return f"{end_sessions(s, find_user(s, name))} session(s) of {name} ended"
    return _change(args, "logout_all", change)
