"""Users, password hashing (argon2id via argon2-cffi) and expiring bearer tokens kept server-side.

A token is 32 random bytes shown to the client once; the database keeps only its SHA-256, so a copy of the
database does not let anyone log in. Tokens expire after TOKEN_TTL (OPENIMR_TOKEN_TTL_MINUTES overrides it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from openimr.db.models import USER_NAME_LENGTH, ReviewerRow, SessionToken, User, utcnow
from openimr.db.settings import env_int
from openimr.errors import InputError
from openimr.review.roles import ROLES

MIN_PASSWORD_LENGTH = 8
# argon2 takes any length, but hashing megabytes on every login attempt is an easy way to load the server
MAX_PASSWORD_LENGTH = 1024
TOKEN_TTL = dt.timedelta(minutes=env_int("OPENIMR_TOKEN_TTL_MINUTES", 480))
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def add_user(session: Session, name: str, role: str, password: str, reviewer_id: str | None = None) -> User:
    name = name.strip()
    if not name:
        raise InputError("a user needs a name")
    if len(name) > USER_NAME_LENGTH:
        raise InputError(f"a user name has at most {USER_NAME_LENGTH} characters")
    if role not in ROLES:
        raise InputError(f"unknown role {role!r} (one of: {', '.join(ROLES)})")
    check_password(password)
    if session.scalar(select(User).where(User.name == name)) is not None:
        raise InputError(f"user {name!r} already exists")
    if role == "reviewer":
        if not reviewer_id:
            raise InputError("a reviewer user needs --reviewer-id (the id in the reviewer registry)")
        if session.get(ReviewerRow, reviewer_id) is None:
            raise InputError(f"unknown reviewer {reviewer_id!r}; import the registry first")
    elif reviewer_id:
        raise InputError("only users with the reviewer role are linked to a reviewer")
    user = User(name=name, role=role, password_hash=hash_password(password), reviewer_id=reviewer_id)
    session.add(user)
    session.flush()
    return user


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InputError(f"the password must have at most {MAX_PASSWORD_LENGTH} characters")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, name: str, password: str, ttl: dt.timedelta = TOKEN_TTL) -> tuple[str, dt.datetime]:
    """A new bearer token for valid credentials; wrong credentials raise PermissionError."""
    user = session.scalar(select(User).where(User.name == name))
    if not password_matches(user.password_hash if user else None, password) or user is None or user.disabled:
        raise PermissionError(WRONG_CREDENTIALS)
    return new_session(session, user, ttl)


WRONG_CREDENTIALS = "wrong user name or password"


def password_matches(stored: str | None, password: str) -> bool:
    """Verify, against a dummy hash when the user is unknown, so timing does not reveal which names exist."""
    return verify_password(stored or _dummy_hash(), password) and stored is not None


def new_session(session: Session, user: User, ttl: dt.timedelta = TOKEN_TTL) -> tuple[str, dt.datetime]:
    """A fresh token for a user whose identity is already established; expired tokens are swept away."""
    now = utcnow()
    session.execute(delete(SessionToken).where(SessionToken.expires_at < now))
    token = secrets.token_urlsafe(32)
    expires = now + ttl
    session.add(SessionToken(token_hash=_digest(token), user_id=user.id, expires_at=expires))
    return token, expires


def user_for_token(session: Session, token: str) -> User | None:
    row = session.get(SessionToken, _digest(token))
    if row is None or row.expires_at <= utcnow():
        return None
    user = session.get(User, row.user_id)
    return None if user is None or user.disabled else user


class UnknownUser(InputError):
    """No user by that name."""


def find_user(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise UnknownUser(f"no user {name!r}")
    return user


def end_sessions(session: Session, user: User) -> int:
    """Log the user out everywhere: every token of theirs stops working. How many there were."""
    result = session.execute(delete(SessionToken).where(SessionToken.user_id == user.id))
    return int(getattr(result, "rowcount", 0) or 0)


def set_disabled(session: Session, name: str, disabled: bool) -> User:
    """Disable (ending every session) or enable a user."""
    user = find_user(session, name)
    user.disabled = disabled
    if disabled:
        end_sessions(session, user)
    return user


def change_password(session: Session, name: str, password: str) -> User:
    """A new password; every session of the user ends, so a stolen token dies with the old password."""
    check_password(password)
    user = find_user(session, name)
    user.password_hash = hash_password(password)
    end_sessions(session, user)
    return user


def revoke_token(session: Session, token: str) -> None:
    session.execute(delete(SessionToken).where(SessionToken.token_hash == _digest(token)))


@cache
def _dummy_hash() -> str:
    # made on the first login attempt rather than at import: hashing is deliberately slow
    return _hasher.hash(secrets.token_hex(16))
