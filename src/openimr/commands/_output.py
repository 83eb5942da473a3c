"""Where a command's output goes: a file named by --out, else standard output."""

from __future__ import annotations

import sys


def write_output(text: str, path: str | None) -> None:
    if path:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
