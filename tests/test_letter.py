"""The Final Determination Letter: the written case summary, the header, the reviewer's credentials, the
DRAFT mark, the signature block, the appeal rights, and one content in text, Markdown and HTML."""

from __future__ import annotations

import html
import re

import pytest

from openimr.cli import main
from openimr.decide import decide_case
from openimr.errors import InputError
from openimr.facts import extract_case_facts
from openimr.letter import render_letter
from openimr.letter.content import letter_content
from openimr.letter.render import DRAFT_MARK, NO_REVIEWER
from openimr.letter.summary import summary_paragraphs, write_summary
from openimr.model import Case, Fact
from tests.letter_support import EXAMPLE_CASES, EXAMPLES, REVIEWER, example


def _flat(text: str) -> str:
    return " ".join(text.split())


def _quoted_words(f: Fact) -> list[str]:
    """The words of the records a sentence must carry for the fact it cites."""
    v = f.value
    if f.name == "diagnosis":
        return [_flat(v["text"]).lower()]
    if f.name == "imaging" and v.get("findings"):
        return [_flat(v["findings"]).rstrip(".")]
    if f.name == "prior_treatment" and v.get("count") and not f.negated:
        return [_flat(f.text)]
    if f.name in ("age", "pain_score"):
        return [str(v if f.name == "age" else _flat(f.text))]
    return []


@pytest.mark.parametrize("name", EXAMPLE_CASES)
def test_every_summary_sentence_is_traceable_to_its_facts(name: str) -> None:
    case = example(name)
    facts = extract_case_facts(case)
    sentences = write_summary(case, facts)
    assert len(sentences) >= 4
    for s in sentences:
        assert s.facts or s.fields, f"a sentence with no source: {s.text}"
        for f in s.facts:
            doc, start, end = f.span
            assert case.documents[doc].text is not None and case.documents[doc].text[start:end] == f.text
            for words in _quoted_words(f):
                assert words in s.text.lower() if f.name == "diagnosis" else words in s.text, (words, s.text)
        for field in s.fields:
            assert field in Case.model_fields


def test_seed_summary_reads_like_a_published_letter() -> None:
    text = summary_paragraphs(example("seed-case.yaml"))[0]
    assert text.startswith("The patient is a 47-year-old female with a date of injury of 12/09/2013.")
    for phrase in ("lumbar radiculitis, lumbar facet osteoarthritis and myofascial pain", "18 sessions of physical "
                   "therapy", "no prior chiropractic", "negative straight leg raise", "MRI of the lumbar spine dated "
                   "01/31/2014 showed L4-L5 mild facet hypertrophy",
                   "were denied by utilization review on 12/12/2014."):
        assert phrase in text


def test_the_summary_keeps_what_lies_far_into_long_records() -> None:
    # the old letter cut each record at 1,200 characters: a diagnosis after that vanished
    filler = "The patient was seen for follow-up and the interval history was reviewed with her. " * 40
    case = example("seed-case.yaml")
    doc = case.documents[0].model_copy(update={"text": filler + (case.documents[0].text or "")})
    long_case = case.model_copy(update={"documents": [doc]})
    assert len(doc.text or "") > 4000
    text = summary_paragraphs(long_case)[0]
    assert "myofascial pain" in text and "broad-based posterior disk protrusion" in text


def test_a_reviewers_own_summary_replaces_the_written_one() -> None:
    own = "The injured worker is a 47 year old female.\n\nShe was treated with therapy."
    case = example("seed-case.yaml", case_summary=own)
    assert summary_paragraphs(case) == ["The injured worker is a 47 year old female.", "She was treated with therapy."]
    letter = render_letter(case, decide_case(case), "text")
    assert "She was treated with therapy." in letter and "18 sessions" not in letter


def test_header_block_of_the_2016_letters() -> None:
    case = example("shoulder-case/case.yaml", date_assigned="2016-10-28")
    text = render_letter(case, decide_case(case), "text")
    for line in ("Case Number: SYN-2016-0002", "Date Assigned: 10/28/2016", "Date of Injury: 08/02/2016",
                 "Decision Date: Pending signature", "UR Denial Date: 10/20/2016", "Priority: Standard",
                 "Application Received: 10/24/2016"):
        assert line in text


def test_no_credentials_are_guessed_without_an_assigned_reviewer() -> None:
    case = example("seed-case.yaml")
    text = render_letter(case, decide_case(case), "text")
    assert _flat(NO_REVIEWER) in _flat(text)
    assert "State(s) of Licensure" not in text and "Certification(s)/Specialty" not in text


def test_the_assigned_reviewers_credentials() -> None:
    case = example("seed-case.yaml", reviewer=REVIEWER)
    text = render_letter(case, decide_case(case), "text")
    assert "State(s) of Licensure: California\nCertification(s)/Specialty: Physical Medicine & Rehabilitation" in text
    assert NO_REVIEWER not in text


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_an_unsigned_letter_is_marked_draft_and_not_signed(fmt: str) -> None:
    case = example("seed-case.yaml", reviewer=REVIEWER)
    out = html.unescape(render_letter(case, decide_case(case), fmt))
    assert out.count(DRAFT_MARK) == 2  # at its top and at its end
    assert "Not signed." in out and "Electronically signed" not in out


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_a_signed_letter_has_the_signature_block_and_no_draft_mark(fmt: str) -> None:
    case = example("seed-case.yaml", reviewer=REVIEWER, signature={"date": "2015-01-07"})
    out = _flat(html.unescape(render_letter(case, decide_case(case), fmt)))
    assert "DRAFT" not in out
    assert ("Electronically signed by the Expert Reviewer, MD, Physical Medicine & Rehabilitation, licensed in "
            "California. Date of determination: 01/07/2015.") in out
    assert re.search(r"Decision Date:?\W+01/07/2015", re.sub(r"<[^>]+>", " ", out))


def test_a_signature_needs_an_assigned_reviewer(capsys: pytest.CaptureFixture[str], tmp_path) -> None:  # type: ignore[no-untyped-def]
    case = example("seed-case.yaml", signature={"date": "2015-01-07"})
    with pytest.raises(InputError, match="names no reviewer"):
        letter_content(case, decide_case(case))
    p = tmp_path / "signed.json"
    p.write_text(case.model_dump_json())
    assert main(["letter", str(p)]) == 2
    assert "names no reviewer" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_the_appeal_rights(fmt: str) -> None:
    case = example("neck-case/case.json")
    out = _flat(html.unescape(render_letter(case, decide_case(case), fmt)))
    assert "Workers' Compensation Appeals Board within 30 days of the mailing date" in out
    assert "Labor Code section 4610.6(h)" in out


def test_text_markdown_and_html_say_the_same() -> None:
    case = example("named-parties-case/case.yaml", reviewer=REVIEWER, signature={"date": "2016-12-01"})
    det = decide_case(case)
    content = letter_content(case, det)
    outs = {fmt: _flat(html.unescape(render_letter(case, det, fmt))) for fmt in ("text", "md", "html")}
    expected = [*content.summary, *content.appeal, *(v for _, v in content.header)]
    for d in content.items:
        expected += [d.item, d.outcome, d.ur_guideline, d.reviewer_guideline, d.rationale]
    for fmt, out in outs.items():
        for passage in expected:
            assert _flat(passage) in out, (fmt, passage[:60])


def test_the_letter_command_writes_every_text_format(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    for fmt in ("text", "md", "html"):
        out = tmp_path / f"letter.{fmt}"
        assert main(["letter", str(EXAMPLES / "seed-case.yaml"), "--format", fmt, "--out", str(out)]) == 0
        assert "IMR ISSUES, DECISIONS AND RATIONALES" in out.read_text().upper()


def _no_pango() -> None:
    from openimr.letter.pdf import PdfUnavailable

    raise PdfUnavailable("PDF letters need WeasyPrint and the system's Pango library: no libpango here")


def test_without_pango_a_pdf_is_one_clear_error(tmp_path, capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("openimr.letter.pdf._weasyprint", _no_pango)
    out = tmp_path / "x.pdf"
    assert main(["letter", str(EXAMPLES / "seed-case.yaml"), "--format", "pdf", "--out", str(out)]) == 2
    assert "Pango" in capsys.readouterr().err and not out.exists()


def test_pdf_tests_skip_without_pango_only_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.letter_support import require_pdf

    monkeypatch.setattr("openimr.letter.pdf._weasyprint", _no_pango)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must be able to make PDF letters"):
        require_pdf()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        require_pdf()
