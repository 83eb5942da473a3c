"""YAML for the packaged data files, read with libyaml when PyYAML was built with it (eight times faster
than the pure-Python reader; the same values). Start-up of every command loads these files."""

from __future__ import annotations

from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    return yaml.load(text, Loader=_LOADER)  # noqa: S506  (a safe loader, the C one when present)
