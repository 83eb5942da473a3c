"""Sentences with their offsets, so that every fact can point back to its words."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! or ? followed by space and an upper-case letter or digit; abbreviations such as
# "Dr." or "vs." do not end one. Line breaks inside a sentence are only wraps.
_ABBREVIATIONS = ("dr.", "mr.", "ms.", "mrs.", "vs.", "e.g.", "i.e.", "no.", "approx.", "etc.", "st.")
_END = re.compile(r"[.!?;](?=\s+[A-Z0-9(\"])|\n\s*\n|(?<=\.)\d\.(?=\s)")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str  # the original characters, line breaks folded to spaces (same length, so offsets hold)


def flatten(text: str) -> str:
    """Line breaks and tabs become spaces one for one: offsets into the result are offsets into text."""
    return text.replace("\r", " ").replace("\n", " ").replace("\t", " ").replace("\f", " ")


def sentences(text: str) -> list[Sentence]:
    flat = flatten(text)
    out: list[Sentence] = []
    start = 0
    for m in _END.finditer(text):
        end = m.end()
        if flat[max(0, end - 6) : end].lower().endswith(_ABBREVIATIONS):
            continue
        _add(out, flat, start, end)
        start = end
    _add(out, flat, start, len(text))
    return out


def _add(out: list[Sentence], flat: str, start: int, end: int) -> None:
    while start < end and flat[start].isspace():
        start += 1
    while end > start and flat[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, flat[start:end]))
