"""Log in and log out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from openimr.db import workflow as wf
from openimr.db.accounts import issue_token, revoke_token
from openimr.web.core import Web
from openimr.web.session import (
    LoginRequired,
    check_csrf,
    check_login_csrf,
    clear_session,
    login_csrf,
    safe_next,
    session_token,
    set_login_csrf,
    set_session,
)


def routes(web: Web) -> APIRouter:
    router = APIRouter()

    def login_form(request: Request, next_path: str, error: str | None = None, status: int = 200,
                   username: str = "") -> Response:
        token = login_csrf(request)
        response = web.page(request, "login.html", None, status=status, login_csrf=token, next=next_path,
                            error=error, username=username)
        set_login_csrf(response, request, token)
        return response

    @router.get("/login")
    def login_page(request: Request, next: str | None = None) -> Response:
        try:
            web.actor(request)
            return RedirectResponse(safe_next(next), status_code=303)
        except LoginRequired:
            return login_form(request, safe_next(next))

    @router.post("/login")
    def login(request: Request, username: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "",
              csrf: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/") -> Response:
        check_login_csrf(request, csrf)
        try:
            with web.database.transaction() as s:
                token, _ = issue_token(s, username, password)
                wf.audit(s, username, "login", via="web")
        except PermissionError as exc:
            with web.database.transaction() as s:
                wf.audit(s, username or "(blank)", "refused:login", status=401, via="web")
            return login_form(request, safe_next(next), str(exc), status=401, username=username)
        response = RedirectResponse(safe_next(next), status_code=303)
        set_session(response, request, token)
        return response

    @router.post("/logout")
    def logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
        check_csrf(request, csrf)
        token = session_token(request)
        if token:
            with web.database.transaction() as s:
                revoke_token(s, token)
        response = RedirectResponse("/login", status_code=303)
        clear_session(response, request)
        return response

    return router
