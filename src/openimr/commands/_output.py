"""Where a command's output goes: a file named by --out, else standard output."""

from __future__ import annotations

import sys
from typing import TextIO

from openimr.errors import InputError


def open_output(path: str) -> TextIO:
    """The file --out names, opened for writing; a path that cannot be written is bad input, not a crash."""
    try:
        return open(path, "w", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror}") from None


def write_output(text: str, path: str | None) -> None:
    if path:
        with open_output(path) as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
