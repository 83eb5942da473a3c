"""Confidence and disposition: clear only where the outcome rests on something unambiguous."""

from __future__ import annotations

from openimr.decide import decide_case
from openimr.model import Case

FULL = ("The patient is a 45-year-old male injured on 10/01/2016 with low back pain. Examination shows "
        "tenderness of the lumbar paraspinals, straight leg raise is negative, sensation is intact and motor "
        "strength is 5/5. He has received 6 sessions of physical therapy. Medications include ibuprofen. "
        "Diagnoses: lumbar strain.")
THIN = "The patient has low back pain."


def _decide(text: str, item: str) -> object:
    case = Case(case_number="SYN-D", documents=[{"kind": "clinical_summary", "text": text}],
                requests=[{"id": "1", "item": item}])
    return decide_case(case).decisions[0]


def test_a_denial_the_guideline_itself_gives_is_clear() -> None:
    d = _decide(THIN, "Lumbar traction unit")
    assert (d.outcome, d.disposition, d.refer_reason) == ("Upheld", "clear", None)
    assert d.confidence > 0.9


def test_silence_in_full_records_is_clear_but_in_thin_records_is_referred() -> None:
    full, thin = _decide(FULL, "MRI of the lumbar spine"), _decide(THIN, "MRI of the lumbar spine")
    assert full.outcome == thin.outcome == "Upheld"
    assert full.disposition == "clear"
    assert thin.disposition == "refer" and "examination" in (thin.refer_reason or "")
    assert thin.confidence < full.confidence


def test_an_overturn_is_always_referred_to_a_physician() -> None:
    d = _decide("The patient has low back pain since 10/01/2016. She has not had acupuncture.", "Acupuncture x6")
    assert d.outcome == "Overturned"
    assert d.disposition == "refer" and "physician confirms" in (d.refer_reason or "")


def test_services_reviewers_often_overturn_are_referred() -> None:
    d = _decide(FULL, "Psychological evaluation")
    assert d.outcome == "Upheld" and all(c.status == "not_documented" for c in d.criteria)
    assert d.disposition == "refer" and "often overturn" in (d.refer_reason or "")
