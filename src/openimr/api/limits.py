"""Refuse oversized request bodies with 413 before the application sees them.

The declared Content-Length is checked first; a body sent without one (chunked) is read up to the limit and
refused as soon as it goes over, then handed to the application whole. Request bodies are case files and
reviewer lists, which the application reads whole anyway, so buffering costs no extra memory.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from openimr.api.inputs import replay_body, reply_json
from openimr.db.settings import env_int

# 10 MiB: a case file with the text of a few hundred pages of records; PDFs are converted to text at intake
MAX_BODY_BYTES = env_int("OPENIMR_MAX_BODY_BYTES", 10 * 1024 * 1024)


def too_large_message(limit: int) -> str:
    return f"the request body is larger than the limit of {limit} bytes"


class BodyLimit:
    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _reply_413(send, self.limit)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await _reply_413(send, self.limit)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        await self.app(scope, replay_body(b"".join(chunks), receive), send)


async def _reply_413(send: Send, limit: int) -> None:
    await reply_json(send, 413, too_large_message(limit))
