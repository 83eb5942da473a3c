"""Synthetic reviewers and a synthetic case for the workflow tests (no real people or cases)."""

from __future__ import annotations

import copy
from typing import Any

REVIEWERS: list[dict[str, Any]] = [
    {"id": "r-pmr", "name": "Dana Physiatrist", "degree": "MD", "licensure_states": ["California"],
     "board_certifications": ["Physical Medicine & Rehabilitation"], "specialties": ["PM&R"],
     "years_in_practice": 12, "weekly_clinical_hours": 30, "capacity": 5},
    {"id": "r-chiro", "name": "Casey Chiropractor", "degree": "DC", "licensure_states": ["California"],
     "specialties": ["Chiropractic"], "years_in_practice": 10, "weekly_clinical_hours": 32, "capacity": 5},
    {"id": "r-ortho", "name": "Olive Surgeon", "degree": "MD", "licensure_states": ["California"],
     "specialties": ["Orthopedic Surgery"], "years_in_practice": 20, "weekly_clinical_hours": 40, "capacity": 5,
     "affiliations": [{"kind": "employer", "name": "ACME Logistics, Incorporated"}]},
    {"id": "r-occ", "name": "Owen Occmed", "degree": "DO", "licensure_states": ["CA"],
     "specialties": ["Occupational Medicine"], "years_in_practice": 15, "weekly_clinical_hours": 36, "capacity": 5,
     "affiliations": [{"kind": "insurer", "name": "Golden State Insurnce Co"}]},
    {"id": "r-new", "name": "Nora Newcomer", "degree": "MD", "licensure_states": ["California"],
     "specialties": ["Physical Medicine & Rehabilitation"], "years_in_practice": 5, "weekly_clinical_hours": 40},
    {"id": "r-part", "name": "Pat Parttime", "degree": "MD", "licensure_states": ["California"],
     "specialties": ["Physical Medicine & Rehabilitation"], "years_in_practice": 25, "weekly_clinical_hours": 20},
    {"id": "r-tx", "name": "Terry Texan", "degree": "MD", "licensure_states": ["Texas"],
     "specialties": ["Physical Medicine & Rehabilitation"], "years_in_practice": 25, "weekly_clinical_hours": 40},
]

CASE: dict[str, Any] = {
    "case_number": "TEST-0001",
    "date_of_injury": "2024-01-10",
    "ur_denial_date": "2024-03-01",
    "priority": "standard",
    "parties": {"employee": "Sam Worker", "employer": "Acme Logistics Inc.",
                "claims_administrator": "Golden State Insurance Company", "providers": ["Riley Treater, MD"]},
    "documents": [
        {"kind": "ur_determination", "title": "UR decision", "date": "2024-03-01",
         "text": "Utilization review non-certified chiropractic manipulation for the lumbar spine."},
        {"kind": "clinical_summary", "title": "Summary", "date": "2024-02-20",
         "text": "The patient is a 40-year-old with chronic low back pain after a lifting injury. Lumbar "
                 "tenderness. Six sessions of chiropractic therapy were completed with no documented "
                 "functional improvement."},
    ],
    "requests": [
        {"id": "1", "item": "Chiropractic therapy, lumbar spine, 8 visits"},
        {"id": "2", "item": "Massage therapy, lumbar spine, 6 sessions"},
    ],
}


def reviewers() -> list[dict[str, Any]]:
    return copy.deepcopy(REVIEWERS)


def case(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(CASE)
    data.update(changes)
    return data
