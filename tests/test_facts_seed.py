"""Seed checks: the facts a reviewer reads in the seed case, each with a span that quotes the document."""

from __future__ import annotations

from pathlib import Path

import pytest

from openimr.facts import FactSet, extract_case_facts
from openimr.intake import load_case
from openimr.model import Case, Fact

SEED = Path(__file__).resolve().parents[1] / "examples" / "seed-case.yaml"


@pytest.fixture(scope="module")
def case() -> Case:
    return load_case(SEED)


@pytest.fixture(scope="module")
def facts(case: Case) -> FactSet:
    return extract_case_facts(case)


def _quoted(case: Case, f: Fact) -> bool:
    doc, start, end = f.span
    text = case.documents[doc].text or ""
    return text[start:end] == f.text and end > start


def test_demographics(case: Case, facts: FactSet) -> None:
    age, sex, doi = facts.first("age"), facts.first("sex"), facts.first("date_of_injury")
    assert age and age.value == 47 and "47" in age.text
    assert sex and sex.value == "female"
    assert doi and doi.value == "2013-12-09" and "12/09/2013" in doi.text
    assert all(_quoted(case, f) for f in (age, sex, doi))


def test_prior_treatment_counts_and_negation(case: Case, facts: FactSet) -> None:
    pt, acu, chiro = facts.prior("physical therapy"), facts.prior("acupuncture"), facts.prior("chiropractic")
    assert pt and pt.value["count"] == 18 and "18 sessions" in pt.text
    assert acu and acu.value["count"] == 12
    assert chiro and (chiro.negated or chiro.value["count"] == 0)
    assert all(_quoted(case, f) for f in (pt, acu, chiro))


def test_pain_and_straight_leg_raise(case: Case, facts: FactSet) -> None:
    pain = facts.first("pain_score")
    assert pain and pain.value["score"] == 6 and pain.text == "6/10"
    slr = [f for f in facts.named("exam_finding") if f.value["test"] == "straight leg raise"]
    assert slr and slr[0].value["result"] == "normal" and _quoted(case, slr[0])


def test_lumbar_esi_august_2014_minimal_relief(case: Case, facts: FactSet) -> None:
    esi = facts.first("injection")
    assert esi is not None
    assert esi.value["region"] == "lumbar" and esi.value["date"] == "2014-08"
    assert esi.value["relief"] == "minimal" and not esi.value["planned"]
    assert _quoted(case, esi)


def test_lumbar_mri_with_findings(case: Case, facts: FactSet) -> None:
    mri = facts.first("imaging")
    assert mri is not None
    assert (mri.value["modality"], mri.value["region"], mri.value["date"]) == ("MRI", "lumbar", "2014-01-31")
    assert "facet hypertrophy" in mri.value["findings"] and "protrusion" in mri.value["findings"]
    assert _quoted(case, mri)


def test_phase_and_diagnosis_codes(facts: FactSet) -> None:
    assert facts.phase == "chronic"
    phase = facts.first("phase_of_care")
    assert phase and phase.value == "chronic"
    codes = {f.value["icd10"] for f in facts.named("diagnosis")}
    assert {"M54.16", "M47.816"} <= codes


def test_a_denied_treatment_quotes_its_denial(facts: FactSet) -> None:
    chiro = facts.prior("chiropractic")
    assert chiro is not None and chiro.negated and chiro.text == "no chiropractic therapy"
