"""Numbers as the records write them: digits or words."""

from __future__ import annotations

WORD_NUMBERS = {
    "zero": 0, "no": 0, "one": 1, "a single": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "twenty-four": 24, "thirty": 30, "forty": 40,
}

NUMBER_PATTERN = r"(?:\d+(?:\.\d+)?|" + "|".join(sorted((w for w in WORD_NUMBERS if w != "no"), key=len, reverse=True)) + r")"


def to_number(token: str) -> float | None:
    t = token.strip().lower()
    if t in WORD_NUMBERS:
        return float(WORD_NUMBERS[t])
    try:
        return float(t)
    except ValueError:
        return None
