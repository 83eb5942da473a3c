"""The decision: Service + facts + guideline rules -> ItemDecision, with criteria and a rationale.

An item is Overturned (medically necessary) only when a rule that the guideline hierarchy selects
recommends the service and every one of its criteria is met on the records. An unmet criterion, or one
the records do not document, upholds the denial; the rationale says which record would change that.
"""

from __future__ import annotations

import weakref

from openimr.decide.context import REGIONLESS_THERAPY, CaseContext, CriterionContext, rule_problems
from openimr.decide.hierarchy import select_rule
from openimr.decide.rationale import guideline_sentence, presentation, render
from openimr.errors import InputError
from openimr.facts import FactSet, extract_case_facts
from openimr.guidelines import KnowledgeBase, load_knowledge_base
from openimr.guidelines.expr import evaluate
from openimr.guidelines.schema import Criterion
from openimr.model import (
    Case,
    Citation,
    CriterionResult,
    CriterionStatus,
    Determination,
    ItemDecision,
    Request,
    Service,
)
from openimr.services import normalize


def _evaluate_criterion(c: Criterion, ctx: CriterionContext) -> CriterionResult:
    ctx.used = []  # a criterion's evidence is what its own look-ups touched, whatever ran before it
    names = ctx.names_for(c.test)
    value = evaluate(c.test, names)
    status: CriterionStatus = "not_documented" if value is None else "met" if value else "unmet"
    template = c.says.met if status == "met" else c.says.unmet if status == "unmet" else (
        c.says.not_documented or (f"The records do not document {c.needs}." if c.needs else c.says.unmet))
    evidence = [f.text for f in ctx.used]
    return CriterionResult(id=c.id, status=status, evidence=evidence, says=render(template, names))


def _follows_surgery(request: Request, service: Service, intro: str, citations: list[Citation]) -> ItemDecision:
    """An associated surgical service whose surgery is not medically necessary is not either. The service's
    own guideline, where the knowledge base has one, is still cited: it is what the service would need."""
    result = CriterionResult(id="surgery-medically-necessary", status="unmet",
                             says="The surgery this service supports is not medically necessary.")
    rationale = (f"{intro} This is a service associated with the surgery requested in the same case. Since the "
                 "surgery is not medically necessary, none of its associated services are medically necessary. "
                 "The request is not medically necessary.")
    return ItemDecision(id=request.id, item=request.item, outcome="Upheld", medically_necessary=False,
                        citations=citations, criteria=[result], rationale=rationale, service=service,
                        topic="associated-surgical-service")


def decide_item(case: Case, request: Request, facts: FactSet, kb: KnowledgeBase,
                context: CaseContext | None = None, service: Service | None = None) -> ItemDecision:
    context = context or _case_context(case)
    service = service or normalize(request)
    on = facts.reference_date  # the case's UR, received or decision date, else the UR date its records state
    intro = (f"This patient presents with {presentation(facts, service)}. "
             f"The request is for {request.item}.")
    rule, note = select_rule(service, facts, kb, context)
    if service.associated_with is not None and service.topic != "surgery" and context.surgery_outcome == "Upheld":
        return _follows_surgery(request, service, intro, [kb.cite(rule.citation, on)] if rule else [])
    if rule is None:
        rationale = (f"{intro} The knowledge base has no guideline rule for this service, so medical necessity "
                     "cannot be established against the MTUS or other evidence-based guidelines; a physician "
                     "reviewer must decide it. The request is not medically necessary on this record.")
        return ItemDecision(id=request.id, item=request.item, outcome="Upheld", medically_necessary=False,
                            citations=[], criteria=[], rationale=rationale, service=service)
    ctx = CriterionContext(service, facts, rule, case=context)
    results = [_evaluate_criterion(c, ctx) for c in rule.criteria]
    necessary = rule.status != "not_recommended" and all(r.status == "met" for r in results)
    citations = [kb.cite(rule.citation, on), *(kb.cite(ref, on) for ref in rule.also_cite)]
    for c in rule.criteria:
        if c.citation and c.citation not in [rule.citation, *rule.also_cite]:
            cited = kb.cite(c.citation, on)
            if cited not in citations:  # two criteria may rest on the same section
                citations.append(cited)
    guideline_says = guideline_sentence(citations[0], rule.summary)
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


def _case_context(case: Case, siblings: list[Service] | None = None) -> CaseContext:
    # the signals read the words with line wraps folded, so a phrase broken across lines still matches
    text = " ".join(" ".join(d.text.split()) for d in case.documents if d.text)
    return CaseContext(text=text, documents=[d.text or "" for d in case.documents], siblings=siblings or [])


_CHECKED: weakref.WeakSet[KnowledgeBase] = weakref.WeakSet()


def check_knowledge_base(kb: KnowledgeBase) -> None:
    """Refuse, once per knowledge base, rules whose expressions use a name the engine does not know."""
    if kb in _CHECKED:
        return
    problems = [f"{kb.files[rule.id]}: rule {rule.id}: {problem}" for rule in kb.rules for problem in rule_problems(rule)]
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
    context = _case_context(case, services)
    decided: dict[str, ItemDecision] = {}
    for request, service in zip(case.requests, services, strict=True):
        if service.topic == "surgery":
            decided[request.id] = decide_item(case, request, facts, kb, context, service)
    outcomes = {d.outcome for d in decided.values()}
    context.surgery_outcome = "Upheld" if "Upheld" in outcomes else "Overturned" if outcomes else None
    for request, service in zip(case.requests, services, strict=True):
        if request.id not in decided:
            decided[request.id] = decide_item(case, request, facts, kb, context, service)
    return Determination(case_number=case.case_number, decisions=[decided[r.id] for r in case.requests])
