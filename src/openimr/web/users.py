"""User administration as the pages offer it, on openimr.db.accounts: disable a user, or set a new password,
which also enables a disabled user again (an administrator resetting a password means the account is to
be used). Both end the user's sessions and are audited by the caller.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from openimr.db.accounts import change_password, find_user, set_disabled
from openimr.db.models import User
from openimr.errors import InputError


def is_disabled(user: User) -> bool:
    return bool(user.disabled)


def reset_password(session: Session, name: str, password: str) -> User:
    user = change_password(session, name, password)
    user.disabled = False
    return user


def disable_user(session: Session, name: str, by: str) -> User:
    if name == by:
        raise InputError("you cannot disable your own account")
    find_user(session, name)
    return set_disabled(session, name, True)


def all_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))
