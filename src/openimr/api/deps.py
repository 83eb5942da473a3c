"""What every router shares: the service (database, clock, login throttle), the transaction helper `run`, and
the current user from the bearer token, all handed to routes by FastAPI dependency injection.

Every operation runs in one database transaction: it is committed whole or not at all. A refused operation
(bad input, wrong state, no permission) rolls back and is then recorded in the audit log on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from openimr.api.throttle import LoginThrottle
from openimr.db import Database
from openimr.db import workflow as wf
from openimr.db.accounts import UnknownUser, user_for_token
from openimr.errors import InputError
from openimr.intake import TextTooLarge, UnsupportedFileType
from openimr.letter.pdf import PdfUnavailable
from openimr.review.lifecycle import TransitionError

T = TypeVar("T")

# the first kind that matches answers, so a narrower error comes before the one it refines
STATUS: dict[type[Exception], int] = {
    TextTooLarge: 413, UnsupportedFileType: 415, UnknownUser: 404, InputError: 400, wf.NotFound: 404, wf.Forbidden: 403, wf.AlreadyExists: 409, TransitionError: 409,
    PdfUnavailable: 503,  # the server lacks the system's Pango: not the caller's fault
}


@dataclass(frozen=True)
class Service:
    """The state behind the API, kept in app.state.service by create_app."""

    database: Database
    today: Callable[[], dt.date]
    throttle: LoginThrottle

    def run(self, who: wf.Actor, action: str, case_number: str | None, fn: Callable[[Session], T]) -> T:
        """fn in one transaction; a refusal is rolled back, audited separately and answered with a 4xx."""
        try:
            return self.database.run(fn)
        except IntegrityError:  # still a conflict after a retry: two writers raced on one key
            with self.database.transaction() as s:
                wf.audit(s, who, f"refused:{action}", case_number, status=409, reason="concurrent conflict")
            raise HTTPException(409, f"{action.replace('_', ' ')}: conflicts with a change made at the same "
                                     "time; nothing was stored, try again") from None
        except tuple(STATUS) as exc:
            status = next(code for kind, code in STATUS.items() if isinstance(exc, kind))
            with self.database.transaction() as s:
                wf.audit(s, who, f"refused:{action}", case_number, status=status, reason=str(exc))
            raise HTTPException(status, str(exc)) from None

    def who_sent(self, authorization: str | None) -> str:
        """The user behind an Authorization header, for auditing a request refused before a route ran."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return "anonymous"
        with self.database.transaction() as s:
            user = user_for_token(s, token.strip())
            return user.name if user else "anonymous"

    def audit_refusal(self, authorization: str | None, action: str, status: int, reason: str,
                      **detail: Any) -> None:
        name = self.who_sent(authorization)
        self.database.run(lambda s: wf.audit(s, name, f"refused:{action}", None, status=status,
                                             reason=reason[:500], **detail))


async def service(request: Request) -> Service:
    found: Service = request.app.state.service
    return found


async def today(svc: Annotated[Service, Depends(service)]) -> dt.date:
    """Today by the service's clock (tests fix it)."""
    return svc.today()


_bearer = HTTPBearer(auto_error=False)
Creds = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
Svc = Annotated[Service, Depends(service)]
Today = Annotated[dt.date, Depends(today)]


def current_actor(svc: Svc, credentials: Creds) -> wf.Actor:
    """The user behind the bearer token; 401 without one, or with an unknown or expired one."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(401, "not authenticated: send 'Authorization: Bearer TOKEN' "
                                 "(POST /api/auth/token gives one)", headers={"WWW-Authenticate": "Bearer"})
    with svc.database.transaction() as s:
        user = user_for_token(s, credentials.credentials)
        if user is None:
            raise HTTPException(401, "the token is unknown or has expired; log in again",
                                headers={"WWW-Authenticate": "Bearer"})
        return wf.Actor.of(user)


Who = Annotated[wf.Actor, Depends(current_actor)]
