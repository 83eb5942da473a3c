"""Numbers and counts as the records write them: digits or words, "2x4", "twice a week for six weeks",
"completed 6 of 8", "#6", "five (5)", and monthly tallies ("#4 July, #7 August")."""

from __future__ import annotations

import re

WORD_NUMBERS = {
    "zero": 0, "one": 1, "a single": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "twenty-four": 24, "thirty": 30, "forty": 40, "once": 1, "twice": 2,
    "thrice": 3,
}
_WORDS = "|".join(sorted((w for w in WORD_NUMBERS if w not in {"once", "twice", "thrice"}), key=len, reverse=True))
NUMBER_PATTERN = r"(?:\d+(?:\.\d+)?|" + _WORDS + r")"
N = NUMBER_PATTERN
# "five (5)": the word and its digits in parentheses
N_PAREN = r"(?:" + N + r")(?:\s*\(\d+\))?"
UNIT = r"(?:sessions?|visits?|treatments?|appointments?|times)"
_MONTHS = (r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?")

FREQ_RE = re.compile(
    r"(?:(" + N + r")\s*(?:x|times)|(once|twice|thrice))\s*(?:(?:a|per|/)\s*(?:week|wk)\s*)?(?:x|for)?\s*(" + N + r")"
    r"(?:\s*(?:weeks?|wks?))?", re.I)
_BEFORE = [
    # "completed 6 of 8 visits of", "6 of 6 visits"
    re.compile(r"(" + N + r")\s+of\s+(?:the\s+)?(?:" + N + r")\s+(?:authorized\s+|approved\s+|prescribed\s+)?"
               + UNIT + r"\s+(?:of\s+)?$", re.I),
    # "18 sessions of", "#6 sessions", "five (5) total prior sessions of"
    re.compile(r"#?(" + N_PAREN + r")\s+(?:total\s+|prior\s+|previous\s+|additional\s+|completed\s+|authorized\s+)*"
               + UNIT + r"\s+(?:of\s+)?(?:(?:the\s+)?following\s+)?$", re.I),
]
# "5 physical therapy visits": the number before the name, the unit after
_BEFORE_BARE = re.compile(r"#?(" + N_PAREN + r")\s+(?:prior\s+|previous\s+|additional\s+|completed\s+)?$", re.I)
_AFTER = [
    re.compile(r"^\s*(?:" + UNIT + r"\s*)?(?:x|#|times|:)\s*(" + N + r")\b(?!\s*(?:/|mg|%|weeks?|months?|days?))", re.I),
    re.compile(r"^\s*(?:" + UNIT + r")?\s*[(,]?\s*(?:for\s+|totaling\s+|total\s+of\s+)?(?:at\s+least\s+|approximately\s+|about\s+|over\s+)?(" + N_PAREN + r")\s+(?:total\s+)?"
               + UNIT, re.I),
]
_AFTER_UNIT = re.compile(r"^\s*(?:\w+\s+)?" + UNIT + r"\b", re.I)
_TALLY = re.compile(r"^\s*(?:(?:,|and|\s)*(?:#\d+\s+" + _MONTHS + r"|" + _MONTHS + r"\s+#\d+))+", re.I)


def to_number(token: str) -> float | None:
    t = re.sub(r"\s*\(\d+\)$", "", token.strip().lower())
    if t in WORD_NUMBERS:
        return float(WORD_NUMBERS[t])
    try:
        return float(t)
    except ValueError:
        return None


def frequency_total(text: str) -> tuple[float, int, int] | None:
    """'2x4', '3 times a week for 2 weeks', 'twice a week for six weeks' at the start of text: (total, start, end)."""
    m = FREQ_RE.match(text.lstrip())
    if not m:
        return None
    a, b = to_number(m[1] or m[2]), to_number(m[3])
    if a is None or b is None:
        return None
    offset = len(text) - len(text.lstrip())
    return a * b, offset + m.start(), offset + m.end()


def count_before(prefix: str, suffix: str) -> tuple[float, int] | None:
    """A count written before a treatment's name: (count, offset in prefix where the expression starts)."""
    for pattern in _BEFORE:
        m = pattern.search(prefix)
        if m:
            n = to_number(m[1])
            if n is not None:
                return n, m.start()
    m = _BEFORE_BARE.search(prefix)
    if m and _AFTER_UNIT.match(suffix):
        n = to_number(m[1])
        if n is not None and not re.search(r"\d[/-]\s?$", prefix[: m.start()]):
            return n, m.start()
    return None


def count_after(suffix: str) -> tuple[float, int] | None:
    """A count written after a treatment's name: (count, offset in suffix where the expression ends)."""
    m = _TALLY.match(suffix)
    if m and m[0].count("#") >= 2:
        return float(sum(int(x) for x in re.findall(r"#(\d+)", m[0]))), m.end()
    for pattern in _AFTER:
        m = pattern.match(suffix)
        if m:
            n = to_number(m[1])
            if n is not None:
                return n, m.end()
    freq = frequency_total(suffix)
    if freq:
        return freq[0], freq[2]
    return None
