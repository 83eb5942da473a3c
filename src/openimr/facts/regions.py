"""Body regions named in text, by the keys of lexicon.REGIONS."""

from __future__ import annotations

import re

from openimr.facts.fastmatch import FastGate, ascii_lowered
from openimr.facts.lexicon import REGIONS


def _compile(p: str) -> re.Pattern[str]:
    # upper-case fragments (spinal levels such as L4-5) match as written; the rest ignore case
    return re.compile(r"(?<![A-Za-z])(?:" + p + r")(?![A-Za-z])", 0 if p[0].isupper() else re.I)


PATTERNS = [(region, _compile(p)) for region, ps in REGIONS.items() for p in ps]
# the same patterns, searched faster; a match's offsets count, its characters may be lower-cased
FAST_PATTERNS = [(region, FastGate(pattern)) for region, pattern in PATTERNS]


_last: tuple[str | None, list[tuple[str, FastGate]]] = (None, [])


def candidates(text: str) -> list[tuple[str, FastGate]]:
    """FAST_PATTERNS that may match text, in their order (the others cannot: they need words text lacks).
    The last answer is kept, as several look-ups in a row ask about the same sentence."""
    global _last
    last = _last
    if last[0] is text:
        return last[1]
    lowered = ascii_lowered(text)
    found = []
    # FastGate.may_match, inlined: forty method calls a sentence cost more than the tests themselves
    for entry in FAST_PATTERNS:
        gate = entry[1]
        starts = gate.starts
        if starts is None:
            found.append(entry)
            continue
        where = text if not gate.folded else lowered
        if where is None:  # folded pattern, text not ASCII: cannot tell
            found.append(entry)
            continue
        for start in starts:
            if start in where:
                found.append(entry)
                break
    _last = (text, found)
    return found


def region_of(text: str) -> str | None:
    """The first region in lexicon order that text names."""
    for region, pattern in candidates(text):
        if pattern.search(text):
            return region
    return None


def region_near(text: str, start: int, end: int, after: int = 60, before: int = 30) -> str | None:
    """The region named closest after a mention ('MRI of the right shoulder'), else closest before."""
    window = text[end : end + after]
    best: tuple[int, str] | None = None
    # a pattern the whole text cannot match cannot match a window of it: the text's candidates serve both
    possible = candidates(text)
    for region, pattern in possible:
        m = pattern.search(window)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), region)
    if best:
        return best[1]
    window = text[max(0, start - before) : start]
    for region, pattern in possible:
        found = list(pattern.finditer(window))
        if found and (best is None or found[-1].end() > best[0]):
            best = (found[-1].end(), region)
    return best[1] if best else None
