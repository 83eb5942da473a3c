"""Options several sub-commands share, with one help text each."""

from __future__ import annotations

import argparse
from typing import Any


def add_db_option(parser: Any) -> None:
    """--db for the review service's database (not the corpus store)."""
    parser.add_argument("--db", metavar="URL",
                        help="the review service's database: a URL (postgresql://...) or an SQLite path "
                             "(default $OPENIMR_DB or ./openimr.db)")


def positive_int(text: str) -> int:
    """argparse type: a whole number of at least 1 (argparse reports the error with the usage, exit 2)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return value


def add_jobs_option(parser: Any) -> None:
    parser.add_argument("--jobs", type=positive_int, default=None, metavar="N",
                        help="parallel processes for parsing letters (default: one per CPU)")


def add_corpus_db_option(parser: Any, created: bool = False) -> None:
    parser.add_argument("--db", required=True, metavar="FILE",
                        help="the corpus store, an SQLite file" + (" (created if absent)" if created else
                                                                   " written by `openimr corpus ingest`"))
