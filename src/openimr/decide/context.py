"""What a criterion may ask: the names its expression uses, each a look-up over facts, the request and the case.

Only facts read the records' text (openimr.facts); here every look-up reads facts, the normalized request or
the case's dates, and records the facts it touched, so that each criterion's evidence quotes the records.
Silence is never an answer: a look-up the records do not settle returns None ("not documented"), never 0 or
False, and a criterion can be met only by facts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from openimr.decide.rationale import n
from openimr.drugs import drug_table
from openimr.facts import FactSet
from openimr.facts.factset import sides_named
from openimr.facts.lexicon import EXAM_TESTS, MODALITIES
from openimr.facts.recognizers.concepts import concepts, counts
from openimr.guidelines.expr import constant_calls, names_used
from openimr.guidelines.schema import Rule
from openimr.model import NOT_ASSERTED, PAST, Fact, Service, Source
from openimr.services import find_drugs

THERAPY_MODALITY = {
    "physical_therapy": "physical therapy", "occupational_therapy": "occupational therapy",
    "chiropractic": "chiropractic", "acupuncture": "acupuncture", "massage": "massage",
    "aquatic_therapy": "aquatic therapy",
}
ACTIVE_MODALITIES = ("physical therapy", "occupational therapy", "home exercise", "aquatic therapy")

# families whose requests often omit the region: it is then the region the records treat
REGIONLESS_THERAPY = {"physical_medicine", "chiropractic", "electrotherapy", "acupuncture"}

# regions one guideline chapter covers together
REGION_GROUP = {"thoracic": "cervical", "upper_extremity": "cervical", "lower_extremity": "lumbar",
                "hand": "wrist", "foot": "ankle"}
# red flags that belong to one body region: a thumb fracture does not call for a shoulder MRI
SITE_BOUND_FLAGS = ("fracture", "dislocation")

NEURO_TESTS = ("sensation", "motor strength", "reflexes", "straight leg raise", "spurling")
# the spinal region whose nerve roots a limb's neurologic signs point to: an ankle reflex is a lumbar sign
SPINAL_LEVEL = {"hip": "lumbar", "knee": "lumbar", "ankle": "lumbar", "foot": "lumbar", "lower_extremity": "lumbar",
                "shoulder": "cervical", "elbow": "cervical", "wrist": "cervical", "hand": "cervical",
                "upper_extremity": "cervical"}
# nerve tension signs that belong to one spinal region whatever the sentence names
NEURO_TEST_REGION = {"straight leg raise": "lumbar", "spurling": "cervical"}

# the values names() computes up front: the facts each reads, by fact name, and the names that carry them
EAGER_NAMES_OF_FACT = {"red_flag": {"red_flags"}, "age": {"age"},
                       "date_of_injury": {"phase", "weeks", "weeks_since_injury"}, "phase_of_care": {"phase"}}

# mentions that are the request, its plan or its review, not treatment given
NOT_GIVEN = {"planned", "review", "required", "possible"}


def same_region(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and REGION_GROUP.get(a, a) == REGION_GROUP.get(b, b)


@dataclass
class CaseContext:
    """What a criterion may know beyond the facts and its own request: the case's other items."""

    siblings: list[Service] = field(default_factory=list)
    surgery_outcome: str | None = None  # "Overturned"/"Upheld" of a surgery decided in the same case
    surgery_sources: list[Source] = field(default_factory=list)  # what the surgery's met criteria quote


def _given(fact: Fact) -> bool:
    return not (set(fact.modifiers) & NOT_GIVEN)


@dataclass
class CriterionContext:
    """The names a criterion may use; it records which facts each look-up touched, as evidence."""

    service: Service
    facts: FactSet
    rule: Rule
    used: list[Fact] = field(default_factory=list)
    case: CaseContext = field(default_factory=CaseContext)
    # sources that come from another decision of the case (the surgery a post-operative service follows)
    borrowed: list[Source] = field(default_factory=list)

    def _use(self, facts: list[Fact]) -> None:
        for f in facts:
            if f not in self.used:
                self.used.append(f)

    def _prior(self, modality: str) -> Fact | None:
        """The best-documented history of a modality, leaving out the request, its plan and its review."""
        return self.facts.prior(modality, skip=lambda f: not _given(f))

    @property
    def therapy_modality(self) -> str:
        """The request's topic in the words prior-treatment facts use ("physical therapy")."""
        topic = self.service.topic or ""
        return THERAPY_MODALITY.get(topic, topic)

    def _authorized(self, modality: str) -> float:
        """What UR already authorized of this very request counts as given."""
        return float(self.service.authorized_quantity or 0) if self.therapy_modality == modality else 0.0

    def visits_so_far(self, modality: str) -> float | None:
        """Visits of a modality already given (and authorized). 0 only where the records say none was given;
        None where they do not say how many."""
        fact = self._prior(modality)
        if fact is None:
            return None
        self._use([fact])
        if fact.negated:
            return self._authorized(modality)
        count = fact.value.get("count")
        return None if count is None else float(count) + self._authorized(modality)

    def prior_count(self, modality: str) -> float | None:
        """Visits of a modality already given, without what UR authorized; None when the records do not say."""
        fact = self._prior(modality)
        if fact is None:
            return None
        self._use([fact])
        return 0 if fact.negated else fact.value.get("count")

    def had(self, modality: str) -> bool | None:
        """The records show this treatment given before (True), say it was not (False), or are silent (None)."""
        if self._authorized(modality) > 0:
            return True
        fact = self._prior(modality)
        if fact is None:
            return None
        self._use([fact])
        return not fact.negated

    def _treatment_key(self) -> str | None:
        return self.service.drug_class if self.service.family == "medication" else self.therapy_modality or None

    def improved_with(self, treatment: str | None = None) -> bool | None:
        """Functional improvement credited to a treatment (by default the one requested): True when the
        records state it, False when they state there was none, None when they say nothing about it.
        Improvement with another treatment does not count, nor does improvement the records only ask for."""
        key = treatment or self._treatment_key()
        if key is None:
            return None
        on_class = self.service.family == "medication" and self.on_drug_class(key) is True
        found = [f for f in self.facts.named("functional_improvement")
                 if not (set(f.modifiers) & (NOT_ASSERTED - {"negated"}))  # a denial still answers False
                 and (f.treatment == key or (f.treatment == "medication" and on_class))]
        if not found:
            return None
        shown = [f for f in found if f.value and not f.negated]
        self._use((shown or found)[:2])
        return bool(shown)

    def surgery_done(self) -> bool | None:
        """A surgery the records state was done (in the requested region when both name one)."""
        found = [f for f in self.facts.named("surgery") if not f.negated and f.value.get("status") == "done"
                 and (self.service.region is None or f.region is None or same_region(f.region, self.service.region))]
        self._use(found[:1])
        return True if found else None

    def already_authorized(self) -> bool | None:
        """The records state that the requested therapy was already authorized (certified, approved)."""
        key = self._treatment_key()
        found = [f for f in self.facts.named("authorization")
                 if f.treatment == key and not f.negated and not {"possible", "planned"} & set(f.modifiers)]
        self._use(found[:1])
        return True if found else None

    def _neuro_region_fits(self, fact: Fact) -> bool:
        """A neurologic sign counts for the requested region unless it names another: a lumbar MRI rests on
        lower-limb signs, not on a positive Spurling's test (ACOEM: specific nerve compromise)."""
        region = fact.value.get("region") or NEURO_TEST_REGION.get(fact.value.get("test") or "")
        wanted = self.service.region
        if region is None or wanted is None or wanted == "head":  # a focal deficit anywhere may come from the brain
            return True
        return same_region(region, wanted) or same_region(SPINAL_LEVEL.get(region, region), wanted)

    def neuro_deficit(self) -> bool | None:
        """Objective neurologic findings (sensory, motor, reflex, nerve tension signs) in the region requested or
        the limbs its nerves supply: abnormal True, all tested normal False, untested None."""
        found = [f for f in self.facts.named("exam_finding") if f.value.get("test") in NEURO_TESTS and not f.negated
                 and self._neuro_region_fits(f)]
        if not found:
            return None
        abnormal = [f for f in found if f.value.get("result") == "abnormal"]
        self._use((abnormal or found)[:2])
        return bool(abnormal)

    def documented(self, concept: str) -> bool | None:
        """A clinical finding (data/findings.yaml): True when the records assert it (for a finding bound to
        one body region, in the region requested), False when they only deny it, None when they are silent."""
        spec = concepts()[concept]
        found = [f for f in self.facts.named("finding") if f.value == concept]
        asserted = [f for f in found if counts(f, spec, self.service.region, same_region)]
        if asserted:
            self._use(asserted[:2])
            return True
        denied = [f for f in found if f.negated and not (set(f.modifiers) - {"negated", "historical"})]
        if denied:
            self._use(denied[:1])
            return False
        return None

    def suspected(self, concept: str) -> bool | None:
        """A finding the records assert or suspect ("a hip fracture is suspected"): what imaging is for.
        Denied, planned or asked-for mentions still do not count."""
        spec = concepts()[concept]
        loose = dataclasses.replace(spec, accept=spec.accept | {"possible"})
        found = [f for f in self.facts.named("finding") if f.value == concept and counts(f, loose, self.service.region,
                                                                                       same_region)]
        if found:
            self._use(found[:2])
            return True
        return self.documented(concept)

    def _other_side(self, fact: Fact) -> bool:
        """The fact names only the other side than the request's: a left knee MRI is not the right knee's."""
        side = self.service.side
        if side not in ("left", "right"):
            return False
        words = sides_named(fact)
        return ("right" if side == "left" else "left") in words and side not in words and "bilateral" not in words

    def imaging_done(self, modality: str | None = None) -> bool | None:
        """Imaging of the requested region and side (of the given modality) already in the records; None if not
        shown."""
        found = [f for f in self.facts.named("imaging") if not f.negated
                 and (modality is None or f.value.get("modality") == modality)
                 and (self.service.region is None or same_region(f.value.get("region"), self.service.region))
                 and not self._other_side(f)]
        self._use(found[:1])
        return True if found else None

    def _current_meds(self, drug_class: str) -> list[Fact]:
        return [f for f in self.facts.named("medication") if f.value.get("class") == drug_class and not f.negated
                and not f.value.get("requested") and _given(f) and not {"resolved", "historical"} & set(f.modifiers)]

    def on_drug_class(self, drug_class: str) -> bool | None:
        """The patient already takes a drug of this class, per the medication facts; None when not shown."""
        found = self._current_meds(drug_class)
        self._use(found[:1])
        return True if found else None

    def on_other_drug_of_class(self) -> bool | None:
        """The records show the patient taking another drug of the requested drug's class (two NSAIDs)."""
        if not self.service.drug_class or not self.service.drug:
            return None
        others = [f for f in self._current_meds(self.service.drug_class) if f.value.get("drug") != self.service.drug]
        self._use(others[:1])
        return True if others else None

    def requested(self, topic: str) -> bool:
        """Another item of the same case asks for this topic (or drug class)."""
        return any(s.topic == topic or s.drug_class == topic for s in self.case.siblings if s is not self.service)

    def surgery_is(self, pattern: str) -> bool | None:
        """The surgery a service follows is of this kind ('carpal tunnel', 'arthroplasty'): a surgery the records
        state was done (in the requested region), or one requested in the same case; None when neither says so.
        It chooses among a guideline's per-surgery courses, so it never reads a planned or denied surgery."""
        found = [f for f in self.facts.surgeries_matching(pattern)
                 if self.service.region is None or f.region is None or same_region(f.region, self.service.region)]
        if found:
            self._use(found[:1])
            return True
        siblings = [s for s in self.case.siblings if s is not self.service and s.topic == "surgery"]
        return True if any(re.search(pattern, s.raw, re.I) for s in siblings) else None

    def weeks_after_surgery(self) -> float | None:
        """Weeks from the latest surgery the records state was done (in the requested region) to the review
        date: how far into its post-operative period a service falls; None when no such surgery is dated."""
        found = [f for f in self.facts.named("surgery") if not f.negated and f.value.get("status") == "done"
                 and f.value.get("weeks_post_op") is not None
                 and (self.service.region is None or f.region is None or same_region(f.region, self.service.region))]
        if not found:
            return None
        latest = min(found, key=lambda f: float(f.value["weeks_post_op"]))
        self._use([latest])
        return float(latest.value["weeks_post_op"])

    def surgery_certified(self) -> bool | None:
        """The surgery decided in the same case: medically necessary True, not False, none in the case None."""
        if self.case.surgery_outcome is None:
            return None
        if self.case.surgery_outcome == "Overturned":
            self.borrowed += [s for s in self.case.surgery_sources if s not in self.borrowed]
            return True
        return False

    def dated_from(self, iso: str) -> bool | None:
        ref = self.facts.reference_date
        return None if ref is None else ref >= dt.date.fromisoformat(iso)

    def topical_not_recommended(self) -> list[str]:
        """Ingredients of a topical or compounded request that the guideline does not support topically."""
        return [d["name"] for d in find_drugs(self.service.raw) if d.get("topical") == "not_recommended"]

    @property
    def age(self) -> int | None:
        found = self.facts.named("age")
        self._use(found[:1])
        return int(found[0].value) if found else None

    def has(self, name: str) -> bool | None:
        """Facts of this name asserted in the records: True; only denied: False; none: None."""
        found = [f for f in self.facts.named(name) if not f.negated and _given(f)]
        if found:
            self._use(found[:2])
            return True
        denied = [f for f in self.facts.named(name) if f.negated]
        self._use(denied[:1])
        return False if denied else None

    def has_active_program(self) -> bool | None:
        found = [f for f in self.facts.named("prior_treatment")
                 if f.value["modality"] in ACTIVE_MODALITIES and not f.negated and _given(f)]
        self._use(found[:2])
        return True if found else None

    def finding(self, test: str, result: str | None = None) -> bool | None:
        found = [f for f in self.facts.named("exam_finding") if f.value["test"] == test]
        if not found:
            return None
        matching = [f for f in found if result is None or f.value["result"] == result]
        self._use((matching or found)[:2])
        return bool(matching)

    def diagnosis(self, pattern: str) -> bool | None:
        """A diagnosis fact whose value names the condition; None when no diagnosis names it."""
        found = self.facts.diagnoses_naming(pattern)
        self._use(found[:2])
        return True if found else None

    def request_says(self, pattern: str) -> bool:
        """The request's own words match a pattern (case-insensitive), e.g. 'compression|vascutherm'."""
        return bool(re.search(pattern, self.service.raw, re.I))

    @property
    def red_flags(self) -> bool | None:
        """A red flag asserted now: not denied, questioned or resolved; a fracture or dislocation only where
        it is in the requested region. None when the records name none."""
        found = []
        for f in self.facts.named("red_flag"):
            if f.negated or set(f.modifiers) & (NOT_ASSERTED | PAST):
                continue
            if f.value in SITE_BOUND_FLAGS and self.service.region is not None and not same_region(
                    f.region, self.service.region):
                continue
            found.append(f)
        self._use(found[:2])
        return True if found else None

    # named predicates, so that rules say what they mean instead of copying expressions
    def is_preoperative(self) -> bool:
        """The request is for a surgery: its words say pre-op or surgery, it is a service associated with a
        surgery, or the case asks for a surgery too."""
        return (self.request_says("pre-?op|surg") or self.service.associated_with is not None
                or self.requested("surgery"))

    def _dating_facts(self) -> list[Fact]:
        """The record's statement the phase of care is read from: its injury date, else its own words."""
        if self.facts.weeks_since_injury is not None:
            return self.facts.named("date_of_injury")[:1]
        return self.facts.named("phase_of_care")[:1]

    def in_phase(self, *phases: str) -> bool | None:
        """The phase of care (acute, subacute, chronic) is one of these, as the records date or word it."""
        if self.facts.phase is None:
            return None
        self._use(self._dating_facts())
        return self.facts.phase in phases

    def names_for(self, expression: str) -> dict[str, Any]:
        """names(), keeping the facts its up-front values touched as evidence only where expression uses them."""
        before = len(self.used)
        names = self.names()
        self._use(self._dating_facts())
        eager = self.used[before:]
        del self.used[before:]
        used = names_used(expression)
        self._use([f for f in eager if EAGER_NAMES_OF_FACT.get(f.name, set()) & used])
        return names

    def names(self) -> dict[str, Any]:
        funcs: dict[str, Callable[..., Any]] = {
            "visits_so_far": self.visits_so_far, "prior_count": self.prior_count, "has": self.has,
            "has_active_program": self.has_active_program, "finding": self.finding,
            "diagnosis": self.diagnosis, "limit": lambda key: self.rule.limits[key], "n": n,
            "had": self.had, "neuro_deficit": self.neuro_deficit, "documented": self.documented,
            "improved_with": self.improved_with, "already_authorized": self.already_authorized, "suspected": self.suspected, "imaging_done": self.imaging_done,
            "on_drug_class": self.on_drug_class, "on_other_drug_of_class": self.on_other_drug_of_class,
            "requested": self.requested, "surgery_certified": self.surgery_certified, "surgery_done": self.surgery_done, "dated_from": self.dated_from,
            "topical_not_recommended": self.topical_not_recommended, "len": len,
            "overlap": lambda a, b: [x for x in a if x in b], "request_says": self.request_says,
            "is_preoperative": self.is_preoperative, "in_phase": self.in_phase, "surgery_is": self.surgery_is,
            "weeks_after_surgery": self.weeks_after_surgery,
        }
        return {
            **funcs,
            "request": self.service,
            "therapy_modality": self.therapy_modality,
            "phase": self.facts.phase,
            "weeks_since_injury": self.facts.weeks_since_injury,
            "red_flags": self.red_flags,
            "age": self.age,
            "weeks": self.facts.weeks_since_injury,
        }


def _known_constants() -> dict[str, set[str]]:
    """The constant arguments each look-up accepts: a name outside these never matches, so it is an error."""
    modalities = set(MODALITIES) | {"therapy_modality"}
    classes = {d["class"] for d in drug_table().values()}
    return {
        "documented": set(concepts()), "suspected": set(concepts()), "had": modalities, "visits_so_far": modalities, "prior_count": modalities,
        "on_drug_class": classes, "finding": set(EXAM_TESTS),
        "has": {"pain_score", "urine_drug_screen", "surgery", "injection", "imaging", "diagnosis", "medication",
                "prior_treatment", "work_status", "opioid_dose", "exam_finding", "red_flag", "psych_symptom"},
        "improved_with": set(MODALITIES) | classes,
    }


# the look-ups whose argument is a regular expression
PATTERN_ARGUMENTS = ("request_says", "diagnosis", "surgery_is")
# a control character in a rule is almost always an escape YAML read ("\b" in double quotes is a backspace)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# a doubled backslash before a letter matches a backslash, never the class or boundary the author meant
_DOUBLED_ESCAPE = re.compile(r"\\\\[A-Za-z]")


def rule_problems(rule: Rule) -> list[str]:
    """What in a rule's expressions the engine could not evaluate or would never match: an unknown name, a
    limit the rule does not define, a constant argument no fact carries (`had('physical_therapy')`), a
    pattern that does not compile, a control character or a doubled escape."""
    known = set(CriterionContext(Service(raw=""), FactSet(), rule).names())
    constants = _known_constants()
    expressions = [("applies_to.when", rule.applies_to.when),
                   *((f"criterion {c.id}", c.test) for c in rule.criteria)]
    texts = [("summary", rule.summary), *((f"criterion {c.id} says", t) for c in rule.criteria
                                          for t in (c.says.met, c.says.unmet, c.says.not_documented) if t)]
    problems = [f"{where}: a control character ({_CONTROL.search(text)[0]!r}); an escape YAML read?"  # type: ignore[index]
                for where, text in [*((w, e) for w, e in expressions if e), *texts] if _CONTROL.search(text)]
    for where, source in expressions:
        if source is None:
            continue
        problems += [f"{where}: unknown name {name!r}" for name in sorted(names_used(source) - known)]
        for fn, arg in constant_calls(source, ("limit", *constants, *PATTERN_ARGUMENTS)):
            if fn == "limit" and arg not in rule.limits:
                problems.append(f"{where}: limit {arg!r} is not among the rule's limits")
            elif fn in constants and arg not in constants[fn]:
                problems.append(f"{where}: {fn}({arg!r}) names nothing the facts carry")
            elif fn in PATTERN_ARGUMENTS:
                problems += _pattern_problems(where, fn, arg)
    return problems


def _pattern_problems(where: str, fn: str, pattern: Any) -> list[str]:
    if not isinstance(pattern, str):
        return [f"{where}: {fn}() needs a pattern in quotes"]
    try:
        re.compile(pattern)
    except re.error as exc:
        return [f"{where}: {fn}({pattern!r}) is not a valid pattern ({exc})"]
    if _DOUBLED_ESCAPE.search(pattern):
        return [f"{where}: {fn}({pattern!r}) has a doubled backslash, which matches a backslash"]
    return []
