"""User administration the pages offer beyond openimr.db.accounts: reset a password, disable a user.

The users table has no "disabled" column yet, so disabling replaces the password hash with a marker that no
password verifies (argon2 refuses it as a hash) and ends the user's sessions; resetting the password
enables the user again. Both are audited by the caller.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from openimr.db.accounts import MIN_PASSWORD_LENGTH, hash_password
from openimr.db.models import SessionToken, User
from openimr.db.workflow import NotFound
from openimr.errors import InputError

DISABLED_MARK = "!disabled"


def is_disabled(user: User) -> bool:
    return user.password_hash.startswith(DISABLED_MARK)


def _user(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise NotFound(f"no user {name!r}")
    return user


def _end_sessions(session: Session, user: User) -> None:
    session.execute(delete(SessionToken).where(SessionToken.user_id == user.id))


def reset_password(session: Session, name: str, password: str) -> User:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    user = _user(session, name)
    user.password_hash = hash_password(password)
    _end_sessions(session, user)
    return user


def disable_user(session: Session, name: str, by: str) -> User:
    if name == by:
        raise InputError("you cannot disable your own account")
    user = _user(session, name)
    user.password_hash = DISABLED_MARK
    _end_sessions(session, user)
    return user


def all_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))
