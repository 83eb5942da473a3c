"""Assignment: eligibility, then the conflict screen, then specialty fit, then load.

A reviewer must be eligible and free of conflicts; among those, the best specialty fit wins, then the lowest
load (open cases relative to capacity), then the id for a stable order. A manual override names a reviewer
and a reason; it may set aside specialty fit and load, never eligibility or conflicts (those are the law).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from openimr.errors import InputError
from openimr.model import Case
from openimr.review.conflicts import case_parties, conflicts
from openimr.review.eligibility import Exclusion, eligibility_problems
from openimr.review.registry import Reviewer
from openimr.review.specialty import Fit, case_needs, specialty_fit


@dataclass(frozen=True)
class Candidate:
    reviewer: Reviewer
    fit: Fit
    open_cases: int

    @property
    def load(self) -> float:
        return self.open_cases / self.reviewer.capacity if self.reviewer.capacity else 1.0


@dataclass
class Assignment:
    chosen: Reviewer | None
    candidates: list[Candidate]
    excluded: list[Exclusion]
    needs: list[str]
    override_reason: str | None = None
    notes: list[str] = field(default_factory=list)

    def explain(self) -> str:
        """Why this reviewer, and why not each of the others, in plain lines."""
        lines = [f"Case needs: {', '.join(self.needs) or 'nothing specific'}"]
        if self.chosen is not None:
            how = f"manual override ({self.override_reason})" if self.override_reason else "best fit, then lowest load"
            lines.append(f"Chosen: {self.chosen.id} ({', '.join(self.chosen.specialties) or 'no specialty'}) by {how}")
        else:
            lines.append("Chosen: nobody; no eligible reviewer without a conflict")
        lines.extend(self.notes)
        for c in self.candidates:
            lines.append(f"  candidate {c.reviewer.id}: fit {c.fit.score}, load {c.open_cases}/{c.reviewer.capacity}")
            lines.extend(f"    {r}" for r in c.fit.reasons)
        for e in self.excluded:
            lines.append(f"  excluded {e.reviewer_id}: {e.rule}: {e.reason}")
        return "\n".join(lines) + "\n"

    def as_dict(self, with_names: bool = True) -> dict[str, object]:
        def who(r: Reviewer) -> dict[str, object]:
            d: dict[str, object] = {"id": r.id, **r.credentials()}
            if with_names:
                d["name"] = r.name
            return d
        return {
            "chosen": who(self.chosen) if self.chosen else None,
            "override_reason": self.override_reason,
            "needs": self.needs,
            "candidates": [{"reviewer": who(c.reviewer), "fit": c.fit.score, "fit_reasons": c.fit.reasons,
                            "open_cases": c.open_cases} for c in self.candidates],
            "excluded": [{"reviewer_id": e.reviewer_id, "rule": e.rule, "reason": e.reason} for e in self.excluded],
            "notes": self.notes,
        }


def assign(case: Case, reviewers: list[Reviewer], open_cases: dict[str, int] | None = None,
           override: str | None = None, override_reason: str | None = None) -> Assignment:
    loads = open_cases or {}
    needs = case_needs(case)
    parties = case_parties(case.parties)
    candidates: list[Candidate] = []
    excluded: list[Exclusion] = []
    for r in reviewers:
        problems = eligibility_problems(r, loads.get(r.id, 0)) + conflicts(r, parties)
        if override and r.id == override:
            # capacity is the organization's own rule, which an audited override may set aside
            problems = [p for p in problems if p.rule != "capacity"]
        if problems:
            excluded.extend(problems)
        else:
            candidates.append(Candidate(r, specialty_fit(r.specialties + r.board_certifications, needs),
                                        loads.get(r.id, 0)))
    candidates.sort(key=lambda c: (-c.fit.score, c.load, c.reviewer.id))
    need_labels = [f"family {f}" for f in needs.families] + [f"condition {c}" for c in needs.conditions]
    if override:
        if not (override_reason and override_reason.strip()):
            raise InputError("a manual override needs a reason")
        if override not in {r.id for r in reviewers}:
            raise InputError(f"unknown reviewer {override!r}")
        pick = next((c for c in candidates if c.reviewer.id == override), None)
        if pick is None:
            why = "; ".join(e.reason for e in excluded if e.reviewer_id == override)
            raise InputError(f"reviewer {override!r} cannot take this case: {why}")
        return Assignment(pick.reviewer, candidates, excluded, need_labels, override_reason.strip())
    chosen = candidates[0].reviewer if candidates else None
    notes = []
    if candidates and candidates[0].fit.score == 0:
        notes.append("Warning: no eligible reviewer has the same or a similar specialty")
    return Assignment(chosen, candidates, excluded, need_labels, None, notes)
