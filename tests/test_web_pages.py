"""The workbench pages over HTTP (no browser): sessions, CSRF, who sees what, refusals as clear pages, user
administration; and the pure helpers that mark evidence and compare versions."""

from __future__ import annotations

import datetime as dt
import html as markup
import json
import re
from typing import Any

from fastapi.testclient import TestClient

from openimr.web import present
from openimr.web.session import safe_next
from tests.api_support import PASSWORD, Service, make_service
from tests.review_fixtures import case

TODAY = dt.date(2024, 3, 20)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def text(response: Any) -> str:
    return markup.unescape(response.text)


def web_login(client: TestClient, user: str, password: str = PASSWORD) -> Any:
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"username": user, "password": password, "csrf": token, "next": "/"},
                       follow_redirects=False)


def drafted(svc: Service, number: str = "TEST-0001") -> None:
    assert svc.post("intake", "/api/cases", {"case": case(case_number=number),
                                             "application_date": "2024-03-15"}).status_code == 201
    svc.post("intake", f"/api/cases/{number}/eligibility")
    svc.post("intake", f"/api/cases/{number}/records-request", {"notice_date": "2024-03-16"})
    svc.post("intake", f"/api/cases/{number}/records", {"received_date": "2024-03-18"})
    assert svc.post("admin", f"/api/cases/{number}/assignment").json()["chosen"]["id"] == "r-pmr"
    assert svc.post("pmr", f"/api/cases/{number}/draft").status_code == 200


def test_pages_need_a_session_and_the_cookie_is_httponly_and_samesite(db_url: str) -> None:
    svc = make_service(db_url, today=TODAY)
    r = svc.client.get("/cases/TEST-0001", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/cases/TEST-0001"
    assert svc.client.get("/login").status_code == 200
    r = web_login(svc.client, "pmr")
    assert r.status_code == 303
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("openimr_session=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain HTTP here; over HTTPS it is Secure (next test)
    assert svc.client.get("/").status_code == 200


def test_the_session_cookie_is_secure_over_https(db_url: str) -> None:
    svc = make_service(db_url, today=TODAY)
    client = TestClient(svc.client.app, base_url="https://testserver")
    r = web_login(client, "admin")
    assert r.status_code == 303 and "Secure" in r.headers["set-cookie"]


def test_wrong_password_and_missing_login_token_are_refused(db_url: str) -> None:
    svc = make_service(db_url, today=TODAY)
    r = web_login(svc.client, "pmr", "wrong password")
    assert r.status_code == 401 and "wrong user name or password" in text(r)
    fresh = TestClient(svc.client.app)
    r = fresh.post("/login", data={"username": "pmr", "password": PASSWORD, "csrf": "forged"})
    assert r.status_code == 403 and "login form expired" in text(r)


def test_a_form_without_its_csrf_token_changes_nothing(db_url: str) -> None:
    svc = make_service(db_url, today=TODAY)
    assert svc.post("intake", "/api/cases", {"case": case(), "application_date": "2024-03-15"}).status_code == 201
    web_login(svc.client, "intake")
    r = svc.client.post("/cases/TEST-0001/eligibility", data={"csrf": "not the token"})
    assert r.status_code == 403 and "security token" in text(r)
    assert svc.get("intake", "/api/cases/TEST-0001").json()["state"] == "received"
    page = svc.client.get("/cases/TEST-0001").text
    r = svc.client.post("/cases/TEST-0001/eligibility", data={"csrf": csrf_of(page)}, follow_redirects=False)
    assert r.status_code == 303
    assert svc.get("intake", "/api/cases/TEST-0001").json()["state"] == "eligibility_checked"


def test_a_reviewer_sees_only_their_cases_and_refusals_are_pages(db_url: str) -> None:
    svc = make_service(db_url, today=TODAY)
    drafted(svc)
    web_login(svc.client, "chiro")
    assert "TEST-0001" not in svc.client.get("/").text
    r = svc.client.get("/cases/TEST-0001")
    assert r.status_code == 404 and "no case 'TEST-0001'" in text(r)
    r = svc.client.get("/intake")
    assert r.status_code == 403 and "needs the admin or intake role" in text(r)


def test_the_case_page_marks_every_source_span_in_place(db_url: str) -> None:
    svc = make_service(db_url, today=TODAY)
    drafted(svc)
    web_login(svc.client, "pmr")
    html = svc.client.get("/cases/TEST-0001").text
    determination = svc.get("pmr", "/api/cases/TEST-0001/drafts").json()[-1]["determination"]
    sources = {(s["document"], s["start"], s["end"], s["text"]) for d in determination["decisions"]
               for c in d["criteria"] for s in c["sources"]}
    assert sources
    for doc, start, end, text in sources:
        ident = present.anchor_id(doc, start, end)
        assert f'href="#{ident}"' in html
        assert re.search(rf'<mark id="{ident}"[^>]*>{re.escape(text)}</mark>', html)


def test_bad_form_input_is_one_clear_message(db_url: str) -> None:
    svc = make_service(db_url, today=TODAY)
    web_login(svc.client, "intake")
    token = csrf_of(svc.client.get("/intake").text)
    r = svc.client.post("/intake/new", data={"csrf": token, "case_number": "X-1", "requests": "MRI lumbar spine",
                                             "ur_denial_date": "03/01/2024"})
    assert r.status_code == 400 and "UR decision date must be a date written YYYY-MM-DD" in text(r)
    r = svc.client.post("/intake/new", data={"csrf": token, "case_number": "X-1", "requests": "MRI lumbar spine"},
                        files={"records": ("run.exe", b"MZ\x90\x00", "application/octet-stream")})
    assert r.status_code == 415 and "only PDF or UTF-8 text" in text(r)
    assert svc.get("intake", "/api/cases").json() == []  # the refused case was not stored


def test_intake_files_a_case_file_with_an_uploaded_text_record(db_url: str) -> None:
    svc = make_service(db_url, today=TODAY)
    web_login(svc.client, "intake")
    token = csrf_of(svc.client.get("/intake").text)
    body = json.dumps(case(case_number="FILE-1")).encode()
    r = svc.client.post("/intake/file", data={"csrf": token, "application_date": "2024-03-15"},
                        files=[("case_file", ("case.json", body, "application/json")),
                               ("records", ("pr2.txt", b"Lumbar range of motion is limited.", "text/plain"))],
                        follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/cases/FILE-1"
    stored = svc.get("intake", "/api/cases/FILE-1").json()
    assert [d["title"] for d in stored["case_file"]["documents"]] == ["UR decision", "Summary", "pr2.txt"]
    assert stored["application_date"] == "2024-03-15"
    r = svc.client.post("/intake/file", data={"csrf": token},
                        files={"case_file": ("case.json", b"{not json", "application/json")})
    assert r.status_code == 400 and "case.json: not valid JSON" in text(r)


def test_admin_imports_the_reviewer_registry(db_url: str) -> None:
    svc = make_service(db_url, today=TODAY)
    web_login(svc.client, "admin")
    token = csrf_of(svc.client.get("/admin/reviewers").text)
    csv = (b"id,name,degree,licensure_states,specialties,years_in_practice,weekly_clinical_hours,capacity\n"
           b"r-ent,Eve Otolaryngologist,MD,California,Otolaryngology,11,30,4\n")
    r = svc.client.post("/admin/reviewers", data={"csrf": token}, files={"registry": ("more.csv", csv, "text/csv")})
    assert r.status_code == 200 and "Imported more.csv: 1 added, 0 updated." in text(r)
    assert "Eve Otolaryngologist" in text(r)
    r = svc.client.post("/admin/reviewers", data={"csrf": token}, files={"registry": ("more.txt", csv, "text/plain")})
    assert r.status_code == 400 and "a registry file ends in .csv or .json" in text(r)
    intake = TestClient(svc.client.app)
    web_login(intake, "intake")
    assert intake.get("/admin/reviewers").status_code == 403


def test_admin_creates_disables_and_resets_a_user(db_url: str) -> None:
    svc = make_service(db_url, today=TODAY)
    web_login(svc.client, "admin")
    token = csrf_of(svc.client.get("/admin/users").text)
    r = svc.client.post("/admin/users", data={"csrf": token, "name": "nurse", "role": "intake",
                                              "password": "a long password"}, follow_redirects=False)
    assert r.status_code == 303
    other = TestClient(svc.client.app)
    assert web_login(other, "nurse", "a long password").status_code == 303
    assert svc.client.post("/admin/users/nurse/disable", data={"csrf": token}).status_code == 200
    assert other.get("/", follow_redirects=False).status_code == 303  # the session ended with the account
    assert web_login(TestClient(svc.client.app), "nurse", "a long password").status_code == 401
    assert "✗ Disabled" in svc.client.get("/admin/users").text
    r = svc.client.post("/admin/users/nurse/password", data={"csrf": token, "password": "short"})
    assert r.status_code == 400 and "at least 8 characters" in text(r)
    svc.client.post("/admin/users/nurse/password", data={"csrf": token, "password": "another long one"})
    assert web_login(TestClient(svc.client.app), "nurse", "another long one").status_code == 303
    log = svc.get("admin", "/api/audit").json()
    assert {"user_added", "user_disabled", "password_reset"} <= {e["action"] for e in log}


def test_highlight_escapes_the_record_and_names_every_fact_on_overlaps() -> None:
    text = "pain <b>7/10</b> after lifting"
    ev = [present.Evidence(0, 0, 16, "Item 1: pain (met)"), present.Evidence(0, 5, 16, "Item 2: score (met)")]
    html = str(present.highlight(text, ev))
    assert "<b>" not in html and "&lt;b&gt;7/10&lt;/b&gt;" in html
    assert '<mark id="src-0-0-16" tabindex="-1" title="Item 1: pain (met)"' in html
    assert 'id="src-0-5-16"' in html and 'title="Item 1: pain (met); Item 2: score (met)"' in html
    assert html.endswith(" after lifting")


def test_version_diff_reports_outcome_citations_and_words() -> None:
    cite = {"guideline": "MTUS Chronic Pain", "edition": "2016", "section": "Massage", "mtus": True}
    old = {"decisions": [{"id": "1", "item": "Massage", "outcome": "Upheld", "citations": [cite],
                          "rationale": "Not supported by the records."}]}
    new = {"decisions": [{"id": "1", "item": "Massage", "outcome": "Overturned", "citations": [],
                          "rationale": "Supported by the records now."}]}
    [item] = present.version_diff(old, new)
    assert item.outcome == ("Upheld", "Overturned")
    assert item.citations_removed == ["MTUS Chronic Pain 2016, Section(s): Massage."] and not item.citations_added
    assert ("removed", "Not supported") in item.rationale and ("equal", " by the ") in item.rationale
    assert "".join(w for op, w in item.rationale if op != "removed") == "Supported by the records now."
    assert "".join(w for op, w in item.rationale if op != "added") == "Not supported by the records."


def test_only_local_paths_follow_a_login() -> None:
    assert safe_next("/cases/A-1?x=1") == "/cases/A-1?x=1"
    for bad in ("https://evil.example/", "//evil.example/", "/\\evil.example", "", None):
        assert safe_next(bad) == "/"


def test_dates_and_times_in_one_format_and_the_organizations_zone(monkeypatch: Any) -> None:
    assert present.show_date(dt.date(2024, 3, 5)) == "2024-03-05"
    assert present.show_date("2024-03-05") == "2024-03-05"
    assert present.show_time(dt.datetime(2024, 7, 1, 18, 30)) == "2024-07-01 11:30 PDT"
    monkeypatch.setenv("OPENIMR_TIMEZONE", "America/New_York")
    assert present.show_time(dt.datetime(2024, 1, 1, 18, 30)) == "2024-01-01 13:30 EST"
