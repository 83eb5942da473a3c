"""The recognizer registry: each recognizer reads one sentence and yields facts with spans."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from openimr.facts.fastmatch import AnchorIndex
from openimr.facts.fastmatch import FastGate as FastGate  # recognizers import it from here
from openimr.facts.text import Sentence
from openimr.model import Fact

Recognizer = Callable[[Sentence, int], Iterator[Fact]]
RECOGNIZERS: list[Recognizer] = []


def recognizer(fn: Recognizer) -> Recognizer:
    """Register fn; recognizers run in registration order on every sentence."""
    RECOGNIZERS.append(fn)
    return fn


_WORD_GATES: dict[tuple[str, ...], Callable[[str], bool]] = {}


def mentions_any(s: Sentence, words: tuple[str, ...]) -> bool:
    """A cheap gate: does the lower-cased sentence contain any of these substrings?"""
    low = s.lower
    if len(words) <= 8:  # a few `in` tests beat a regular expression
        for w in words:
            if w in low:
                return True
        return False
    # many words: one automaton scans the sentence once instead of once a word
    gate = _WORD_GATES.get(words)
    if gate is None:
        gate = _WORD_GATES[words] = (lambda _: True) if "" in words else AnchorIndex({0: words}).holds_any
    return gate(low)


_FACT_FIELDS = ("name", "value", "negated", "span", "text", "modifiers", "region", "treatment")
# What Fact.model_construct does when every field is given, without its per-field alias and default look-ups
# (a fifth of the cost of building a fact); only for a Fact with exactly these plain fields, no extra fields
# kept, no post-init: anything else takes model_construct itself.
_PLAIN_FACT = (tuple(Fact.model_fields) == _FACT_FIELDS and Fact.model_config.get("extra") != "allow"
               and not Fact.__pydantic_post_init__ and not Fact.__pydantic_root_model__
               and all(f.alias is None and f.validation_alias is None for f in Fact.model_fields.values()))
_new_fact = Fact.__new__
_set = object.__setattr__


def _construct_fact(name: str, value: Any, negated: bool, span: tuple[int, int, int], text: str) -> Fact:
    if not _PLAIN_FACT:
        return Fact.model_construct(name=name, value=value, negated=negated, span=span, text=text,
                                    modifiers=[], region=None, treatment=None)
    fact = _new_fact(Fact)
    _set(fact, "__dict__", {"name": name, "value": value, "negated": negated, "span": span, "text": text,
                            "modifiers": [], "region": None, "treatment": None})
    _set(fact, "__pydantic_fields_set__", set(_FACT_FIELDS))
    _set(fact, "__pydantic_extra__", None)
    _set(fact, "__pydantic_private__", None)
    return fact


def make_fact(name: str, value: Any, s: Sentence, doc: int, start: int, end: int, negated: bool = False) -> Fact:
    """A fact whose span is start..end within sentence s (offsets relative to the sentence)."""
    a, b = s.src(start), s.src_end(end)
    span = (doc, s.start + a, s.start + b)
    if negated is True or negated is False:
        # every field is already of its type (value is Any): validating tens of thousands of facts a
        # record buys nothing
        # (every field given: a default_factory left to model_construct costs a signature inspection per fact)
        return _construct_fact(name, value, negated, span, s.source[a:b])
    return Fact(name=name, value=value, negated=negated, span=span, text=s.source[a:b])
