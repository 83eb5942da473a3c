"""Typed values shared by every stage of the pipeline.

The case file (contract v1) and the determination (contract v1) are fixed by ARCHITECTURE.md section 3;
the other values are internal and may grow.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Outcome = Literal["Overturned", "Upheld"]
Disposition = Literal["clear", "refer"]
CriterionStatus = Literal["met", "unmet", "not_documented"]


class _Open(BaseModel):
    """Unknown extra fields are kept, never rejected (contract v1)."""

    model_config = ConfigDict(extra="allow")


# Fields a case file may carry beside contract v1, and who reads them: the letter (the assigned reviewer's
# credentials, the signature, the assignment date, the reviewer's own summary) and the redaction of the public
# copy (identifying fields, by the kind its report names). The strict intake check knows them from here.
LETTER_FIELDS = ("reviewer", "signature", "date_assigned", "case_summary")
IDENTIFYING_FIELDS = {"claim_number": "claim number", "policy_number": "policy number",
                      "date_of_birth": "date of birth", "dob": "date of birth", "address": "address",
                      "employee_address": "address", "employer_address": "address", "phone": "telephone number",
                      "telephone": "telephone number", "ssn": "social security number"}


class Parties(_Open):
    employee: str | None = None
    employer: str | None = None
    claims_administrator: str | None = None
    providers: list[str] = Field(default_factory=list)


class Document(_Open):
    kind: str = "clinical_summary"
    title: str | None = None
    date: dt.date | None = None
    text: str | None = None
    path: str | None = None

    @model_validator(mode="after")
    def _text_or_path(self) -> Document:
        if self.text is None and not self.path:
            raise ValueError("a document needs either 'text' or 'path'")
        return self


class Request(_Open):
    id: str
    item: str
    ur_guideline: str | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value

    @field_validator("item")
    @classmethod
    def _item_not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the disputed item is empty")
        return value.strip()


class Case(_Open):
    case_number: str
    date_of_injury: dt.date | None = None
    ur_denial_date: dt.date | None = None
    received_date: dt.date | None = None
    decision_date: dt.date | None = None
    priority: Literal["standard", "expedited"] = "standard"
    parties: Parties = Field(default_factory=Parties)
    documents: list[Document] = Field(default_factory=list)
    requests: list[Request] = Field(min_length=1)

    @field_validator("priority", mode="before")
    @classmethod
    def _priority_lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("case_number")
    @classmethod
    def _case_number_not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the case number is empty")
        return value.strip()

    @model_validator(mode="after")
    def _unique_request_ids(self) -> Case:
        ids = [r.id for r in self.requests]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"request ids must be unique; repeated: {', '.join(dupes)}")
        return self


# modifiers under which a mention is not a finding of the patient's condition (facts/modifiers.py), and
# those under which it is not a present one
NOT_ASSERTED = frozenset({"negated", "possible", "required", "planned", "review", "other_person"})
PAST = frozenset({"historical", "resolved"})


class Fact(BaseModel):
    """One clinical fact with the words it came from.

    span is (document index, start offset, end offset) into the document's text.
    """

    name: str
    value: Any
    negated: bool = False
    span: tuple[int, int, int]
    text: str
    # what the sentence says around the mention (facts.modifiers): negated, possible, required, planned,
    # review (certified, authorized, denied), historical, resolved, other_person
    modifiers: list[str] = Field(default_factory=list)
    region: str | None = None  # the body region the mention belongs to, read from its clause
    treatment: str | None = None  # the treatment a response or improvement is credited to


class Service(BaseModel):
    """A disputed item, normalized: what is asked for, where, how much."""

    raw: str
    topic: str | None = None
    family: str = "other"
    region: str | None = None
    side: str | None = None
    quantity: float | None = None
    unit: str | None = None
    frequency_per_week: float | None = None
    weeks: float | None = None
    drug: str | None = None
    drug_class: str | None = None
    dose: str | None = None
    purchase: bool | None = None
    rental_days: int | None = None
    retrospective: bool = False
    associated_with: str | None = None
    authorized_quantity: float | None = None
    modified: bool = False
    regions: list[str] = Field(default_factory=list)  # every region the request names, in lexicon order
    continuation: bool = False  # asks for more of a treatment under way ("additional", "continued")
    supply_days: float | None = None  # days a medication request lasts, when its words say
    refills: int | None = None  # refills asked for beyond the first fill


class Citation(BaseModel):
    guideline: str
    edition: str | None = None
    section: str | None = None
    pages: str | None = None
    mtus: bool = True
    # how letters of the edition's era print it: 2009-era letters by page, 2016-era by section name
    cite_by: Literal["pages", "section"] = Field(default="section", exclude=True)

    def label(self) -> str:
        """The citation as a letter prints it, after "Decision based on"."""
        if not self.mtus:
            return f"Non-MTUS Citation {self.guideline}" + (f", {self.section}" if self.section else "") + "."
        if self.cite_by == "pages" and self.pages:
            return f"{self.guideline} {self.section or ''} Page(s): {self.pages}.".replace("  ", " ")
        text = self.guideline + (f" {self.edition}" if self.edition else "")
        return f"{text}, Section(s): {self.section}." if self.section else f"{text}."


class Source(BaseModel):
    """Where a criterion's evidence stands: text == documents[document].text[start:end]."""

    document: int
    start: int
    end: int
    text: str


class CriterionResult(BaseModel):
    id: str
    status: CriterionStatus
    evidence: list[str] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    says: str = Field(default="", exclude=True)


class ItemDecision(BaseModel):
    id: str
    item: str
    outcome: Outcome
    medically_necessary: bool
    citations: list[Citation]
    criteria: list[CriterionResult] = Field(default_factory=list)
    rationale: str
    service: Service | None = Field(default=None, exclude=True)
    topic: str | None = None
    hierarchy_note: str | None = None
    # the engine's estimate that a reviewer reaches the same outcome, and whether a physician should look closer
    confidence: float = 0.5
    disposition: Disposition = "refer"
    refer_reason: str | None = None


class Determination(BaseModel):
    case_number: str
    decisions: list[ItemDecision]
