"""ConText for the facts: what a sentence says around a mention, from the rules in data/context.yaml.

A cue (a literal) gives its category to the mentions in its scope: after it (forward), before it (backward)
or on either side (bidirectional). The scope ends at a terminator or after a few words. This is the method of
ConText (Chapman et al.) as medspaCy implements it, kept as rules in data; it runs on one sentence at a time,
with one compiled pattern for all cues, so its cost grows with the sentence, never with the record.

Who or what a mention belongs to is read from the same structure: the body region named in its clause, and
the treatment named in its clause (or the only one its sentence names).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from openimr.facts.fastmatch import AnchorIndex, FastGate, ascii_lowered
from openimr.facts.lexicon import MODALITIES
from openimr.facts.regions import candidates as region_candidates

_WORD = re.compile(r"[A-Za-z0-9]+")


@dataclass(frozen=True)
class Cue:
    category: str
    direction: str  # forward | backward | bidirectional
    start: int
    end: int


@dataclass(frozen=True)
class _Rules:
    # the patterns are FastGates (exact): a rule whose literal words the sentence lacks is not searched
    cues: tuple[tuple[FastGate, str, str], ...]  # (literal, category, direction) per rule
    any_cue: FastGate
    terminators: FastGate
    max_words: int
    index: AnchorIndex[int]  # rule number -> the literal starts one of which each of its cues holds


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data: dict[str, Any] = yaml.safe_load(
        resources.files("openimr").joinpath("data/context.yaml").read_text(encoding="utf-8"))
    literals = [rf"(?<![A-Za-z0-9])(?:{rule['literal']})(?![A-Za-z0-9])" for rule in data["rules"]]
    # each rule is matched on its own, so that cues of different rules may overlap ("were negative for")
    cues = tuple((FastGate(re.compile(lit, re.I)), rule["category"], rule["direction"])
                 for lit, rule in zip(literals, data["rules"], strict=True))
    return _Rules(cues=cues, any_cue=FastGate(re.compile("|".join(literals), re.I)),
                  terminators=FastGate(re.compile("|".join(data["terminators"]), re.I)),
                  max_words=int(data["max_scope_words"]),
                  index=AnchorIndex({i: gate.starts for i, (gate, _, _) in enumerate(cues)}))


class SentenceContext:
    """The cues and clause boundaries of one sentence, found once and asked about per mention."""

    __slots__ = ("text", "cues", "breaks", "_words", "_regions", "_treatments")

    def __init__(self, text: str) -> None:
        rules = _rules()
        self.text = text
        lowered = ascii_lowered(text)
        if lowered is not None:  # the rules (IGNORECASE) whose lower-cased starts the sentence holds, in order
            may_hold = [rules.cues[i] for i in sorted(rules.index.keys_in(lowered))]
        else:
            may_hold = list(rules.cues) if rules.any_cue.search(text) else []
        self.cues = [Cue(category, direction, m.start(), m.end())
                     for pattern, category, direction in may_hold
                     for m in pattern.finditer(text)]
        self.breaks = [m.start() for m in rules.terminators.finditer(text)]
        self._words: list[int] | None = None
        self._regions: list[tuple[int, int, str]] | None = None
        self._treatments: list[tuple[int, int, str]] | None = None

    def regions(self) -> list[tuple[int, int, str]]:
        """(start, end, region) of every body region the sentence names, found once."""
        if self._regions is None:
            # only the region patterns whose words the sentence holds, in lexicon order (regions.candidates)
            self._regions = [(m.start(), m.end(), region) for region, pattern in region_candidates(self.text)
                             for m in pattern.finditer(self.text)]
        return self._regions

    def treatments(self) -> list[tuple[int, int, str]]:
        """(start, end, treatment) of every treatment the sentence names, found once."""
        if self._treatments is None:
            self._treatments = treatments_named(self.text)
        return self._treatments

    def _words_between(self, a: int, b: int) -> int:
        if self._words is None:
            self._words = [m.start() for m in _WORD.finditer(self.text)]
        return bisect_left(self._words, b) - bisect_left(self._words, a)

    def _broken(self, a: int, b: int) -> bool:
        return bisect_right(self.breaks, b - 1) > bisect_left(self.breaks, a)

    def modifiers(self, start: int, end: int) -> list[str]:
        """The categories of the cues whose scope covers text[start:end], in rule order, each once."""
        limit = _rules().max_words
        found: list[str] = []
        for cue in self.cues:
            if cue.end <= start and cue.direction != "backward":
                reach = not self._broken(cue.end, start) and self._words_between(cue.end, start) <= limit
            elif cue.start >= end and cue.direction != "forward":
                reach = not self._broken(end, cue.start) and self._words_between(end, cue.start) <= limit
            else:
                reach = False
            if reach and cue.category not in found:
                found.append(cue.category)
        return found

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """The bounds of the clause that holds text[start:end]: between the terminators (and commas' sentence
        parts) around it."""
        i = bisect_right(self.breaks, start) - 1
        lo = self.breaks[i] + 1 if i >= 0 else 0
        j = bisect_left(self.breaks, end)
        hi = self.breaks[j] if j < len(self.breaks) else len(self.text)
        return lo, hi


def region_in_clause(ctx: SentenceContext, start: int, end: int) -> str | None:
    """The body region the mention's own clause names, nearest to the mention; None when the clause names none."""
    lo, hi = ctx.clause(start, end)
    best: tuple[int, str] | None = None
    for a, b, region in ctx.regions():
        if a < lo or b > hi:
            continue
        distance = a - end if a >= end else start - b
        if best is None or abs(distance) < best[0]:
            best = (abs(distance), region)
    return best[1] if best else None


# FastGates: a pattern whose words the sentence lacks is not searched (the found spans are sorted below)
_MODALITY_PATTERNS = [(modality, FastGate(re.compile(p if not re.search(r"\\b[A-Z]{2,}", p) else f"(?-i:{p})",
                                                     re.I)))
                      for modality, ps in MODALITIES.items() for p in ps]
# which of them an ASCII sentence may hold, in one pass: their literal starts, lower-cased, in the lower-cased
# sentence (a case-sensitive start such as "TENS" then needs "tens"; the pattern itself still decides)
_MODALITY_INDEX = AnchorIndex({i: tuple({w.lower() for w in gate.starts}) if gate.starts is not None else None
                               for i, (_, gate) in enumerate(_MODALITY_PATTERNS)})


def treatments_named(text: str) -> list[tuple[int, int, str]]:
    """(start, end, treatment) for each therapy modality or drug class named in text, in order."""
    from openimr.facts.lexicon import DRUGS

    found: list[tuple[int, int, str]] = []
    lowered = ascii_lowered(text)
    may_match = sorted(_MODALITY_INDEX.keys_in(lowered)) if lowered is not None else range(len(_MODALITY_PATTERNS))
    for i in may_match:
        modality, pattern = _MODALITY_PATTERNS[i]
        found += [(m.start(), m.end(), modality) for m in pattern.finditer(text)]
    for m in _DRUG_WORD.finditer(text):
        hit = DRUGS.get(m[0].lower())
        if hit:
            found.append((m.start(), m.end(), hit[1]))  # the drug's class: improvement with Norco is an opioid's
    found += [(m.start(), m.end(), "medication") for m in _MEDICATION.finditer(text)]
    return sorted(set(found))


_DRUG_WORD = re.compile(r"[A-Za-z][A-Za-z-]{2,}")
_MEDICATION = re.compile(r"\bmedications?\b|\bmeds\b", re.I)


def treatment_in_clause(ctx: SentenceContext, start: int, end: int) -> str | None:
    """The treatment a response belongs to: the one its clause names nearest the mention, else the only one
    the sentence names. None when the sentence names none, or several and the clause does not choose."""
    lo, hi = ctx.clause(start, end)
    near = sorted({(a, t) for a, b, t in ctx.treatments() if a >= lo and b <= hi})
    if near:
        return min(near, key=lambda t: abs(t[0] - start))[1]
    whole = {t for _, _, t in ctx.treatments()}
    return whole.pop() if len(whole) == 1 else None


def context_of(sentence: Any) -> SentenceContext:
    """The sentence's context, built once however many recognizers ask for it (a facts.text.Sentence)."""
    if sentence.context is None:
        sentence.context = SentenceContext(sentence.text)
    return sentence.context
