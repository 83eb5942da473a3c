"""The `openimr` command. Each sub-command lives in openimr/commands/<name>.py and registers itself.

Bad input anywhere ends in one line on stderr naming the problem and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from openimr import commands
from openimr.errors import InputError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="openimr",
        description="California workers' compensation Independent Medical Review: "
        "case file in, Final Determination Letter out.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):  # shared helpers, not commands
            continue
        module = importlib.import_module(f"openimr.commands.{info.name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result = args.run(args)
        return int(result or 0)
    except InputError as exc:
        print(f"openimr: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `openimr ... | head` is not an error
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
