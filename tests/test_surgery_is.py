"""surgery_is chooses a post-operative guideline course by the kind of surgery: one the records state was done in
the requested region, or one requested in the same case; a planned surgery, or one elsewhere, does not count."""

from __future__ import annotations

import datetime as dt

from openimr.decide.context import CaseContext, CriterionContext
from openimr.facts import extract_case_facts
from openimr.guidelines import load_knowledge_base
from openimr.model import Case, Request
from openimr.services import normalize

RULE = load_knowledge_base().rules[0]


def context(records: str, item: str, siblings: tuple[str, ...] = ()) -> CriterionContext:
    case = Case(case_number="T", ur_denial_date=dt.date(2016, 11, 20),
                documents=[{"kind": "clinical_summary", "text": records}], requests=[{"id": "1", "item": item}])
    service = normalize(Request(id="1", item=item))
    others = [normalize(Request(id=str(i), item=s)) for i, s in enumerate(siblings, start=2)]
    return CriterionContext(service, extract_case_facts(case), RULE, case=CaseContext(siblings=[service, *others]))


def test_a_surgery_done_in_the_region_names_the_course_and_is_quoted() -> None:
    ctx = context("She underwent a right open carpal tunnel release on 11/01/2016.",
                  "Post-operative occupational therapy 2 times a week for 2 weeks, right wrist")
    assert ctx.surgery_is("carpal tunnel") is True
    assert [f.name for f in ctx.used] == ["surgery"]
    assert ctx.surgery_is("arthroplasty") is None


def test_a_surgery_in_another_region_or_only_planned_does_not_count() -> None:
    elsewhere = context("He underwent a right total knee arthroplasty on 10/20/2016.",
                        "Post-operative physical therapy 2 times a week for 3 weeks, right shoulder")
    assert elsewhere.surgery_is("arthroplasty") is None
    planned = context("A right total knee arthroplasty is planned.",
                      "Post-operative physical therapy 2 times a week for 3 weeks, right knee")
    assert planned.surgery_is("arthroplasty") is None


def test_the_surgery_requested_in_the_same_case_counts() -> None:
    ctx = context("She has right knee osteoarthritis.", "Post-operative physical therapy x12, right knee",
                  siblings=("Right total knee arthroplasty",))
    assert ctx.surgery_is("arthroplasty") is True


def test_weeks_after_surgery_dates_the_latest_done_surgery_of_the_region() -> None:
    ctx = context("He underwent a right knee arthroscopic partial meniscectomy on 11/06/2016. "
                  "He underwent a left shoulder arthroscopy on 11/13/2016.", "TENS unit 30-day rental, right knee")
    assert ctx.weeks_after_surgery() == 2.0
    assert [f.text for f in ctx.used] == ["underwent a right knee arthroscopic partial meniscectomy"]
    assert context("He has right knee pain.", "TENS unit 30-day rental, right knee").weeks_after_surgery() is None
