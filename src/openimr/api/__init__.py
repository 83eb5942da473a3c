"""The HTTP service: `create_app(db)` builds the FastAPI application served by `openimr serve`."""

from openimr.api.app import MAX_BODY_BYTES, create_app

__all__ = ["MAX_BODY_BYTES", "create_app"]
