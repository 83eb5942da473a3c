"""A TestClient over a fresh database with one user per role and the synthetic reviewer registry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient
from review_fixtures import reviewers

from openimr.api import create_app
from openimr.db import open_database
from openimr.db.accounts import add_user
from openimr.db.workflow import save_reviewers
from openimr.review.registry import Reviewer

PASSWORD = "correct horse battery"
USERS = {"admin": ("admin", None), "intake": ("intake", None), "pmr": ("reviewer", "r-pmr"),
         "chiro": ("reviewer", "r-chiro")}


@dataclass
class Service:
    client: TestClient
    tokens: dict[str, str] = field(default_factory=dict)

    def as_(self, user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[user]}"}

    def post(self, user: str, path: str, json: Any = None) -> Any:
        return self.client.post(path, json=json if json is not None else {}, headers=self.as_(user))

    def get(self, user: str, path: str, **params: Any) -> Any:
        return self.client.get(path, params=params, headers=self.as_(user))


def make_service(url: str, today: dt.date | None = None, max_body: int = 10 * 1024 * 1024) -> Service:
    db = open_database(url)
    with db.transaction() as s:
        save_reviewers(s, "test", [Reviewer.model_validate(r) for r in reviewers()])
        for name, (role, rid) in USERS.items():
            add_user(s, name, role, PASSWORD, rid)
    app = create_app(db, today=(lambda: today) if today else dt.date.today, max_body=max_body)
    service = Service(TestClient(app))
    for name in USERS:
        r = service.client.post("/api/auth/token", json={"username": name, "password": PASSWORD})
        assert r.status_code == 200, r.text
        service.tokens[name] = r.json()["access_token"]
    return service
