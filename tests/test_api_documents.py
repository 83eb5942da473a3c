"""Document uploads (POST /api/cases/{n}/documents): a PDF or .txt becomes a document of the case, its text read
at intake; bad files are one clear 4xx and leave the case as it was. On SQLite and (when available) PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from openimr.intake import read_pdf_text
from tests.api_support import Service, make_service
from tests.conftest import DEV_CORPUS, needs_dev_corpus
from tests.pdfmaker import make_pdf
from tests.review_fixtures import case

TODAY = dt.date(2024, 3, 20)
NUMBER = "TEST-0001"
PR2_LINES = ["Progress report 02/20/2024", "Chronic low back pain after a lifting injury.",
             "Six sessions of chiropractic therapy were completed with no documented functional improvement."]
PT_NOTE = "Physical therapy note. He completed 8 sessions of physical therapy and does a home exercise program.\n"


def _upload(svc: Service, user: str | None, name: str, data: bytes, content_type: str,
            number: str = NUMBER, **form: str) -> Any:
    headers = svc.as_(user) if user else {}
    return svc.client.post(f"/api/cases/{number}/documents", files={"file": (name, data, content_type)},
                           data=form, headers=headers)


def _new_case(svc: Service, *steps: str) -> None:
    """A case whose only clinical record is the UR decision, moved through the given lifecycle steps."""
    only_ur = case(documents=case()["documents"][:1])
    assert svc.post("intake", "/api/cases", {"case": only_ur, "application_date": "2024-03-15"}).status_code == 201
    for step in steps:
        assert svc.post("intake", f"/api/cases/{NUMBER}/{step}").status_code == 200, step


def _documents(svc: Service) -> list[dict[str, Any]]:
    return list(svc.get("admin", f"/api/cases/{NUMBER}").json()["case_file"]["documents"])


@pytest.fixture
def svc(tmp_path) -> Service:
    return make_service(f"sqlite:///{tmp_path / 'd.db'}", today=TODAY, max_body=64 * 1024)


def test_uploaded_records_reach_the_case_and_the_engine_draft(db_url: str) -> None:
    svc = make_service(db_url, today=TODAY)
    _new_case(svc, "eligibility", "records-request")
    r = _upload(svc, "intake", "pr2.pdf", make_pdf(PR2_LINES), "application/pdf", kind="progress_report",
                date="2024-02-20")
    assert r.status_code == 201, r.text
    assert r.json() | {"characters": 0} == {"case_number": NUMBER, "index": 1, "kind": "progress_report",
                                            "title": "pr2.pdf", "date": "2024-02-20", "characters": 0,
                                            "pages": 1, "state": "records_requested"}
    r = _upload(svc, "admin", "pt-note.txt", PT_NOTE.encode(), "text/plain", title="PT note")
    assert r.status_code == 201, r.text

    docs = _documents(svc)
    assert [(d["kind"], d.get("title")) for d in docs[1:]] == [("progress_report", "pr2.pdf"),
                                                               ("medical_record", "PT note")]
    assert all(line in docs[1]["text"] for line in PR2_LINES)
    assert docs[2]["text"] == PT_NOTE and "date" not in docs[2]

    # an upload adds records; receiving them is still its own step, and the case goes on as before
    assert svc.post("intake", f"/api/cases/{NUMBER}/records").status_code == 200
    assert svc.post("admin", f"/api/cases/{NUMBER}/assignment").status_code == 200
    r = svc.post("pmr", f"/api/cases/{NUMBER}/draft")
    assert r.status_code == 200, r.text
    decisions = {d["id"]: d for d in r.json()["determination"]["decisions"]}
    evidence = {c["id"]: c for d in decisions.values() for c in d["criteria"]}
    # the visits already given come from the PDF, the active program from the text file
    assert any("Six sessions of chiropractic therapy" in e
               for e in evidence["trial-or-documented-improvement"]["evidence"])
    assert evidence["adjunct-to-active-treatment"]["status"] == "met"
    assert any("home exercise program" in e for e in evidence["adjunct-to-active-treatment"]["evidence"])
    # and every source points into the uploaded document it quotes
    assert {s["document"] for s in evidence["adjunct-to-active-treatment"]["sources"]} == {2}

    audit = svc.get("admin", "/api/audit", case=NUMBER).json()
    added = [a["detail"] for a in reversed(audit) if a["action"] == "document_added"]
    assert [(a["filename"], a["kind"]) for a in added] == [("pr2.pdf", "progress_report"),
                                                          ("pt-note.txt", "medical_record")]
    assert [a["user"] for a in reversed(audit) if a["action"] == "document_added"] == ["intake", "admin"]
    assert all(len(a["sha256"]) == 64 and a["bytes"] > 0 for a in added)


@needs_dev_corpus()
def test_a_published_encrypted_pdf_is_read_as_the_cli_reads_it(tmp_path) -> None:
    svc = make_service(f"sqlite:///{tmp_path / 'c.db'}", today=TODAY)
    path = sorted(DEV_CORPUS.glob("*.pdf"))[0]
    _new_case(svc)
    r = _upload(svc, "intake", path.name, path.read_bytes(), "application/pdf")
    assert r.status_code == 201, r.text
    assert _documents(svc)[1]["text"] == read_pdf_text(path)
    assert r.json()["characters"] > 1000


def test_documents_are_accepted_only_while_records_may_arrive(svc: Service) -> None:
    _new_case(svc)
    pdf = make_pdf(PR2_LINES)
    for step in ("eligibility", "records-request"):  # received, eligibility_checked: accepted
        assert _upload(svc, "intake", "a.pdf", pdf, "application/pdf").status_code == 201
        assert svc.post("intake", f"/api/cases/{NUMBER}/{step}").status_code == 200
    assert _upload(svc, "intake", "a.pdf", pdf, "application/pdf").status_code == 201  # records_requested
    assert svc.post("intake", f"/api/cases/{NUMBER}/records").status_code == 200
    before = _documents(svc)
    assert len(before) == 4

    r = _upload(svc, "intake", "late.pdf", pdf, "application/pdf")
    assert r.status_code == 409
    assert r.json()["detail"] == ("documents cannot be added to a case that is records_received; records arrive "
                                  "only while a case is received, eligibility_checked, records_requested")
    assert svc.post("intake", f"/api/cases/{NUMBER}/withdraw", {"reason": "settled"}).status_code == 200
    assert "withdrawn" in _upload(svc, "intake", "late.pdf", pdf, "application/pdf").json()["detail"]
    assert _documents(svc) == before
    refused = [a for a in svc.get("admin", "/api/audit", case=NUMBER).json() if a["action"] == "refused:add_document"]
    assert len(refused) == 2 and {a["detail"]["status"] for a in refused} == {409}


@pytest.mark.parametrize(("name", "data", "content_type", "status", "message"), [
    ("scan.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png", 415, "only PDF or UTF-8 text"),
    ("notes.docx", b"PK\x03\x04" + bytes(64), "application/octet-stream", 415, "only PDF or UTF-8 text"),
    ("broken.pdf", b"%PDF-1.4\nthis is not the rest of a PDF", "application/pdf", 400, "not a readable PDF"),
    ("renamed.pdf", b"plain words, not a PDF", "application/pdf", 400, "does not start with the %PDF- signature"),
    ("blank.pdf", make_pdf([]), "application/pdf", 400, "no text layer"),
    ("empty.pdf", b"", "application/pdf", 400, "the file is empty"),
    ("empty.txt", b"", "text/plain", 400, "the file is empty"),
    ("spaces.txt", b"  \n\n ", "text/plain", 400, "the file has no text"),
    ("latin1.txt", "Schmerz in der Schulter, Grad 5 \u2013 r\u00fccken".encode("cp1252"), "text/plain", 400,
     "not UTF-8 text"),
])
def test_bad_files_are_one_clear_4xx_and_store_nothing(svc: Service, name: str, data: bytes, content_type: str,
                                                       status: int, message: str) -> None:
    _new_case(svc, "eligibility", "records-request")
    r = _upload(svc, "intake", name, data, content_type)
    assert r.status_code == status, r.text
    assert r.json()["detail"].startswith(f"{name}: ") and message in r.json()["detail"]
    refused = svc.get("admin", "/api/audit", case=NUMBER).json()[0]
    assert refused["action"] == "refused:add_document" and refused["detail"]["status"] == status
    assert len(_documents(svc)) == 1


def test_bad_form_fields_are_400_and_store_nothing(svc: Service) -> None:
    _new_case(svc)
    r = _upload(svc, "intake", "a.txt", b"Lumbar pain.", "text/plain", date="last spring")
    assert r.status_code == 400 and "date" in r.json()["detail"]
    assert len(_documents(svc)) == 1
    r = svc.client.post(f"/api/cases/{NUMBER}/documents", data={"kind": "progress_report"},
                        headers=svc.as_("intake"))
    assert r.status_code == 422 and "file" in r.text


def test_an_upload_over_the_body_limit_is_413(svc: Service) -> None:
    _new_case(svc)
    big = make_pdf([f"line {i} " + "x" * 90 for i in range(800)])
    assert len(big) > 64 * 1024
    r = _upload(svc, "intake", "big.pdf", big, "application/pdf")
    assert r.status_code == 413 and "larger than the limit of 65536 bytes" in r.json()["detail"]
    assert len(_documents(svc)) == 1


def test_unknown_case_is_404(svc: Service) -> None:
    r = _upload(svc, "intake", "a.txt", b"Lumbar pain.", "text/plain", number="TEST-9999")
    assert r.status_code == 404 and "no case 'TEST-9999'" in r.json()["detail"]


def test_only_intake_and_admin_may_upload(svc: Service) -> None:
    _new_case(svc)
    r = _upload(svc, None, "a.txt", b"Lumbar pain.", "text/plain")
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    r = svc.client.post(f"/api/cases/{NUMBER}/documents", files={"file": ("a.txt", b"x", "text/plain")},
                        headers={"Authorization": "Bearer forged"})
    assert r.status_code == 401
    for reviewer in ("pmr", "chiro"):
        r = _upload(svc, reviewer, "a.txt", b"Lumbar pain.", "text/plain")
        assert r.status_code == 403 and "add document needs the admin or intake role" in r.json()["detail"]
    assert len(_documents(svc)) == 1
    for user in ("intake", "admin"):
        assert _upload(svc, user, "a.txt", b"Lumbar pain.", "text/plain").status_code == 201
    assert len(_documents(svc)) == 3
