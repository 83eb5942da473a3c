"""The letter as PDF: a text layer with the case number, page x of y and (until signed) the DRAFT mark on
every page, embedded fonts, tags; and the project's own corpus parser reads it back to the same items."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from openimr.cli import main
from openimr.corpus.layouts import parse_text
from openimr.corpus.text import read_pdf
from openimr.decide import decide_case
from openimr.letter import render_letter, render_letter_bytes
from tests.letter_support import EXAMPLE_CASES, EXAMPLES, REVIEWER, example, pdf_pages, require_pdf


@pytest.fixture(autouse=True)
def _pdf() -> None:
    require_pdf()


def test_the_seed_letter_as_pdf_reads_back_with_its_five_decisions(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "seed.pdf"
    assert main(["letter", str(EXAMPLES / "seed-case.yaml"), "--format", "pdf", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF-")
    capsys.readouterr()
    assert main(["corpus", "parse", str(out)]) == 0
    record = json.loads(capsys.readouterr().out)
    case = example("seed-case.yaml")
    det = decide_case(case)
    assert [(i["item"], i["decision"]) for i in record["items"]] == [(d.item, d.outcome) for d in det.decisions]
    assert len(record["items"]) == 5
    assert record["date_of_injury"] == "2013-12-09" and record["ur_denial_date"] == "2014-12-12"


@pytest.mark.parametrize("name", EXAMPLE_CASES)
@pytest.mark.parametrize("signed", [False, True])
def test_every_example_round_trips_through_the_corpus_parser(name: str, signed: bool, tmp_path: Path) -> None:
    extra = {"reviewer": REVIEWER, "signature": {"date": "2017-01-05"}} if signed else {}
    case = example(name, **extra)
    det = decide_case(case)
    data, _ = render_letter_bytes(case, det, "pdf")
    path = tmp_path / "letter.pdf"
    path.write_bytes(data)
    record = parse_text(read_pdf(path))
    assert [(i.item, i.decision) for i in record.items] == [(d.item, d.outcome) for d in det.decisions]
    for got, d in zip(record.items, det.decisions, strict=True):
        assert got.rationale == " ".join(d.rationale.split())  # nothing of the footer or the closing leaks in
    # the text format parses to the same record
    again = parse_text(render_letter(case, det, "text"))
    assert [(i.item, i.decision, i.rationale) for i in again.items] == [
        (i.item, i.decision, i.rationale) for i in record.items]
    assert record.date_of_injury == (case.date_of_injury.isoformat() if case.date_of_injury else None)
    if signed:
        assert record.licensure == ["California"] and record.specialty == ["Physical Medicine & Rehabilitation"]
        assert record.decision_date == "2017-01-05"


def test_every_page_carries_the_case_number_the_page_count_and_the_draft_mark() -> None:
    case = example("named-parties-case/case.yaml")
    pages = pdf_pages(render_letter_bytes(case, decide_case(case), "pdf")[0])
    assert len(pages) >= 2
    for n, text in enumerate(pages, 1):
        assert "Case Number: SYN-2016-0004" in text
        assert re.search(rf"Page {n} of {len(pages)}\b", text)
        assert "DRAFT \u2013 NOT SIGNED" in text


def test_a_signed_pdf_has_no_draft_mark_and_ends_with_the_signature_and_appeal_rights() -> None:
    case = example("seed-case.yaml", reviewer=REVIEWER, signature={"date": "2015-01-07"})
    pages = pdf_pages(render_letter_bytes(case, decide_case(case), "pdf")[0])
    text = " ".join(" ".join(pages).split())
    assert "DRAFT" not in text
    assert "Electronically signed by the Expert Reviewer, MD" in text and "Date of determination: 01/07/2015" in text
    assert text.index("SIGNATURE") < text.index("APPEAL RIGHTS")
    assert "Workers' Compensation Appeals Board within 30 days" in text


def test_the_pdf_embeds_its_fonts_and_is_tagged() -> None:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    case = example("neck-case/case.json")
    pdf = pdfium.PdfDocument(render_letter_bytes(case, decide_case(case), "pdf")[0])
    try:
        assert raw.FPDFCatalog_IsTagged(pdf.raw)
        assert pdf.get_metadata_dict()["Title"] == "IMR Final Determination SYN-2016-0003"
        for i in range(len(pdf)):
            texts = [o for o in pdf[i].get_objects() if o.type == raw.FPDF_PAGEOBJ_TEXT]
            assert texts and all(raw.FPDFFont_GetIsEmbedded(raw.FPDFTextObj_GetFont(o.raw)) for o in texts)
    finally:
        pdf.close()


def test_a_pdf_is_not_written_to_a_terminal(capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert main(["letter", str(EXAMPLES / "seed-case.yaml"), "--format", "pdf"]) == 2
    assert "--out FILE.pdf" in capsys.readouterr().err


def test_the_pdf_says_what_the_text_letter_says() -> None:
    from openimr.corpus.text import normalize

    case = example("named-parties-case/case.yaml", reviewer=REVIEWER, signature={"date": "2016-12-01"})
    det = decide_case(case)
    pdf_text = " ".join(normalize("\f".join(pdf_pages(render_letter_bytes(case, det, "pdf")[0]))).split())
    text = " ".join(render_letter(case, det, "text").split())
    for heading in ("HOW THE IMR FINAL DETERMINATION WAS MADE", "CLINICAL CASE SUMMARY", "SIGNATURE"):
        assert heading in pdf_text
    # from the case summary to the end of the appeal rights, word for word
    start = text.index("CLINICAL CASE SUMMARY")
    assert text[start:] in pdf_text
