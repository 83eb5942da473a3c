"""The public copy: no names of parties, providers or facilities, no claim numbers, addresses, phone
numbers or dates of birth, wherever they stand; the case number, dates, decisions and citations stay."""

from __future__ import annotations

import html
import re

import pytest

from openimr.cli import main
from openimr.decide import decide_case
from openimr.letter import render_letter, render_letter_bytes
from openimr.letter.redact import MARK, Redactor, party_terms
from openimr.model import Determination
from tests.letter_support import NAMED, REVIEWER, example, pdf_pages, require_pdf

# everything identifying the named-parties example's records and case file hold
IDENTIFIERS = ["Marisol", "Quintanilla", "Redwood Valley Produce", "Sierra Mutual", "Anil", "Varghese",
               "Bayview Spine", "Coastal Imaging", "Harbor View", "Santa Rosa", "95401", "555-0143", "555-0187",
               "03/22/1969", "WC-4471-2290", "PO Box 4410", "Fresno"]

# a reviewer's own summary and an edited rationale that name everyone, as a real file's words would
OWN_SUMMARY = (
    "Ms. Quintanilla (DOB: 03/22/1969), claim number WC-4471-2290, is a 47-year-old packing line worker for "
    "Redwood Valley Produce LLC who was injured on 05/11/2016. She lives at 88 Orchard Lane, Santa Rosa, CA 95401 "
    "and can be reached at (707) 555-0199. Marisol Quintanilla was treated by Anil Varghese, MD at Bayview Spine "
    "and Pain Medical Group, 2150 Harbor View Drive, Suite 310, Santa Rosa, CA 95401, phone 707-555-0143. An "
    "MRI at Coastal Imaging Center on 07/14/2016 showed an L4-L5 disc protrusion. Sierra Mutual Claims Services "
    "(PO Box 4410, Fresno, CA 93744) denied the injection on 11/15/2016; its reviewer Dr. Helen Okafor cited the "
    "MTUS.")


def _public_case() -> tuple[object, Determination]:
    case = example("named-parties-case/case.yaml", case_summary=OWN_SUMMARY)
    det = decide_case(case)
    first = det.decisions[0]
    edited = first.model_copy(update={"rationale": first.rationale + " Dr. Varghese documented the findings; "
                                      "Ms. Quintanilla works for Redwood Valley Produce."})
    return case, det.model_copy(update={"decisions": [edited, *det.decisions[1:]]})


def _assert_nothing_identifying(text: str) -> None:
    flat = " ".join(html.unescape(text).split())
    for words in [*IDENTIFIERS, "555-0199", "Orchard Lane", "Okafor", "Helen"]:
        assert words.lower() not in flat.lower(), words


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_the_public_copy_removes_every_identifier(fmt: str) -> None:
    case, det = _public_case()
    full = render_letter(case, det, fmt)  # type: ignore[arg-type]
    assert "Quintanilla" in full and "555-0143" in full  # the private letter keeps them
    public = render_letter(case, det, fmt, public=True)  # type: ignore[arg-type]
    _assert_nothing_identifying(public)
    flat = " ".join(html.unescape(re.sub(r"<[^>]+>", "", public)).split())
    # kept: the case number, dates of injury and decision, decisions, citations and the clinical words
    for kept in ("SYN-2016-0004", "05/11/2016", "11/15/2016", "07/14/2016", "L4-L5 disc protrusion",
                 "Lumbar epidural steroid injection L4-L5:", "MTUS Chronic Pain Medical Treatment 2016",
                 "Dr. " + MARK, "Ms. " + MARK):
        assert kept in flat, kept
    for d in det.decisions:
        assert f"{d.item}: {d.outcome}" in flat


def test_the_public_pdf_text_has_no_identifier_and_the_report_goes_to_stderr(
        tmp_path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    require_pdf()
    case, det = _public_case()
    data, removed = render_letter_bytes(case, det, "pdf", public=True)  # type: ignore[arg-type]
    _assert_nothing_identifying(" ".join(pdf_pages(data)))
    kinds = {r.kind for r in removed}
    assert {"worker's name", "employer", "claims administrator", "provider", "telephone number", "address",
            "date of birth", "claim number"} <= kinds
    # and through the command line: the report names what it removed on stderr, never in the copy
    p = tmp_path / "case.json"
    p.write_text(case.model_dump_json())  # type: ignore[attr-defined]
    out = tmp_path / "public.pdf"
    capsys.readouterr()
    assert main(["letter", str(p), "--format", "pdf", "--public", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "public copy: removed" in err and "'Quintanilla'" in err
    _assert_nothing_identifying(" ".join(pdf_pages(out.read_bytes())))


def test_the_example_records_name_their_parties_and_the_public_letter_does_not(
        capsys: pytest.CaptureFixture[str]) -> None:
    case = example("named-parties-case/case.yaml")
    records = " ".join(d.text or "" for d in case.documents).lower()
    for words in IDENTIFIERS:
        assert words.lower() in records, words
    assert main(["letter", str(NAMED), "--public"]) == 0
    captured = capsys.readouterr()
    _assert_nothing_identifying(captured.out)
    assert "public copy:" in captured.err and "public copy:" not in captured.out


def test_party_terms_include_short_forms() -> None:
    terms = {t for _, t in party_terms(example("named-parties-case/case.yaml"))}
    assert {"Marisol Quintanilla", "Quintanilla", "Marisol", "Redwood Valley Produce", "Varghese",
            "WC-4471-2290"} <= terms
    assert "Bayview" not in terms  # a facility's single words are not names


def test_patterns_find_what_the_parties_do_not_name() -> None:
    r = Redactor(example("seed-case.yaml"))  # no parties at all
    text = ("Seen by Dr. Jane Doe and John Q. Public, M.D. at Mission Hills Medical Center, 12 Elm Street, "
            "Sacramento, CA 95814, tel. (916) 555-0100; policy no. PX-88123; DOB 1/2/1970.")
    out = r(text, "test")
    for words in ("Jane", "Doe", "John Q. Public", "Mission Hills", "Elm Street", "95814", "555-0100",
                  "PX-88123", "1/2/1970"):
        assert words not in out, words
    assert out.startswith("Seen by Dr. " + MARK)
    # clinical words, guideline names and dates of service are not names
    clinical = ("Physical therapy 2x6 lumbar spine per MTUS Chronic Pain Medical Treatment Guidelines; "
                "Official Disability Guidelines (ODG); MRI dated 07/14/2016 showed L4-L5 protrusion.")
    assert r(clinical, "test") == clinical


def test_the_reviewer_credentials_and_signature_survive_redaction() -> None:
    case = example("named-parties-case/case.yaml", reviewer=REVIEWER, signature={"date": "2016-12-01"})
    text = " ".join(render_letter(case, decide_case(case), "text", public=True).split())
    assert "State(s) of Licensure: California" in text
    assert "Electronically signed by the Expert Reviewer, MD" in text and "Decision Date: 12/01/2016" in text
