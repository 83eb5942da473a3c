"""`openimr extract CASE` prints the facts as a JSON list with spans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from openimr.cli import main

SEED = Path(__file__).resolve().parents[1] / "examples" / "seed-case.yaml"


def test_extract_prints_facts_with_spans(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(SEED)]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert {"age", "sex", "prior_treatment", "imaging", "phase_of_care"} <= {f["name"] for f in facts}
    for f in facts:
        assert set(f) == {"name", "value", "negated", "span", "text", "modifiers", "region", "treatment"}
        assert len(f["span"]) == 3 and f["span"][1] < f["span"][2]


def test_extract_bad_path_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "no/such/case.yaml"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_extract_name_filter(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(SEED), "--name", "prior_treatment"]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert facts and {f["name"] for f in facts} == {"prior_treatment"}
