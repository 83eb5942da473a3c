"""FastAPI application factory: the guards around every request, the /api routers (openimr.api.routes), the
pages (openimr.web), and OpenAPI at /openapi.json. What the routes share is in openimr.api.deps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from fastapi import FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError

from openimr.api.boundary import ErrorBoundary
from openimr.api.deps import STATUS, Service
from openimr.api.inputs import InputGuard
from openimr.api.limits import MAX_BODY_BYTES, BodyLimit
from openimr.api.routes import ROUTERS
from openimr.api.throttle import LoginThrottle
from openimr.db import Database, open_database

__all__ = ["STATUS", "create_app"]


def create_app(db: Database | str | None = None, today: Callable[[], dt.date] = dt.date.today,
               max_body: int = MAX_BODY_BYTES, throttle: LoginThrottle | None = None) -> FastAPI:
    database = db if isinstance(db, Database) else open_database(db)
    service = Service(database, today, throttle or LoginThrottle.from_environment())
    app = FastAPI(title="openimr", version="1", description="Independent Medical Review workflow",
                  openapi_url="/openapi.json", docs_url="/docs", redoc_url=None)
    app.add_middleware(InputGuard, on_refusal=lambda authorization, where, problem: service.audit_refusal(
        authorization, "unstorable_input", 400, problem, request=where))
    app.add_middleware(BodyLimit, limit=max_body)  # added after InputGuard, so it runs first: no huge body there
    app.add_middleware(ErrorBoundary)  # outermost: whatever escapes becomes JSON
    app.state.db = database
    app.state.service = service

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        await run_in_threadpool(service.audit_refusal, request.headers.get("authorization"), "invalid_request",
                                422, f"{where}: {first.get('msg', 'invalid')}", method=request.method,
                                path=request.url.path[:200])
        return await request_validation_exception_handler(request, exc)

    for router in ROUTERS:
        app.include_router(router)

    # the reviewer workbench: HTML pages over the same database and the same workflow (openimr.db.workflow)
    from openimr.web import mount_web

    mount_web(app, database, today)
    return app
