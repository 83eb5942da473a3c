"""/openapi.json documents every /api operation's answer, and the routers serve the same operations as before.

tests/fixtures/api_operations.txt was taken from the application before the routes moved into routers
(openimr.api.routes); an operation added or removed on purpose is added to or removed from it in the same
change.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from openimr.api import create_app

SNAPSHOT = Path(__file__).parent / "fixtures" / "api_operations.txt"
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    db = tmp_path_factory.mktemp("openapi") / "openimr.db"
    with TestClient(create_app(f"sqlite:///{db}")) as client:
        answer = client.get("/openapi.json")
    assert answer.status_code == 200
    result: dict[str, Any] = answer.json()
    return result


def api_operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method.upper(), path, op) for path, item in spec["paths"].items() if path.startswith("/api")
            for method, op in item.items() if method in METHODS]


def resolved(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = spec["components"]["schemas"][name]
    return schema


def is_described(schema: dict[str, Any], spec: dict[str, Any]) -> bool:
    """A schema that says something: a type other than a bare object, named properties, or described items."""
    schema = resolved(schema, spec)
    if schema.get("type") == "array":
        return is_described(schema.get("items") or {}, spec)
    if schema.get("type") == "object" or not schema.get("type"):
        return bool(schema.get("properties"))
    return True


def test_the_api_serves_the_operations_it_served_before_the_routers(spec: dict[str, Any]) -> None:
    now = sorted(f"{method} {path}" for method, path, _ in api_operations(spec))
    assert now == SNAPSHOT.read_text().split("\n")[:-1]


def test_every_api_operation_documents_its_answer(spec: dict[str, Any]) -> None:
    undocumented = []
    for method, path, op in api_operations(spec):
        ok = {code: answer for code, answer in op["responses"].items() if code.startswith("2")}
        contents = [media for answer in ok.values() for media in (answer.get("content") or {}).values()]
        if not contents or not all(is_described(media.get("schema") or {}, spec) for media in contents):
            undocumented.append(f"{method} {path}")
    assert undocumented == []


def test_a_case_answer_documents_its_fields(spec: dict[str, Any]) -> None:
    answer = spec["paths"]["/api/cases/{number}"]["get"]["responses"]["200"]["content"]["application/json"]
    case = resolved(answer["schema"], spec)
    assert {"case_number", "state", "deadline", "reviewer", "case_file", "draft_version"} <= set(case["properties"])
    assert case.get("additionalProperties") is True  # extra keys (the assignment) are passed on, not dropped
