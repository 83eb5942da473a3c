"""Over the real dev letters (read from ../shared at run time; skipped when absent): every fact quotes its
span exactly, and precision/recall against the hand-labeled gold set stay above their floors."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO / ".." / "shared"
sys.path.insert(0, str(REPO / "scripts"))

pytestmark = pytest.mark.skipif(not (SHARED / "corpus" / "dwc-imr-2016" / "dev").is_dir(),
                                reason="the shared corpus is not beside the repository")


def test_every_fact_quotes_its_span_in_all_dev_summaries() -> None:
    from summaries import dev_cases, summary_of

    from openimr.facts import extract_text_facts

    checked = 0
    for case in dev_cases():
        text = summary_of(case)
        assert text, f"no clinical case summary found in {case}"
        for f in extract_text_facts(text, 0):
            _, start, end = f.span
            assert 0 <= start < end <= len(text)
            assert text[start:end] == f.text, (case, f)
            checked += 1
    assert checked > 1000


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    from facts_eval import evaluate, load_gold

    return evaluate(load_gold())


def test_gold_set_is_large_enough(report: dict[str, Any]) -> None:
    assert report["cases"] >= 40 and report["overall"]["gold"] >= 200


@pytest.mark.parametrize("name", ["age", "sex", "date_of_injury", "prior_treatment"])
def test_core_fact_floor(report: dict[str, Any], name: str) -> None:
    m = report["per_name"][name]
    assert m["precision"] >= 0.9 and m["recall"] >= 0.85, m


def test_overall_floor(report: dict[str, Any]) -> None:
    o = report["overall"]
    assert o["precision"] >= 0.85 and o["recall"] >= 0.85, o
