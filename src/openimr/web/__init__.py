"""The reviewer workbench: server-rendered pages over the review workflow, in the same process and database as
the API (`openimr serve`). Sessions are cookies; every state-changing form carries a CSRF token."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from urllib.parse import urlparse

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from openimr.db import Database
from openimr.web.core import PageError, Web
from openimr.web.session import CsrfRefused, LoginRequired, login_redirect_target, safe_next


def mount_web(app: FastAPI, database: Database, today: Callable[[], dt.date]) -> None:
    from openimr.web import views_admin, views_auth, views_case, views_intake

    web = Web.create(database, today)
    for module in (views_auth, views_case, views_intake, views_admin):
        app.include_router(module.routes(web), include_in_schema=False)
    app.mount("/static", StaticFiles(packages=[("openimr.web", "static")]), name="static")

    async def to_login(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LoginRequired)
        return RedirectResponse(login_redirect_target(exc.next_path), status_code=303)

    async def refused(request: Request, exc: Exception) -> Response:
        status, message, back = ((exc.status, exc.message, exc.back) if isinstance(exc, PageError)
                                  else (403, str(exc), None))
        try:
            who = web.actor(request)
        except LoginRequired:
            who = None
        referer = urlparse(request.headers.get("referer") or "")
        same_site = referer.netloc == request.url.netloc
        return web.page(request, "error.html", who, status=status, message=message,
                        back=back or (safe_next(referer.path) if same_site else None))

    app.add_exception_handler(LoginRequired, to_login)
    app.add_exception_handler(PageError, refused)
    app.add_exception_handler(CsrfRefused, refused)


__all__ = ["mount_web"]
