"""Logging in and out, and who am I."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from openimr.api.deps import Creds, Svc, Who
from openimr.api.responses import LoggedOut, Me, Token
from openimr.api.throttle import Throttled
from openimr.db import workflow as wf
from openimr.db.accounts import (
    MAX_PASSWORD_LENGTH,
    WRONG_CREDENTIALS,
    new_session,
    password_matches,
    revoke_token,
    user_for_token,
)
from openimr.db.models import USER_NAME_LENGTH, User

router = APIRouter(prefix="/api", tags=["auth"])


class Login(BaseModel):
    username: str = Field(max_length=USER_NAME_LENGTH)
    password: str = Field(max_length=MAX_PASSWORD_LENGTH)


@router.post("/auth/token", responses={429: {"description": "too many failed logins"}})
def login(request: Request, svc: Svc, body: Login) -> Token:
    database, throttle = svc.database, svc.throttle
    address = request.client.host if request.client else "unknown"
    try:
        throttle.check(body.username, address)
        with throttle.hashing_slot():
            # the hash is read and checked outside any write transaction: argon2 takes a while
            with database.transaction() as s:
                user = s.scalar(select(User).where(User.name == body.username))
                stored = user.password_hash if user else None
            matches = password_matches(stored, body.password)
    except Throttled as exc:
        database.run(lambda s: wf.audit(s, body.username, "login_throttled", address=address))
        raise HTTPException(429, str(exc), headers={"Retry-After": str(exc.retry_after)}) from None
    if not matches or user is None or user.disabled:  # disabled: the same answer as a wrong password
        throttle.failed(body.username, address)
        database.run(lambda s: wf.audit(s, body.username, "login_failed", address=address))
        raise HTTPException(401, WRONG_CREDENTIALS, headers={"WWW-Authenticate": "Bearer"})
    throttle.succeeded(body.username)
    with database.transaction() as s:
        token, expires = new_session(s, user)
        wf.audit(s, body.username, "login", address=address)
    return Token(access_token=token, token_type="bearer", expires_at=expires.isoformat() + "Z")


@router.post("/auth/logout")
def logout(svc: Svc, credentials: Creds) -> LoggedOut:
    if credentials is not None:
        def op(s: Session) -> None:
            user = user_for_token(s, credentials.credentials)
            revoke_token(s, credentials.credentials)
            if user is not None:
                wf.audit(s, user.name, "logout")
        svc.database.run(op)
    return LoggedOut(status="logged out")


@router.get("/me")
def me(who: Who) -> Me:
    return Me(name=who.name, role=who.role)
