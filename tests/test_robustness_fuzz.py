"""Property-based fuzzing of every POST route's request body: the answer is a success or a 4xx JSON error,
never a 5xx, and a refusal changes nothing that is stored (everything but the audit log, which records it).
The query parameters of the GET routes are drawn too: never a 5xx, and nothing stored changes.

Bodies are drawn three ways: any JSON value; an object with the route's own field names holding any JSON
value; and a valid body with one field replaced. Users, case numbers and path names are drawn too.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openimr.api import create_app
from openimr.api.throttle import LoginThrottle
from tests.api_support import PASSWORD, Service, make_service
from tests.review_fixtures import case

TABLES = ("reviewers", "users", "sessions", "cases", "drafts", "letters")

# dates as strings too: any date parses, and the deadline arithmetic overflowed near the year 9999
scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30) |
           st.dates().map(str))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) |
                           st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=20)

VALID: dict[str, Any] = {
    "/api/auth/token": {"username": "intake", "password": PASSWORD},
    "/api/users": {"name": "new-user", "role": "intake", "password": "long enough"},
    "/api/reviewers": [{"id": "r-fz", "name": "Fuzz Reviewer", "degree": "MD", "licensure_states": ["California"],
                        "specialties": ["PM&R"], "years_in_practice": 5, "weekly_clinical_hours": 30}],
    "/api/cases": {"case": case(case_number="FZ-1"), "application_date": "2024-03-15"},
    "records-request": {"notice_date": "2024-03-16", "electronic": True},
    "records": {"received_date": "2024-03-18", "documents": [{"kind": "progress_report", "text": "note"}]},
    "assignment": {"reviewer_id": "r-pmr", "reason": "fuzz"},
    "edits": {"decisions": [{"id": "1", "outcome": "Overturned", "rationale": "because"}], "note": "n"},
    "withdraw": {"reason": "fuzz"},
    "password": {"password": "another long one", "current_password": PASSWORD},
}
CASE_STEPS = ("eligibility", "records-request", "records", "assignment", "draft", "edits", "sign", "letter",
              "withdraw")
USER_STEPS = ("disable", "enable", "password", "logout-all")


def _body(route: str) -> st.SearchStrategy[Any]:
    valid = VALID.get(route)
    shaped: list[st.SearchStrategy[Any]] = [json_values]
    if isinstance(valid, dict):
        keys = list(valid)
        shaped.append(st.dictionaries(st.sampled_from(keys), json_values, max_size=len(keys)))
        shaped.append(st.tuples(st.sampled_from(keys), json_values).map(lambda kv: valid | {kv[0]: kv[1]}))
    elif isinstance(valid, list):
        keys = list(valid[0])
        shaped.append(st.lists(st.dictionaries(st.sampled_from(keys), json_values), max_size=3))
        shaped.append(st.tuples(st.sampled_from(keys), json_values).map(lambda kv: [valid[0] | {kv[0]: kv[1]}]))
    return st.one_of(*shaped)


numbers = st.sampled_from(["TEST-0001", "TEST-0002", "NOPE"]) | st.text(min_size=1, max_size=70)
names = st.sampled_from(["nobody", "new-user"]) | st.text(min_size=1, max_size=110)
# (path, json body) for one request; the path is built from the route and drawn names
requests = st.one_of(
    st.sampled_from(["/api/auth/token", "/api/users", "/api/reviewers", "/api/cases"]).flatmap(
        lambda route: st.tuples(st.just(route), _body(route))),
    st.tuples(numbers, st.sampled_from(CASE_STEPS)).flatmap(
        lambda ns: st.tuples(st.just(f"/api/cases/{quote(ns[0], safe='')}/{ns[1]}"), _body(ns[1]))),
    st.tuples(names, st.sampled_from(USER_STEPS)).flatmap(
        lambda ns: st.tuples(st.just(f"/api/users/{quote(ns[0], safe='')}/{ns[1]}"), _body(ns[1]))),
)
reads = st.sampled_from(["/api/cases", "/api/audit", "/api/deadlines", "/api/reviewers", "/api/users", "/api/me",
                         "/api/cases/TEST-0002", "/api/cases/TEST-0002/drafts", "/api/cases/TEST-0002/letter"])
query_values = st.text(max_size=20) | st.integers().map(str) | st.dates().map(str) | st.sampled_from(
    ["ok", "at_risk", "overdue", "received", "html", "text", "-1", "0", "1e400", "NaN"])
queries = st.dictionaries(st.sampled_from(["state", "due_before", "deadline", "limit", "offset", "case", "format"]),
                          query_values, max_size=4)
uploads = st.tuples(st.binary(max_size=300), st.text(max_size=20), st.sampled_from(
    ["text/plain", "application/pdf", "image/png", "", "text/plain; charset=latin-1"]),
    st.dictionaries(st.sampled_from(["kind", "title", "date"]), st.text(max_size=20)))


def _stored(svc: Service) -> dict[str, list[Any]]:
    engine = svc.client.app.state.db.engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        return {t: sorted(map(repr, conn.execute(sa.text(f"SELECT * FROM {t}")).all())) for t in TABLES}


def _to_drafted(svc: Service) -> None:
    parties = case()["parties"] | {"employee": "Pat Other"}  # not a duplicate of TEST-0001
    body = {"case": case(case_number="TEST-0002", parties=parties), "application_date": "2024-03-15"}
    assert svc.post("intake", "/api/cases", body).status_code == 201
    for step in ("eligibility", "records-request", "records"):
        assert svc.post("intake", f"/api/cases/TEST-0002/{step}").status_code == 200
    assert svc.post("admin", "/api/cases/TEST-0002/assignment").status_code == 200
    assert svc.post("pmr", "/api/cases/TEST-0002/draft").status_code == 200


def _check(svc: Service, before: dict[str, list[Any]], r: Any, what: str) -> dict[str, list[Any]]:
    assert r.status_code < 500, (what, r.status_code, r.text[:300])
    if r.status_code >= 400:
        assert r.headers["content-type"] == "application/json" and r.json()["detail"], (what, r.text[:300])
        assert _stored(svc) == before, f"refused ({r.status_code}) but stored data changed: {what}"
        return before
    return _stored(svc)


def test_fuzzed_request_bodies_get_a_4xx_or_success_and_refusals_change_nothing(db_url: str) -> None:
    svc = make_service(db_url)
    # the same database behind an app whose login throttle lets the fuzzer log in as often as it likes
    svc.client = TestClient(create_app(svc.client.app.state.db,  # type: ignore[attr-defined]
                                       throttle=LoginThrottle(per_user=10**6, per_address=10**6)))
    assert svc.post("intake", "/api/cases", {"case": case(), "application_date": "2024-03-15"}).status_code == 201
    _to_drafted(svc)
    state = {"stored": _stored(svc)}
    sessions = {u: svc.tokens[u] for u in ("admin", "intake", "pmr")}

    @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(user=st.sampled_from(list(sessions)), request=requests)
    def post_json(user: str, request: tuple[str, Any]) -> None:
        path, body = request
        r = svc.client.post(path, content=json.dumps(body), headers={
            "Authorization": f"Bearer {sessions[user]}", "content-type": "application/json"})
        state["stored"] = _check(svc, state["stored"], r, f"{user} POST {path} {json.dumps(body)[:300]}")

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(number=numbers, upload=uploads)
    def post_file(number: str, upload: tuple[bytes, str, str, dict[str, str]]) -> None:
        data, filename, content_type, fields = upload
        r = svc.client.post(f"/api/cases/{quote(number, safe='')}/documents", headers={"Authorization": f"Bearer {sessions['intake']}"},
                            files={"file": (filename, data, content_type)}, data=fields)
        state["stored"] = _check(svc, state["stored"], r, f"upload {number} {filename!r} {content_type} {fields}")

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(user=st.sampled_from(list(sessions)), path=reads, query=queries)
    def get_query(user: str, path: str, query: dict[str, str]) -> None:
        r = svc.client.get(path, params=query, headers={"Authorization": f"Bearer {sessions[user]}"})
        # reads change nothing stored (they are audited), successful or not
        assert r.status_code < 500 and r.headers["content-type"].startswith(("application/json", "text/")), (
            path, query, r.status_code, r.text[:300])
        assert _stored(svc) == state["stored"], (path, query)

    post_json()
    post_file()
    get_query()
