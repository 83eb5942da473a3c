"""Who may review at all: a licence, more than five years in active practice, at least 24 hours a week.

The rules come from Labor Code 139.5(d) and 8 CCR 9792.10.5 as the letters describe them: "has been in active
clinical practice for more than five years and is currently working at least 24 hours a week in active
practice", licensed (in California unless the case says otherwise). Availability and capacity are the
organization's own rules and are checked here too, so that every exclusion carries a reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from openimr.review.registry import Reviewer

MIN_YEARS_EXCLUSIVE = 5.0  # "more than five years": exactly 5 is not enough
MIN_WEEKLY_HOURS = 24.0  # "at least 24 hours a week"
DEFAULT_LICENCE_STATE = "California"
_STATE_ABBREVIATIONS = {"ca": "california"}  # registries write "CA" as often as "California"


@dataclass(frozen=True)
class Exclusion:
    reviewer_id: str
    rule: str  # licence | experience | hours | availability | capacity | conflict
    reason: str


def _state_key(state: str) -> str:
    key = state.strip().lower()
    return _STATE_ABBREVIATIONS.get(key, key)


def _same_state(a: str, b: str) -> bool:
    return _state_key(a) == _state_key(b)


def eligibility_problems(reviewer: Reviewer, open_cases: int = 0,
                         licence_state: str = DEFAULT_LICENCE_STATE) -> list[Exclusion]:
    """Every reason this reviewer cannot take a new case; empty when eligible."""
    out: list[Exclusion] = []
    rid = reviewer.id
    if not any(_same_state(s, licence_state) for s in reviewer.licensure_states):
        held = ", ".join(reviewer.licensure_states) or "none"
        out.append(Exclusion(rid, "licence", f"no licence in {licence_state} (holds: {held})"))
    if reviewer.years_in_practice <= MIN_YEARS_EXCLUSIVE:
        out.append(Exclusion(rid, "experience", f"{reviewer.years_in_practice:g} years in active practice; "
                             f"more than {MIN_YEARS_EXCLUSIVE:g} are required"))
    if reviewer.weekly_clinical_hours < MIN_WEEKLY_HOURS:
        out.append(Exclusion(rid, "hours", f"{reviewer.weekly_clinical_hours:g} clinical hours a week; "
                             f"at least {MIN_WEEKLY_HOURS:g} are required"))
    if not reviewer.available:
        out.append(Exclusion(rid, "availability", "marked unavailable"))
    elif open_cases >= reviewer.capacity:
        out.append(Exclusion(rid, "capacity", f"at capacity ({open_cases} open cases of {reviewer.capacity})"))
    return out
