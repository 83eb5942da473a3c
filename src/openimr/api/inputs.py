"""Refuse request input that no backend can store, before the application sees it.

PostgreSQL cannot hold a NUL character in a text value (psycopg raises, which was a 500), and JSON nested
deeper than anything a case file needs makes the encoders recurse until Python gives up (also a 500, and only
after the case was committed). Both are checked here, on the path, the query string and every JSON body, so
the answer is one 400 naming the place, on SQLite and PostgreSQL alike, and nothing is written.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# a case file is about five levels deep; extra fields may add a few more, never dozens
MAX_DEPTH = 32


def shown(text: str, limit: int = 60) -> str:
    """A client's string as it may appear in a message (and so in the audit log): escaped and shortened."""
    escaped = text.encode("unicode_escape").decode("ascii")
    return escaped if len(escaped) <= limit else escaped[:limit] + "..."


def json_problem(value: Any, max_depth: int = MAX_DEPTH) -> str | None:
    """What makes a parsed JSON value unstorable (a NUL character, too deep a nesting), or None.

    Walked without recursion, so the check itself cannot overflow the stack."""
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    while stack:
        item, where, depth = stack.pop()
        if depth > max_depth:
            return f"the JSON body nests deeper than {max_depth} levels (at '{where}')"
        if isinstance(item, str):
            if "\x00" in item:
                return f"field '{where or 'body'}' contains a NUL character"
        elif isinstance(item, dict):
            for key, child in item.items():
                name = f"{where}.{shown(key)}" if where else shown(key)
                if "\x00" in key:
                    return f"field name '{name}' contains a NUL character"
                stack.append((child, name, depth + 1))
        elif isinstance(item, list):
            stack.extend((child, f"{where}.{i}" if where else str(i), depth + 1) for i, child in enumerate(item))
    return None


def request_line_problem(path: str, query_string: bytes) -> str | None:
    if "\x00" in path:
        return "the URL path contains a NUL character"
    if b"\x00" in unquote_to_bytes(query_string):
        return "the query string contains a NUL character"
    return None


def body_problem(body: bytes, content_type: str) -> str | None:
    """Only JSON bodies are looked into; anything unparsable is left for the application to refuse (422)."""
    if "json" not in content_type or not body:
        return None
    try:
        value = json.loads(body, parse_constant=_refuse_constant)
    except RecursionError:
        return f"the JSON body nests deeper than {MAX_DEPTH} levels"
    except _NotJson as exc:
        return str(exc)
    except ValueError:
        return None
    return json_problem(value)


class _NotJson(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    # Python reads NaN and Infinity, which JSON does not have: no database column or response can hold them
    raise _NotJson(f"the JSON body contains {name}, which is not a JSON number")


# what the guard tells about a refusal: (the Authorization header, the method and path, the problem)
OnRefusal = Callable[[str | None, str, str], None]


class InputGuard:
    """ASGI middleware: 400 for input that json_problem or request_line_problem refuses; on_refusal (run on a
    worker thread: it writes the audit log) hears of each one."""

    def __init__(self, app: ASGIApp, on_refusal: OnRefusal | None = None) -> None:
        self.app, self.on_refusal = app, on_refusal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = request_line_problem(scope.get("path", ""), scope.get("query_string", b""))
        headers = dict(scope.get("headers") or [])
        content_type = headers.get(b"content-type", b"").decode("latin-1").lower()
        replay = receive
        if problem is None and "json" in content_type:
            chunks: list[bytes] = []
            while True:
                message = await receive()
                if message["type"] != "http.request":
                    return  # the client went away
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    break
            body = b"".join(chunks)
            problem = body_problem(body, content_type)
            replay = replay_body(body, receive)
        if problem is not None:
            if self.on_refusal is not None:
                authorization = headers.get(b"authorization", b"").decode("latin-1") or None
                where = f"{scope.get('method')} {shown(scope.get('path', ''), 200)}"
                await run_in_threadpool(self.on_refusal, authorization, where, problem)
            await reply_json(send, 400, problem)
            return
        await self.app(scope, replay, send)


def replay_body(body: bytes, receive: Receive) -> Receive:
    """A receive that hands the application the already-read body in one message."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def reply_json(send: Send, status: int, detail: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps({"detail": detail}).encode()
    head = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())] + (headers or [])
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": body})
