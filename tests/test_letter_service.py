"""The service's letter endpoint: the issued letter as text, HTML, PDF, and the public copy."""

from __future__ import annotations

import datetime as dt
import re

from tests.api_support import make_service
from tests.letter_support import pdf_pages, require_pdf
from tests.review_fixtures import case

TODAY = dt.date(2024, 3, 20)
NAMES = ("Sam", "Worker", "Acme", "Riley", "Treater", "555-0123", "Golden Coast")


def _issued(db_url: str):  # type: ignore[no-untyped-def]
    svc = make_service(db_url, today=TODAY)
    data = case(documents=[*case()["documents"], {
        "kind": "progress_report", "title": "PR-2", "date": "2024-03-05",
        "text": "Sam Worker was seen by Riley Treater, MD at Golden Coast Medical Group, (916) 555-0123. "
                "Chiropractic therapy helped. Lumbar tenderness."}],
        case_summary="Sam Worker, employed by Acme Logistics Inc., was seen by Riley Treater, MD on 02/20/2024 "
                     "for low back pain; call (916) 555-0123.")
    assert svc.post("intake", "/api/cases", {"case": data, "application_date": "2024-03-15"}).status_code == 201
    steps = [("intake", "eligibility", None), ("intake", "records-request", {"notice_date": "2024-03-16"}),
             ("intake", "records", {"received_date": "2024-03-18", "documents": []}), ("admin", "assignment", None),
             ("pmr", "draft", None), ("pmr", "sign", None), ("intake", "letter", None)]
    for user, path, body in steps:
        r = svc.post(user, f"/api/cases/TEST-0001/{path}", body) if body else svc.post(user, f"/api/cases/TEST-0001/{path}")
        assert r.status_code == 200, (path, r.text)
    return svc


def test_the_issued_letter_is_signed_with_the_reviewers_credentials(db_url: str) -> None:
    svc = _issued(db_url)
    text = svc.get("intake", "/api/cases/TEST-0001/letter", format="text").text
    assert "DRAFT" not in text
    assert "Electronically signed by the Expert Reviewer, MD, Physical Medicine & Rehabilitation, licensed in " \
           "California." in " ".join(text.split())
    assert f"Decision Date: {TODAY.strftime('%m/%d/%Y')}" not in text or "Date of determination" in text
    assert "Dana" not in text and "Physiatrist" not in text  # the reviewer's name is never printed
    assert "Date Assigned: " in text and "Date Assigned: Not stated" not in text


def test_the_public_copy_and_the_pdf_through_the_service(db_url: str) -> None:
    svc = _issued(db_url)
    public = svc.get("pmr", "/api/cases/TEST-0001/letter", format="text", public="true")
    assert public.status_code == 200
    for words in NAMES:
        assert not re.search(rf"\b{words}\b", public.text), words
    assert "TEST-0001" in public.text and "Electronically signed" in public.text
    bad = svc.get("pmr", "/api/cases/TEST-0001/letter", format="docx")
    assert bad.status_code == 400 and "docx" in bad.json()["detail"]
    audit = svc.get("admin", "/api/audit", case="TEST-0001").json()
    reads = [a["detail"] for a in audit if a["action"] == "read_letter"]
    assert any(d.get("public") and d.get("redacted", 0) >= 4 for d in reads), reads

    require_pdf()
    pdf = svc.get("intake", "/api/cases/TEST-0001/letter", format="pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    pages = pdf_pages(pdf.content)
    assert all("Case Number: TEST-0001" in p for p in pages) and "Sam Worker" in " ".join(pages)
    public_pdf = svc.get("intake", "/api/cases/TEST-0001/letter", format="pdf", public="true")
    assert public_pdf.status_code == 200 and "-public.pdf" in public_pdf.headers["content-disposition"]
    joined = " ".join(" ".join(pdf_pages(public_pdf.content)).split())
    for words in NAMES:
        assert not re.search(rf"\b{words}\b", joined), words
