"""The reviewer registry."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy.orm import Session

from openimr.api.deps import Svc, Who
from openimr.api.responses import ReviewerListed, ReviewersSaved
from openimr.db import workflow as wf
from openimr.review.registry import Reviewer, reviewer_from_mapping

router = APIRouter(prefix="/api/reviewers", tags=["reviewers"])


@router.get("")
def reviewers(svc: Svc, who: Who) -> list[ReviewerListed]:
    def op(s: Session) -> list[ReviewerListed]:
        wf.require(who, "reviewers")
        counts = wf.open_case_counts(s)
        wf.audit(s, who, "read_reviewers")
        return [ReviewerListed.model_validate(r.model_dump(mode="json") | {"open_cases": counts.get(r.id, 0)})
                for r in wf.all_reviewers(s)]
    return svc.run(who, "read_reviewers", None, op)


@router.post("")
def save_reviewers(svc: Svc, who: Who, body: list[dict[str, Any]]) -> ReviewersSaved:
    def op(s: Session) -> ReviewersSaved:
        wf.require(who, "reviewers")
        parsed: list[Reviewer] = [reviewer_from_mapping(r, f"reviewer {i + 1}") for i, r in enumerate(body)]
        added, updated = wf.save_reviewers(s, who, parsed)
        return ReviewersSaved(added=added, updated=updated)
    return svc.run(who, "save_reviewers", None, op)
