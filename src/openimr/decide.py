"""The decision: Service + facts + guideline rules -> ItemDecision, with criteria and a rationale.

An item is Overturned (medically necessary) only when a rule that the guideline hierarchy selects
recommends the service and every one of its criteria is met on the records. An unmet criterion, or one
the records do not document, upholds the denial; the rationale says which record would change that.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from jinja2.sandbox import SandboxedEnvironment

from openimr.facts import FactSet, extract_case_facts
from openimr.guidelines import KnowledgeBase, load_knowledge_base
from openimr.guidelines.expr import evaluate
from openimr.guidelines.schema import Criterion, Rule
from openimr.model import (
    Case,
    CriterionResult,
    CriterionStatus,
    Determination,
    Fact,
    ItemDecision,
    Request,
    Service,
)
from openimr.services import normalize

# therapy modality named in the records for each service topic that counts visits
THERAPY_MODALITY = {
    "physical_therapy": "physical therapy", "occupational_therapy": "occupational therapy",
    "chiropractic": "chiropractic", "acupuncture": "acupuncture", "massage": "massage",
    "aquatic_therapy": "aquatic therapy",
}
ACTIVE_MODALITIES = ("physical therapy", "occupational therapy", "home exercise", "aquatic therapy")

REGION_PAIN = {
    "lumbar": "low back pain", "cervical": "neck pain", "thoracic": "mid back pain", "shoulder": "shoulder pain",
    "elbow": "elbow pain", "wrist": "wrist pain", "hand": "hand pain", "hip": "hip pain", "knee": "knee pain",
    "ankle": "ankle pain", "foot": "foot pain", "head": "head injury",
}


def n(value: Any) -> str:
    """A number as a letter writes it: 8, not 8.0."""
    if value is None:
        return "an unstated number of"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_TEMPLATES = SandboxedEnvironment(autoescape=False, trim_blocks=True)


@lru_cache(maxsize=2048)
def _template(source: str) -> Any:
    return _TEMPLATES.from_string(source)


def _render(source: str, names: dict[str, Any]) -> str:
    return " ".join(_template(source).render(**names).split())


@dataclass
class CriterionContext:
    """The names a criterion may use; it records which facts each look-up touched, as evidence."""

    service: Service
    facts: FactSet
    rule: Rule
    used: list[Fact] = field(default_factory=list)

    def _use(self, facts: list[Fact]) -> None:
        for f in facts:
            if f not in self.used:
                self.used.append(f)

    def visits_so_far(self, modality: str) -> float:
        """Visits of a modality already given; 0 when the records never mention it (they show none)."""
        fact = self.facts.prior(modality)
        if fact is None:
            return 0
        self._use([fact])
        if fact.negated:
            return 0
        count = fact.value.get("count")
        return float(count) if count is not None else 0

    def prior_count(self, modality: str) -> float | None:
        """Visits of a modality already given; None when the records do not say."""
        fact = self.facts.prior(modality)
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

    @property
    def red_flags(self) -> bool:
        found = [f for f in self.facts.named("red_flag") if not f.negated]
        self._use(found[:2])
        return bool(found)

    def names(self) -> dict[str, Any]:
        modality = THERAPY_MODALITY.get(self.service.topic or "", self.service.topic or "")
        funcs: dict[str, Callable[..., Any]] = {
            "visits_so_far": self.visits_so_far, "prior_count": self.prior_count, "has": self.has,
            "has_active_program": self.has_active_program, "finding": self.finding,
            "diagnosis": self.diagnosis, "limit": lambda key: self.rule.limits[key], "n": n,
        }
        return {
            **funcs,
            "request": self.service,
            "therapy_modality": modality,
            "phase": self.facts.phase,
            "weeks_since_injury": self.facts.weeks_since_injury,
            "functional_improvement": self.functional_improvement,
            "red_flags": self.red_flags,
        }


def _rule_applies(rule: Rule, service: Service, facts: FactSet, kb: KnowledgeBase) -> bool:
    a = rule.applies_to
    if service.topic not in a.topics:
        return False
    if a.regions and service.region and service.region not in a.regions:
        return False
    if a.phases and facts.phase and facts.phase not in a.phases:
        return False
    if a.drug_classes and service.drug_class not in a.drug_classes:
        return False
    if a.post_surgical is not None:
        post_op = any(f.value.get("status") == "done" for f in facts.named("surgery") if not f.negated)
        if a.post_surgical != post_op:
            return False
    if a.when:
        ok = evaluate(a.when, CriterionContext(service, facts, rule).names())
        if ok is False:
            return False
    return True


def select_rule(service: Service, facts: FactSet, kb: KnowledgeBase) -> tuple[Rule | None, str | None]:
    """The rule the hierarchy puts first (8 CCR 9792.21.1): MTUS before other evidence-based guidelines."""
    candidates = [r for r in kb.by_topic.get(service.topic or "", []) if _rule_applies(r, service, facts, kb)]
    if not candidates:
        return None, None
    # the most specific rule (more conditions) first, then MTUS, then priority
    def rank(r: Rule) -> tuple[int, int, int]:
        a = r.applies_to
        specificity = bool(a.regions) + bool(a.phases) + (a.post_surgical is not None) + bool(a.drug_classes) + bool(a.when)
        return (kb.is_mtus(r), specificity, r.priority)

    best = max(candidates, key=rank)
    note = None
    if not kb.is_mtus(best):
        note = (f"The MTUS does not address {best.title.lower()} for this condition, so the decision rests on "
                f"{kb.source(best.citation).name}, the next evidence-based guideline in the hierarchy "
                f"(8 CCR 9792.21.1).")
    return best, note


def _evaluate_criterion(c: Criterion, ctx: CriterionContext) -> CriterionResult:
    before = len(ctx.used)
    names = ctx.names()
    value = evaluate(c.test, names)
    status: CriterionStatus = "met" if value is True or (value is not None and value is not False and bool(value)) else \
        "not_documented" if value is None else "unmet"
    template = c.says.met if status == "met" else c.says.unmet if status == "unmet" else (
        c.says.not_documented or (f"The records do not document {c.needs}." if c.needs else c.says.unmet))
    evidence = [f.text for f in ctx.used[before:]]
    return CriterionResult(id=c.id, status=status, evidence=evidence, says=_render(template, names))


def presentation(facts: FactSet, service: Service) -> str:
    """'chronic low back pain': phase of care and the region in dispute, as far as the records show."""
    region = service.region
    if region is None:
        regions = [f.value.get("region") for f in facts.named("diagnosis") if f.value.get("region")]
        region = regions[0] if regions else None
    complaint = REGION_PAIN.get(region or "", "the injury at issue")
    phase = facts.phase
    return f"{phase} {complaint}" if phase and region else complaint


def _reference_date(case: Case) -> dt.date | None:
    return case.ur_denial_date or case.received_date or case.decision_date


def decide_item(case: Case, request: Request, facts: FactSet, kb: KnowledgeBase) -> ItemDecision:
    service = normalize(request)
    rule, note = select_rule(service, facts, kb)
    on = _reference_date(case)
    intro = (f"This patient presents with {presentation(facts, service)}. "
             f"The request is for {request.item}.")
    if rule is None:
        rationale = (f"{intro} The knowledge base has no guideline rule for this service, so medical necessity "
                     "cannot be established against the MTUS or other evidence-based guidelines; a physician "
                     "reviewer must decide it. The request is not medically necessary on this record.")
        return ItemDecision(id=request.id, item=request.item, outcome="Upheld", medically_necessary=False,
                            citations=[], criteria=[], rationale=rationale, service=service)
    ctx = CriterionContext(service, facts, rule)
    results = [_evaluate_criterion(c, ctx) for c in rule.criteria]
    necessary = rule.status != "not_recommended" and all(r.status == "met" for r in results)
    citations = [kb.cite(rule.citation, on), *(kb.cite(ref, on) for ref in rule.also_cite)]
    for c in rule.criteria:
        if c.citation and c.citation not in [rule.citation, *rule.also_cite]:
            citations.append(kb.cite(c.citation, on))
    first = citations[0]
    plural = "pages" if first.pages and re.search(r"[-,]", first.pages) else "page"
    where = f"{plural} {first.pages}" if first.cite_by == "pages" and first.pages else first.section
    name = f"{first.guideline} {first.edition}" if first.cite_by == "section" and first.edition else first.guideline
    name = name if name.lower().endswith("guidelines") else f"{name} guidelines"
    guideline_says = f"The {name}{f' ({where})' if where else ''} {rule.summary.strip()}."
    findings = " ".join(r.says for r in results if r.says)
    missing = [c.needs for c, r in zip(rule.criteria, results, strict=True) if r.status == "not_documented" and c.needs]
    would_change = f" Records showing {'; '.join(missing)} could change this decision." if missing and not necessary else ""
    conclusion = "The request is medically necessary." if necessary else "The request is not medically necessary."
    rationale = " ".join(p for p in [intro, note or "", guideline_says, findings, would_change.strip(), conclusion] if p)
    return ItemDecision(
        id=request.id, item=request.item, outcome="Overturned" if necessary else "Upheld",
        medically_necessary=necessary, citations=citations, criteria=results, rationale=rationale,
        service=service, topic=rule.id, hierarchy_note=note,
    )


def decide_case(case: Case, kb: KnowledgeBase | None = None, facts: FactSet | None = None) -> Determination:
    kb = kb or load_knowledge_base()
    facts = facts or extract_case_facts(case)
    return Determination(case_number=case.case_number,
                         decisions=[decide_item(case, r, facts, kb) for r in case.requests])
