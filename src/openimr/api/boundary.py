"""The last line: an exception that escapes a route becomes a JSON answer here, never reaching the server.

Left to itself, Starlette answers 500 and re-raises, and uvicorn then closes the connection under a client
that was told nothing: the client's next request on that keep-alive connection failed too. Here the error is
logged (statement parameters are hidden by the engine), answered as JSON with 'Connection: close', and
swallowed. A database that stays busy past its timeouts is a 503 with Retry-After, not a 500.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from openimr.api.inputs import reply_json

log = logging.getLogger("openimr.api")
RETRY_AFTER_SECONDS = 2


def _busy(exc: Exception) -> bool:
    return isinstance(exc, PoolTimeout) or (
        isinstance(exc, OperationalError) and "database is locked" in str(exc.orig).lower())


class ErrorBoundary:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            where = f"{scope.get('method')} {scope.get('path')}"
            close = [(b"connection", b"close")]
            if _busy(exc):
                log.warning("%s: the database stayed busy (%s)", where, type(exc).__name__)
                if not started:
                    await reply_json(send, 503, "the database is busy; try again in a moment",
                                     close + [(b"retry-after", str(RETRY_AFTER_SECONDS).encode())])
                return
            log.error("%s failed", where, exc_info=exc)
            if not started:
                await reply_json(send, 500, "internal error; it has been logged", close)
