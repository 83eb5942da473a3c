"""The decision: Service + facts + guideline rules -> ItemDecision, with criteria, sources and a rationale.

An item is Overturned (medically necessary) only when the rule the guideline hierarchy selects recommends the
service, no gate upholds it, its request checks pass, and every criterion is met by facts the records state,
each quoted with its source. An unmet criterion, or one the records do not document, upholds the denial;
the rationale says which record would change that.
"""

from __future__ import annotations

import weakref
from typing import Any

from openimr.decide.context import REGIONLESS_THERAPY, CaseContext, CriterionContext, rule_problems
from openimr.decide.disposition import assess
from openimr.decide.hierarchy import select_rule
from openimr.decide.rationale import guideline_sentence, presentation, render
from openimr.errors import InputError
from openimr.facts import FactSet, extract_case_facts
from openimr.guidelines import KnowledgeBase, load_knowledge_base
from openimr.guidelines.expr import evaluate, names_used
from openimr.guidelines.schema import Criterion, Gate, Rule
from openimr.model import (
    Case,
    Citation,
    CriterionResult,
    CriterionStatus,
    Determination,
    Fact,
    ItemDecision,
    Request,
    Service,
    Source,
)
from openimr.services import normalize

UNSOURCED = "The records hold no statement that shows this."


def sources_of(facts: list[Fact], documents: list[str]) -> list[Source]:
    """Each fact's span as a source; its text is the document's own characters there."""
    out = []
    for f in facts:
        doc, start, end = f.span
        if doc < len(documents) and documents[doc][start:end] == f.text:
            source = Source(document=doc, start=start, end=end, text=f.text)
            if source not in out:
                out.append(source)
    return out


def _ask(expression: str, ctx: CriterionContext) -> tuple[Any, dict[str, Any]]:
    """The expression's value and the names it was evaluated with; ctx then holds the facts (and borrowed
    sources) its own look-ups touched, whatever ran before it."""
    ctx.used, ctx.borrowed = [], []
    names = ctx.names_for(expression)
    return evaluate(expression, names), names


def _status(value: Any) -> CriterionStatus:
    return "not_documented" if value is None else "met" if value else "unmet"


def _evaluate_criterion(c: Criterion, ctx: CriterionContext, documents: list[str]) -> CriterionResult:
    value, names = _ask(c.test, ctx)
    status = _status(value)
    sources = sources_of(ctx.used, documents) + ctx.borrowed
    unsourced = status == "met" and not sources
    if unsourced:
        # a criterion is met only by what the records state; a value that rests on no fact is silence
        status = "not_documented"
    template = c.says.met if status == "met" else c.says.unmet if status == "unmet" else (
        (f"The records do not document {c.needs}." if c.needs else UNSOURCED) if unsourced else
        c.says.not_documented or (f"The records do not document {c.needs}." if c.needs else c.says.unmet))
    evidence = [f.text for f in ctx.used]
    return CriterionResult(id=c.id, status=status, evidence=evidence, sources=sources, says=render(template, names))


# the names that read only the request itself: a criterion that uses no other reads no record
REQUEST_NAMES = frozenset({"request", "limit", "len", "overlap", "request_says", "n", "therapy_modality"})


def role(c: Criterion) -> str:
    """The criterion's role; one that tests only the request's own terms is a request check."""
    return "request" if c.role == "record" and names_used(c.test) <= REQUEST_NAMES else c.role


def _check_request(c: Criterion, ctx: CriterionContext) -> CriterionResult:
    """A request check reads the request's own terms; it is met or unmet, never documented by records."""
    value, names = _ask(c.test, ctx)
    status = _status(value)
    template = c.says.met if status == "met" else c.says.unmet if status == "unmet" else (
        c.says.not_documented or c.says.unmet)
    return CriterionResult(id=c.id, status=status, says=render(template, names))


def _exclusion(c: Criterion, ctx: CriterionContext, documents: list[str]) -> CriterionResult | None:
    """An exclusion the records establish, as an unmet criterion quoting them; None when they do not."""
    value, names = _ask(c.test, ctx)
    if value is not True:
        return None
    return CriterionResult(id=c.id, status="unmet", evidence=[f.text for f in ctx.used],
                           sources=sources_of(ctx.used, documents), says=render(c.says.unmet, names))


def _follows_surgery(request: Request, service: Service, intro: str, citations: list[Citation]) -> ItemDecision:
    """An associated surgical service whose surgery is not medically necessary is not either. The service's
    own guideline, where the knowledge base has one, is still cited: it is what the service would need."""
    result = CriterionResult(id="surgery-medically-necessary", status="unmet",
                             says="The surgery this service supports is not medically necessary.")
    rationale = (f"{intro} This is a service associated with the surgery requested in the same case. Since the "
                 "surgery is not medically necessary, none of its associated services are medically necessary. "
                 "The request is not medically necessary.")
    decision = ItemDecision(id=request.id, item=request.item, outcome="Upheld", medically_necessary=False,
                            citations=citations, criteria=[result], rationale=rationale, service=service,
                            topic="associated-surgical-service")
    return assess(decision, None)


def _gate_applies(gate: Gate, service: Service) -> bool:
    return ((not gate.families or service.family in gate.families)
            and (not gate.topics or service.topic in gate.topics)
            and (not gate.drug_classes or service.drug_class in gate.drug_classes))


def _gate_blocking(kb: KnowledgeBase, rule: Rule | None, service: Service, facts: FactSet,
                   context: CaseContext, documents: list[str]) -> tuple[Gate, CriterionResult] | None:
    """The first gate that upholds this request, with the criterion it reports (and the facts behind it)."""
    for gate in kb.gates:
        if not _gate_applies(gate, service):
            continue
        ctx = CriterionContext(service, facts, rule or _NO_RULE, case=context)
        value, names = _ask(gate.blocks_when, ctx)
        if value is True:
            result = CriterionResult(id=gate.id, status=gate.status, evidence=[f.text for f in ctx.used],
                                     sources=sources_of(ctx.used, documents), says=render(gate.says, names))
            return gate, result
    return None


_NO_RULE = Rule.model_validate({"id": "none", "title": "none", "applies_to": {"topics": []}, "status": "conditional",
                                "citation": {"guideline": "none"}, "summary": ""})


def _citations(kb: KnowledgeBase, rule: Rule, on: object) -> list[Citation]:
    citations = [kb.cite(rule.citation, on), *(kb.cite(ref, on) for ref in rule.also_cite)]  # type: ignore[arg-type]
    for c in rule.criteria:
        if c.citation and c.citation not in [rule.citation, *rule.also_cite]:
            cited = kb.cite(c.citation, on)  # type: ignore[arg-type]
            if cited not in citations:  # two criteria may rest on the same section
                citations.append(cited)
    return citations


def decide_item(case: Case, request: Request, facts: FactSet, kb: KnowledgeBase,
                context: CaseContext | None = None, service: Service | None = None) -> ItemDecision:
    context = context or CaseContext()
    service = service or normalize(request)
    documents = [d.text or "" for d in case.documents]
    on = facts.reference_date  # the case's UR, received or decision date, else the UR date its records state
    intro = (f"This patient presents with {presentation(facts, service)}. "
             f"The request is for {request.item}.")
    rule, note = select_rule(service, facts, kb, context)
    if service.associated_with is not None and service.topic != "surgery" and context.surgery_outcome == "Upheld":
        return _follows_surgery(request, service, intro, [kb.cite(rule.citation, on)] if rule else [])
    blocked = _gate_blocking(kb, rule, service, facts, context, documents)
    if blocked is not None:
        gate, result = blocked
        citations = ([kb.cite(rule.citation, on)] if rule else []) + [kb.cite(gate.citation, on)]
        rationale = " ".join(p for p in [
            intro, guideline_sentence(kb.cite(gate.citation, on), gate.summary), result.says,
            f"Records showing {gate.needs} could change this decision." if gate.needs else "",
            "The request is not medically necessary."] if p)
        decision = ItemDecision(id=request.id, item=request.item, outcome="Upheld", medically_necessary=False,
                                citations=citations, criteria=[result], rationale=rationale, service=service,
                                topic=gate.id)
        return assess(decision, rule, gate=gate, facts=facts)
    if rule is None:
        rationale = (f"{intro} The knowledge base has no guideline rule for this service, so medical necessity "
                     "cannot be established against the MTUS or other evidence-based guidelines; a physician "
                     "reviewer must decide it. The request is not medically necessary on this record.")
        decision = ItemDecision(id=request.id, item=request.item, outcome="Upheld", medically_necessary=False,
                                citations=[], criteria=[], rationale=rationale, service=service)
        return assess(decision, None, facts=facts)
    ctx = CriterionContext(service, facts, rule, case=context)
    citations = _citations(kb, rule, on)
    guideline_says = guideline_sentence(citations[0], rule.summary)
    if rule.status == "not_recommended":
        rationale = " ".join(p for p in [intro, note or "", guideline_says,
                                         "The guideline does not recommend this service, so it is not medically "
                                         "necessary whatever the records show.",
                                         "The request is not medically necessary."] if p)
        decision = ItemDecision(id=request.id, item=request.item, outcome="Upheld", medically_necessary=False,
                                citations=citations, criteria=[], rationale=rationale, service=service,
                                topic=rule.id, hierarchy_note=note)
        return assess(decision, rule, facts=facts)
    checks = [_check_request(c, ctx) for c in rule.criteria if role(c) == "request"]
    failed_checks = [r for r in checks if r.status != "met"]
    excluded = [r for r in (_exclusion(c, ctx, documents) for c in rule.criteria if role(c) == "exclusion")
                if r is not None]
    record_criteria = [c for c in rule.criteria if role(c) == "record"]
    results = [_evaluate_criterion(c, ctx, documents) for c in record_criteria]
    necessary = not failed_checks and not excluded and bool(results) and all(r.status == "met" for r in results)
    findings = " ".join(r.says for r in [*checks, *excluded, *results] if r.says)
    missing = [c.needs for c, r in zip(record_criteria, results, strict=True) if r.status == "not_documented" and c.needs]
    would_change = f" Records showing {'; '.join(missing)} could change this decision." if missing and not necessary else ""
    conclusion = "The request is medically necessary." if necessary else "The request is not medically necessary."
    rationale = " ".join(p for p in [intro, note or "", guideline_says, findings, would_change.strip(), conclusion] if p)
    decision = ItemDecision(
        id=request.id, item=request.item, outcome="Overturned" if necessary else "Upheld",
        medically_necessary=necessary, citations=citations, criteria=[*failed_checks, *excluded, *results],
        rationale=rationale,
        service=service, topic=rule.id, hierarchy_note=note,
    )
    return assess(decision, rule, facts=facts)


_CHECKED: weakref.WeakSet[KnowledgeBase] = weakref.WeakSet()


def check_knowledge_base(kb: KnowledgeBase) -> None:
    """Refuse, once per knowledge base, rules whose expressions use a name the engine does not know."""
    if kb in _CHECKED:
        return
    problems = [f"{kb.files[rule.id]}: rule {rule.id}: {problem}" for rule in kb.rules for problem in rule_problems(rule)]
    for gate in kb.gates:
        probe = _NO_RULE.model_copy(update={"criteria": [Criterion(id=gate.id, test=gate.blocks_when,
                                                                   says={"met": "", "unmet": ""})]})
        problems += [f"_gates.yaml: gate {gate.id}: {p}" for p in rule_problems(probe)]
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise InputError(f"knowledge base: {problems[0]}{more}")
    _CHECKED.add(kb)


def decide_case(case: Case, kb: KnowledgeBase | None = None, facts: FactSet | None = None) -> Determination:
    """Every item of a case. Surgeries are decided first: the services associated with a surgery follow it."""
    kb = kb or load_knowledge_base()
    check_knowledge_base(kb)
    facts = facts or extract_case_facts(case)
    services = [normalize(r) for r in case.requests]
    surgery_regions = [s.region for s in services if s.topic == "surgery" and s.region]
    treated = [f.value["region"] for f in facts.named("diagnosis") if f.value.get("region") and not f.negated]
    for s in services:
        if s.associated_with is not None and s.region is None and surgery_regions:
            s.region = surgery_regions[0]  # "post-op therapy" is for the body part operated on
        elif s.region is None and s.family in REGIONLESS_THERAPY and treated:
            s.region = treated[0]  # "electrical stimulation x6" treats the region under care
    context = CaseContext(siblings=services)
    decided: dict[str, ItemDecision] = {}
    for request, service in zip(case.requests, services, strict=True):
        if service.topic == "surgery":
            decided[request.id] = decide_item(case, request, facts, kb, context, service)
    outcomes = {d.outcome for d in decided.values()}
    context.surgery_outcome = "Upheld" if "Upheld" in outcomes else "Overturned" if outcomes else None
    context.surgery_sources = [s for d in decided.values() for c in d.criteria if c.status == "met" for s in c.sources]
    for request, service in zip(case.requests, services, strict=True):
        if request.id not in decided:
            decided[request.id] = decide_item(case, request, facts, kb, context, service)
    return Determination(case_number=case.case_number, decisions=[decided[r.id] for r in case.requests])
