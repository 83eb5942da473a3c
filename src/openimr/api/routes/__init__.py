"""The /api routes, one router per resource; create_app includes them all."""

from openimr.api.routes import audit, auth, cases, reviewers, users

ROUTERS = (auth.router, users.router, reviewers.router, cases.router, audit.router)

__all__ = ["ROUTERS"]
