"""The HTTP service: `create_app(db)` builds the FastAPI application served by `openimr serve`."""

from openimr.api.app import create_app
from openimr.api.limits import MAX_BODY_BYTES

__all__ = ["MAX_BODY_BYTES", "create_app"]
