"""Service settings read from the environment: a malformed value is one clear InputError, not a traceback."""

from __future__ import annotations

import os

from openimr.errors import InputError


def env_int(name: str, default: int) -> int:
    """$name as a whole number, or default when it is unset or empty."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise InputError(f"{name} must be a whole number, not {raw!r}") from None
