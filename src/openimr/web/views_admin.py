"""Administration: the reviewer registry, assignment with its explanation or an override, users, the audit log."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from openimr.db import workflow as wf
from openimr.db.accounts import add_user
from openimr.db.models import AuditRow
from openimr.errors import InputError
from openimr.intake import case_from_mapping
from openimr.review.assignment import assign
from openimr.review.registry import parse_registry
from openimr.review.roles import ROLES
from openimr.web import users as accounts
from openimr.web.core import PageError, Web, require_role
from openimr.web.session import check_csrf

AUDIT_ROWS = 200


def _user_rows(s: Session) -> list[dict[str, Any]]:
    return [{"name": u.name, "role": u.role, "reviewer_id": u.reviewer_id, "created_at": u.created_at,
             "disabled": accounts.is_disabled(u)} for u in accounts.all_users(s)]


def routes(web: Web) -> APIRouter:
    router = APIRouter()

    # ------------------------------------------------------------ reviewers

    @router.get("/admin/reviewers", response_class=HTMLResponse)
    def reviewers_page(request: Request) -> Response:
        who = web.actor(request)

        def op(s: Session) -> list[dict[str, Any]]:
            wf.require(who, "reviewers")
            counts = wf.open_case_counts(s)
            wf.audit(s, who, "read_reviewers")
            return [r.model_dump(mode="json") | {"open_cases": counts.get(r.id, 0), "physician": r.is_physician}
                    for r in wf.all_reviewers(s)]
        return web.page(request, "reviewers.html", who, reviewers=web.run(who, "read_reviewers", None, op, "/"))

    @router.post("/admin/reviewers")
    def import_reviewers(request: Request, registry: Annotated[UploadFile, File()],
                         csrf: Annotated[str, Form()] = "") -> Response:
        who = web.actor(request)
        check_csrf(request, csrf)
        name = registry.filename or "the registry"
        raw = registry.file.read()

        def op(s: Session) -> tuple[int, int]:
            wf.require(who, "reviewers")
            fmt = name.rsplit(".", 1)[-1].lower() if "." in name else ""
            if fmt not in ("csv", "json"):
                raise InputError(f"{name}: a registry file ends in .csv or .json")
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise InputError(f"{name}: not UTF-8 text") from None
            return wf.save_reviewers(s, who, parse_registry(text, fmt, name))
        added, updated = web.run(who, "save_reviewers", None, op, "/admin/reviewers")
        return web.done("/admin/reviewers", f"Imported {name}: {added} added, {updated} updated.")

    # ------------------------------------------------------------ assignment

    @router.get("/cases/{number}/assign", response_class=HTMLResponse)
    def assign_page(request: Request, number: str) -> Response:
        who = web.actor(request)
        require_role(who, "assign")

        def op(s: Session) -> tuple[dict[str, Any], dict[str, Any], list[Any]]:
            view = wf.read_case(s, who, number, web.today())
            reviewers = wf.all_reviewers(s)
            loads = wf.open_case_counts(s)
            if view["reviewer"] and view["reviewer"].get("id") in loads:  # as assign_case counts a reassignment
                loads[view["reviewer"]["id"]] = max(0, loads[view["reviewer"]["id"]] - 1)
            proposal = assign(case_from_mapping(view["case_file"], f"case {number}"), reviewers, loads)
            return view, proposal.as_dict(with_names=True), reviewers
        view, proposal, reviewers = web.run(who, "read", number, op, f"/cases/{number}")
        return web.page(request, "assign.html", who, case=view, proposal=proposal, reviewers=reviewers)

    @router.post("/cases/{number}/assign")
    def assign_case(request: Request, number: str, csrf: Annotated[str, Form()] = "",
                    reviewer_id: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "") -> Response:
        who = web.actor(request)
        check_csrf(request, csrf)
        result = web.run(who, "assign", number, lambda s: wf.assign_case(
            s, who, number, reviewer_id or None, reason or None), f"/cases/{number}/assign")
        chosen = result.chosen
        how = f" by override ({result.override_reason})" if result.override_reason else ""
        return web.done(f"/cases/{number}", f"Assigned to {chosen.name if chosen else '—'}{how}.")

    # ------------------------------------------------------------ users

    @router.get("/admin/users", response_class=HTMLResponse)
    def users_page(request: Request) -> Response:
        who = web.actor(request)
        require_role(who, "reviewers")
        def op(s: Session) -> tuple[list[dict[str, Any]], list[Any]]:
            return _user_rows(s), wf.all_reviewers(s)
        rows, reviewers = web.run(who, "read_users", None, op, "/")
        return web.page(request, "users.html", who, users=rows, roles=ROLES, reviewers=reviewers)

    @router.post("/admin/users")
    def create_user(request: Request, csrf: Annotated[str, Form()] = "", name: Annotated[str, Form()] = "",
                    role: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "",
                    reviewer_id: Annotated[str, Form()] = "") -> Response:
        who = web.actor(request)
        check_csrf(request, csrf)

        def op(s: Session) -> str:
            wf.require(who, "reviewers")
            user = add_user(s, name, role, password, reviewer_id or None)
            wf.audit(s, who, "user_added", None, name=user.name, role=user.role)
            return user.name
        created = web.run(who, "add_user", None, op, "/admin/users")
        return web.done("/admin/users", f"User {created} created.")

    @router.post("/admin/users/{name}/password")
    def reset(request: Request, name: str, csrf: Annotated[str, Form()] = "",
              password: Annotated[str, Form()] = "") -> Response:
        who = web.actor(request)
        check_csrf(request, csrf)

        def op(s: Session) -> None:
            wf.require(who, "reviewers")
            accounts.reset_password(s, name, password)
            wf.audit(s, who, "password_reset", None, name=name)
        web.run(who, "reset_password", None, op, "/admin/users")
        return web.done("/admin/users", f"New password set for {name}; their sessions were ended.")

    @router.post("/admin/users/{name}/disable")
    def disable(request: Request, name: str, csrf: Annotated[str, Form()] = "") -> Response:
        who = web.actor(request)
        check_csrf(request, csrf)

        def op(s: Session) -> None:
            wf.require(who, "reviewers")
            accounts.disable_user(s, name, who.name)
            wf.audit(s, who, "user_disabled", None, name=name)
        web.run(who, "disable_user", None, op, "/admin/users")
        return web.done("/admin/users", f"{name} is disabled; setting a new password enables the account again.")

    # ------------------------------------------------------------ audit

    @router.get("/admin/audit", response_class=HTMLResponse)
    def audit_page(request: Request, case: str | None = None) -> Response:
        who = web.actor(request)

        def op(s: Session) -> list[dict[str, Any]]:
            wf.require(who, "audit")
            query = select(AuditRow).order_by(AuditRow.id.desc()).limit(AUDIT_ROWS)
            if case:
                query = query.where(AuditRow.case_number == case)
            rows = [{"at": r.at, "user": r.user_name, "action": r.action, "case_number": r.case_number,
                     "detail": r.detail} for r in s.scalars(query)]
            wf.audit(s, who, "read_audit", case or None, via="web")
            return rows
        rows = web.run(who, "read_audit", case or None, op, "/")
        if case and not rows:
            raise PageError(404, f"the audit log has nothing for case {case!r}", "/admin/audit")
        return web.page(request, "audit.html", who, rows=rows, case=case or "", limit=AUDIT_ROWS)

    return router
