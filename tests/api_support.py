"""A TestClient over a fresh database with one user per role and the synthetic reviewer registry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from openimr.api import create_app
from openimr.db import open_database
from openimr.db.accounts import hash_password, new_session
from openimr.db.models import User
from openimr.db.workflow import save_reviewers
from openimr.review.registry import Reviewer
from tests.review_fixtures import reviewers

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
        # argon2 is slow on purpose: hash once per test run and open sessions directly
        # (test_api_access logs in through the API for real)
        for name, (role, rid) in USERS.items():
            s.add(User(name=name, role=role, password_hash=_hashed(), reviewer_id=rid))
    app = create_app(db, today=(lambda: today) if today else dt.date.today, max_body=max_body)
    service = Service(TestClient(app))
    with db.transaction() as s:
        for user in s.scalars(select(User)):
            service.tokens[user.name] = new_session(s, user)[0]
    return service


@lru_cache(maxsize=1)
def _hashed() -> str:
    return hash_password(PASSWORD)
