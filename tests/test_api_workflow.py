"""A case from received to letter issued through the API, on SQLite and (when available) PostgreSQL."""

from __future__ import annotations

import datetime as dt

from tests.api_support import make_service
from tests.review_fixtures import case

TODAY = dt.date(2024, 3, 20)


def test_case_goes_from_received_to_letter_issued(db_url: str) -> None:
    svc = make_service(db_url, today=TODAY)
    r = svc.post("intake", "/api/cases", {"case": case(), "application_date": "2024-03-15"})
    assert r.status_code == 201, r.text
    assert r.json()["state"] == "received" and r.json()["application_due"] == "2024-03-31"

    r = svc.post("intake", "/api/cases/TEST-0001/eligibility")
    assert r.status_code == 200 and r.json()["eligible"] and r.json()["state"] == "eligibility_checked"

    r = svc.post("intake", "/api/cases/TEST-0001/records-request", {"notice_date": "2024-03-16", "electronic": True})
    assert r.json()["deadline"] == {"case_number": "TEST-0001", "what": "records", "due": "2024-03-28",
                                    "days_left": 8, "status": "ok"}

    more = [{"kind": "progress_report", "title": "PR-2", "date": "2024-03-05",
             "text": "Low back pain persists, 6/10. Lumbar range of motion limited. Plan: chiropractic care."}]
    r = svc.post("intake", "/api/cases/TEST-0001/records", {"received_date": "2024-03-18", "documents": more})
    assert r.status_code == 200, r.text
    assert r.json()["deadline"]["what"] == "determination" and r.json()["deadline"]["due"] == "2024-04-17"

    r = svc.post("admin", "/api/cases/TEST-0001/assignment")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["chosen"]["id"] == "r-pmr"
    assert {e["reviewer_id"] for e in body["excluded"]} == {"r-ortho", "r-occ", "r-new", "r-part", "r-tx"}
    assert "fuzzy match" in body["explanation"]

    r = svc.post("pmr", "/api/cases/TEST-0001/draft")
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 1
    decisions = r.json()["determination"]["decisions"]
    assert {d["id"] for d in decisions} == {"1", "2"}

    edit = {"decisions": [{"id": "1", "outcome": "Upheld",
                           "rationale": "No functional improvement after six visits; more visits are not supported."}],
            "note": "agree with the engine on item 2"}
    r = svc.post("pmr", "/api/cases/TEST-0001/edits", edit)
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 2
    r = svc.post("pmr", "/api/cases/TEST-0001/edits", {"decisions": [{"id": "2", "outcome": "Overturned"}]})
    assert r.json()["version"] == 3

    versions = svc.get("pmr", "/api/cases/TEST-0001/drafts").json()
    assert [v["version"] for v in versions] == [1, 2, 3]
    assert versions[0]["author"] == "engine"
    assert versions[0]["determination"]["decisions"] == decisions  # the engine's draft is kept as it was
    assert versions[2]["determination"]["decisions"][0]["outcome"] == "Upheld"
    assert versions[2]["determination"]["decisions"][0]["medically_necessary"] is False

    r = svc.post("pmr", "/api/cases/TEST-0001/sign")
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "signed"

    r = svc.post("intake", "/api/cases/TEST-0001/letter")
    assert r.status_code == 200 and r.json()["draft_version"] == 3

    text = svc.get("intake", "/api/cases/TEST-0001/letter", format="text")
    assert text.status_code == 200 and text.headers["content-type"].startswith("text/plain")
    assert "Physical Medicine & Rehabilitation" in text.text and "California" in text.text
    assert "No functional improvement after six visits" in text.text
    for reviewer in ("Dana", "Physiatrist", "r-pmr"):
        assert reviewer not in text.text
    html = svc.get("pmr", "/api/cases/TEST-0001/letter", format="html")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "<" in html.text and "Physical Medicine &amp; Rehabilitation" in html.text

    final = svc.get("admin", "/api/cases/TEST-0001").json()
    assert final["state"] == "letter_issued" and final["deadline"] is None

    audit = svc.get("admin", "/api/audit", case="TEST-0001").json()
    actions = [a["action"] for a in reversed(audit)]
    assert actions[0] == "create" and "assign" in actions and "read_letter" in actions
    transitions = [a["detail"]["after"] for a in reversed(audit) if a["action"] == "transition"]
    assert transitions == ["eligibility_checked", "records_requested", "records_received", "assigned", "drafted",
                           "under_review", "under_review", "signed", "letter_issued"]


def test_expedited_deadlines_through_the_api(db_url: str) -> None:
    svc = make_service(db_url, today=TODAY)
    svc.post("intake", "/api/cases", {"case": case(priority="expedited"), "application_date": "2024-03-15"})
    svc.post("intake", "/api/cases/TEST-0001/eligibility")
    r = svc.post("intake", "/api/cases/TEST-0001/records-request", {"notice_date": "2024-03-18"})
    assert r.json()["deadline"] == {"case_number": "TEST-0001", "what": "records", "due": "2024-03-19",
                                    "days_left": -1, "status": "overdue"}
    overdue = svc.get("intake", "/api/deadlines").json()["overdue"]
    assert [d["case_number"] for d in overdue] == ["TEST-0001"]
    assert [c["case_number"] for c in svc.get("intake", "/api/cases", deadline="overdue").json()] == ["TEST-0001"]
    r = svc.post("intake", "/api/cases/TEST-0001/records", {"received_date": "2024-03-19"})
    assert r.json()["deadline"]["due"] == "2024-03-22" and r.json()["deadline"]["days_left"] == 2
    assert svc.get("intake", "/api/cases", due_before="2024-03-21").json() == []
    assert len(svc.get("intake", "/api/cases", due_before="2024-03-22").json()) == 1
