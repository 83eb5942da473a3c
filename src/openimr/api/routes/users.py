"""User accounts: added, listed, switched off and on, passwords, sessions ended."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from openimr.api.deps import Svc, Who
from openimr.api.responses import PasswordChanged, SessionsEnded, UserAdded, UserListed, UserSwitched
from openimr.api.throttle import Throttled
from openimr.db import workflow as wf
from openimr.db.accounts import (
    MAX_PASSWORD_LENGTH,
    add_user,
    change_password,
    end_sessions,
    find_user,
    password_matches,
    set_disabled,
)
from openimr.db.models import User
from openimr.errors import InputError

router = APIRouter(prefix="/api/users")


class NewUser(BaseModel):
    name: str
    role: str
    password: str
    reviewer_id: str | None = None


class NewPassword(BaseModel):
    password: str = Field(max_length=MAX_PASSWORD_LENGTH)
    current_password: str | None = Field(default=None, max_length=MAX_PASSWORD_LENGTH,
                                         description="needed when users change their own password")


@router.post("", tags=["admin"], status_code=201)
def new_user(svc: Svc, who: Who, body: NewUser) -> UserAdded:
    def op(s: Session) -> UserAdded:
        wf.require(who, "reviewers")
        user = add_user(s, body.name, body.role, body.password, body.reviewer_id)
        wf.audit(s, who, "user_added", None, name=user.name, role=user.role)
        return UserAdded(name=user.name, role=user.role, reviewer_id=user.reviewer_id)
    return svc.run(who, "add_user", None, op)


@router.get("", tags=["admin"])
def users(svc: Svc, who: Who) -> list[UserListed]:
    def op(s: Session) -> list[UserListed]:
        wf.require(who, "users")
        wf.audit(s, who, "read_users")
        return [UserListed(name=u.name, role=u.role, reviewer_id=u.reviewer_id, disabled=u.disabled)
                for u in s.scalars(select(User).order_by(User.name))]
    return svc.run(who, "read_users", None, op)


def _switch(svc: Svc, who: wf.Actor, name: str, disabled: bool) -> UserSwitched:
    def op(s: Session) -> UserSwitched:
        wf.require(who, "users")
        if disabled and name == who.name:
            raise InputError("administrators cannot disable themselves (another administrator can)")
        user = set_disabled(s, name, disabled)
        wf.audit(s, who, "user_disabled" if disabled else "user_enabled", None, name=user.name)
        return UserSwitched(name=user.name, disabled=user.disabled)
    return svc.run(who, "disable_user" if disabled else "enable_user", None, op)


@router.post("/{name}/disable", tags=["admin"])
def disable_user(svc: Svc, who: Who, name: str) -> UserSwitched:
    """The user can no longer log in and every session of theirs ends."""
    return _switch(svc, who, name, True)


@router.post("/{name}/enable", tags=["admin"])
def enable_user(svc: Svc, who: Who, name: str) -> UserSwitched:
    return _switch(svc, who, name, False)


@router.post("/{name}/password", tags=["auth"])
def set_password(request: Request, svc: Svc, who: Who, name: str, body: NewPassword) -> PasswordChanged:
    """An administrator sets anyone's password; users change their own with their current one (throttled
    like a login). Every session of the user ends."""
    own = name == who.name
    if own and who.role != "admin":
        address = request.client.host if request.client else "unknown"
        try:
            svc.throttle.check(name, address)
            with svc.throttle.hashing_slot():
                with svc.database.transaction() as s:
                    stored = find_user(s, name).password_hash
                matches = password_matches(stored, body.current_password or "")
        except Throttled as exc:
            raise HTTPException(429, str(exc), headers={"Retry-After": str(exc.retry_after)}) from None
        if not matches:
            svc.throttle.failed(name, address)
            svc.database.run(lambda s: wf.audit(s, who, "refused:change_password", None, status=403))
            raise HTTPException(403, "changing your own password needs the right current_password")

    def op(s: Session) -> PasswordChanged:
        if not own:
            wf.require(who, "users")
        user = change_password(s, name, body.password)
        wf.audit(s, who, "password_changed", None, name=user.name)
        return PasswordChanged(name=user.name, sessions_ended=True)
    return svc.run(who, "change_password", None, op)


@router.post("/{name}/logout-all", tags=["auth"])
def logout_everywhere(svc: Svc, who: Who, name: str) -> SessionsEnded:
    """End every session of the user (an administrator, or users for themselves)."""
    def op(s: Session) -> SessionsEnded:
        if name != who.name:
            wf.require(who, "users")
        ended = end_sessions(s, find_user(s, name))
        wf.audit(s, who, "logout_all", None, name=name, sessions=ended)
        return SessionsEnded(name=name, sessions_ended=ended)
    return svc.run(who, "logout_all", None, op)
