"""Bad input gets a 4xx with a clear message, and nothing stored is lost or half-written."""

from __future__ import annotations

import pytest

from tests.api_support import Service, make_service
from tests.review_fixtures import case


@pytest.fixture
def svc(tmp_path) -> Service:
    return make_service(f"sqlite:///{tmp_path / 'e.db'}", max_body=64 * 1024)


def _state(svc: Service, number: str = "TEST-0001") -> str:
    return str(svc.get("admin", f"/api/cases/{number}").json()["state"])


def _create(svc: Service, **changes: object) -> None:
    r = svc.post("intake", "/api/cases", {"case": case(**changes), "application_date": "2024-03-15"})
    assert r.status_code == 201, r.text


def test_invalid_case_files_are_refused_and_nothing_is_stored(svc: Service) -> None:
    bad = case()
    del bad["requests"]
    r = svc.post("intake", "/api/cases", {"case": bad})
    assert r.status_code == 400 and "field 'requests' is required" in r.json()["detail"]
    r = svc.post("intake", "/api/cases", {"case": case(priority="whenever")})
    assert r.status_code == 400 and "priority" in r.json()["detail"]
    r = svc.post("intake", "/api/cases", {"case": case(documents=[{"kind": "x", "path": "/etc/passwd"}])})
    assert r.status_code == 400 and "not a server path" in r.json()["detail"]
    r = svc.post("intake", "/api/cases", {"case": "not an object"})
    assert r.status_code == 422
    assert svc.get("admin", "/api/cases").json() == []


def test_duplicate_case_number_is_a_conflict_and_keeps_the_first(svc: Service) -> None:
    _create(svc)
    r = svc.post("intake", "/api/cases", {"case": case(requests=[{"id": "9", "item": "MRI lumbar spine"}])})
    assert r.status_code == 409 and "already exists" in r.json()["detail"]
    kept = svc.get("admin", "/api/cases/TEST-0001").json()["case_file"]["requests"]
    assert [x["id"] for x in kept] == ["1", "2"]


def test_illegal_transitions_are_409_with_the_reason_and_change_nothing(svc: Service) -> None:
    _create(svc)
    r = svc.post("pmr", "/api/cases/TEST-0001/sign")
    assert r.status_code == 404  # not assigned to this reviewer: it does not exist for them
    r = svc.post("admin", "/api/cases/TEST-0001/assignment")
    assert r.status_code == 409
    assert "a case that is received cannot become assigned" in r.json()["detail"]
    r = svc.post("intake", "/api/cases/TEST-0001/letter")
    assert r.status_code == 409 and "cannot become letter_issued" in r.json()["detail"]
    assert _state(svc) == "received"
    assert svc.get("admin", "/api/cases/TEST-0001").json()["reviewer"] is None


def test_bad_records_leave_the_case_as_it_was(svc: Service) -> None:
    _create(svc)
    svc.post("intake", "/api/cases/TEST-0001/eligibility")
    svc.post("intake", "/api/cases/TEST-0001/records-request", {"notice_date": "2024-03-16"})
    r = svc.post("intake", "/api/cases/TEST-0001/records",
                 {"received_date": "2024-03-18", "documents": [{"kind": "progress_report", "title": "empty"}]})
    assert r.status_code == 400 and "documents.2" in r.json()["detail"]
    r = svc.post("intake", "/api/cases/TEST-0001/records", {"received_date": "2024-03-01"})
    assert r.status_code == 400 and "before they were requested" in r.json()["detail"]
    view = svc.get("admin", "/api/cases/TEST-0001").json()
    assert view["state"] == "records_requested" and view["records_received"] is None
    assert len(view["case_file"]["documents"]) == 2


def test_oversized_uploads_are_413(svc: Service) -> None:
    big = case(documents=case()["documents"] + [{"kind": "progress_report", "text": "x" * 100_000}])
    r = svc.post("intake", "/api/cases", {"case": big})
    assert r.status_code == 413 and "larger than the limit" in r.json()["detail"]
    # also when the size is not declared up front (chunked upload)
    import json

    def chunks():  # type: ignore[no-untyped-def]
        data = json.dumps({"case": big}).encode()
        for i in range(0, len(data), 8192):
            yield data[i:i + 8192]
    r = svc.client.post("/api/cases", content=chunks(), headers=svc.as_("intake") | {"content-type": "application/json"})
    assert r.status_code == 413
    assert svc.get("admin", "/api/cases").json() == []


def test_unknown_reviewer_and_override_rules(svc: Service) -> None:
    _create(svc)
    for step in ("eligibility", "records-request", "records"):
        svc.post("intake", f"/api/cases/TEST-0001/{step}")
    r = svc.post("admin", "/api/cases/TEST-0001/assignment", {"reviewer_id": "nobody", "reason": "test"})
    assert r.status_code == 400 and "unknown reviewer 'nobody'" in r.json()["detail"]
    r = svc.post("admin", "/api/cases/TEST-0001/assignment", {"reviewer_id": "r-chiro"})
    assert r.status_code == 400 and "needs a reason" in r.json()["detail"]
    r = svc.post("admin", "/api/cases/TEST-0001/assignment", {"reviewer_id": "r-ortho", "reason": "fast"})
    assert r.status_code == 400 and "exact match" in r.json()["detail"]
    assert _state(svc) == "records_received"
    r = svc.post("admin", "/api/cases/TEST-0001/assignment", {"reviewer_id": "r-chiro", "reason": "PM&R away"})
    assert r.status_code == 200 and r.json()["override_reason"] == "PM&R away"
    log = svc.get("admin", "/api/audit", case="TEST-0001").json()
    assert any(a["action"] == "assign" and a["detail"]["override_reason"] == "PM&R away" for a in log)


def test_a_denial_needs_a_physician_signature(svc: Service) -> None:
    _create(svc)
    for step in ("eligibility", "records-request", "records"):
        svc.post("intake", f"/api/cases/TEST-0001/{step}")
    svc.post("admin", "/api/cases/TEST-0001/assignment", {"reviewer_id": "r-chiro", "reason": "test"})
    assert svc.post("chiro", "/api/cases/TEST-0001/draft").status_code == 200
    r = svc.post("chiro", "/api/cases/TEST-0001/edits", {"decisions": [{"id": "1", "outcome": "Upheld"}]})
    assert r.status_code == 200
    r = svc.post("chiro", "/api/cases/TEST-0001/sign")
    assert r.status_code == 409 and "physician" in r.json()["detail"]
    assert _state(svc) == "under_review"
    r = svc.post("chiro", "/api/cases/TEST-0001/edits",
                 {"decisions": [{"id": "1", "outcome": "Overturned"}, {"id": "2", "outcome": "Overturned"}]})
    assert svc.post("chiro", "/api/cases/TEST-0001/sign").status_code == 200


def test_bad_edits_are_refused(svc: Service) -> None:
    _create(svc)
    for step in ("eligibility", "records-request", "records"):
        svc.post("intake", f"/api/cases/TEST-0001/{step}")
    svc.post("admin", "/api/cases/TEST-0001/assignment")
    r = svc.post("pmr", "/api/cases/TEST-0001/edits", {"decisions": [{"id": "1", "outcome": "Upheld"}]})
    assert r.status_code == 409 and "cannot become under_review" in r.json()["detail"]
    svc.post("pmr", "/api/cases/TEST-0001/draft")
    for change, message in [({"id": "7", "outcome": "Upheld"}, "no disputed item with id '7'"),
                            ({"id": "1", "outcome": "Denied"}, "must be Upheld or Overturned"),
                            ({"id": "1", "item": "something else"}, "only outcome, citations and rationale"),
                            ({"id": "1", "rationale": "  "}, "needs a rationale")]:
        r = svc.post("pmr", "/api/cases/TEST-0001/edits", {"decisions": [change]})
        assert r.status_code == 400 and message in r.json()["detail"], (change, r.text)
    assert [v["version"] for v in svc.get("pmr", "/api/cases/TEST-0001/drafts").json()] == [1]
    assert _state(svc) == "drafted"


def test_late_or_duplicate_applications_are_ineligible(svc: Service) -> None:
    _create(svc, ur_denial_date="2024-01-02")
    r = svc.post("intake", "/api/cases/TEST-0001/eligibility")
    assert r.status_code == 200 and not r.json()["eligible"]
    assert "73 days after the UR decision" in r.json()["problems"][0]
    assert _state(svc) == "ineligible"
    _create(svc, case_number="TEST-0002")
    _create(svc, case_number="TEST-0003")
    assert svc.post("intake", "/api/cases/TEST-0002/eligibility").json()["eligible"]
    r = svc.post("intake", "/api/cases/TEST-0003/eligibility").json()
    assert r["state"] == "ineligible" and "duplicate of case TEST-0002" in r["problems"][0]
    r = svc.post("intake", "/api/cases/TEST-0003/withdraw", {"reason": "filed twice"})
    assert r.status_code == 409 and "final state" in r.json()["detail"]
    r = svc.post("intake", "/api/cases/TEST-0002/withdraw", {"reason": "applicant withdrew"})
    assert r.status_code == 200 and r.json()["state"] == "withdrawn"
    assert [c["case_number"] for c in svc.get("intake", "/api/cases", state="withdrawn").json()] == ["TEST-0002"]
    assert svc.get("intake", "/api/cases", state="nonsense").status_code == 400


def test_openapi_is_served(svc: Service) -> None:
    spec = svc.client.get("/openapi.json").json()
    assert "/api/cases" in spec["paths"] and "/api/cases/{number}/sign" in spec["paths"]
