"""`openimr serve [--host H] [--port P] [--db URL]`: the review workflow as an HTTP service (FastAPI)."""

from __future__ import annotations

import argparse
from typing import Any

from openimr.commands._options import add_db_option
from openimr.errors import InputError


def register(sub: Any) -> None:
    p = sub.add_parser("serve", help="run the review workflow service (API under /api, OpenAPI at /openapi.json)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000, help="TCP port, 0-65535 (default 8000)")
    add_db_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not 0 <= args.port <= 65535:
        raise InputError(f"--port {args.port}: a port is a number from 0 to 65535")
    import uvicorn  # imported here so that the other commands start fast

    from openimr.api import create_app

    app = create_app(args.db)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0
