"""Dates in the forms the records use: 12/09/2013, 10-13-16, 2014-01-31, August 2014, October 24, 2016.

Line wraps can leave a space after a separator ("10/10/ 2016", "10-30- 2016"); those still read as dates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
NUMERIC_DATE = re.compile(r"(?<![\d/])(\d{1,2})\s?[/-]\s?(\d{1,2})\s?[/-]\s?(\d{4}|\d{2})(?![\d/])")
# a month name followed by a year is a date; "May" alone is not, so the pattern needs the year
MONTH_DATE = re.compile(r"\b(" + _MONTH_NAMES + r")\.?\s+(?:(\d{1,2})(?:st|nd|rd|th)?,?\s+)?(\d{4})\b", re.I)
# one alternation for embedding in larger patterns
DATE_PATTERN = (r"(?:\d{4}-\d{2}-\d{2}|\d{1,2}\s?[/-]\s?\d{1,2}\s?[/-]\s?(?:\d{4}|\d{2})(?![\d/])|"
                r"(?:" + _MONTH_NAMES + r")\.?\s+(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?\d{4})")
_DATE_RE = re.compile(DATE_PATTERN, re.I)


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    date: dt.date
    month_only: bool  # "August 2014": the day is unknown

    @property
    def value(self) -> str:
        """ISO date, or YYYY-MM when only the month is known."""
        return self.date.strftime("%Y-%m") if self.month_only else self.date.isoformat()


def _year(y: str) -> int:
    n = int(y)
    return n + 2000 if n < 100 else n


def _build(text: str) -> tuple[dt.date, bool] | None:
    m = ISO_DATE.fullmatch(text)
    try:
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3])), False
        m = NUMERIC_DATE.fullmatch(text)
        if m:
            return dt.date(_year(m[3]), int(m[1]), int(m[2])), False
        m = MONTH_DATE.fullmatch(text)
        if m:
            return dt.date(int(m[3]), MONTHS[m[1].lower()], int(m[2] or 1)), not m[2]
    except ValueError:
        return None
    return None


def find_dates(text: str) -> list[FoundDate]:
    """Every date in text with its offsets; impossible dates (13/45/2016) are skipped."""
    out = []
    for m in _DATE_RE.finditer(text):
        built = _build(m[0])
        if built and 1900 <= built[0].year <= 2100:
            out.append(FoundDate(m.start(), m.end(), built[0], built[1]))
    return out


def nearest_date(text: str, pos: int) -> FoundDate | None:
    """The date in text closest to offset pos (by distance to either end)."""
    found = find_dates(text)
    if not found:
        return None
    return min(found, key=lambda d: min(abs(d.start - pos), abs(d.end - pos)))
