"""Intake: file a case (a case file, or the case's details with its PDF or text records), then check
eligibility, request the records and mark them received, each showing the deadline it sets."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from openimr.db import workflow as wf
from openimr.errors import InputError
from openimr.intake import parse_case_text
from openimr.web import present
from openimr.web.core import Web, parse_date, require_role
from openimr.web.session import check_csrf

Files = Annotated[list[UploadFile] | None, File()]


def _uploads(files: list[UploadFile] | None, kind: str) -> list[wf.Upload]:
    """The files a form sent; an empty file input arrives as one nameless part, which is no upload."""
    out = []
    for f in files or []:
        if f.filename:
            out.append(wf.Upload(f.filename, f.content_type, f.file.read(), kind, None, None))
    return out


def _file_case(s: Session, who: wf.Actor, data: Any, application: Any, uploads: list[wf.Upload]) -> str:
    row = wf.create_case(s, who, data, application)
    for upload in uploads:  # each is audited with its checksum, as an API upload is
        wf.add_document(s, who, row.case_number, upload)
    return row.case_number


def _deadline_note(view: dict[str, Any]) -> str:
    d = view.get("deadline")
    if not d:
        return ""
    verb = "are" if d["what"] == "records" else "is"
    return f" The {d['what']} {verb} due {present.show_date(d['due'])} ({present.days_left_text(d['days_left'])} left)."


def routes(web: Web) -> APIRouter:
    router = APIRouter()

    @router.get("/intake", response_class=HTMLResponse)
    def intake_page(request: Request) -> Response:
        who = web.actor(request)
        require_role(who, "create")
        return web.page(request, "intake.html", who, kinds=["medical_record", "progress_report", "clinical_summary",
                                                            "ur_determination", "imaging_report", "other"])

    @router.post("/intake/file")
    def file_case(request: Request, case_file: Annotated[UploadFile, File()], csrf: Annotated[str, Form()] = "",
                  application_date: Annotated[str, Form()] = "", records: Files = None) -> Response:
        who = web.actor(request)
        check_csrf(request, csrf)
        applied = parse_date(application_date, "Application date")
        raw = case_file.file.read()
        name = case_file.filename or "the case file"
        uploads = _uploads(records, "medical_record")

        def op(s: Session) -> str:  # parsed inside, so that a refused file is audited like any refusal
            try:
                source = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise InputError(f"{name}: a case file is UTF-8 JSON or YAML text") from None
            data = parse_case_text(source, name, yaml_ok=not name.lower().endswith(".json"))
            return _file_case(s, who, data, applied, uploads)
        number = web.run(who, "create", None, op, "/intake")
        return web.done(f"/cases/{number}", f"Case {number} filed with {len(uploads)} uploaded record(s).")

    @router.post("/intake/new")
    def new_case(request: Request, csrf: Annotated[str, Form()] = "",
                 case_number: Annotated[str, Form()] = "", priority: Annotated[str, Form()] = "standard",
                 date_of_injury: Annotated[str, Form()] = "", ur_denial_date: Annotated[str, Form()] = "",
                 application_date: Annotated[str, Form()] = "", employee: Annotated[str, Form()] = "",
                 employer: Annotated[str, Form()] = "", claims_administrator: Annotated[str, Form()] = "",
                 requests: Annotated[str, Form()] = "", ur_decision: Files = None, records: Files = None) -> Response:
        who = web.actor(request)
        check_csrf(request, csrf)
        applied = parse_date(application_date, "Application date")
        items = [line.strip() for line in requests.splitlines() if line.strip()]
        data: dict[str, Any] = {
            "case_number": case_number.strip(), "priority": priority,
            "parties": {k: v.strip() for k, v in (("employee", employee), ("employer", employer),
                                                  ("claims_administrator", claims_administrator)) if v.strip()},
            "requests": [{"id": str(i), "item": item} for i, item in enumerate(items, start=1)],
        }
        for key, value, label in (("date_of_injury", date_of_injury, "Date of injury"),
                                  ("ur_denial_date", ur_denial_date, "UR decision date")):
            if parse_date(value, label):
                data[key] = value.strip()
        uploads = _uploads(ur_decision, "ur_determination") + _uploads(records, "medical_record")

        def op(s: Session) -> str:
            if not data["case_number"]:
                raise InputError("the case needs a case number")
            if not items:
                raise InputError("list at least one disputed item, one a line")
            return _file_case(s, who, data, applied, uploads)
        number = web.run(who, "create", case_number or None, op, "/intake")
        return web.done(f"/cases/{number}", f"Case {number} filed with {len(uploads)} uploaded document(s).")

    @router.post("/cases/{number}/eligibility")
    def eligibility(request: Request, number: str, csrf: Annotated[str, Form()] = "") -> Response:
        who = web.actor(request)
        check_csrf(request, csrf)
        problems = web.run(who, "check_eligibility", number, lambda s: wf.check_eligibility(s, who, number),
                           f"/cases/{number}")
        message = ("Eligible: the records can be requested." if not problems
                   else "Not eligible: " + "; ".join(problems) + ".")
        return web.done(f"/cases/{number}", message)

    @router.post("/cases/{number}/records-request")
    def records_request(request: Request, number: str, csrf: Annotated[str, Form()] = "",
                        notice_date: Annotated[str, Form()] = "", electronic: Annotated[str, Form()] = "") -> Response:
        who = web.actor(request)
        check_csrf(request, csrf)
        notice = parse_date(notice_date, "Notice date") or web.today()
        view = web.run(who, "request_records", number, lambda s: wf.case_view(
            s, wf.request_records(s, who, number, notice, bool(electronic)), who, web.today()), f"/cases/{number}")
        return web.done(f"/cases/{number}", "Records requested." + _deadline_note(view))

    @router.post("/cases/{number}/records")
    def records_received(request: Request, number: str, csrf: Annotated[str, Form()] = "",
                         received_date: Annotated[str, Form()] = "") -> Response:
        who = web.actor(request)
        check_csrf(request, csrf)
        received = parse_date(received_date, "Date received") or web.today()
        view = web.run(who, "receive_records", number, lambda s: wf.case_view(
            s, wf.receive_records(s, who, number, received, []), who, web.today()), f"/cases/{number}")
        return web.done(f"/cases/{number}", "Records received." + _deadline_note(view))

    @router.post("/cases/{number}/documents")
    def upload(request: Request, number: str, file: Annotated[UploadFile, File()], csrf: Annotated[str, Form()] = "",
               kind: Annotated[str, Form()] = "", title: Annotated[str, Form()] = "",
               date: Annotated[str, Form()] = "") -> Response:
        who = web.actor(request)
        check_csrf(request, csrf)
        parse_date(date, "Document date")
        upload = wf.Upload(file.filename or "", file.content_type, file.file.read(), kind or None, title or None,
                           date or None)
        added = web.run(who, "add_document", number, lambda s: wf.add_document(s, who, number, upload),
                        f"/cases/{number}")
        return web.done(f"/cases/{number}", f"Added {added['title']} ({added['pages']} page(s)).")

    return router

