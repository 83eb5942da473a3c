"""Valid-looking case files that cannot be true are refused; likely slips are warned about (--strict refuses)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from openimr.intake.checks import NEGATIVE_QUANTITY
from tests.test_intake import minimal, run_cli, write

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("later", ["ur_denial_date", "received_date", "decision_date"])
def test_an_injury_after_the_ur_denial_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  later: str) -> None:
    path = write(tmp_path, minimal(date_of_injury="2016-11-04", **{later: "2016-11-03"}))
    code, out, err = run_cli(["decide", str(path)], capsys)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "'date_of_injury' (2016-11-04) is after" in err and later in err


def test_an_injury_on_the_day_of_the_denial_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, minimal(date_of_injury="2016-11-03", ur_denial_date="2016-11-03"))
    assert run_cli(["decide", str(path)], capsys)[0] == 0


@pytest.mark.parametrize("item", ["Norco 10/325 mg #-90", "Physical therapy -12 sessions", "Massage x -4",
                                  "Chiropractic QTY: -8.00", "Physical therapy \u22122x4 weeks"])
def test_a_negative_quantity_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], item: str) -> None:
    path = write(tmp_path, minimal(requests=[{"id": "1", "item": "MRI lumbar"}, {"id": "2", "item": item}]))
    code, _, err = run_cli(["letter", str(path)], capsys)
    assert code == 2 and "'requests.1.item': a negative quantity" in err and err.count("\n") == 1


@pytest.mark.parametrize("item", ["Epidural steroid injection L4-5", "Physical therapy 6-12 sessions",
                                  "X-ray 2 views", "Norco 10/325 mg #90", "Lidocaine 5% - 30 patches",
                                  "Chiropractic QTY: 8.00", "Post-op physical therapy 2x4"])
def test_ranges_and_hyphens_are_not_negative(item: str) -> None:
    assert NEGATIVE_QUANTITY.search(item) is None


def test_unknown_fields_are_kept_with_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, minimal(ur_guidline="typo", requests=[{"id": "1", "item": "MRI", "qty": 1}]))
    code, out, err = run_cli(["decide", str(path)], capsys)
    assert code == 0 and json.loads(out)["decisions"]
    assert err.count("\n") == 1 and err.startswith("openimr: warning: ")
    assert "ur_guidline" in err and "requests.0.qty" in err


def test_strict_refuses_unknown_fields(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, minimal(ur_guidline="typo"))
    code, out, err = run_cli(["decide", str(path), "--strict"], capsys)
    assert code == 2 and out == "" and "ur_guidline" in err and "--strict" in err and err.count("\n") == 1


def test_fields_the_pipeline_reads_are_not_unknown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, minimal(reviewer={"licensure": ["California"], "specialty": ["Orthopedic Surgery"]},
                                   parties={"employee": "A", "manufacturer": "Acme Devices"},
                                   requests=[{"id": "1", "item": "MRI", "original": "MRI x2", "authorized": "MRI x1"}]))
    assert run_cli(["decide", str(path), "--strict"], capsys)[0] == 0


def test_the_examples_have_no_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    for example in [ROOT / "examples" / "seed-case.yaml", *sorted((ROOT / "examples").glob("*/case.*"))]:
        code, _, err = run_cli(["decide", str(example), "--strict"], capsys)
        assert code == 0 and err == "", (example, err)


YAML_CUT = """case_number: SYN-9
requests:
  - id: 1
    item: Norco 10/325 mg #90
  - id: 2
    item: "Physical therapy #12"   # a real comment after a quoted item is fine
"""


def test_a_yaml_comment_that_cuts_an_item_is_warned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, YAML_CUT, "case.yaml")
    code, out, err = run_cli(["decide", str(path)], capsys)
    decisions = json.loads(out)["decisions"]
    assert code == 0 and decisions[0]["item"] == "Norco 10/325 mg"  # what YAML reads, kept as the contract says
    assert err.count("\n") == 1 and "line 4" in err and "#90" in err and "quotes" in err
    code, out, err = run_cli(["decide", str(path), "--strict"], capsys)
    assert code == 2 and "line 4" in err
