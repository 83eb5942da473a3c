"""Deadlines computed from the case's dates, and the at-risk and overdue lists.

- IMR application: within 30 days of the UR decision (Labor Code 4610.5(h)(1)).
- Records: due 15 days after the notice of assignment, 12 when the notice went electronically, 24 hours when
  expedited (8 CCR 9792.10.5(a)).
- Determination: 30 days after the records arrive, 3 days when expedited (Labor Code 4610.6(d)).
Dates are calendar dates; "24 hours" is the next calendar day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from openimr.review.lifecycle import APPLICATION_WINDOW_DAYS, OPEN_REVIEW, State

RECORDS_DAYS_STANDARD, RECORDS_DAYS_ELECTRONIC, RECORDS_DAYS_EXPEDITED = 15, 12, 1
DECISION_DAYS_STANDARD, DECISION_DAYS_EXPEDITED = 30, 3
# a deadline this close (in days) is at risk; expedited cases have little slack, so their margin is 1 day
AT_RISK_DAYS_STANDARD, AT_RISK_DAYS_EXPEDITED = 5, 1
# the determination clock runs from the arrival of the records until the case is signed
DETERMINATION_PENDING = frozenset({State.records_received}) | OPEN_REVIEW


def application_due(ur_decision: dt.date) -> dt.date:
    return ur_decision + dt.timedelta(days=APPLICATION_WINDOW_DAYS)


def records_due(notice: dt.date, expedited: bool, electronic: bool) -> dt.date:
    if expedited:
        return notice + dt.timedelta(days=RECORDS_DAYS_EXPEDITED)
    return notice + dt.timedelta(days=RECORDS_DAYS_ELECTRONIC if electronic else RECORDS_DAYS_STANDARD)


def determination_due(records_received: dt.date, expedited: bool) -> dt.date:
    return records_received + dt.timedelta(days=DECISION_DAYS_EXPEDITED if expedited else DECISION_DAYS_STANDARD)


@dataclass(frozen=True)
class CaseDates:
    case_number: str
    state: State
    expedited: bool
    records_requested: dt.date | None = None
    records_electronic: bool = False
    records_received: dt.date | None = None


@dataclass(frozen=True)
class Deadline:
    case_number: str
    what: str  # records | determination
    due: dt.date
    days_left: int
    status: str  # ok | at_risk | overdue


def current_deadline(c: CaseDates, today: dt.date) -> Deadline | None:
    """The deadline the case is working against in its present state, if any."""
    if c.state == State.records_requested and c.records_requested:
        what, due = "records", records_due(c.records_requested, c.expedited, c.records_electronic)
    elif c.state in DETERMINATION_PENDING and c.records_received:
        what, due = "determination", determination_due(c.records_received, c.expedited)
    else:
        return None
    left = (due - today).days
    margin = AT_RISK_DAYS_EXPEDITED if c.expedited else AT_RISK_DAYS_STANDARD
    status = "overdue" if left < 0 else "at_risk" if left <= margin else "ok"
    return Deadline(c.case_number, what, due, left, status)


def deadline_lists(cases: list[CaseDates], today: dt.date) -> dict[str, list[Deadline]]:
    """{"at_risk": [...], "overdue": [...]}, each sorted by due date."""
    found = [d for d in (current_deadline(c, today) for c in cases) if d is not None]
    found.sort(key=lambda d: (d.due, d.case_number))
    return {"at_risk": [d for d in found if d.status == "at_risk"],
            "overdue": [d for d in found if d.status == "overdue"]}
