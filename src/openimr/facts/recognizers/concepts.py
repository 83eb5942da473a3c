"""Clinical findings the guideline criteria ask about (data/findings.yaml), as `finding` facts.

Each mention keeps its span, its ConText modifiers, the body region of its clause and, where its clause names
one, the treatment it is about. Whether a finding counts (asserted, current, in the requested region) is
decided where it is used, from these attributes; the recognizer only reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from openimr.facts.fastmatch import AnchorIndex, FastGate, required_words
from openimr.facts.modifiers import SentenceContext, context_of, region_in_clause, treatment_in_clause
from openimr.facts.registry import make_fact, recognizer
from openimr.facts.text import Sentence
from openimr.model import NOT_ASSERTED, PAST, Fact

# acronyms written between word boundaries (\bGERD\b) keep their case: they match the acronym, not a word
_ACRONYM = re.compile(r"\\b([A-Z][A-Z0-9&]+)\\b")


@dataclass(frozen=True)
class Concept:
    name: str
    description: str
    pattern: re.Pattern[str]
    accept: frozenset[str]  # modifiers that do not undo this concept
    current: bool  # historical or resolved mentions do not count
    site: bool  # belongs to one body region
    anchors: tuple[str, ...] | None  # a match contains one of these words (None: cannot tell)


def compile_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(_ACRONYM.sub(r"(?-i:\\b\1\\b)", " ".join(pattern.split())), re.I)


@lru_cache(maxsize=1)
def concepts() -> dict[str, Concept]:
    data: dict[str, Any] = yaml.safe_load(
        resources.files("openimr").joinpath("data/findings.yaml").read_text(encoding="utf-8"))
    out = {}
    for name, c in data["concepts"].items():
        pattern = compile_pattern(c["pattern"])
        out[name] = Concept(name=name, description=c["description"], pattern=pattern,
                            accept=frozenset(c.get("accept", [])), current=bool(c.get("current")),
                            site=bool(c.get("site")), anchors=required_words(pattern))
    return out


@lru_cache(maxsize=1)
def _anchor_index() -> AnchorIndex[str]:
    return AnchorIndex({c.name: c.anchors for c in concepts().values()})


@lru_cache(maxsize=1)
def _order() -> dict[str, int]:
    return {name: i for i, name in enumerate(concepts())}


@lru_cache(maxsize=1)
def _gates() -> dict[str, FastGate]:
    """Each concept's pattern as a FastGate: searched lower-cased (several times faster than IGNORECASE)."""
    return {name: FastGate(c.pattern) for name, c in concepts().items()}


def candidate_concepts(lower: str) -> list[Concept]:
    """The concepts whose pattern may match a (lower-cased) sentence: those one of whose anchors it holds,
    found in one pass over the sentence however many anchors there are, and those without anchors."""
    names = _anchor_index().keys_in(lower)
    table = concepts()
    return [table[name] for name in sorted(names, key=_order().__getitem__)]  # in the file's order


@recognizer
def finding(s: Sentence, doc: int) -> Iterator[Fact]:
    """Every concept mention in the sentence, with its context."""
    ctx: SentenceContext | None = None
    gates = _gates()
    lowered = s.lower if s.text.isascii() else None  # offsets stay put only when lower-casing keeps the length
    for concept in candidate_concepts(s.lower):
        # the match's offsets are the pattern's own; its characters may be lower-cased, and are not used
        for m in gates[concept.name].finditer_gated(s.text, lowered):
            ctx = ctx or context_of(s)
            modifiers = ctx.modifiers(m.start(), m.end())
            fact = make_fact("finding", concept.name, s, doc, m.start(), m.end(), negated="negated" in modifiers)
            fact.modifiers = modifiers
            fact.region = region_in_clause(ctx, m.start(), m.end())
            fact.treatment = treatment_in_clause(ctx, m.start(), m.end())
            yield fact


def counts(fact: Fact, concept: Concept, region: str | None = None, same_region: Any = None) -> bool:
    """The finding is asserted for this patient now (and, for a site-bound one, in the region asked about)."""
    blocking = set(fact.modifiers) - concept.accept
    if fact.negated and "negated" not in concept.accept:
        return False
    if blocking & NOT_ASSERTED:
        return False
    if concept.current and blocking & PAST:
        return False
    if concept.site and region is not None:
        return fact.region is not None and (same_region(fact.region, region) if same_region else fact.region == region)
    return True
