"""Helpers for the letter tests: the examples as cases, a signed variant, and the PDF gate."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

from openimr.intake import load_case
from openimr.model import Case

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
EXAMPLE_CASES = ["seed-case.yaml", "shoulder-case/case.yaml", "neck-case/case.json", "named-parties-case/case.yaml"]
NAMED = EXAMPLES / "named-parties-case" / "case.yaml"
REVIEWER = {"licensure": ["California"], "specialty": ["Physical Medicine & Rehabilitation"], "degree": "MD"}


def example(name: str, **extra: Any) -> Case:
    """An example case, with extra case fields (reviewer, signature, case_summary, ...) added."""
    case = load_case(EXAMPLES / name)
    return case.model_validate(case.model_dump() | extra) if extra else case


def require_pdf() -> None:
    """Skip when this machine lacks WeasyPrint's system libraries, except in CI, where it is a failure:
    scripts/ci-system-packages.sh installs them there."""
    from openimr.letter.pdf import PdfUnavailable, _weasyprint

    try:
        _weasyprint()
    except PdfUnavailable as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI must be able to make PDF letters: {exc}")
        pytest.skip(str(exc))


def pdf_pages(data: bytes) -> list[str]:
    """The text layer of each page, as the corpus parser reads it."""
    from openimr.corpus.text import read_pdf

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "letter.pdf"
        path.write_bytes(data)
        return read_pdf(path).split("\f")
