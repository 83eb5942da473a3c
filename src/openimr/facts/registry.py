"""The recognizer registry: each recognizer reads one sentence and yields facts with spans."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from openimr.facts.fastmatch import FastGate as FastGate  # recognizers import it from here
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
    low = s.lower
    if len(words) <= 8:  # a few `in` tests beat a regular expression
        for w in words:
            if w in low:
                return True
        return False
    # many words: one compiled alternation scans the sentence once instead of once a word
    gate = _WORD_GATES.get(words)
    if gate is None:
        gate = _WORD_GATES[words] = re.compile("|".join(map(re.escape, words)))
    return gate.search(low) is not None


def make_fact(name: str, value: Any, s: Sentence, doc: int, start: int, end: int, negated: bool = False) -> Fact:
    """A fact whose span is start..end within sentence s (offsets relative to the sentence)."""
    a, b = s.src(start), s.src_end(end)
    span = (doc, s.start + a, s.start + b)
    if negated is True or negated is False:
        # every field is already of its type (value is Any): validating tens of thousands of facts a
        # record buys nothing
        # (every field given: a default_factory left to model_construct costs a signature inspection per fact)
        return Fact.model_construct(name=name, value=value, negated=negated, span=span, text=s.source[a:b],
                                    modifiers=[], region=None, treatment=None)
    return Fact(name=name, value=value, negated=negated, span=span, text=s.source[a:b])
