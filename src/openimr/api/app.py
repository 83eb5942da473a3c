"""FastAPI application factory: routes under /api, OpenAPI at /openapi.json.

Every operation runs in one database transaction: it is committed whole or not at all. A refused operation
(bad input, wrong state, no permission) rolls back and is then recorded in the audit log on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, FastAPI, File, Form, HTTPException, Query, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, PlainTextResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from openimr.api.boundary import ErrorBoundary
from openimr.api.inputs import InputGuard
from openimr.api.limits import MAX_BODY_BYTES, BodyLimit
from openimr.api.throttle import LoginThrottle, Throttled
from openimr.db import Database, open_database
from openimr.db import workflow as wf
from openimr.db.accounts import (
    MAX_PASSWORD_LENGTH,
    WRONG_CREDENTIALS,
    UnknownUser,
    add_user,
    change_password,
    end_sessions,
    find_user,
    new_session,
    password_matches,
    revoke_token,
    set_disabled,
    user_for_token,
)
from openimr.db.models import USER_NAME_LENGTH, AuditRow, User
from openimr.errors import InputError
from openimr.intake import TextTooLarge, UnsupportedFileType
from openimr.letter.pdf import PdfUnavailable
from openimr.review.lifecycle import TransitionError
from openimr.review.registry import Reviewer, reviewer_from_mapping

T = TypeVar("T")

# the first kind that matches answers, so a narrower error comes before the one it refines
STATUS: dict[type[Exception], int] = {
    TextTooLarge: 413, UnsupportedFileType: 415, UnknownUser: 404, InputError: 400, wf.NotFound: 404, wf.Forbidden: 403, wf.AlreadyExists: 409, TransitionError: 409,
    PdfUnavailable: 503,  # the server lacks the system's Pango: not the caller's fault
}


class Login(BaseModel):
    username: str = Field(max_length=USER_NAME_LENGTH)
    password: str = Field(max_length=MAX_PASSWORD_LENGTH)


class NewCase(BaseModel):
    case: dict[str, Any] = Field(description="a case file, contract v1, with document text (not paths)")
    application_date: dt.date | None = Field(default=None, description="when the IMR application arrived")


class RecordsRequest(BaseModel):
    notice_date: dt.date | None = None
    electronic: bool = False


class RecordsReceived(BaseModel):
    received_date: dt.date | None = None
    documents: list[dict[str, Any]] = Field(default_factory=list)


class AssignBody(BaseModel):
    reviewer_id: str | None = Field(default=None, description="manual override; needs a reason")
    reason: str | None = None


class EditBody(BaseModel):
    decisions: list[dict[str, Any]]
    note: str | None = None


class WithdrawBody(BaseModel):
    reason: str


class NewPassword(BaseModel):
    password: str = Field(max_length=MAX_PASSWORD_LENGTH)
    current_password: str | None = Field(default=None, max_length=MAX_PASSWORD_LENGTH,
                                         description="needed when users change their own password")


class NewUser(BaseModel):
    name: str
    role: str
    password: str
    reviewer_id: str | None = None


_bearer = HTTPBearer(auto_error=False)
Creds = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def current_actor(request: Request, credentials: Creds) -> wf.Actor:
    """The user behind the bearer token; 401 without one, or with an unknown or expired one."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(401, "not authenticated: send 'Authorization: Bearer TOKEN' "
                                 "(POST /api/auth/token gives one)", headers={"WWW-Authenticate": "Bearer"})
    database: Database = request.app.state.db
    with database.transaction() as s:
        user = user_for_token(s, credentials.credentials)
        if user is None:
            raise HTTPException(401, "the token is unknown or has expired; log in again",
                                headers={"WWW-Authenticate": "Bearer"})
        return wf.Actor.of(user)


Who = Annotated[wf.Actor, Depends(current_actor)]


def create_app(db: Database | str | None = None, today: Callable[[], dt.date] = dt.date.today,
               max_body: int = MAX_BODY_BYTES, throttle: LoginThrottle | None = None) -> FastAPI:
    database = db if isinstance(db, Database) else open_database(db)
    throttle = throttle or LoginThrottle.from_environment()
    app = FastAPI(title="openimr", version="1", description="Independent Medical Review workflow",
                  openapi_url="/openapi.json", docs_url="/docs", redoc_url=None)
    app.add_middleware(InputGuard, on_refusal=lambda authorization, where, problem: audit_refusal(
        authorization, "unstorable_input", 400, problem, request=where))
    app.add_middleware(BodyLimit, limit=max_body)  # added after InputGuard, so it runs first: no huge body there
    app.add_middleware(ErrorBoundary)  # outermost: whatever escapes becomes JSON
    app.state.db = database

    def run(who: wf.Actor, action: str, case_number: str | None, fn: Callable[[Session], T]) -> T:
        """fn in one transaction; a refusal is rolled back, audited separately and answered with a 4xx."""
        try:
            return database.run(fn)
        except IntegrityError:  # still a conflict after a retry: two writers raced on one key
            with database.transaction() as s:
                wf.audit(s, who, f"refused:{action}", case_number, status=409, reason="concurrent conflict")
            raise HTTPException(409, f"{action.replace('_', ' ')}: conflicts with a change made at the same "
                                     "time; nothing was stored, try again") from None
        except tuple(STATUS) as exc:
            status = next(code for kind, code in STATUS.items() if isinstance(exc, kind))
            with database.transaction() as s:
                wf.audit(s, who, f"refused:{action}", case_number, status=status, reason=str(exc))
            raise HTTPException(status, str(exc)) from None

    def who_sent(authorization: str | None) -> str:
        """The user behind an Authorization header, for auditing a request refused before a route ran."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return "anonymous"
        with database.transaction() as s:
            user = user_for_token(s, token.strip())
            return user.name if user else "anonymous"

    def audit_refusal(authorization: str | None, action: str, status: int, reason: str, **detail: Any) -> None:
        name = who_sent(authorization)
        database.run(lambda s: wf.audit(s, name, f"refused:{action}", None, status=status, reason=reason[:500],
                                        **detail))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        await run_in_threadpool(audit_refusal, request.headers.get("authorization"), "invalid_request", 422,
                                f"{where}: {first.get('msg', 'invalid')}", method=request.method,
                                path=request.url.path[:200])
        return await request_validation_exception_handler(request, exc)

    @app.post("/api/auth/token", tags=["auth"], responses={429: {"description": "too many failed logins"}})
    def login(request: Request, body: Login) -> dict[str, Any]:
        address = request.client.host if request.client else "unknown"
        try:
            throttle.check(body.username, address)
            with throttle.hashing_slot():
                # the hash is read and checked outside any write transaction: argon2 takes a while
                with database.transaction() as s:
                    user = s.scalar(select(User).where(User.name == body.username))
                    stored = user.password_hash if user else None
                matches = password_matches(stored, body.password)
        except Throttled as exc:
            database.run(lambda s: wf.audit(s, body.username, "login_throttled", address=address))
            raise HTTPException(429, str(exc), headers={"Retry-After": str(exc.retry_after)}) from None
        if not matches or user is None or user.disabled:  # disabled: the same answer as a wrong password
            throttle.failed(body.username, address)
            database.run(lambda s: wf.audit(s, body.username, "login_failed", address=address))
            raise HTTPException(401, WRONG_CREDENTIALS, headers={"WWW-Authenticate": "Bearer"})
        throttle.succeeded(body.username)
        with database.transaction() as s:
            token, expires = new_session(s, user)
            wf.audit(s, body.username, "login", address=address)
        return {"access_token": token, "token_type": "bearer", "expires_at": expires.isoformat() + "Z"}

    @app.post("/api/auth/logout", tags=["auth"])
    def logout(credentials: Creds) -> dict[str, str]:
        if credentials is not None:
            def op(s: Session) -> None:
                user = user_for_token(s, credentials.credentials)
                revoke_token(s, credentials.credentials)
                if user is not None:
                    wf.audit(s, user.name, "logout")
            database.run(op)
        return {"status": "logged out"}

    @app.get("/api/me", tags=["auth"])
    def me(who: Who) -> dict[str, Any]:
        return {"name": who.name, "role": who.role}

    @app.post("/api/users", tags=["admin"], status_code=201)
    def new_user(who: Who, body: NewUser) -> dict[str, Any]:
        def op(s: Session) -> dict[str, Any]:
            wf.require(who, "reviewers")
            user = add_user(s, body.name, body.role, body.password, body.reviewer_id)
            wf.audit(s, who, "user_added", None, name=user.name, role=user.role)
            return {"name": user.name, "role": user.role, "reviewer_id": user.reviewer_id}
        return run(who, "add_user", None, op)

    @app.get("/api/users", tags=["admin"])
    def users(who: Who) -> list[dict[str, Any]]:
        def op(s: Session) -> list[dict[str, Any]]:
            wf.require(who, "users")
            wf.audit(s, who, "read_users")
            return [{"name": u.name, "role": u.role, "reviewer_id": u.reviewer_id, "disabled": u.disabled}
                    for u in s.scalars(select(User).order_by(User.name))]
        return run(who, "read_users", None, op)

    def switch(who: wf.Actor, name: str, disabled: bool) -> dict[str, Any]:
        def op(s: Session) -> dict[str, Any]:
            wf.require(who, "users")
            if disabled and name == who.name:
                raise InputError("administrators cannot disable themselves (another administrator can)")
            user = set_disabled(s, name, disabled)
            wf.audit(s, who, "user_disabled" if disabled else "user_enabled", None, name=user.name)
            return {"name": user.name, "disabled": user.disabled}
        return run(who, "disable_user" if disabled else "enable_user", None, op)

    @app.post("/api/users/{name}/disable", tags=["admin"])
    def disable_user(who: Who, name: str) -> dict[str, Any]:
        """The user can no longer log in and every session of theirs ends."""
        return switch(who, name, True)

    @app.post("/api/users/{name}/enable", tags=["admin"])
    def enable_user(who: Who, name: str) -> dict[str, Any]:
        return switch(who, name, False)

    @app.post("/api/users/{name}/password", tags=["auth"])
    def set_password(request: Request, who: Who, name: str, body: NewPassword) -> dict[str, Any]:
        """An administrator sets anyone's password; users change their own with their current one (throttled
        like a login). Every session of the user ends."""
        own = name == who.name
        if own and who.role != "admin":
            address = request.client.host if request.client else "unknown"
            try:
                throttle.check(name, address)
                with throttle.hashing_slot():
                    with database.transaction() as s:
                        stored = find_user(s, name).password_hash
                    matches = password_matches(stored, body.current_password or "")
            except Throttled as exc:
                raise HTTPException(429, str(exc), headers={"Retry-After": str(exc.retry_after)}) from None
            if not matches:
                throttle.failed(name, address)
                database.run(lambda s: wf.audit(s, who, "refused:change_password", None, status=403))
                raise HTTPException(403, "changing your own password needs the right current_password")

        def op(s: Session) -> dict[str, Any]:
            if not own:
                wf.require(who, "users")
            user = change_password(s, name, body.password)
            wf.audit(s, who, "password_changed", None, name=user.name)
            return {"name": user.name, "sessions_ended": True}
        return run(who, "change_password", None, op)

    @app.post("/api/users/{name}/logout-all", tags=["auth"])
    def logout_everywhere(who: Who, name: str) -> dict[str, Any]:
        """End every session of the user (an administrator, or users for themselves)."""
        def op(s: Session) -> dict[str, Any]:
            if name != who.name:
                wf.require(who, "users")
            ended = end_sessions(s, find_user(s, name))
            wf.audit(s, who, "logout_all", None, name=name, sessions=ended)
            return {"name": name, "sessions_ended": ended}
        return run(who, "logout_all", None, op)

    # ------------------------------------------------------------ reviewers

    @app.get("/api/reviewers", tags=["reviewers"])
    def reviewers(who: Who) -> list[dict[str, Any]]:
        def op(s: Session) -> list[dict[str, Any]]:
            wf.require(who, "reviewers")
            counts = wf.open_case_counts(s)
            wf.audit(s, who, "read_reviewers")
            return [r.model_dump(mode="json") | {"open_cases": counts.get(r.id, 0)} for r in wf.all_reviewers(s)]
        return run(who, "read_reviewers", None, op)

    @app.post("/api/reviewers", tags=["reviewers"])
    def save_reviewers(who: Who, body: list[dict[str, Any]]) -> dict[str, int]:
        def op(s: Session) -> dict[str, int]:
            wf.require(who, "reviewers")
            parsed: list[Reviewer] = [reviewer_from_mapping(r, f"reviewer {i + 1}") for i, r in enumerate(body)]
            added, updated = wf.save_reviewers(s, who, parsed)
            return {"added": added, "updated": updated}
        return run(who, "save_reviewers", None, op)

    # ------------------------------------------------------------ cases

    @app.post("/api/cases", tags=["cases"], status_code=201)
    def create_case(who: Who, body: NewCase) -> dict[str, Any]:
        number = str(body.case.get("case_number") or "") or None
        return run(who, "create", number, lambda s: wf.case_view(
            s, wf.create_case(s, who, body.case, body.application_date), who, today()))

    @app.get("/api/cases", tags=["cases"])
    def list_cases(who: Who, response: Response, state: str | None = None, due_before: dt.date | None = None,
                   deadline: str | None = None,
                   limit: Annotated[int, Query(ge=1, le=wf.MAX_PAGE, description="page size")] = wf.DEFAULT_PAGE,
                   offset: Annotated[int, Query(ge=0, le=wf.MAX_OFFSET, description="cases to skip")] = 0) -> list[dict[str, Any]]:
        """One page of cases, oldest first; X-Total-Count says how many match in all."""
        if deadline not in (None, "ok", "at_risk", "overdue"):
            raise HTTPException(400, "deadline must be ok, at_risk or overdue")
        page = run(who, "list", None, lambda s: wf.list_page(s, who, today(), state, due_before, deadline,
                                                             limit, offset))
        response.headers["X-Total-Count"] = str(page.total)
        return page.items

    @app.get("/api/cases/{number}", tags=["cases"])
    def read_case(who: Who, number: str) -> dict[str, Any]:
        return run(who, "read", number, lambda s: wf.read_case(s, who, number, today()))

    @app.post("/api/cases/{number}/eligibility", tags=["lifecycle"])
    def eligibility(who: Who, number: str) -> dict[str, Any]:
        def op(s: Session) -> dict[str, Any]:
            problems = wf.check_eligibility(s, who, number)
            return {"eligible": not problems, "problems": problems} | wf.read_case(s, who, number, today())
        return run(who, "check_eligibility", number, op)

    @app.post("/api/cases/{number}/records-request", tags=["lifecycle"])
    def records_request(who: Who, number: str, body: RecordsRequest) -> dict[str, Any]:
        return run(who, "request_records", number, lambda s: wf.case_view(
            s, wf.request_records(s, who, number, body.notice_date or today(), body.electronic), who, today()))

    @app.post("/api/cases/{number}/records", tags=["lifecycle"])
    def records(who: Who, number: str, body: RecordsReceived) -> dict[str, Any]:
        return run(who, "receive_records", number, lambda s: wf.case_view(
            s, wf.receive_records(s, who, number, body.received_date or today(), body.documents), who, today()))

    @app.post("/api/cases/{number}/documents", tags=["lifecycle"], status_code=201)
    def upload_document(
        who: Who, number: str,
        file: Annotated[UploadFile, File(description="a PDF (its text layer is read) or a UTF-8 .txt file")],
        kind: Annotated[str | None, Form(description="document kind; default medical_record")] = None,
        title: Annotated[str | None, Form(description="default: the file's name")] = None,
        date: Annotated[str | None, Form(description="YYYY-MM-DD")] = None,
    ) -> dict[str, Any]:
        # the body-size limit (BodyLimit) has already refused anything larger with 413
        upload = wf.Upload(file.filename or "", file.content_type, file.file.read(), kind or None, title or None,
                           date or None)
        return run(who, "add_document", number, lambda s: wf.add_document(s, who, number, upload))

    @app.post("/api/cases/{number}/assignment", tags=["lifecycle"])
    def assignment(who: Who, number: str, body: AssignBody) -> dict[str, Any]:
        def op(s: Session) -> dict[str, Any]:
            result = wf.assign_case(s, who, number, body.reviewer_id, body.reason)
            return result.as_dict(with_names=True) | {"explanation": result.explain()}
        return run(who, "assign", number, op)

    @app.post("/api/cases/{number}/draft", tags=["lifecycle"])
    def make_draft(who: Who, number: str) -> dict[str, Any]:
        def op(s: Session) -> dict[str, Any]:
            d = wf.draft(s, who, number)
            return {"version": d.version, "determination": d.determination}
        return run(who, "draft", number, op)

    @app.get("/api/cases/{number}/drafts", tags=["lifecycle"])
    def list_drafts(who: Who, number: str) -> list[dict[str, Any]]:
        return run(who, "read_drafts", number, lambda s: wf.drafts(s, who, number))

    @app.post("/api/cases/{number}/edits", tags=["lifecycle"])
    def make_edit(who: Who, number: str, body: EditBody) -> dict[str, Any]:
        def op(s: Session) -> dict[str, Any]:
            d = wf.edit(s, who, number, body.decisions, body.note)
            return {"version": d.version, "determination": d.determination}
        return run(who, "edit", number, op)

    @app.post("/api/cases/{number}/sign", tags=["lifecycle"])
    def sign(who: Who, number: str) -> dict[str, Any]:
        return run(who, "sign", number, lambda s: wf.case_view(s, wf.sign(s, who, number), who, today()))

    @app.post("/api/cases/{number}/letter", tags=["lifecycle"])
    def issue(who: Who, number: str) -> dict[str, Any]:
        def op(s: Session) -> dict[str, Any]:
            letter = wf.issue_letter(s, who, number)
            return {"case_number": number, "draft_version": letter.draft_version, "state": "letter_issued"}
        return run(who, "issue_letter", number, op)

    @app.get("/api/cases/{number}/letter", tags=["lifecycle"], response_class=PlainTextResponse,
             responses={200: {"content": {"text/plain": {}, "text/html": {}, "application/pdf": {}}}})
    def letter(who: Who, number: str, format: str = "text", public: bool = False) -> Any:
        body = run(who, "read_letter", number, lambda s: wf.read_letter(s, who, number, format, public))
        if isinstance(body, bytes):
            name = f"{number}{'-public' if public else ''}.pdf"
            return Response(body, media_type="application/pdf",
                            headers={"Content-Disposition": f'inline; filename="{name}"'})
        return HTMLResponse(body) if format == "html" else PlainTextResponse(body)

    @app.post("/api/cases/{number}/withdraw", tags=["lifecycle"])
    def withdraw(who: Who, number: str, body: WithdrawBody) -> dict[str, Any]:
        return run(who, "withdraw", number, lambda s: wf.case_view(
            s, wf.withdraw(s, who, number, body.reason), who, today()))

    @app.get("/api/deadlines", tags=["cases"])
    def deadlines(who: Who) -> dict[str, Any]:
        return run(who, "deadlines", None, lambda s: wf.deadline_report(s, who, today()))

    @app.get("/api/audit", tags=["admin"])
    def audit_log(who: Who, case: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
        def op(s: Session) -> list[dict[str, Any]]:
            wf.require(who, "audit")
            query = select(AuditRow).order_by(AuditRow.id.desc()).limit(max(1, min(limit, 1000)))
            if case:
                query = query.where(AuditRow.case_number == case)
            rows = [{"id": r.id, "at": r.at, "user": r.user_name, "action": r.action, "case_number": r.case_number,
                     "detail": r.detail} for r in s.scalars(query)]
            # who read the log is in the log (recorded after the read, so not in its own answer)
            wf.audit(s, who, "read_audit", case, limit=limit, rows=len(rows))
            return rows
        return run(who, "read_audit", case, op)

    # the reviewer workbench: HTML pages over the same database (imported here: it imports this module)
    from openimr.web import mount_web

    mount_web(app, database, today)
    return app
