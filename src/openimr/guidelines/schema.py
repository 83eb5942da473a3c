"""The shape of a guideline rule file, validated when the knowledge base loads."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from openimr.guidelines.expr import compile_expression


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _parses(value: str | None) -> str | None:
    """A criterion expression that does not parse fails the rule file at load, not a decision later."""
    if value is not None:
        compile_expression(value)
    return value


class Edition(_Strict):
    edition: str
    effective: dt.date
    cite_by: Literal["pages", "section"] = "section"
    name: str | None = None  # how letters of that era name the guideline, when it differs


class GuidelineSource(_Strict):
    """A guideline document: name, MTUS or not, and its editions over time."""

    id: str
    name: str
    family: str
    mtus: bool
    editions: list[Edition] = Field(default_factory=list)


class CitationRef(_Strict):
    guideline: str  # a GuidelineSource id
    section: str | None = None
    pages: str | None = None


class Says(_Strict):
    """The rationale's words for each status; Jinja templates over the criterion's context."""

    met: str
    unmet: str
    not_documented: str | None = None


class Criterion(_Strict):
    """One named condition of a rule, three-valued, with its citation and the rationale's words.

    role says what kind of condition it is:
    - record (the default): what the records must show; met only by facts quoted with their spans;
    - request: what the request's own terms must satisfy (quantity, supply, purchase); it reads no record,
      so it can refute a request but never support one, and a passed check is said in the rationale only;
      a criterion whose test reads nothing but the request is a request check whatever its role says;
    - exclusion: a reason against the service the guideline names ("not when radiculopathy is already
      clinically obvious"); when the test is true on the records the criterion is unmet, quoting them,
      and otherwise it is not listed, since the absence of an exclusion is no evidence for the request.
    """

    id: str
    test: str
    role: Literal["record", "request", "exclusion"] = "record"
    citation: CitationRef | None = None  # defaults to the rule's citation
    says: Says
    needs: str | None = None  # which record would settle a not-documented criterion

    _test_parses = field_validator("test")(_parses)


class AppliesTo(_Strict):
    topics: list[str]
    regions: list[str] = Field(default_factory=list)  # empty: any region
    phases: list[Literal["acute", "subacute", "chronic"]] = Field(default_factory=list)
    post_surgical: bool | None = None  # None: either
    drug_classes: list[str] = Field(default_factory=list)
    when: str | None = None  # an extra expression that must be true (or undocumented) to apply

    _when_parses = field_validator("when")(_parses)


class RuleExample(_Strict):
    """A worked case for the rule, run by the tests: records, request, and what the engine must find."""

    name: str
    records: str
    request: str
    date_of_injury: dt.date | None = None
    ur_denial_date: dt.date | None = None
    also_requested: list[str] = Field(default_factory=list)  # the case's other items, decided first
    expect_rule: str | None = None  # the rule that must decide it (default: this one)
    expect: dict[str, Literal["met", "unmet", "not_documented"]] = Field(default_factory=dict)
    outcome: Literal["Overturned", "Upheld"]


class Gate(_Strict):
    """A reason that upholds any request it applies to before a topic rule is consulted: a second drug of
    a class already taken, the remaining portion after a partial authorization, refills beyond review."""

    id: str
    title: str
    families: list[str] = Field(default_factory=list)  # empty: any
    topics: list[str] = Field(default_factory=list)
    drug_classes: list[str] = Field(default_factory=list)
    citation: CitationRef
    summary: str
    blocks_when: str  # the gate upholds the request when this is true on the facts and the request
    status: Literal["unmet", "not_documented"] = "unmet"
    says: str  # the rationale's sentence when the gate upholds
    needs: str | None = None
    examples: list[RuleExample] = Field(default_factory=list)

    _blocks_parses = field_validator("blocks_when")(_parses)


class Rule(_Strict):
    id: str
    title: str
    applies_to: AppliesTo
    status: Literal["recommended", "conditional", "not_recommended"]
    citation: CitationRef
    also_cite: list[CitationRef] = Field(default_factory=list)
    summary: str  # what the guideline supports, paraphrased, for the rationale
    limits: dict[str, float] = Field(default_factory=dict)
    criteria: list[Criterion] = Field(default_factory=list)
    priority: int = 0  # among rules that apply equally, the higher wins
    examples: list[RuleExample] = Field(default_factory=list)

    @field_validator("criteria")
    @classmethod
    def _unique_ids(cls, value: list[Criterion]) -> list[Criterion]:
        ids = [c.id for c in value]
        if len(ids) != len(set(ids)):
            raise ValueError("criterion ids must be unique within a rule")
        return value
