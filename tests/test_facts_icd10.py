"""The packaged ICD-10-CM table: well-formed rows, and codes only where one clearly applies."""

from __future__ import annotations

import re

import pytest

from openimr.facts.icd10 import icd10_for, icd10_table


def test_table_rows_are_well_formed() -> None:
    rows = icd10_table()
    assert len(rows) >= 30
    codes = [code for code, _, _ in rows]
    assert len(codes) == len(set(codes))
    for code, description, _ in rows:
        assert re.fullmatch(r"[A-Z]\d{2}(?:\.[0-9A-Z]{1,4})?", code), code
        assert description


@pytest.mark.parametrize("phrase, code", [
    ("Lumbar radiculopathy", "M54.16"), ("cervical radiculopathy", "M54.12"), ("lumbar sprain", "S33.5XXA"),
    ("lumbar strain", "S39.012A"), ("neck strain", "S16.1XXA"), ("carpal tunnel syndrome", "G56.00"),
    ("right lateral epicondylitis", "M77.10"), ("medial meniscus tear", "S83.209A"),
    ("rotator cuff tear", "M75.100"), ("impingement syndrome", "M75.40"), ("cervicalgia", "M54.2"),
])
def test_common_diagnoses(phrase: str, code: str) -> None:
    assert icd10_for(phrase) == code


@pytest.mark.parametrize("phrase", ["possible rotator cuff tear", "umbilical hernia", "myocardial infarct"])
def test_no_code_when_none_clearly_applies(phrase: str) -> None:
    assert icd10_for(phrase) is None
