"""evaluate: the built case carries nothing of the decision; the scoreboard runs; precedents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from openimr.cli import main
from openimr.corpus.batch import parse_file
from openimr.corpus.evaluate import build_case, engine_ref
from openimr.corpus.guideline_ref import primary
from openimr.corpus.layouts import parse_text
from openimr.corpus.record import LetterRecord
from openimr.model import Citation
from tests.corpus_shared import DEV, FIXTURES, needs_dev


def _assert_no_leak(record: LetterRecord) -> None:
    case = build_case(record)
    text = case.model_dump_json()
    data = json.loads(text)
    assert len(data["documents"]) == 1 and data["documents"][0]["kind"] == "clinical_summary"
    for request in data["requests"]:
        assert not {"decision", "outcome", "reviewer_guideline", "rationale", "medically_necessary"} & set(request)
    # a reviewer may cite what the Claims Administrator cited: look outside the UR guidelines only
    outside_ur = json.dumps({**data, "requests": [{k: v for k, v in r.items() if k != "ur_guideline"}
                                                  for r in data["requests"]]})
    for item in record.items:
        assert item.rationale and item.rationale not in text
        assert item.reviewer_guideline and item.reviewer_guideline not in outside_ur
    assert "Upheld" not in text and "Overturned" not in text
    assert "MAXIMUS guideline" not in text and "Decision rationale" not in text


def test_built_case_holds_what_the_reviewer_had_and_nothing_of_the_decision() -> None:
    for path in sorted(FIXTURES.glob("*.txt")):
        _assert_no_leak(parse_text(path.read_text(encoding="utf-8")))


def test_modified_request_is_decided_on_its_remaining_portion() -> None:
    record = parse_text((FIXTURES / "synthetic-2014-maximus.txt").read_text(encoding="utf-8"))
    request = build_case(record).requests[0]
    assert request.item == "Tramadol 50mg #30"
    assert request.model_dump()["original"] == "Tramadol 50mg #60"
    assert request.model_dump()["authorized"] == "Tramadol 50mg #30"
    assert request.ur_guideline and "Opioids" in request.ur_guideline


@needs_dev
def test_no_leak_on_dev_letters() -> None:
    for pdf in sorted(DEV.glob("*.pdf")):
        record = parse_file(pdf).record
        assert record is not None
        _assert_no_leak(record)


def test_engine_citation_in_reviewer_terms() -> None:
    ref = engine_ref(Citation(guideline="MTUS Shoulder Complaints", edition="2004", section="Special Studies"))
    assert (ref.family, ref.section) == ("Shoulder", "special studies")
    ref = engine_ref(Citation(guideline="Official Disability Guidelines (ODG) Knee", section="MRI", mtus=False))
    assert ref.family == "ODG"
    # "ODG Low Back, Preoperative lab testing": the section is read after the chapter, as a letter's is
    ref = engine_ref(Citation(guideline="Official Disability Guidelines (ODG)", section="Low Back, Preoperative lab testing",
                              mtus=False))
    assert ref.section == "preoperative lab testing"
    reviewer = primary("Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Low Back, "
                       "Preoperative lab testing.")
    assert ref.section in reviewer.section_names()


def test_evaluate_writes_its_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "report"
    (report / "disagreements").mkdir(parents=True)
    (report / "disagreements" / "from-an-earlier-run.md").write_text("resolved since")
    assert main(["corpus", "evaluate", str(FIXTURES), "--report", str(report), "--jobs", "1"]) == 0
    metrics = json.loads((report / "metrics.json").read_text())
    assert metrics["letters"] == 3 and metrics["items"] == 6
    baseline = metrics["always_upheld_baseline"]
    assert baseline["accuracy"] == pytest.approx(0.5) and baseline["cohen_kappa"] == 0.0
    confusion = metrics["engine"]["confusion"]
    assert sum(sum(row.values()) for row in confusion.values()) == 6
    wrong = confusion["Overturned"]["Upheld"] + confusion["Upheld"]["Overturned"]
    assert len(list((report / "disagreements").glob("*.md"))) == wrong
    out = capsys.readouterr().out
    assert "always Upheld" in out and "cohen kappa" in out and "Citation agreement" in out
    assert (report / "summary.md").read_text() == out


@needs_dev
def test_evaluate_on_dev_letters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["corpus", "evaluate", str(DEV), "--report", str(tmp_path)]) == 0
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert (metrics["letters"], metrics["items"]) == (103, 220)
    assert metrics["always_upheld_baseline"]["accuracy"] == pytest.approx(192 / 220)
    excluded = metrics["citation_agreement"]["excluded_no_reviewer_evidence"]
    assert excluded > 0 and metrics["citation_agreement"]["family"]["items"] == 220 - excluded


def test_similar_lists_precedents_of_the_same_family(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "c.db"
    assert main(["corpus", "ingest", str(FIXTURES), "--db", str(db), "--jobs", "1"]) == 0
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"case_number": "X1", "requests": [{"id": "1", "item": "Physical therapy for the knee, 6 visits"}]}))
    capsys.readouterr()
    assert main(["corpus", "similar", str(case), "--db", str(db), "--top", "2"]) == 0
    out = capsys.readouterr().out
    assert "Physical therapy for the right shoulder, 8 sessions" in out and "Overturned" in out
    assert "Tramadol" not in out  # another family


def test_similar_output_starts_with_a_header(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "c.db"
    assert main(["corpus", "ingest", str(FIXTURES), "--db", str(db), "--jobs", "1"]) == 0
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"case_number": "X1", "requests": [{"id": "1", "item": "Physical therapy x6"},
                                                                 {"id": "2", "item": "Hyperbaric oxygen"}]}))
    capsys.readouterr()
    assert main(["corpus", "similar", str(case), "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"Published precedents from {db} (3 letters)")
    first = lines.index("Request 1: Physical therapy x6  [family physical_medicine, topic physical_therapy]")
    assert lines[first + 1].split() == ["score", "decision", "case", "published", "item"]
    assert lines[first + 2].split()[1] in ("Upheld", "Overturned")
