"""The answers of the /api routes, so that /openapi.json documents each one.

Where an answer carries an open-ended document (a case file, a determination, an assignment's reasons), its
stable top-level keys are modelled and anything else is kept as it is (extra="allow"): nothing is dropped.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Open(BaseModel):
    """An answer whose listed keys are always there; it may carry more, which are passed through."""

    model_config = ConfigDict(extra="allow")


# ------------------------------------------------------------ auth and users

class Token(BaseModel):
    access_token: str
    token_type: str = Field(description="always 'bearer'")
    expires_at: str = Field(description="UTC, ISO 8601 with a Z")


class LoggedOut(BaseModel):
    status: str


class Me(BaseModel):
    name: str
    role: str


class UserAdded(BaseModel):
    name: str
    role: str
    reviewer_id: str | None


class UserListed(BaseModel):
    name: str
    role: str
    reviewer_id: str | None
    disabled: bool


class UserSwitched(BaseModel):
    name: str
    disabled: bool


class PasswordChanged(BaseModel):
    name: str
    sessions_ended: bool = Field(description="always true: every session of the user ended")


class SessionsEnded(BaseModel):
    name: str
    sessions_ended: int = Field(description="how many sessions ended")


# ------------------------------------------------------------ reviewers

class ReviewerListed(Open):
    """A reviewer's registry record (credentials, capacity, availability) and its open case count."""

    id: str
    name: str
    degree: str
    specialties: list[str]
    capacity: int
    available: bool
    open_cases: int


class ReviewersSaved(BaseModel):
    added: int
    updated: int


# ------------------------------------------------------------ cases

class DeadlineOut(BaseModel):
    case_number: str
    what: str = Field(description="records | determination")
    due: dt.date
    days_left: int
    status: str = Field(description="ok | at_risk | overdue")


class CaseSummary(Open):
    """A case as a list shows it. `reviewer` holds the credentials of the assigned reviewer (id and name for
    administrators only)."""

    case_number: str
    state: str
    state_reason: str | None
    priority: str
    application_date: dt.date | None
    ur_decision_date: dt.date | None
    records_requested: dt.date | None
    records_electronic: bool
    records_received: dt.date | None
    application_due: dt.date | None
    deadline: DeadlineOut | None
    reviewer: dict[str, Any] | None
    signed_at: dt.datetime | None


class CaseView(CaseSummary):
    """A whole case: also its case file (contract v1), the latest draft's version and, once assigned,
    `assignment` (the full reasons for administrators; the needs and whether it was an override for others)."""

    draft_version: int | None
    case_file: dict[str, Any]


class Eligibility(CaseView):
    eligible: bool
    problems: list[str]


class DocumentAdded(BaseModel):
    case_number: str
    index: int = Field(description="the document's place in the case file")
    kind: str
    title: str | None
    date: str | None
    characters: int
    pages: int
    state: str


class Exclusion(BaseModel):
    reviewer_id: str
    rule: str
    reason: str


class AssignmentOut(Open):
    """The chosen reviewer (or null), every candidate with its fit and load, every exclusion and why."""

    chosen: dict[str, Any] | None
    override_reason: str | None
    needs: list[str]
    candidates: list[dict[str, Any]]
    excluded: list[Exclusion]
    notes: list[str]
    explanation: str = Field(description="the same reasons in plain lines")


class DeterminationOut(Open):
    """The determination, contract v1: one decision per disputed request."""

    case_number: str
    decisions: list[dict[str, Any]]


class DraftOut(BaseModel):
    version: int
    determination: DeterminationOut


class DraftVersion(BaseModel):
    version: int
    author: str = Field(description="'engine' or the reviewer (named to administrators only)")
    note: str | None
    created_at: dt.datetime
    determination: DeterminationOut


class LetterIssued(BaseModel):
    case_number: str
    draft_version: int
    state: str


class DeadlineReport(BaseModel):
    at_risk: list[DeadlineOut]
    overdue: list[DeadlineOut]


# ------------------------------------------------------------ audit

class AuditEntry(BaseModel):
    id: int
    at: dt.datetime
    user: str
    action: str
    case_number: str | None
    detail: dict[str, Any] | None
