"""Every guideline rule and gate carries worked examples (records, request, expected criteria and outcome),
written from the guideline's text; this runs them all, so that every rule is exercised, including the ones no
development letter reaches. A met criterion must quote the record: its sources are the document's own text."""

from __future__ import annotations

from typing import Any

import pytest

from openimr.decide import decide_case
from openimr.guidelines import load_knowledge_base
from openimr.guidelines.schema import RuleExample
from openimr.model import Case

KB = load_knowledge_base()
OWNERS: list[tuple[str, RuleExample]] = [(rule.id, ex) for rule in KB.rules for ex in rule.examples] + [
    (gate.id, ex) for gate in KB.gates for ex in gate.examples]


def example_case(example: RuleExample) -> Case:
    requests: list[dict[str, Any]] = [{"id": "1", "item": example.request}]
    requests += [{"id": str(i), "item": item} for i, item in enumerate(example.also_requested, start=2)]
    return Case(case_number="EXAMPLE", date_of_injury=example.date_of_injury, ur_denial_date=example.ur_denial_date,
                documents=[{"kind": "clinical_summary", "text": example.records}], requests=requests)


@pytest.mark.parametrize(("owner", "example"), OWNERS, ids=[f"{o}: {e.name}" for o, e in OWNERS])
def test_rule_example(owner: str, example: RuleExample) -> None:
    case = example_case(example)
    decision = decide_case(case, KB).decisions[0]
    statuses = {c.id: c.status for c in decision.criteria}
    assert decision.topic == (example.expect_rule or owner), decision.rationale
    for criterion, status in example.expect.items():
        assert statuses.get(criterion) == status, (criterion, statuses, decision.rationale)
    assert decision.outcome == example.outcome, (statuses, decision.rationale)
    text = case.documents[0].text or ""
    for c in decision.criteria:
        assert c.status != "met" or c.sources, f"{c.id} is met without a source"
        for s in c.sources:
            assert text[s.start:s.end] == s.text


def test_every_rule_and_gate_has_an_example() -> None:
    covered = {owner for owner, _ in OWNERS}
    missing = sorted(({r.id for r in KB.rules} | {g.id for g in KB.gates}) - covered)
    assert not missing, f"rules without examples: {missing}"


def test_every_rule_has_an_example_that_reaches_it() -> None:
    reached = {ex.expect_rule or owner for owner, ex in OWNERS}
    unreached = sorted({r.id for r in KB.rules} - reached)
    assert not unreached, f"rules no example reaches: {unreached}"
