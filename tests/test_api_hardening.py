"""Issue 12, the service half: each hostile input found in the hardening review, answered with a 4xx and
nothing stored changed."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.api_support import Service, make_service
from tests.review_fixtures import case


@pytest.fixture
def svc(tmp_path: Path) -> Service:
    return make_service(f"sqlite:///{tmp_path / 'h.db'}")


def test_document_paths_are_refused_before_the_file_system_is_touched(svc: Service, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("the server's own file\n")
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)))
    (tmp_path / "folder").mkdir()
    os.mkfifo(tmp_path / "fifo")
    answers = {}
    for name in ("secret.txt", "binary.bin", "folder", "missing", "fifo"):
        body = {"case": case(documents=[{"kind": "medical_record", "path": str(tmp_path / name)}])}
        result: dict[str, object] = {}
        worker = threading.Thread(target=lambda b=body, out=result: out.update(r=svc.post("intake", "/api/cases", b)))
        worker.start()
        worker.join(10)
        if worker.is_alive():  # reading the FIFO blocks: open its other end so the thread can finish
            os.close(os.open(tmp_path / "fifo", os.O_WRONLY | os.O_NONBLOCK))
            worker.join(10)
            pytest.fail(f"{name}: the service opened the path and blocked")
        r = result["r"]
        answers[name] = (r.status_code, r.json()["detail"])  # type: ignore[attr-defined]
    # one answer for every kind of path: no file oracle
    assert set(answers.values()) == {(400, "case: documents.0: the service takes document text, not a server path")}
    assert svc.get("admin", "/api/cases").json() == []


def _deep(levels: int) -> str:
    return '{"a":' * levels + "1" + "}" * levels


def _reviewer(**changes: object) -> dict[str, object]:
    return {"id": "r-new2", "name": "Ned New", "degree": "MD", "licensure_states": ["California"],
            "specialties": ["PM&R"], "years_in_practice": 5, "weekly_clinical_hours": 30} | changes


def test_nul_bytes_and_overlong_fields_are_400_on_every_backend(db_url: str) -> None:
    """PostgreSQL cannot store NUL and enforces column widths: each of these was a 500 there."""
    svc = make_service(db_url)
    assert svc.post("intake", "/api/cases", {"case": case()}).status_code == 201
    before = svc.get("admin", "/api/cases/TEST-0001").json()
    client = svc.client
    probes = [
        client.post("/api/auth/token", json={"username": "ad\x00min", "password": "x"}),
        client.post("/api/auth/token", json={"username": "a" * 300, "password": "x"}),
        client.post("/api/auth/token", json={"username": "admin", "password": "x" * 5000}),
        svc.post("intake", "/api/cases", {"case": case(case_number="N\x00UL")}),
        svc.post("intake", "/api/cases", {"case": case(case_number="L" * 65)}),
        svc.post("intake", "/api/cases", {"case": case(case_number="T-2", parties={"employee": "a\x00b"})}),
        svc.post("intake", "/api/cases", {"case": case(case_number="T-3", **{"ex\x00tra": 1})}),
        svc.get("intake", "/api/cases/TEST-0001%00"),
        svc.get("intake", "/api/cases", state="a\x00"),
        svc.get("admin", "/api/audit", case="a\x00"),
        svc.post("admin", "/api/users", {"name": "u" * 101, "role": "intake", "password": "longenough"}),
        svc.post("admin", "/api/users", {"name": "u\x00", "role": "intake", "password": "longenough"}),
        svc.post("admin", "/api/users", {"name": "u2", "role": "intake", "password": "p" * 2000}),
        svc.post("admin", "/api/reviewers", [_reviewer(id="r" * 65)]),
        svc.post("admin", "/api/reviewers", [_reviewer(name="n" * 201)]),
        svc.post("admin", "/api/reviewers", [_reviewer(name="N\x00")]),
        svc.post("intake", "/api/cases/TEST-0001/withdraw", {"reason": "r\x00"}),
        client.post("/api/cases", content=_deep(5000), headers=svc.as_("intake") | {"content-type": "application/json"}),
        client.post("/api/auth/token", content='{"username": NaN, "password": Infinity}',
                    headers={"content-type": "application/json"}),
        client.post("/api/cases", content='{"case": ' + _deep(40) + "}",
                    headers=svc.as_("intake") | {"content-type": "application/json"}),
        client.post("/api/cases/TEST-0001/documents", headers=svc.as_("intake"),
                    files={"file": ("nul.txt", b"text\x00more", "text/plain")}),
        client.post("/api/cases/TEST-0001/documents", headers=svc.as_("intake"), data={"title": "t\x00"},
                    files={"file": ("ok.txt", b"text", "text/plain")}),
    ]
    for i, r in enumerate(probes):
        assert 400 <= r.status_code < 500, (i, r.status_code, r.text)
        assert r.headers["content-type"] == "application/json" and r.json()["detail"], (i, r.text)
    # a long case number in a URL is simply not found, and that refusal is audited like any other
    assert svc.get("intake", "/api/cases/" + "x" * 100).status_code == 404
    assert svc.get("admin", "/api/cases/TEST-0001").json() == before
    assert [c["case_number"] for c in svc.get("admin", "/api/cases").json()] == ["TEST-0001"]
    assert len(svc.get("admin", "/api/reviewers").json()) == 7


@pytest.mark.parametrize("levels", [40, 600])
def test_deeply_nested_extra_fields_are_refused_before_anything_is_written(svc: Service, levels: int) -> None:
    """600 levels parsed, was committed, then the response encoder ran out of stack: a 500 over a stored case."""
    body = '{"case": ' + json.dumps(case())[:-1] + ', "extra": ' + _deep(levels) + "}}"
    r = svc.client.post("/api/cases", content=body, headers=svc.as_("intake") | {"content-type": "application/json"})
    assert r.status_code == 400 and "nests deeper than" in r.json()["detail"]
    assert svc.get("admin", "/api/cases").json() == []


def test_concurrent_duplicates_are_409_not_500(db_url: str) -> None:
    svc = make_service(db_url)
    start = threading.Barrier(8)
    statuses: list[int] = []

    def file_it(number: str) -> None:
        start.wait()
        statuses.append(svc.post("intake", "/api/cases", {"case": case(case_number=number)}).status_code)

    for number in ("DUP-1", "DUP-2", "DUP-3"):
        workers = [threading.Thread(target=file_it, args=(number,)) for _ in range(8)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(60)
        start.reset()
    assert sorted(statuses) == sorted([201] * 3 + [409] * 21)
    assert [c["case_number"] for c in svc.get("admin", "/api/cases").json()] == ["DUP-1", "DUP-2", "DUP-3"]


def test_the_case_list_is_paged_and_does_not_read_case_files(svc: Service) -> None:
    for i in range(5):
        assert svc.post("intake", "/api/cases", {"case": case(case_number=f"P-{i}")}).status_code == 201
    first = svc.get("intake", "/api/cases", limit=2)
    assert [c["case_number"] for c in first.json()] == ["P-0", "P-1"] and first.headers["x-total-count"] == "5"
    assert [c["case_number"] for c in svc.get("intake", "/api/cases", limit=2, offset=4).json()] == ["P-4"]
    assert len(svc.get("intake", "/api/cases").json()) == 5  # the default page holds them all
    for bad in ({"limit": 0}, {"limit": 5000}, {"offset": -1}, {"limit": "x"}):
        r = svc.get("intake", "/api/cases", **bad)
        assert r.status_code == 422 and r.json()["detail"], bad
    statements: list[str] = []
    engine = svc.client.app.state.db.engine  # type: ignore[attr-defined]
    sa.event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    svc.get("intake", "/api/cases", limit=3)
    svc.get("intake", "/api/cases", deadline="ok")
    svc.get("intake", "/api/deadlines")
    selects = [s for s in statements if "FROM cases" in s]
    assert selects and not any("cases.data" in s or "cases.assignment" in s for s in selects), selects


def test_a_pdf_whose_pages_share_one_stream_cannot_expand_past_the_limit(svc: Service, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A few kilobytes of PDF expanded into a 16 MB document; the extracted text is capped (413)."""
    from openimr.db import workflow as wf
    from tests.pdfmaker import make_pdf

    monkeypatch.setattr(wf, "MAX_DOCUMENT_CHARS", 100_000)
    assert svc.post("intake", "/api/cases", {"case": case()}).status_code == 201
    bomb = make_pdf(["Progress note: lumbar pain, unchanged. " * 2] * 40, pages=400)
    assert len(bomb) < 70_000  # for about 3,300 characters a page: 1.3 million in all
    r = svc.client.post("/api/cases/TEST-0001/documents", headers=svc.as_("intake"),
                        files={"file": ("bomb.pdf", bomb, "application/pdf")})
    assert r.status_code == 413 and "longer than the limit of 100000 characters" in r.json()["detail"]
    big_text = b"x" * 100_001
    r = svc.client.post("/api/cases/TEST-0001/documents", headers=svc.as_("intake"),
                        files={"file": ("big.txt", big_text, "text/plain")})
    assert r.status_code == 413
    assert len(svc.get("admin", "/api/cases/TEST-0001").json()["case_file"]["documents"]) == 2
    ok = make_pdf(["a short note"], pages=3)
    r = svc.client.post("/api/cases/TEST-0001/documents", headers=svc.as_("intake"),
                        files={"file": ("ok.pdf", ok, "application/pdf")})
    assert r.status_code == 201 and r.json()["pages"] == 3


def test_who_reviewed_is_shown_to_admins_only(svc: Service) -> None:
    """The engine's draft note named the requesting reviewer, and the override reason (which may name
    reviewers) was the case's state_reason: both reached intake."""
    assert svc.post("intake", "/api/cases", {"case": case(), "application_date": "2024-03-15"}).status_code == 201
    for step in ("eligibility", "records-request", "records"):
        assert svc.post("intake", f"/api/cases/TEST-0001/{step}").status_code == 200
    reason = "Dana Physiatrist (r-pmr) covers for Casey this week"
    r = svc.post("admin", "/api/cases/TEST-0001/assignment", {"reviewer_id": "r-pmr", "reason": reason})
    assert r.status_code == 200, r.text
    for user in ("intake", "pmr"):
        view = svc.get(user, "/api/cases/TEST-0001").json()
        listed = svc.get(user, "/api/cases").json()
        assert reason not in str(view) and reason not in str(listed) and "Casey" not in str(view)
        assert view["state_reason"] == "assigned by a manual override"
    assert svc.post("pmr", "/api/cases/TEST-0001/draft").status_code == 200
    for user in ("intake", "pmr"):
        drafts = svc.get(user, "/api/cases/TEST-0001/drafts").json()
        assert "pmr" not in str([d["note"] for d in drafts]) and drafts[0]["note"] == "drafted by the engine"
    admin_log = svc.get("admin", "/api/audit", case="TEST-0001").json()
    assert any(a["action"] == "assign" and a["detail"]["override_reason"] == reason for a in admin_log)
    assert any(a["user"] == "pmr" and a["action"] == "transition" and a["detail"]["after"] == "drafted"
               for a in admin_log)


def test_the_api_refuses_a_reviewer_without_a_degree(svc: Service) -> None:
    r = svc.post("admin", "/api/reviewers", [_reviewer(), {k: v for k, v in _reviewer(id="r-x").items() if k != "degree"}])
    assert r.status_code == 400 and r.json()["detail"] == "reviewer 2: field 'degree' is required but missing"
    assert len(svc.get("admin", "/api/reviewers").json()) == 7


def test_implausible_dates_and_offsets_are_refused_not_overflowed(db_url: str) -> None:
    """Deadlines add days to dates: 9999-12-31 overflowed (a 500), and so did an offset past 64 bits."""
    svc = make_service(db_url)
    body = {"case": case(), "application_date": "2024-03-15"}
    assert svc.post("intake", "/api/cases", body).status_code == 201
    assert svc.post("intake", "/api/cases/TEST-0001/eligibility").status_code == 200
    for path, payload in [
        ("/api/cases", {"case": case(case_number="F-1", ur_denial_date="9999-12-31")}),
        ("/api/cases", {"case": case(case_number="F-2", date_of_injury="0001-01-01")}),
        ("/api/cases", {"case": case(case_number="F-3"), "application_date": "9999-12-31"}),
        ("/api/cases/TEST-0001/records-request", {"notice_date": "9999-12-31"}),
    ]:
        r = svc.post("intake", path, payload)
        assert r.status_code == 400 and "is not a plausible date" in r.json()["detail"], (payload, r.text)
    assert svc.get("intake", "/api/cases", offset=2**63).status_code == 422
    assert svc.get("intake", "/api/cases", offset=10**30).status_code == 422
    [only] = svc.get("intake", "/api/cases").json()
    assert only["case_number"] == "TEST-0001" and only["state"] == "eligibility_checked"
