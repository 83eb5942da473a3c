"""How sure the engine is, and whether a physician should look closer: confidence and disposition.

`confidence` is the engine's estimate that a physician reviewer reaches the same outcome; `disposition` is
"clear" when the outcome rests on something unambiguous, else "refer" with the reason. The estimates are
fixed, documented priors (docs/knowledge-base.md, "Confidence and disposition"), not fitted to any letter:

- a denial the guideline itself gives (a not-recommended service), a gate (a second drug of a class already
  taken, the remaining portion of a partly authorized request, refills), a surgery found unnecessary, or a
  criterion the records or the request's own terms refute: clear;
- a denial that rests only on what the records do not document: clear when the records are full enough for
  that silence to mean absence (an examination is documented, with at least a handful of clinical facts:
  findings, imaging, treatment history, medications, diagnoses); refer when they are thin, since the full file
  may hold it, and always where reviewers are known to split (evaluations and consultations, behavioral
  health, programs: the most overturned categories in the Division's and CWCI's published figures);
- an overturn: refer, so that a physician confirms every criterion against its quoted source;
- no guideline rule for the service: refer.
"""

from __future__ import annotations

from openimr.facts import FactSet
from openimr.guidelines.schema import Gate, Rule
from openimr.model import ItemDecision

# the clinical facts that show a record was examined and its treatment written down
CLINICAL_FACTS = ("exam_finding", "imaging", "prior_treatment", "medication", "diagnosis")
FULL_RECORD_FACTS = 6

# categories the published IMR statistics name as the most often overturned (E&M about 23-30%, behavioral
# health and programs about 18-20%, against about 10% overall)
SPLIT_FAMILIES = {"office_visit", "evaluation", "psychology", "functional_restoration", "facility", "home_health"}

CONFIDENCE = {
    "not_recommended": 0.93, "gate": 0.9, "unmet": 0.9, "surgery": 0.9,
    "not_documented": 0.88, "not_documented_thin": 0.78, "not_documented_split": 0.7, "no_rule": 0.75,
    "overturn": 0.55,
}


def thin_records(facts: FactSet | None) -> str | None:
    """Why the records are too thin for their silence to mean absence, or None when they are full enough."""
    if facts is None:
        return "no records were read"
    if not facts.named("exam_finding"):
        return "the records document no examination"
    found = sum(1 for f in facts.facts if f.name in CLINICAL_FACTS)
    if found < FULL_RECORD_FACTS:
        return f"the records hold few clinical facts ({found})"
    return None


def assess(decision: ItemDecision, rule: Rule | None, gate: Gate | None = None,
           facts: FactSet | None = None) -> ItemDecision:
    """The decision with its confidence, disposition and refer reason filled in."""
    family = decision.service.family if decision.service else "other"
    if decision.outcome == "Overturned":
        return _set(decision, "overturn", "refer",
                    "a drafted overturn: a physician confirms each met criterion against its quoted record")
    if gate is not None:
        return _set(decision, "gate", "clear")
    if decision.topic == "associated-surgical-service":
        return _set(decision, "surgery", "clear")
    if rule is None:
        return _set(decision, "no_rule", "refer", "the knowledge base has no guideline rule for this service")
    if rule.status == "not_recommended":
        return _set(decision, "not_recommended", "clear")
    if any(c.status == "unmet" for c in decision.criteria):
        return _set(decision, "unmet", "clear")
    unmet_or_missing = [c.id for c in decision.criteria if c.status == "not_documented"]
    reason = ("the denial rests on what the records do not document (" + ", ".join(unmet_or_missing) +
              "); the full file may hold it") if unmet_or_missing else \
        "nothing in the records was found that the guideline's criteria ask for"
    if family in SPLIT_FAMILIES:
        return _set(decision, "not_documented_split", "refer",
                    reason + "; reviewers often overturn this kind of service")
    thin = thin_records(facts)
    if thin is not None:
        return _set(decision, "not_documented_thin", "refer", f"{reason}, and {thin}")
    return _set(decision, "not_documented", "clear")


def _set(decision: ItemDecision, basis: str, disposition: str, reason: str | None = None) -> ItemDecision:
    decision.confidence = CONFIDENCE[basis]
    decision.disposition = "clear" if disposition == "clear" else "refer"
    decision.refer_reason = reason
    return decision
