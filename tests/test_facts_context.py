"""Negation, history versus plan, counts, dates and line wraps, on synthetic sentences."""

from __future__ import annotations

import pytest

from openimr.facts import extract_text_facts
from openimr.facts.dates import find_dates
from openimr.facts.numbers import count_after, frequency_total
from openimr.model import Fact


def _named(text: str, name: str) -> list[Fact]:
    return [f for f in extract_text_facts(text) if f.name == name]


def _prior(text: str) -> dict[str, Fact]:
    return {f.value["modality"]: f for f in _named(text, "prior_treatment")}


@pytest.mark.parametrize("text, modality, count", [
    ("She has completed 18 sessions of physical therapy.", "physical therapy", 18),
    ("Treatment to date has included eighteen visits of chiropractic care.", "chiropractic", 18),
    ("Treatment to date included at least five (5) physical therapy sessions.", "physical therapy", 5),
    ("The patient completed 6 of 8 visits of physical therapy.", "physical therapy", 6),
    ("He has had 5 physical therapy visits.", "physical therapy", 5),
    ("Prior treatment included acupuncture x6 with no relief.", "acupuncture", 6),
    ("Treatment rendered included physical therapy #4 July, #7 August, and September #3.", "physical therapy", 14),
    ("She previously attended physical therapy twice a week for six weeks.", "physical therapy", 12),
    ("Past treatment included chiropractic 2x4.", "chiropractic", 8),
    ("Treatment has included physical therapy (at least 4 visits) and medication.", "physical therapy", 4),
])
def test_counts(text: str, modality: str, count: int) -> None:
    fact = _prior(text)[modality]
    assert fact.value["count"] == count and not fact.negated


@pytest.mark.parametrize("text, modality", [
    ("She has received 18 sessions of physical therapy and no chiropractic therapy.", "chiropractic"),
    ("The patient has not received acupuncture.", "acupuncture"),
    ("He denies prior physical therapy.", "physical therapy"),
    ("Treatment has been without massage therapy.", "massage"),
])
def test_negated_history(text: str, modality: str) -> None:
    fact = _prior(text)[modality]
    assert fact.negated and fact.value["count"] == 0


def test_negation_does_not_reach_across_a_clause() -> None:
    facts = _prior("There is no numbness, but she has completed 12 sessions of physical therapy.")
    assert not facts["physical therapy"].negated and facts["physical therapy"].value["count"] == 12


def test_not_improved_with_therapy_is_history_not_negation() -> None:
    fact = _prior("He has not seemed to improve with physical therapy.")["physical therapy"]
    assert not fact.negated and fact.value["response"] == "minimal"


@pytest.mark.parametrize("text", [
    "The request for authorization is for physical therapy 2x6 to the lumbar spine.",
    "The treatment plan included chiropractic therapy and acupuncture.",
    "Utilization review non-certified 6 sessions of acupuncture.",
    "The provider recommended a course of massage therapy.",
])
def test_plans_are_not_history(text: str) -> None:
    assert _prior(text) == {}


def test_response_of_past_treatment() -> None:
    assert _prior("Physical therapy to date has helped.")["physical therapy"].value["response"] == "improved"
    assert _prior("She had 12 acupuncture visits with minimal relief.")["acupuncture"].value["response"] == "minimal"


@pytest.mark.parametrize("text, iso", [
    ("injured on 12/09/2013", "2013-12-09"), ("on 10-13-16 at work", "2016-10-13"),
    ("seen on 11-3-16", "2016-11-03"), ("in August 2014", "2014-08"),
    ("on October 24, 2016", "2016-10-24"), ("dated 10/10/ 2016", "2016-10-10"), ("on 2014-01-31", "2014-01-31"),
])
def test_dates(text: str, iso: str) -> None:
    assert find_dates(text)[0].value == iso


def test_impossible_dates_are_skipped() -> None:
    assert find_dates("a ratio of 13/45/2016") == []


def test_count_helpers() -> None:
    assert frequency_total("3 times a week for 2 weeks") == (6.0, 0, 26)
    assert count_after(" x 6 to the neck") == (6.0, 4)


def test_line_wraps_keep_sentences_and_quotes() -> None:
    text = ("The injured worker is a 48 year old male who sustained an industrial injury on 10-\n"
            "13-2016. He has had 6 sessions of physical\ntherapy. Utilization\nReview non-\ncertified the "
            "request on 11-03-2016.")
    facts = extract_text_facts(text)
    by_name = {f.name: f for f in facts}
    assert by_name["date_of_injury"].value == "2016-10-13"
    assert by_name["prior_treatment"].value["count"] == 6
    assert by_name["ur_decision"].value["date"] == "2016-11-03"
    for f in facts:
        assert text[f.span[1] : f.span[2]] == f.text


def test_exam_findings_with_results_and_sides() -> None:
    facts = _named("Straight leg raise was positive on the left at 30 degrees. Spurling's test is negative. "
                   "There was positive Phalen's test and Tinel's sign at the right wrist.", "exam_finding")
    got = {(f.value["test"], f.value["result"]) for f in facts}
    assert {("straight leg raise", "abnormal"), ("spurling", "normal"), ("phalen", "abnormal"),
            ("tinel", "abnormal")} <= got
    slr = next(f for f in facts if f.value["test"] == "straight leg raise")
    assert slr.value["side"] == "left"


def test_requested_imaging_is_not_a_done_study() -> None:
    assert _named("The treatment plan included an MRI of the cervical spine to rule out a herniated disc.", "imaging") == []
    done = _named("X-rays of the right shoulder on 10-13-16 revealed calcific tendinitis.", "imaging")
    assert done and done[0].value["region"] == "shoulder" and done[0].value["date"] == "2016-10-13"


def test_medication_and_opioid_dose() -> None:
    facts = extract_text_facts("Current medications include Norco 10/325mg every 6 hours and Ibuprofen 800mg.")
    meds = [f for f in facts if f.name == "medication"]
    assert [m.value["drug"] for m in meds] == ["hydrocodone/acetaminophen", "ibuprofen"]
    mme = [f for f in facts if f.name == "opioid_dose"]
    assert mme and mme[0].value["mme"] == 40.0


def test_functional_improvement_absent_and_present() -> None:
    absent = _named("Chiropractic care was given without documentation of objective functional improvement.",
                    "functional_improvement")
    assert absent and absent[0].value is False and absent[0].negated
    present = _named("Functional improvement was documented with therapy.", "functional_improvement")
    assert present and present[0].value is True


def test_work_status_udt_red_flags_psych() -> None:
    facts = extract_text_facts("The injured worker is temporarily totally disabled. A urine drug screen on "
                               "10-01-2016 was consistent. There is no evidence of cauda equina syndrome. "
                               "She reports depression and difficulty sleeping.")
    by = {f.name: f for f in facts}
    assert by["work_status"].value == "temporarily totally disabled"
    assert by["urine_drug_screen"].value == {"result": "consistent", "date": "2016-10-01"}
    assert by["red_flag"].negated
    assert {f.value for f in facts if f.name == "psych_symptom"} >= {"depression", "difficulty sleeping"}


def test_page_break_inside_a_sentence_does_not_split_it() -> None:
    text = "The Utilization Review \n\ndocumentation dated 1-6-17 non-certified the request."
    ur = _named(text, "ur_decision")
    assert ur and ur[0].value["date"] == "2017-01-06"


def test_list_items_after_a_comma_are_not_plans() -> None:
    text = "Treatment rendered included activity modification, physical therapy, consultation and follow up."
    assert "physical therapy" in _prior(text)


def test_phase_of_care_from_the_words_only_where_the_dates_do_not_give_it() -> None:
    from openimr.facts import extract_case_facts
    from openimr.model import Case

    text = "The injured worker has chronic low back pain and has taken Norco for the past two years."
    undated = extract_case_facts(Case(case_number="SYN", documents=[{"kind": "pr2", "text": text}],
                                      requests=[{"id": "1", "item": "Norco"}]))
    assert undated.phase == "chronic"
    stated = undated.first("phase_of_care")
    assert stated is not None and text[stated.span[1]:stated.span[2]] == stated.text
    dated = extract_case_facts(Case(case_number="SYN", date_of_injury="2016-10-01", ur_denial_date="2016-10-20",
                                    documents=[{"kind": "pr2", "text": text}], requests=[{"id": "1", "item": "Norco"}]))
    assert dated.phase == "acute" and dated.named("phase_of_care") == []
