"""Case files: JSON and YAML accepted, documents by text or path (.txt, .pdf), bad input named clearly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from openimr.cli import main
from openimr.errors import InputError
from openimr.intake import load_case
from tests.pdfmaker import make_pdf


def minimal(**over: Any) -> dict[str, Any]:
    case: dict[str, Any] = {
        "case_number": "SYN-1",
        "documents": [{"kind": "clinical_summary", "text": "The patient is a 40-year-old male."}],
        "requests": [{"id": "1", "item": "Massage x4"}],
    }
    case.update(over)
    return case


def write(tmp_path: Path, data: Any, name: str = "case.json") -> Path:
    p = tmp_path / name
    p.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return p


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_json_and_yaml_give_the_same_case(tmp_path: Path) -> None:
    j = load_case(write(tmp_path, minimal(), "c.json"))
    y = load_case(write(tmp_path, "case_number: SYN-1\ndocuments:\n  - {kind: clinical_summary, text: "
                        "'The patient is a 40-year-old male.'}\nrequests:\n  - {id: 1, item: Massage x4}\n", "c.yaml"))
    assert j.model_dump() == y.model_dump()


def test_unknown_fields_are_kept(tmp_path: Path) -> None:
    case = load_case(write(tmp_path, minimal(insurer_code="X9", requests=[{"id": "1", "item": "MRI", "note": "n"}])))
    assert case.model_extra == {"insurer_code": "X9"}
    assert case.requests[0].model_extra == {"note": "n"}


def test_documents_by_path_txt_and_pdf(tmp_path: Path) -> None:
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "pr2.txt").write_text("She has received 18 sessions of physical therapy.")
    (tmp_path / "records" / "note.pdf").write_bytes(make_pdf(["The patient is a 47-year-old female."]))
    case = load_case(write(tmp_path, minimal(documents=[
        {"kind": "progress_report", "path": "records/pr2.txt"},
        {"kind": "progress_report", "path": "records/note.pdf"},
    ])))
    assert "18 sessions" in (case.documents[0].text or "")
    assert "47-year-old female" in (case.documents[1].text or "")


BAD_INPUTS: list[tuple[str, Any, str]] = [
    ("non-json", "{not json", "not valid JSON"),
    ("missing requests", {"case_number": "SYN-1"}, "'requests' is required"),
    ("empty requests", minimal(requests=[]), "requests"),
    ("bad date", minimal(date_of_injury="2016-13-45"), "date_of_injury"),
    ("empty item", minimal(requests=[{"id": "1", "item": "  "}]), "the disputed item is empty"),
    ("bad priority", minimal(priority="urgent"), "priority"),
    ("document without text", minimal(documents=[{"kind": "progress_report"}]), "'text' or 'path'"),
    ("not an object", "[1, 2]", "must be a JSON or YAML object"),
    ("duplicate ids", minimal(requests=[{"id": "1", "item": "a"}, {"id": "1", "item": "b"}]), "unique"),
]


@pytest.mark.parametrize(("label", "data", "message"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_case_files_exit_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              label: str, data: Any, message: str) -> None:
    path = write(tmp_path, data)
    code, out, err = run_cli(["decide", str(path)], capsys)
    assert code == 2, label
    assert out == ""
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert str(path) in err


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(["letter", str(tmp_path / "nope.json")], capsys)
    assert code == 2 and "no such file" in err and err.count("\n") == 1


def test_missing_document_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, minimal(documents=[{"kind": "pr2", "path": "gone.txt"}]))
    code, _, err = run_cli(["decide", str(path)], capsys)
    assert code == 2 and "documents.0" in err and "gone.txt" in err


def test_unreadable_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    path = write(tmp_path, minimal(documents=[{"kind": "pr2", "path": "broken.pdf"}]))
    code, _, err = run_cli(["decide", str(path)], capsys)
    assert code == 2 and "not a readable PDF" in err and "broken.pdf" in err
    assert "Traceback" not in err


def test_input_error_is_raised_by_the_library(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="requests"):
        load_case(write(tmp_path, {"case_number": "SYN-1"}))


def test_decide_needs_case_or_jsonl(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(["decide"], capsys)
    assert code == 2 and "either a CASE file or --jsonl" in err


def test_unknown_command_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["frobnicate"])
    assert exc.value.code == 2
