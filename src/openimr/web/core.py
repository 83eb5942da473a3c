"""What every page handler shares: the database, the logged-in actor, one transaction per operation with
refusals audited (as the API does), templates, and the messages a redirect carries to the next page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote, unquote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy.orm import Session

from openimr.api.deps import STATUS
from openimr.db import Database
from openimr.db import workflow as wf
from openimr.web import present
from openimr.web.session import actor_for

T = TypeVar("T")
FLASH_COOKIE = "openimr_flash"


class PageError(Exception):
    """A refused operation, shown as a page with the message and a way back."""

    def __init__(self, status: int, message: str, back: str | None = None):
        super().__init__(message)
        self.status, self.message, self.back = status, message, back


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("openimr.web", "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(date=present.show_date, time=present.show_time, days=present.days_left_text,
                       cite=present.citation_label, detail=present.show_detail)
    env.globals.update(STATUS_LABELS=present.STATUS_LABELS, DEADLINE_LABELS=present.DEADLINE_LABELS,
                       needs_for=present.needs_for, DEADLINE_RULES=present.DEADLINE_RULES, anchor_id=present.anchor_id)
    return env


def status_of(exc: Exception) -> int | None:
    """The HTTP status the API answers this refusal with (one table for the API and the pages); None for an
    unexpected error."""
    return next((code for kind, code in STATUS.items() if isinstance(exc, kind)), None)


@dataclass
class Web:
    database: Database
    today: Callable[[], dt.date]
    templates: Jinja2Templates

    @classmethod
    def create(cls, database: Database, today: Callable[[], dt.date]) -> Web:
        return cls(database, today, Jinja2Templates(env=_environment()))

    def actor(self, request: Request) -> wf.Actor:
        return actor_for(request, self.database)

    def run(self, who: wf.Actor, action: str, case_number: str | None, fn: Callable[[Session], T],
            back: str | None = None) -> T:
        """fn in one transaction; a refusal is rolled back, audited on its own and shown as an error page."""
        try:
            with self.database.transaction() as s:
                return fn(s)
        except Exception as exc:
            status = status_of(exc)
            if status is None:
                raise
            with self.database.transaction() as s:
                wf.audit(s, who, f"refused:{action}", case_number, status=status, reason=str(exc), via="web")
            raise PageError(status, str(exc), back) from None

    def page(self, request: Request, template: str, who: wf.Actor | None, status: int = 200,
             **context: Any) -> HTMLResponse:
        flash = request.cookies.get(FLASH_COOKIE)
        response = self.templates.TemplateResponse(
            request, template, {"who": who, "csrf": getattr(request.state, "csrf", ""),
                                "flash": unquote(flash) if flash else None, "today": self.today(), **context},
            status_code=status)
        if flash:
            response.delete_cookie(FLASH_COOKIE, path="/")
        return response

    def done(self, url: str, message: str) -> Response:
        """After a change: back to a page (303, so a reload does not repeat the POST) with what happened."""
        response = RedirectResponse(url, status_code=303)
        response.set_cookie(FLASH_COOKIE, quote(message), max_age=60, httponly=True, samesite="lax", path="/")
        return response


def parse_date(value: str | None, what: str) -> dt.date | None:
    """A date from a form field (YYYY-MM-DD); empty is None; anything else one clear 400."""
    if value is None or not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise PageError(400, f"{what} must be a date written YYYY-MM-DD, not {value!r}") from None


def require_role(who: wf.Actor, operation: str) -> None:
    """The workflow's permission check, before a page shows a form the user could not submit."""
    try:
        wf.require(who, operation)
    except wf.Forbidden as exc:
        raise PageError(403, str(exc), "/") from None

