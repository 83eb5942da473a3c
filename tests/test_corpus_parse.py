"""The letter parser on the real development letters (counted independently from their headings),
the seed letter, and the synthetic letters of the older generations."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from openimr.cli import main
from openimr.corpus.batch import expand, parse_file
from openimr.corpus.layouts import parse_text
from openimr.corpus.text import LetterError, normalize
from tests.corpus_shared import DEV, FIXTURES, SEED, needs_dev, needs_seed

HEADING_END = re.compile(r":\s*(Upheld|Overturned)\s*$")


def heading_decisions(raw: str) -> list[str]:
    """Decisions read straight from the item headings: lines ending "...: Upheld" / ": Overturned",
    after joining a line that ends with ":" to a next line holding only the decision (page breaks)."""
    lines = [line.strip() for line in raw.replace("\r", "").split("\n") if line.strip()]
    joined: list[str] = []
    for line in lines:
        if joined and joined[-1].endswith(":") and line in ("Upheld", "Overturned"):
            joined[-1] += " " + line
        else:
            joined.append(line)
    return [m[1] for line in joined if (m := HEADING_END.search(line))]


@needs_dev
def test_every_dev_letter_parses_with_its_items_and_decisions() -> None:
    totals: Counter[str] = Counter()
    for pdf in sorted(DEV.glob("*.pdf")):
        txt = pdf.with_suffix(".txt")
        outcome = parse_file(pdf)
        assert outcome.record is not None, f"{pdf.name}: {outcome.error}"
        expected = heading_decisions(txt.read_text(encoding="utf-8"))
        assert [i.decision for i in outcome.record.items] == expected, pdf.name
        assert outcome.record.case_number == pdf.stem
        totals.update(expected)
    assert sum(totals.values()) == 220
    assert totals == Counter({"Upheld": 192, "Overturned": 28})


@needs_dev
def test_pdf_and_text_layer_give_the_same_record() -> None:
    for pdf in sorted(DEV.glob("*.pdf")):
        a, b = parse_file(pdf).record, parse_file(pdf.with_suffix(".txt")).record
        assert a is not None and b is not None
        a.source = b.source = None
        assert a.to_dict() == b.to_dict(), pdf.name


@needs_dev
def test_item_anatomy_on_dev_letters() -> None:
    records = [parse_file(p).record for p in sorted(DEV.glob("*.pdf"))]
    items = [i for r in records if r for i in r.items]
    assert all(i.ur_guideline and i.reviewer_guideline and i.rationale for i in items)
    # no heading swallowed a rationale sentence, no rationale lost its end
    assert not any("medically necessary" in i.item for i in items)
    modified = [i for i in items if i.modified]
    assert len(modified) >= 15
    assert all(i.original and i.authorized and i.remaining for i in modified)
    no_evidence = [i for i in items if "did not cite any medical evidence" in (i.reviewer_guideline or "")]
    assert no_evidence and all(i.decision in ("Upheld", "Overturned") for i in no_evidence)
    assert all(r and r.date_of_injury and r.date_of_injury.startswith("2016") for r in records)
    assert all(r and r.specialty and r.licensure for r in records)


def test_page_broken_heading_and_modified_request() -> None:
    text = (
        "Case Number: CM99-0000001\nDate Assigned: 01/02/2017 Date of Injury: 11/01/2016\n"
        "Decision Date: 02/01/2017 UR Denial Date: 12/20/2016\nPriority: Standard Application\nReceived:\n01/01/2017\n"
        "HOW THE IMR FINAL DETERMINATION WAS MADE\nText.\nThe Expert Reviewer has the following credentials:\n"
        "State(s) of Licensure: California\nCertification(s)/Specialty: Family Practice\n"
        "CLINICAL CASE SUMMARY\nThe expert reviewer developed the following clinical case summary based on a review of the \n"
        "case file, including all medical records:\nA synthetic worker with neck pain and x-\nrays on file.\n"
        "IMR ISSUES, DECISIONS AND RATIONALES\n"
        "The Final Determination was based on decisions for the disputed items/services set forth below:\n"
        "Acupuncture 12 sessions was the original request. Acupuncture 6 sessions was authorized by the \n"
        "Claims Administrator. The remaining IMR eligible portion of the original request, \nAcupuncture 6 sessions: Upheld\n"
        "Claims Administrator guideline: Decision based on MTUS Acupuncture Treatment 2007.\n"
        "MAXIMUS guideline: Decision based on MTUS Acupuncture Treatment 2007.\n"
        "Decision rationale: No functional gain is documented. The request is not medically necessary.\n"
        "\fConsult with a hand surgeon for the \nright wrist:\n\fOverturned\n"
        "Claims Administrator guideline: The Claims Administrator did not cite any medical evidence \nfor its decision.\n"
        "MAXIMUS guideline: The Expert Reviewer did not cite any medical evidence for its decision.\n"
        "Decision rationale: The request is medically necessary.\n"
    )
    record = parse_text(text)
    assert [i.decision for i in record.items] == ["Upheld", "Overturned"]
    first, second = record.items
    assert (first.original, first.authorized, first.remaining) == (
        "Acupuncture 12 sessions", "Acupuncture 6 sessions", "Acupuncture 6 sessions")
    assert second.item == "Consult with a hand surgeon for the right wrist"
    assert second.rationale == "The request is medically necessary."
    assert record.clinical_summary == "A synthetic worker with neck pain and x-rays on file."
    assert record.received_date == "2017-01-01" and record.priority == "standard"


def test_hyphenated_wraps_are_the_same_from_both_extractors() -> None:
    assert normalize("the guide-\nlines say") == normalize("the guide\ufffelines say") == "the guide-lines say"


@needs_seed
def test_seed_letter_2015_layout_without_header() -> None:
    record = parse_text(SEED.read_text(encoding="utf-8"))
    assert record.layout == "fdl-2015" and record.case_number is None
    assert [i.decision for i in record.items] == ["Overturned", "Upheld", "Upheld", "Upheld", "Upheld"]
    assert "Page(s): 58, 89" in (record.items[0].reviewer_guideline or "")
    assert record.specialty == ["Physical Medicine & Rehabn"]


@pytest.mark.parametrize(("name", "layout", "decisions"), [
    ("synthetic-2013-notice.txt", "notice-2013", ["Upheld", "Overturned"]),
    ("synthetic-2014-maximus.txt", "maximus-2014", ["Upheld", "Overturned"]),
    ("synthetic-2014-mpr.txt", "maximus-2014-mpr", ["Overturned", "Upheld"]),
])
def test_older_layouts(name: str, layout: str, decisions: list[str]) -> None:
    record = parse_text((FIXTURES / name).read_text(encoding="utf-8"))
    assert record.layout == layout
    assert [i.decision for i in record.items] == decisions
    assert record.case_number and record.date_of_injury and record.decision_date and record.specialty
    assert all(i.reviewer_guideline and i.rationale for i in record.items)
    assert "synthetic" in record.clinical_summary


def test_2013_dates_and_guidelines() -> None:
    record = parse_text((FIXTURES / "synthetic-2013-notice.txt").read_text(encoding="utf-8"))
    assert (record.received_date, record.ur_denial_date, record.date_assigned) == ("2013-09-10", "2013-09-02", "2013-09-20")
    assert record.items[1].item == "a lumbar MRI without contrast"
    assert "Special Studies" in (record.items[1].reviewer_guideline or "")
    assert "Claims Administrator" in (record.items[0].ur_guideline or "")


def test_2014_modified_request_and_page_split_heading() -> None:
    record = parse_text((FIXTURES / "synthetic-2014-maximus.txt").read_text(encoding="utf-8"))
    first, second = record.items
    assert (first.original, first.authorized, first.remaining) == ("Tramadol 50mg #60", "Tramadol 50mg #30", "Tramadol 50mg #30")
    assert second.item == "Physical therapy for the right shoulder, 8 sessions"


def test_unknown_text_is_a_letter_error() -> None:
    with pytest.raises(LetterError):
        parse_text("Dear patient, your appointment is on Monday.")


def test_batch_goes_on_after_bad_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "good.txt").write_text((FIXTURES / "synthetic-2014-mpr.txt").read_text(encoding="utf-8"))
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (tmp_path / "memo.txt").write_text("Not a letter at all.")
    out = tmp_path / "out.jsonl"
    status = main(["corpus", "parse", str(tmp_path), "--out", str(out), "--jobs", "1"])
    assert status == 1
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["case_number"] for r in records] == ["CM14-9990003"]
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 2
    assert any("broken.pdf" in e for e in errors) and any("memo.txt" in e for e in errors)


def test_missing_path_is_input_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["corpus", "parse", str(tmp_path / "nowhere")]) == 2
    assert "nowhere" in capsys.readouterr().err


@needs_dev
def test_folder_gives_each_letter_once_and_parallel_equals_serial(tmp_path: Path) -> None:
    files = expand([str(DEV)])
    assert len(files) == 103 and all(f.suffix == ".pdf" for f in files)
    serial, parallel = tmp_path / "s.jsonl", tmp_path / "p.jsonl"
    assert main(["corpus", "parse", str(DEV), "--out", str(serial), "--jobs", "1"]) == 0
    assert main(["corpus", "parse", str(DEV), "--out", str(parallel), "--jobs", "2"]) == 0
    assert serial.read_text() == parallel.read_text()
