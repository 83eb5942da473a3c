"""`openimr serve [--host H] [--port P] [--db URL]`: the review workflow as an HTTP service (FastAPI)."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("serve", help="run the review workflow service (API under /api, OpenAPI at /openapi.json)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--db", metavar="URL", help="database URL or SQLite path (default $OPENIMR_DB or ./openimr.db)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn  # imported here so that the other commands start fast

    from openimr.api import create_app

    app = create_app(args.db)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0
