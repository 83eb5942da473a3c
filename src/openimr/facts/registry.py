"""The recognizer registry: each recognizer reads one sentence and yields facts with spans."""

from __future__ import annotations

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


def mentions_any(s: Sentence, words: tuple[str, ...]) -> bool:
    """A cheap gate: does the lower-cased sentence contain any of these substrings?"""
    return any(w in s.lower for w in words)


def make_fact(name: str, value: Any, s: Sentence, doc: int, start: int, end: int, negated: bool = False) -> Fact:
    """A fact whose span is start..end within sentence s (offsets relative to the sentence)."""
    a, b = s.src(start), s.src_end(end)
    return Fact(name=name, value=value, negated=negated, span=(doc, s.start + a, s.start + b), text=s.source[a:b])
