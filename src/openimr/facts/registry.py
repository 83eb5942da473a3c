"""The recognizer registry: each recognizer reads one sentence and yields facts with spans."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from openimr.facts.text import Sentence
from openimr.model import Fact

Recognizer = Callable[[Sentence, int], Iterator[Fact]]
RECOGNIZERS: list[Recognizer] = []


def recognizer(fn: Recognizer) -> Recognizer:
    """Register fn; recognizers run in registration order on every sentence."""
    RECOGNIZERS.append(fn)
    return fn


_WORD_GATES: dict[tuple[str, ...], re.Pattern[str]] = {}


def mentions_any(s: Sentence, words: tuple[str, ...]) -> bool:
    """A cheap gate: does the lower-cased sentence contain any of these substrings?"""
    # one compiled alternation of the literal words scans the sentence once instead of once a word
    gate = _WORD_GATES.get(words)
    if gate is None:
        gate = _WORD_GATES[words] = re.compile("|".join(map(re.escape, words)))
    return gate.search(s.lower) is not None


# pattern syntax that lower-casing could change: escapes other than \b \d \s \w and escaped punctuation
# (\B \W \x41 \N{...}), inline flags, and ranges that do not stay within one case ([A-z])
_UNSAFE_SYNTAX = re.compile(r"\\[^bdsw\W]|\(\?[a-zA-Z-]*[-i]")
_CLASS = re.compile(r"\[\^?\]?(?:\\.|[^\]\\])*\]")
_RANGE = re.compile(r"(?<!\\)(\w)-(\w)")


def _lowers_safely(pattern: str) -> bool:
    if _UNSAFE_SYNTAX.search(pattern):
        return False
    for cls in _CLASS.findall(pattern):
        for a, b in _RANGE.findall(cls):
            if not (a.islower() and b.islower() or a.isupper() and b.isupper() or a.isdigit() and b.isdigit()):
                return False
    return True


class FastGate:
    """A case-insensitive pattern's search, as fast as a case-sensitive one on ASCII text.

    Python's engine is several times slower on IGNORECASE alternations than on plain ones. On ASCII text
    (the records, nearly always) searching the lower-cased text with the lower-cased pattern finds a match
    exactly when the original does, at the same offsets; other text, and patterns whose syntax changes
    meaning when lower-cased, use the original. The match's characters are lower-cased: a gate is for
    yes/no and offsets, not for quoting."""

    __slots__ = ("pattern", "_lowered")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        plain = bool(pattern.flags & re.IGNORECASE) and pattern.pattern.isascii() and _lowers_safely(pattern.pattern)
        self._lowered = re.compile(pattern.pattern.lower(), pattern.flags & ~re.IGNORECASE) if plain else None

    def search(self, text: str) -> re.Match[str] | None:
        if self._lowered is not None and text.isascii():
            return self._lowered.search(text.lower())
        return self.pattern.search(text)


def make_fact(name: str, value: Any, s: Sentence, doc: int, start: int, end: int, negated: bool = False) -> Fact:
    """A fact whose span is start..end within sentence s (offsets relative to the sentence)."""
    a, b = s.src(start), s.src_end(end)
    return Fact(name=name, value=value, negated=negated, span=(doc, s.start + a, s.start + b), text=s.source[a:b])
