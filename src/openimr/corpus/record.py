"""The published-letter record, v1 (ARCHITECTURE.md section 3): one letter, its items and decisions.

Plain dataclasses: the parse path builds thousands of these and stays light to import.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Decision = Literal["Overturned", "Upheld"]


@dataclass
class LetterItem:
    item: str
    decision: Decision
    ur_guideline: str | None = None
    reviewer_guideline: str | None = None
    rationale: str | None = None
    # a modified request: the original, the part the Claims Administrator authorized, and the remaining
    # IMR-eligible portion, which is what the reviewer decided
    original: str | None = None
    authorized: str | None = None
    remaining: str | None = None

    @property
    def modified(self) -> bool:
        return self.original is not None

    @property
    def decided_item(self) -> str:
        """The words of what was decided: the remaining portion of a modified request, else the item."""
        return self.remaining or self.item


@dataclass
class LetterRecord:
    case_number: str | None
    layout: str
    date_assigned: str | None = None
    date_of_injury: str | None = None
    decision_date: str | None = None
    ur_denial_date: str | None = None
    received_date: str | None = None
    priority: str | None = None
    licensure: list[str] = field(default_factory=list)
    specialty: list[str] = field(default_factory=list)
    clinical_summary: str = ""
    items: list[LetterItem] = field(default_factory=list)
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for item in data["items"]:
            if item["original"] is None:  # the modified-request parts only where there are some
                del item["original"], item["authorized"], item["remaining"]
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LetterRecord:
        items = [LetterItem(**{k: v for k, v in i.items() if k in LetterItem.__dataclass_fields__})
                 for i in data.get("items", [])]
        fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__ and k != "items"}
        return cls(**fields, items=items)
