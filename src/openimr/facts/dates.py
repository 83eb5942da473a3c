"""Dates in the forms the records use: 12/09/2013, 10-13-16, 2014-01-31, August 2014."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9

NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})\b")
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
MONTH_DATE = re.compile(
    r"\b(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?\s+(?:(\d{1,2}),?\s+)?(\d{4})\b", re.I)
DATE_PATTERN = r"(?:\d{4}-\d{2}-\d{2}|\d{1,2}[/-]\d{1,2}[/-](?:\d{4}|\d{2})|[A-Z][a-z]+\.?\s+(?:\d{1,2},?\s+)?\d{4})"


def _year(y: str) -> int:
    n = int(y)
    return n + 2000 if n < 100 else n


def parse_date(text: str) -> dt.date | None:
    """The first date in text, or None. A month and year alone gives the first of the month."""
    for pattern, build in (
        (ISO_DATE, lambda m: dt.date(int(m[1]), int(m[2]), int(m[3]))),
        (NUMERIC_DATE, lambda m: dt.date(_year(m[3]), int(m[1]), int(m[2]))),
        (MONTH_DATE, lambda m: dt.date(int(m[3]), MONTHS[m[1].lower()], int(m[2] or 1))),
    ):
        m = pattern.search(text)
        if m:
            try:
                return build(m)
            except ValueError:
                continue
    return None


def is_month_precision(text: str) -> bool:
    m = MONTH_DATE.search(text)
    return bool(m and not m[2])
