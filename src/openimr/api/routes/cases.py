"""Cases and their lifecycle: filing, intake, assignment, drafts, signing, the letter, deadlines."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Query, Response, UploadFile
from fastapi.responses import HTMLResponse, PlainTextResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from openimr.api.deps import Svc, Today, Who
from openimr.api.responses import (
    AssignmentOut,
    CaseSummary,
    CaseView,
    DeadlineReport,
    DocumentAdded,
    DraftOut,
    DraftVersion,
    Eligibility,
    LetterIssued,
)
from openimr.db import workflow as wf

router = APIRouter(prefix="/api")
CASES: list[str | Enum] = ["cases"]
LIFECYCLE: list[str | Enum] = ["lifecycle"]


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


@router.post("/cases", tags=CASES, status_code=201, response_model=CaseView)
def create_case(svc: Svc, who: Who, today: Today, body: NewCase) -> dict[str, Any]:
    number = str(body.case.get("case_number") or "") or None
    return svc.run(who, "create", number, lambda s: wf.case_view(
        s, wf.create_case(s, who, body.case, body.application_date), who, today))


@router.get("/cases", tags=CASES, response_model=list[CaseSummary])
def list_cases(svc: Svc, who: Who, today: Today, response: Response, state: str | None = None,
               due_before: dt.date | None = None, deadline: str | None = None,
               limit: Annotated[int, Query(ge=1, le=wf.MAX_PAGE, description="page size")] = wf.DEFAULT_PAGE,
               offset: Annotated[int, Query(ge=0, le=wf.MAX_OFFSET, description="cases to skip")] = 0,
               ) -> list[dict[str, Any]]:
    """One page of cases, oldest first; X-Total-Count says how many match in all."""
    if deadline not in (None, "ok", "at_risk", "overdue"):
        raise HTTPException(400, "deadline must be ok, at_risk or overdue")
    page = svc.run(who, "list", None, lambda s: wf.list_page(s, who, today, state, due_before, deadline,
                                                             limit, offset))
    response.headers["X-Total-Count"] = str(page.total)
    return page.items


@router.get("/cases/{number}", tags=CASES, response_model=CaseView)
def read_case(svc: Svc, who: Who, today: Today, number: str) -> dict[str, Any]:
    return svc.run(who, "read", number, lambda s: wf.read_case(s, who, number, today))


@router.post("/cases/{number}/eligibility", tags=LIFECYCLE, response_model=Eligibility)
def eligibility(svc: Svc, who: Who, today: Today, number: str) -> dict[str, Any]:
    def op(s: Session) -> dict[str, Any]:
        problems = wf.check_eligibility(s, who, number)
        return {"eligible": not problems, "problems": problems} | wf.read_case(s, who, number, today)
    return svc.run(who, "check_eligibility", number, op)


@router.post("/cases/{number}/records-request", tags=LIFECYCLE, response_model=CaseView)
def records_request(svc: Svc, who: Who, today: Today, number: str, body: RecordsRequest) -> dict[str, Any]:
    return svc.run(who, "request_records", number, lambda s: wf.case_view(
        s, wf.request_records(s, who, number, body.notice_date or today, body.electronic), who, today))


@router.post("/cases/{number}/records", tags=LIFECYCLE, response_model=CaseView)
def records(svc: Svc, who: Who, today: Today, number: str, body: RecordsReceived) -> dict[str, Any]:
    return svc.run(who, "receive_records", number, lambda s: wf.case_view(
        s, wf.receive_records(s, who, number, body.received_date or today, body.documents), who, today))


@router.post("/cases/{number}/documents", tags=LIFECYCLE, status_code=201, response_model=DocumentAdded)
def upload_document(
    svc: Svc, who: Who, number: str,
    file: Annotated[UploadFile, File(description="a PDF (its text layer is read) or a UTF-8 .txt file")],
    kind: Annotated[str | None, Form(description="document kind; default medical_record")] = None,
    title: Annotated[str | None, Form(description="default: the file's name")] = None,
    date: Annotated[str | None, Form(description="YYYY-MM-DD")] = None,
) -> dict[str, Any]:
    # the body-size limit (BodyLimit) has already refused anything larger with 413
    upload = wf.Upload(file.filename or "", file.content_type, file.file.read(), kind or None, title or None,
                       date or None)
    return svc.run(who, "add_document", number, lambda s: wf.add_document(s, who, number, upload))


@router.post("/cases/{number}/assignment", tags=LIFECYCLE, response_model=AssignmentOut)
def assignment(svc: Svc, who: Who, number: str, body: AssignBody) -> dict[str, Any]:
    def op(s: Session) -> dict[str, Any]:
        result = wf.assign_case(s, who, number, body.reviewer_id, body.reason)
        return result.as_dict(with_names=True) | {"explanation": result.explain()}
    return svc.run(who, "assign", number, op)


@router.post("/cases/{number}/draft", tags=LIFECYCLE, response_model=DraftOut)
def make_draft(svc: Svc, who: Who, number: str) -> dict[str, Any]:
    def op(s: Session) -> dict[str, Any]:
        d = wf.draft(s, who, number)
        return {"version": d.version, "determination": d.determination}
    return svc.run(who, "draft", number, op)


@router.get("/cases/{number}/drafts", tags=LIFECYCLE, response_model=list[DraftVersion])
def list_drafts(svc: Svc, who: Who, number: str) -> list[dict[str, Any]]:
    return svc.run(who, "read_drafts", number, lambda s: wf.drafts(s, who, number))


@router.post("/cases/{number}/edits", tags=LIFECYCLE, response_model=DraftOut)
def make_edit(svc: Svc, who: Who, number: str, body: EditBody) -> dict[str, Any]:
    def op(s: Session) -> dict[str, Any]:
        d = wf.edit(s, who, number, body.decisions, body.note)
        return {"version": d.version, "determination": d.determination}
    return svc.run(who, "edit", number, op)


@router.post("/cases/{number}/sign", tags=LIFECYCLE, response_model=CaseView)
def sign(svc: Svc, who: Who, today: Today, number: str) -> dict[str, Any]:
    return svc.run(who, "sign", number, lambda s: wf.case_view(s, wf.sign(s, who, number), who, today))


@router.post("/cases/{number}/letter", tags=LIFECYCLE)
def issue(svc: Svc, who: Who, number: str) -> LetterIssued:
    def op(s: Session) -> LetterIssued:
        letter = wf.issue_letter(s, who, number)
        return LetterIssued(case_number=number, draft_version=letter.draft_version, state="letter_issued")
    return svc.run(who, "issue_letter", number, op)


_TEXT: dict[str, Any] = {"schema": {"type": "string"}}
_LETTER: dict[int | str, dict[str, Any]] = {200: {"description": "the letter: text, HTML, or a PDF (format=pdf)",
                 "content": {"text/plain": _TEXT, "text/html": _TEXT,
                             "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}


@router.get("/cases/{number}/letter", tags=LIFECYCLE, response_class=PlainTextResponse, responses=_LETTER)
def letter(svc: Svc, who: Who, number: str, format: str = "text", public: bool = False) -> Response:
    body = svc.run(who, "read_letter", number, lambda s: wf.read_letter(s, who, number, format, public))
    if isinstance(body, bytes):
        name = f"{number}{'-public' if public else ''}.pdf"
        return Response(body, media_type="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="{name}"'})
    return HTMLResponse(body) if format == "html" else PlainTextResponse(body)


@router.post("/cases/{number}/withdraw", tags=LIFECYCLE, response_model=CaseView)
def withdraw(svc: Svc, who: Who, today: Today, number: str, body: WithdrawBody) -> dict[str, Any]:
    return svc.run(who, "withdraw", number, lambda s: wf.case_view(
        s, wf.withdraw(s, who, number, body.reason), who, today))


@router.get("/deadlines", tags=CASES, response_model=DeadlineReport)
def deadlines(svc: Svc, who: Who, today: Today) -> dict[str, Any]:
    return svc.run(who, "deadlines", None, lambda s: wf.deadline_report(s, who, today))
