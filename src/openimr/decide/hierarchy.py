"""Which rule decides a service: the rules that apply to it, ranked by the strength-of-evidence hierarchy."""

from __future__ import annotations

from openimr.decide.context import CaseContext, CriterionContext
from openimr.facts import FactSet
from openimr.guidelines import KnowledgeBase
from openimr.guidelines.expr import evaluate
from openimr.guidelines.schema import Rule
from openimr.model import Fact, Service

# The Postsurgical Treatment Guidelines' physical medicine periods run at most 6 months after surgery;
# after that, therapy falls back under the chronic pain or body-part guidelines.
POSTSURGICAL_PERIOD_WEEKS = 26


def _post_surgical(service: Service, facts: FactSet, case: CaseContext) -> bool:
    if service.associated_with is not None and service.topic != "surgery":
        return True
    if case.surgery_outcome == "Overturned":
        return True
    return any(_surgery_covers(f, service) for f in facts.named("surgery") if not f.negated)


def _surgery_covers(fact: Fact, service: Service) -> bool:
    """A surgery already done puts the service in its post-surgical period: recent enough, same body region."""
    if fact.value.get("status") != "done":
        return False
    weeks = fact.value.get("weeks_post_op")
    if weeks is not None and weeks > POSTSURGICAL_PERIOD_WEEKS:
        return False
    region = fact.value.get("region") or fact.region
    return not (region and service.region and region != service.region)


def _rule_applies(rule: Rule, service: Service, facts: FactSet, case: CaseContext) -> bool:
    a = rule.applies_to
    if service.topic not in a.topics:
        return False
    if a.regions and (service.region or "") not in a.regions and not (service.region is None and "any" in a.regions):
        return False
    if a.phases and facts.phase and facts.phase not in a.phases:
        return False
    if a.drug_classes and service.drug_class not in a.drug_classes:
        return False
    if a.post_surgical is not None and a.post_surgical != _post_surgical(service, facts, case):
        return False
    # an undocumented `when` (None) lets the rule apply: only what the records refute rules it out
    return not a.when or evaluate(a.when, CriterionContext(service, facts, rule, case=case).names()) is not False


def select_rule(service: Service, facts: FactSet, kb: KnowledgeBase,
                case: CaseContext | None = None) -> tuple[Rule | None, str | None]:
    """The rule the hierarchy puts first (8 CCR 9792.21.1): MTUS before other evidence-based guidelines."""
    case = case or CaseContext()
    candidates = [r for r in kb.by_topic.get(service.topic or "", []) if _rule_applies(r, service, facts, case)]
    if not candidates:
        return None, None

    # MTUS first, then the most specific rule (more conditions), then priority
    def rank(r: Rule) -> tuple[int, int, int]:
        a = r.applies_to
        specificity = bool(a.regions) + bool(a.phases) + (a.post_surgical is not None) + bool(a.drug_classes) + bool(a.when)
        return (kb.is_mtus(r), specificity, r.priority)

    best = max(candidates, key=rank)
    note = None
    if not kb.is_mtus(best):
        note = (f"The MTUS does not address {best.title[0].lower() + best.title[1:]} for this condition, so the "
                f"decision rests on {kb.source(best.citation).name}, the next evidence-based guideline in the "
                f"hierarchy (8 CCR 9792.21.1).")
    return best, note
