"""What a criterion may ask: the names its expression uses, each a look-up over facts, request and case.

A look-up records the facts it touched, so that each criterion's evidence quotes the records it rests on.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from openimr.decide.rationale import n
from openimr.decide.signals import COMPILED_SIGNALS, HISTORY_WORDS, PLAN_WORDS, REQUEST_WORDS, affirmed
from openimr.facts import FactSet
from openimr.facts.lexicon import REGIONS
from openimr.facts.regions import PATTERNS as REGION_PATTERNS
from openimr.facts.regions import region_of
from openimr.facts.text import MAX_SENTENCE
from openimr.guidelines.expr import constant_calls, names_used
from openimr.guidelines.schema import Rule
from openimr.model import Fact, Service
from openimr.services import find_drugs

THERAPY_MODALITY = {
    "physical_therapy": "physical therapy", "occupational_therapy": "occupational therapy",
    "chiropractic": "chiropractic", "acupuncture": "acupuncture", "massage": "massage",
    "aquatic_therapy": "aquatic therapy",
}
ACTIVE_MODALITIES = ("physical therapy", "occupational therapy", "home exercise", "aquatic therapy")

# families whose requests often omit the region: it is then the region the records treat
REGIONLESS_THERAPY = {"physical_medicine", "chiropractic", "electrotherapy", "acupuncture"}

SITE_SPECIFIC_FLAGS = re.compile(r"fracture|dislocation", re.I)
# regions one guideline chapter covers together
REGION_GROUP = {"thoracic": "cervical", "upper_extremity": "cervical", "lower_extremity": "lumbar",
                "hand": "wrist", "foot": "ankle"}

NEURO_TESTS = ("sensation", "motor strength", "reflexes", "straight leg raise", "spurling")

# the values names() computes up front, by the name of the facts each reads
EAGER_NAME_OF_FACT = {"functional_improvement": "functional_improvement", "red_flag": "red_flags", "age": "age"}


@dataclass
class CaseContext:
    """What a criterion may know beyond the facts: the documents' words and the case's other items."""

    text: str = ""
    documents: list[str] = field(default_factory=list)
    siblings: list[Service] = field(default_factory=list)
    surgery_outcome: str | None = None  # "Overturned"/"Upheld" of a surgery decided in the same case
    _signals: dict[str, bool] = field(default_factory=dict)

    def signal(self, name: str) -> bool:
        if name not in self._signals:
            self._signals[name] = any(affirmed(self.text, m.start())
                                      for m in COMPILED_SIGNALS[name].finditer(self.text))
        return self._signals[name]

    @cached_property
    def drug_classes_taken(self) -> set[str]:
        """Drug classes the records name outside requests, plans and review history: drugs already taken."""
        classes: set[str] = set()
        for sentence in re.split(r"(?<=[.;])\s+", self.text):
            if PLAN_WORDS.search(sentence):
                continue
            classes.update(d["class"] for d in find_drugs(sentence))
        return classes

    def in_request_sentence(self, fact: Fact) -> bool:
        doc, start, end = fact.span
        if doc >= len(self.documents):
            return False
        text = self.documents[doc]
        # looked for within a sentence's longest reach only: a record without full stops stays linear
        floor, ceiling = max(0, start - MAX_SENTENCE), end + MAX_SENTENCE
        begin = max(text.rfind(". ", floor, start), text.rfind(".\n", floor, start), floor - 1) + 1
        stop = text.find(". ", end, ceiling)
        sentence = text[begin: stop if stop >= 0 else min(len(text), ceiling)]
        return bool(REQUEST_WORDS.search(sentence)) and not HISTORY_WORDS.search(sentence)

    def affirmed_fact(self, fact: Fact) -> bool:
        """The fact's mention is asserted in its document (a fact from no known document counts)."""
        doc, start, _ = fact.span
        return doc >= len(self.documents) or affirmed(self.documents[doc], start)


@dataclass
class CriterionContext:
    """The names a criterion may use; it records which facts each look-up touched, as evidence."""

    service: Service
    facts: FactSet
    rule: Rule
    used: list[Fact] = field(default_factory=list)
    case: CaseContext = field(default_factory=CaseContext)

    def _use(self, facts: list[Fact]) -> None:
        for f in facts:
            if f not in self.used:
                self.used.append(f)

    def _prior(self, modality: str) -> Fact | None:
        """The best-documented history of a modality, leaving out mentions in a sentence about the request or
        its review ("6 sessions of acupuncture were requested and non-certified"): those are the treatment in
        dispute, not treatment given."""
        return self.facts.prior(modality, skip=self.case.in_request_sentence)

    @property
    def therapy_modality(self) -> str:
        """The request's topic in the words prior-treatment facts use ("physical therapy")."""
        topic = self.service.topic or ""
        return THERAPY_MODALITY.get(topic, topic)

    def _authorized(self, modality: str) -> float:
        """What UR already authorized of this very request counts as given."""
        return float(self.service.authorized_quantity or 0) if self.therapy_modality == modality else 0.0

    def visits_so_far(self, modality: str) -> float:
        """Visits of a modality already given (and authorized); 0 when the records never mention it."""
        fact = self._prior(modality)
        if fact is not None:
            self._use([fact])
        if fact is None or fact.negated:
            return self._authorized(modality)
        count = fact.value.get("count")
        return (float(count) if count is not None else 0) + self._authorized(modality)

    def had(self, modality: str) -> bool:
        """The records mention this treatment as given before (with or without a count)."""
        fact = self._prior(modality)
        if fact is not None:
            self._use([fact])
        return (fact is not None and not fact.negated) or self._authorized(modality) > 0

    def request_says(self, pattern: str) -> bool:
        """The request's own words match a pattern (case-insensitive), e.g. 'compression|vascutherm'."""
        return bool(re.search(pattern, self.service.raw, re.I))

    def continuation(self) -> bool:
        """The request itself asks for more of a treatment already under way."""
        return bool(re.search(r"\b(?:additional|continu\w+|more|further|extension|extend\w*|ongoing|remaining)\b",
                              self.service.raw, re.I))

    def neuro_deficit(self) -> bool | None:
        """Objective neurologic findings (sensory, motor, reflex, nerve tension signs): abnormal True,
        all tested normal False, untested None."""
        found = [f for f in self.facts.named("exam_finding") if f.value.get("test") in NEURO_TESTS and not f.negated]
        if not found:
            return None
        abnormal = [f for f in found if f.value.get("result") == "abnormal"]
        self._use((abnormal or found)[:2])
        return bool(abnormal)

    def signal(self, name: str) -> bool | None:
        """A documented text signal (see TEXT_SIGNALS): True when the records say it, else not documented."""
        return True if self.case.signal(name) else None

    def imaging_done(self, modality: str | None = None) -> bool:
        """Imaging of the requested region (of the given modality) already in the records."""
        found = [f for f in self.facts.named("imaging") if not f.negated
                 and (modality is None or f.value.get("modality") == modality)
                 and (self.service.region is None or f.value.get("region") == self.service.region)]
        self._use(found[:1])
        return bool(found)

    def on_drug_class(self, drug_class: str) -> bool | None:
        """The patient already takes a drug of this class, per the medication facts."""
        found = []
        for f in self.facts.named("medication"):
            if f.value.get("class") == drug_class and not f.negated:
                found.append(f)
        self._use(found[:1])
        return True if found or drug_class in self.case.drug_classes_taken else None

    def requested(self, topic: str) -> bool:
        """Another item of the same case asks for this topic (or drug class)."""
        return any(s.topic == topic or s.drug_class == topic for s in self.case.siblings if s is not self.service)

    def surgery_certified(self) -> bool | None:
        """The surgery decided in the same case: medically necessary True, not False, none in the case None."""
        if self.case.surgery_outcome is None:
            return None
        return self.case.surgery_outcome == "Overturned"

    def dated_from(self, iso: str) -> bool | None:
        ref = self.facts.reference_date
        return None if ref is None else ref >= dt.date.fromisoformat(iso)

    def topical_not_recommended(self) -> list[str]:
        """Ingredients of a topical or compounded request that the guideline does not support topically."""
        return [d["name"] for d in find_drugs(self.service.raw) if d.get("topical") == "not_recommended"]

    def supply_days(self) -> float | None:
        """Days a medication request lasts, when its quantity and daily use are stated."""
        raw = self.service.raw.lower()
        m = re.search(r"day supply:?\s*(\d+)", raw) or re.search(r"(\d+)[- ]day supply", raw)
        if m:
            return float(m[1])
        m = re.search(r"\b(one|1|two|2|three|3) months?", raw)
        if m:
            return 30.0 * (int(m[1]) if m[1].isdigit() else {"one": 1, "two": 2, "three": 3}[m[1]])
        q = self.service.quantity
        if q is None:
            return None
        per_day = 4 if re.search(r"\bqid\b|four times|every 6|q6|every 4|q4", raw) else \
            3 if re.search(r"\btid\b|three times|every 8|q8", raw) else \
            1 if re.search(r"\bq(?:d|hs)\b|daily|once a day|at bedtime|nightly", raw) else 2
        return q / per_day

    @property
    def age(self) -> int | None:
        found = self.facts.named("age")
        self._use(found[:1])
        return int(found[0].value) if found else None

    def prior_count(self, modality: str) -> float | None:
        """Visits of a modality already given; None when the records do not say."""
        fact = self._prior(modality)
        if fact is None:
            return None
        self._use([fact])
        return 0 if fact.negated else fact.value.get("count")

    def has(self, name: str) -> bool:
        found = [f for f in self.facts.named(name) if not f.negated]
        self._use(found[:2])
        return bool(found)

    def has_active_program(self) -> bool:
        found = [f for f in self.facts.named("prior_treatment")
                 if f.value["modality"] in ACTIVE_MODALITIES and not f.negated]
        self._use(found[:2])
        return bool(found)

    def finding(self, test: str, result: str | None = None) -> bool | None:
        found = [f for f in self.facts.named("exam_finding") if f.value["test"] == test]
        if not found:
            return None
        self._use(found[:2])
        if result is None:
            return True
        return any(f.value["result"] == result for f in found)

    def diagnosis(self, pattern: str) -> bool:
        found = [f for f in self.facts.named("diagnosis") if re.search(pattern, f.value["text"], re.I)]
        self._use(found[:2])
        return bool(found)

    @property
    def functional_improvement(self) -> bool | None:
        found = self.facts.named("functional_improvement")
        if not found:
            return None
        self._use(found[:1])
        return any(f.value and not f.negated for f in found)

    def _flag_here(self, fact: Fact) -> bool:
        """A fracture or dislocation is a red flag for the region it is in, not for every region: a thumb
        fracture does not call for a shoulder MRI. Other red flags (cauda equina, progressive deficit,
        infection, tumour) count wherever they are mentioned."""
        if not SITE_SPECIFIC_FLAGS.search(fact.text) or self.service.region is None:
            return True
        doc, start, end = fact.span
        text = self.case.documents[doc] if doc < len(self.case.documents) else fact.text
        window = text[max(0, start - 60):end + 40]
        if re.search(r"\bribs?\b", window, re.I):
            return False  # rib fractures are chest injuries, not spine ones
        where = region_of(window)
        return where is not None and REGION_GROUP.get(where, where) == REGION_GROUP.get(self.service.region,
                                                                                        self.service.region)

    @property
    def red_flags(self) -> bool:
        found = [f for f in self.facts.named("red_flag")
                 if not f.negated and self.case.affirmed_fact(f) and self._flag_here(f)]
        self._use(found[:2])
        return bool(found)

    def request_regions(self) -> list[str]:
        """Every body region the request names ("cervical and lumbar spine, left wrist/hand")."""
        named = {region for region, pattern in REGION_PATTERNS if pattern.search(self.service.raw)}
        return [r for r in REGIONS if r in named]

    def names_for(self, expression: str) -> dict[str, Any]:
        """names(), keeping the facts its up-front values touched as evidence only where expression uses them."""
        before = len(self.used)
        names = self.names()
        eager = self.used[before:]
        del self.used[before:]
        used = names_used(expression)
        self._use([f for f in eager if EAGER_NAME_OF_FACT.get(f.name) in used])
        return names

    def names(self) -> dict[str, Any]:
        funcs: dict[str, Callable[..., Any]] = {
            "visits_so_far": self.visits_so_far, "prior_count": self.prior_count, "has": self.has,
            "has_active_program": self.has_active_program, "finding": self.finding,
            "diagnosis": self.diagnosis, "limit": lambda key: self.rule.limits[key], "n": n,
            "had": self.had, "continuation": self.continuation, "neuro_deficit": self.neuro_deficit,
            "signal": self.signal, "imaging_done": self.imaging_done, "on_drug_class": self.on_drug_class,
            "requested": self.requested, "surgery_certified": self.surgery_certified, "dated_from": self.dated_from,
            "topical_not_recommended": self.topical_not_recommended, "supply_days": self.supply_days,
            "len": len, "request_regions": self.request_regions,
            "overlap": lambda a, b: [x for x in a if x in b], "request_says": self.request_says,
        }
        return {
            **funcs,
            "request": self.service,
            "therapy_modality": self.therapy_modality,
            "phase": self.facts.phase,
            "weeks_since_injury": self.facts.weeks_since_injury,
            "functional_improvement": self.functional_improvement,
            "red_flags": self.red_flags,
            "age": self.age,
            "weeks": self.facts.weeks_since_injury,
        }


def rule_problems(rule: Rule) -> list[str]:
    """What in a rule's expressions the engine could not evaluate: an unknown name, signal or limit.

    Run when the knowledge base is first used, so that a mistake in a rule file is one clear message
    naming the rule, not a failure in the middle of deciding a case.
    """
    known = set(CriterionContext(Service(raw=""), FactSet(), rule).names())
    expressions = [("applies_to.when", rule.applies_to.when), *((f"criterion {c.id}", c.test) for c in rule.criteria)]
    problems = []
    for where, source in expressions:
        if source is None:
            continue
        problems += [f"{where}: unknown name {name!r}" for name in sorted(names_used(source) - known)]
        for fn, arg in constant_calls(source, ("signal", "limit")):
            if fn == "signal" and arg not in COMPILED_SIGNALS:
                problems.append(f"{where}: unknown signal {arg!r}")
            if fn == "limit" and arg not in rule.limits:
                problems.append(f"{where}: limit {arg!r} is not among the rule's limits")
    return problems
