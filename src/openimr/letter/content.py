"""What a Final Determination Letter says, as plain values: every format (text, Markdown, HTML, PDF) is
rendered from one LetterContent, so the formats cannot drift apart, and redaction works on it once.

The case file may carry, beside contract v1, what the workflow knows about the review:
  reviewer:  {licensure: [..], specialty: [..], degree: MD}   the assigned reviewer (never the name)
  signature: {date: YYYY-MM-DD}                               set when the reviewer has signed
  date_assigned: YYYY-MM-DD                                   when the case went to the reviewer
  case_summary: "..."                                         the reviewer's own clinical case summary
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from openimr.errors import InputError
from openimr.letter.summary import summary_paragraphs, us_date
from openimr.model import Case, Determination, ItemDecision

NOT_STATED = "Not stated"
NO_GUIDELINE = "No guideline in the knowledge base addresses this service."

APPEAL_RIGHTS = (
    "This determination is the final determination of the Administrative Director and is binding on the "
    "employee and the employer, unless it is reversed on appeal. Either party may contest it by filing a "
    "verified petition with the Workers' Compensation Appeals Board within 30 days of the mailing date of "
    "this determination, and serving a copy on the other party and the Administrative Director.",
    "Under Labor Code section 4610.6(h), the determination may be set aside only on one of these grounds, "
    "shown by clear and convincing evidence: (1) the administrative director acted without or in excess of "
    "the administrative director's powers; (2) the determination was procured by fraud; (3) the independent "
    "medical reviewer was subject to a material conflict of interest that is in violation of Labor Code "
    "section 139.5; (4) the determination was the result of bias on the basis of race, national origin, "
    "ethnic group identification, religion, age, sex, sexual orientation, color, or disability; (5) the "
    "determination was the result of a plainly erroneous express or implied finding of fact, provided that "
    "the mistake of fact is a matter of ordinary knowledge based on the information submitted for review and "
    "not a matter that is subject to expert opinion.",
)


@dataclass(frozen=True)
class Reviewer:
    licensure: list[str]
    specialty: list[str]
    degree: str | None = None


@dataclass(frozen=True)
class Signature:
    date: dt.date
    degree: str | None


@dataclass(frozen=True)
class Item:
    item: str
    outcome: str
    ur_guideline: str
    reviewer_guideline: str
    rationale: str


@dataclass(frozen=True)
class LetterContent:
    case_number: str
    header: list[tuple[str, str]]
    reviewer: Reviewer | None
    summary: list[str]
    items: list[Item]
    signature: Signature | None
    appeal: tuple[str, ...] = APPEAL_RIGHTS
    public: bool = False

    @property
    def draft(self) -> bool:
        return self.signature is None

    def with_changes(self, **changes: Any) -> LetterContent:
        return replace(self, **changes)


def guideline_line(decision: ItemDecision) -> str:
    """What the decision rests on, as letters print it: MTUS first, then Non-MTUS citations."""
    if not decision.citations:
        return NO_GUIDELINE
    return " ".join(f"Decision based on {c.label()}" for c in decision.citations)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _date_field(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"{where} must be a date (YYYY-MM-DD), not {value!r}") from None


def reviewer_of(case: Case) -> Reviewer | None:
    """The assigned reviewer's credentials, or None: credentials are never guessed."""
    given = (case.model_extra or {}).get("reviewer")
    if not isinstance(given, dict):
        return None
    licensure, specialty = _as_list(given.get("licensure")), _as_list(given.get("specialty"))
    if not (licensure or specialty):
        return None
    return Reviewer(licensure, specialty, str(given["degree"]) if given.get("degree") else None)


def signature_of(case: Case, reviewer: Reviewer | None) -> Signature | None:
    given = (case.model_extra or {}).get("signature")
    if not given:
        return None
    if reviewer is None:
        raise InputError("the case is marked signed but names no reviewer: a letter is signed by its reviewer")
    date = given.get("date") if isinstance(given, dict) else given
    return Signature(_date_field(date, "signature.date"), reviewer.degree)


def _header(case: Case, signature: Signature | None) -> list[tuple[str, str]]:
    extra = case.model_extra or {}
    assigned = extra.get("date_assigned")
    decision = case.decision_date or (signature.date if signature else None)
    return [
        ("Case Number", case.case_number),
        ("Date Assigned", us_date(_date_field(assigned, "date_assigned")) if assigned else NOT_STATED),
        ("Date of Injury", us_date(case.date_of_injury) or NOT_STATED),
        ("Decision Date", us_date(decision) if decision else "Pending signature"),
        ("UR Denial Date", us_date(case.ur_denial_date) or NOT_STATED),
        ("Priority", case.priority.capitalize()),
        ("Application Received", us_date(case.received_date) or NOT_STATED),
    ]


def letter_content(case: Case, determination: Determination) -> LetterContent:
    """The letter's content from the case (with what the workflow added) and its determination."""
    reviewer = reviewer_of(case)
    signature = signature_of(case, reviewer)
    requests = {r.id: r for r in case.requests}
    items = [Item(d.item, d.outcome,
                  (requests[d.id].ur_guideline if d.id in requests else None) or NOT_STATED + ".",
                  guideline_line(d), " ".join(d.rationale.split()))
             for d in determination.decisions]
    return LetterContent(case.case_number, _header(case, signature), reviewer, summary_paragraphs(case), items,
                         signature)
