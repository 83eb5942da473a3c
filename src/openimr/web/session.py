"""Browser sessions and CSRF tokens for the pages.

The session cookie holds a server-side token from openimr.db.accounts (the database keeps only its hash, it
expires like an API token, logging out revokes it). The cookie is HttpOnly and SameSite=Lax, and Secure when
the page is served over HTTPS.

Every form that changes state carries a CSRF token: an HMAC of the session token, which another site can
neither read (HttpOnly) nor compute. The login form has no session yet, so it uses a double-submit cookie.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import quote

from fastapi import Request, Response

from openimr.db import Database
from openimr.db import workflow as wf
from openimr.db.accounts import TOKEN_TTL, user_for_token

SESSION_COOKIE = "openimr_session"
LOGIN_CSRF_COOKIE = "openimr_login_csrf"


class LoginRequired(Exception):
    """No valid session: the page answers with a redirect to /login."""

    def __init__(self, next_path: str):
        super().__init__(next_path)
        self.next_path = next_path


class CsrfRefused(Exception):
    """A state-changing form arrived without the token its session issued."""


def csrf_for(session_token: str) -> str:
    return hmac.new(session_token.encode(), b"openimr-csrf", hashlib.sha256).hexdigest()


def session_token(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE) or None


def actor_for(request: Request, database: Database) -> wf.Actor:
    """The logged-in user, or LoginRequired; the CSRF token for this session is left on request.state."""
    token = session_token(request)
    if token:
        with database.transaction() as s:
            user = user_for_token(s, token)
            if user is not None:
                request.state.csrf = csrf_for(token)
                return wf.Actor.of(user)
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    raise LoginRequired(path)


def check_csrf(request: Request, submitted: str | None) -> None:
    token = session_token(request)
    if not token or not submitted or not hmac.compare_digest(csrf_for(token), submitted):
        raise CsrfRefused("the form's security token is missing or stale; reload the page and try again")


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def set_session(response: Response, request: Request, token: str) -> None:
    response.set_cookie(SESSION_COOKIE, token, max_age=int(TOKEN_TTL.total_seconds()), httponly=True,
                        samesite="lax", secure=_secure(request), path="/")


def clear_session(response: Response, request: Request) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=_secure(request))


def login_csrf(request: Request) -> str:
    """The login form's token: the one already in the browser's cookie, or a new one."""
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)


def set_login_csrf(response: Response, request: Request, value: str) -> None:
    response.set_cookie(LOGIN_CSRF_COOKIE, value, max_age=3600, httponly=True, samesite="strict",
                        secure=_secure(request), path="/login")


def check_login_csrf(request: Request, submitted: str | None) -> None:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not expected or not submitted or not hmac.compare_digest(expected, submitted):
        raise CsrfRefused("the login form expired; reload the page and try again")


def safe_next(path: str | None) -> str:
    """Only a path on this site may follow a login (never another host)."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path


def login_redirect_target(next_path: str) -> str:
    return "/login?next=" + quote(next_path, safe="/")
