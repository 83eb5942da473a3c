from __future__ import annotations

import datetime as dt

import pytest

from openimr.review import deadlines as dl
from openimr.review.lifecycle import (
    TERMINAL,
    TRANSITIONS,
    EligibilityFacts,
    State,
    TransitionError,
    check_signature,
    check_transition,
    eligibility_problems,
)

D = dt.date


def test_the_happy_path_is_allowed_step_by_step() -> None:
    path = [State.received, State.eligibility_checked, State.records_requested, State.records_received,
            State.assigned, State.drafted, State.under_review, State.signed, State.letter_issued]
    for a, b in zip(path, path[1:], strict=False):
        assert check_transition(a, b) == b


@pytest.mark.parametrize("current,target,message", [
    ("received", "signed", "cannot become signed; from received it can become: eligibility_checked, ineligible"),
    ("assigned", "letter_issued", "cannot become letter_issued"),
    ("letter_issued", "withdrawn", "a final state"),
    ("records_requested", "assigned", "from records_requested it can become: records_received, withdrawn"),
])
def test_invalid_transitions_are_refused_with_a_reason(current: str, target: str, message: str) -> None:
    with pytest.raises(TransitionError, match=message):
        check_transition(current, target)


def test_engine_cannot_reach_signed_and_terminal_states_are_final() -> None:
    assert State.signed not in TRANSITIONS[State.assigned]  # no draft-less sign-off
    for s in TERMINAL:
        assert TRANSITIONS[s] == frozenset()
    for s in set(State) - TERMINAL:
        assert State.withdrawn in TRANSITIONS[s]


def test_signatures() -> None:
    check_signature(["Overturned", "Upheld"], signer_is_physician=True, signer_is_assigned=True)
    check_signature(["Overturned"], signer_is_physician=False, signer_is_assigned=True)
    with pytest.raises(TransitionError, match="physician"):
        check_signature(["Overturned", "Upheld"], signer_is_physician=False, signer_is_assigned=True)
    with pytest.raises(TransitionError, match="assigned reviewer"):
        check_signature(["Overturned"], signer_is_physician=True, signer_is_assigned=False)


def test_application_eligibility() -> None:
    ok = EligibilityFacts(D(2024, 4, 1), D(2024, 3, 2), ("ur_determination", "progress_report"))
    assert eligibility_problems(ok) == []  # day 30 is still in time
    late = EligibilityFacts(D(2024, 4, 2), D(2024, 3, 2), ("ur_determination",))
    assert eligibility_problems(late) == ["the application came 31 days after the UR decision; the limit is 30"]
    bare = EligibilityFacts(D(2024, 4, 1), None, ("progress_report",), duplicate_of="X-1")
    problems = eligibility_problems(bare)
    assert any("date is missing" in p for p in problems)
    assert any("not attached" in p for p in problems)
    assert any("duplicate of case X-1" in p for p in problems)


def test_records_deadlines() -> None:
    notice = D(2024, 3, 10)
    assert dl.records_due(notice, expedited=False, electronic=False) == D(2024, 3, 25)
    assert dl.records_due(notice, expedited=False, electronic=True) == D(2024, 3, 22)
    assert dl.records_due(notice, expedited=True, electronic=False) == D(2024, 3, 11)
    assert dl.application_due(D(2024, 3, 1)) == D(2024, 3, 31)


def test_determination_deadlines() -> None:
    assert dl.determination_due(D(2024, 2, 10), expedited=False) == D(2024, 3, 11)  # leap year
    assert dl.determination_due(D(2024, 2, 10), expedited=True) == D(2024, 2, 13)


def test_at_risk_and_overdue_lists() -> None:
    today = D(2024, 6, 1)
    cases = [
        dl.CaseDates("STD-OK", State.under_review, False, records_received=D(2024, 5, 20)),  # due 6/19
        dl.CaseDates("STD-RISK", State.assigned, False, records_received=D(2024, 5, 5)),  # due 6/4
        dl.CaseDates("STD-LATE", State.drafted, False, records_received=D(2024, 4, 20)),  # due 5/20
        dl.CaseDates("EXP-RISK", State.records_received, True, records_received=D(2024, 5, 30)),  # due 6/2
        dl.CaseDates("EXP-LATE", State.records_requested, True, records_requested=D(2024, 5, 30)),  # due 5/31
        dl.CaseDates("DONE", State.letter_issued, False, records_received=D(2024, 1, 1)),
    ]
    lists = dl.deadline_lists(cases, today)
    assert [d.case_number for d in lists["overdue"]] == ["STD-LATE", "EXP-LATE"]
    assert [d.case_number for d in lists["at_risk"]] == ["EXP-RISK", "STD-RISK"]
    late = lists["overdue"][1]
    assert late.what == "records" and late.days_left == -1
    assert dl.current_deadline(cases[0], today) is not None
    assert dl.current_deadline(cases[-1], today) is None
