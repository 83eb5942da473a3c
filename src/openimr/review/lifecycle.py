"""The case lifecycle as an explicit state machine. Every move is checked here; a refused move says why.

received -> eligibility_checked -> records_requested -> records_received -> assigned -> drafted
-> under_review -> signed -> letter_issued, with ineligible and withdrawn as the other ends. The engine may
draft; only a person signs, and an Upheld outcome (a denial) needs a physician's signature.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

APPLICATION_WINDOW_DAYS = 30  # Labor Code 4610.5(h)(1): IMR application within 30 days of the UR decision
UR_DOCUMENT_KINDS = frozenset({"ur_determination", "ur_decision", "utilization_review", "ur_denial"})


class State(StrEnum):
    received = "received"
    eligibility_checked = "eligibility_checked"
    records_requested = "records_requested"
    records_received = "records_received"
    assigned = "assigned"
    drafted = "drafted"
    under_review = "under_review"
    signed = "signed"
    letter_issued = "letter_issued"
    ineligible = "ineligible"
    withdrawn = "withdrawn"


TERMINAL = frozenset({State.letter_issued, State.ineligible, State.withdrawn})
# open cases count against a reviewer's capacity
OPEN_REVIEW = frozenset({State.assigned, State.drafted, State.under_review, State.signed})

# the moves along the way; every state that is not final may in addition become withdrawn
_FORWARD: dict[State, frozenset[State]] = {
    State.received: frozenset({State.eligibility_checked, State.ineligible}),
    State.eligibility_checked: frozenset({State.records_requested}),
    State.records_requested: frozenset({State.records_received}),
    State.records_received: frozenset({State.assigned}),
    State.assigned: frozenset({State.assigned, State.drafted}),  # assigned -> assigned: reassignment
    State.drafted: frozenset({State.assigned, State.under_review, State.signed}),
    State.under_review: frozenset({State.under_review, State.signed}),
    State.signed: frozenset({State.letter_issued}),
    State.letter_issued: frozenset(),
    State.ineligible: frozenset(),
    State.withdrawn: frozenset(),
}
TRANSITIONS: dict[State, frozenset[State]] = {
    state: moves if state in TERMINAL else moves | {State.withdrawn} for state, moves in _FORWARD.items()
}


class TransitionError(Exception):
    """A move the lifecycle does not allow from the case's current state, or whose conditions fail."""


# documents may join the case file until the records are marked received: with the application (received),
# after the eligibility check, and while the requested records come in; after that the review works on a
# closed record
RECORDS_OPEN = frozenset({State.received, State.eligibility_checked, State.records_requested})


def check_documents_open(current: State | str) -> None:
    cur = State(current)
    if cur not in RECORDS_OPEN:
        allowed = ", ".join(s.value for s in State if s in RECORDS_OPEN)
        raise TransitionError(f"documents cannot be added to a case that is {cur.value}; records arrive only "
                              f"while a case is {allowed}")


def check_transition(current: State | str, target: State | str) -> State:
    cur, tgt = State(current), State(target)
    if tgt in TRANSITIONS[cur]:
        return tgt
    if cur in TERMINAL:
        raise TransitionError(f"the case is {cur.value}, a final state; it cannot become {tgt.value}")
    allowed = ", ".join(sorted(s.value for s in TRANSITIONS[cur])) or "nothing"
    raise TransitionError(f"a case that is {cur.value} cannot become {tgt.value}; from {cur.value} it can "
                          f"become: {allowed}")


def check_signature(outcomes: Iterable[str], signer_is_physician: bool, signer_is_assigned: bool) -> None:
    """Only the assigned reviewer signs; a denial (any Upheld item) needs a physician."""
    if not signer_is_assigned:
        raise TransitionError("only the assigned reviewer can sign the determination")
    upheld = [o for o in outcomes if o == "Upheld"]
    if upheld and not signer_is_physician:
        raise TransitionError("an Upheld outcome (a denial) must be signed by a physician reviewer (MD or DO)")


@dataclass(frozen=True)
class EligibilityFacts:
    application_date: dt.date | None
    ur_decision_date: dt.date | None
    document_kinds: tuple[str, ...]
    duplicate_of: str | None = None


def eligibility_problems(facts: EligibilityFacts) -> list[str]:
    """Why a received application cannot go to review; empty when it can."""
    out: list[str] = []
    if facts.ur_decision_date is None:
        out.append("the UR decision date is missing (ur_denial_date)")
    if not any(k in UR_DOCUMENT_KINDS for k in facts.document_kinds):
        out.append("the UR decision is not attached (no document of kind ur_determination)")
    if facts.ur_decision_date and facts.application_date:
        days = (facts.application_date - facts.ur_decision_date).days
        if days > APPLICATION_WINDOW_DAYS:
            out.append(f"the application came {days} days after the UR decision; the limit is "
                       f"{APPLICATION_WINDOW_DAYS}")
        if days < 0:
            out.append("the application is dated before the UR decision")
    if facts.duplicate_of:
        out.append(f"duplicate of case {facts.duplicate_of}, which is already under way")
    return out
