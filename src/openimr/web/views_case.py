"""The queue, the case page (records with the engine's evidence marked), editing with versions and their
differences, signing after the letter preview, and the letter itself."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from sqlalchemy.orm import Session

from openimr.db import workflow as wf
from openimr.errors import InputError
from openimr.facts import extract_case_facts
from openimr.intake import case_from_mapping
from openimr.review.lifecycle import RECORDS_OPEN, State
from openimr.web import present
from openimr.web.core import PageError, Web, parse_date
from openimr.web.session import check_csrf

DEADLINE_FILTERS = ("ok", "at_risk", "overdue")
EDITABLE = (State.drafted.value, State.under_review.value)


def _documents(view: dict[str, Any]) -> list[str]:
    return [d.get("text") or "" for d in view["case_file"].get("documents", [])]


def _version(versions: list[dict[str, Any]], number: int, case_number: str) -> dict[str, Any]:
    found = next((v for v in versions if v["version"] == number), None)
    if found is None:
        raise PageError(404, f"case {case_number} has no version {number}", f"/cases/{case_number}")
    return found


def _edit_changes(form: dict[str, Any], latest: dict[str, Any]) -> list[dict[str, Any]]:
    """What the edit form changed, per item, in the shape workflow.edit takes; unchanged items are left out."""
    changes = []
    for d in latest["decisions"]:
        key = f"item-{d['id']}"
        rows = []
        count = str(form.get(f"{key}-citations", "0"))
        if not count.isdigit():
            raise InputError(f"item {d['id']}: the form's citation count {count!r} is not a number")
        for n in range(int(count)):
            rows.append({k: str(form.get(f"{key}-cite-{n}-{k}", "")) for k in
                         (*present.CITATION_FIELDS, "mtus", "cite_by", "remove")})
        change: dict[str, Any] = {"id": d["id"]}
        outcome = form.get(f"{key}-outcome")
        if outcome is not None and outcome != d["outcome"]:
            change["outcome"] = outcome
        rationale = form.get(f"{key}-rationale")
        if rationale is not None and rationale.replace("\r\n", "\n").strip() != d["rationale"].strip():
            change["rationale"] = rationale.replace("\r\n", "\n").strip()
        citations = present.citations_from_form(rows, f"item {d['id']}")
        if [present.citation_label(c) for c in citations] != [present.citation_label(c) for c in d["citations"]]:
            change["citations"] = citations
        if len(change) > 1:
            changes.append(change)
    return changes


def routes(web: Web) -> APIRouter:
    router = APIRouter()

    def case_and_versions(who: wf.Actor, number: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The case as the API shows it and every version of its determination, oldest first."""
        return web.run(who, "read", number, lambda s: (wf.read_case(s, who, number, web.today()),
                                                       wf.drafts(s, who, number)), back="/")

    @router.get("/", response_class=HTMLResponse)
    def queue(request: Request, state: str | None = None, due_before: str | None = None,
              deadline: str | None = None) -> Response:
        who = web.actor(request)
        if deadline and deadline not in DEADLINE_FILTERS:
            raise PageError(400, "the deadline filter must be ok, at_risk or overdue", "/")
        due = parse_date(due_before, "Due before")
        today = web.today()

        def op(s: Session) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
            cases = wf.list_cases(s, who, today, state or None, due, deadline or None)
            report = wf.deadline_report(s, who, today) if who.role != "reviewer" else None
            return present.by_due_date(cases), report
        cases, report = web.run(who, "list", None, op)
        return web.page(request, "queue.html", who, cases=cases, report=report, states=list(State),
                        filters={"state": state or "", "due_before": due_before or "", "deadline": deadline or ""})

    @router.get("/cases/{number}", response_class=HTMLResponse)
    def case_page(request: Request, number: str) -> Response:
        who = web.actor(request)
        view, versions = case_and_versions(who, number)
        latest = versions[-1] if versions else None
        texts = _documents(view)
        names = present.fact_names(extract_case_facts(case_from_mapping(view["case_file"])).facts) if latest else {}
        marks = present.evidence_by_document(latest["determination"] if latest else None, texts, names)
        documents = [{"index": i, **d, "html": present.highlight(texts[i], marks.get(i, []))}
                     for i, d in enumerate(view["case_file"].get("documents", []))]
        return web.page(request, "case.html", who, case=view, latest=latest, versions=versions,
                        documents=documents, records_open=State(view["state"]) in RECORDS_OPEN,
                        editable=view["state"] in EDITABLE)

    @router.post("/cases/{number}/draft")
    def make_draft(request: Request, number: str, csrf: Annotated[str, Form()] = "") -> Response:
        who = web.actor(request)
        check_csrf(request, csrf)
        version = web.run(who, "draft", number, lambda s: wf.draft(s, who, number).version, f"/cases/{number}")
        return web.done(f"/cases/{number}", f"The engine drafted version {version}.")

    @router.get("/cases/{number}/edit", response_class=HTMLResponse)
    def edit_page(request: Request, number: str) -> Response:
        who = web.actor(request)
        view, versions = case_and_versions(who, number)
        if not versions:
            raise PageError(409, f"case {number} has no draft to edit yet", f"/cases/{number}")
        return web.page(request, "edit.html", who, case=view, latest=versions[-1])

    @router.post("/cases/{number}/edit")
    async def save_edit(request: Request, number: str) -> Response:
        form = dict(await request.form())
        who = await run_in_threadpool(web.actor, request)
        check_csrf(request, str(form.get("csrf", "")))
        back = f"/cases/{number}/edit"

        def op(s: Session) -> tuple[int, int]:
            versions = wf.drafts(s, who, number)
            if not versions:
                raise wf.NotFound(f"case {number} has no draft to edit yet")
            latest = versions[-1]
            if str(form.get("version")) != str(latest["version"]):
                raise wf.TransitionError(f"version {latest['version']} was saved after you opened the form "
                                         f"(version {form.get('version')}); reload it and edit again")
            changes = _edit_changes(form, latest["determination"])
            if not changes:
                raise InputError("nothing changed: edit an outcome, a citation or a rationale first")
            note = str(form.get("note", "")).strip() or None
            return latest["version"], wf.edit(s, who, number, changes, note).version
        before, after = await run_in_threadpool(web.run, who, "edit", number, op, back)
        return web.done(f"/cases/{number}/diff?a={before}&b={after}", f"Saved version {after}.")

    @router.get("/cases/{number}/diff", response_class=HTMLResponse)
    def diff_page(request: Request, number: str, a: int | None = None, b: int | None = None) -> Response:
        who = web.actor(request)
        versions = web.run(who, "read_drafts", number, lambda s: wf.drafts(s, who, number), back="/")
        if len(versions) < 2:
            raise PageError(409, f"case {number} has only {len(versions)} version(s); nothing to compare",
                            f"/cases/{number}")
        new = _version(versions, b if b is not None else versions[-1]["version"], number)
        old = _version(versions, a if a is not None else max(1, new["version"] - 1), number)
        return web.page(request, "diff.html", who, number=number, versions=versions, old=old, new=new,
                        items=present.version_diff(old["determination"], new["determination"]))

    @router.get("/cases/{number}/sign", response_class=HTMLResponse)
    def sign_page(request: Request, number: str) -> Response:
        who = web.actor(request)

        def op(s: Session) -> tuple[dict[str, Any], list[dict[str, Any]], bool | None]:
            view, versions = wf.read_case(s, who, number, web.today()), wf.drafts(s, who, number)
            physician = wf.reviewer_of(s, who.reviewer_id).is_physician if who.reviewer_id else None
            return view, versions, physician
        view, versions, physician = web.run(who, "read", number, op, back="/")
        if not versions:
            raise PageError(409, f"case {number} has no draft to sign yet", f"/cases/{number}")
        return web.page(request, "sign.html", who, case=view, latest=versions[-1], physician=physician)

    @router.get("/cases/{number}/letter-preview", response_class=HTMLResponse)
    def letter_preview(request: Request, number: str) -> Response:
        who = web.actor(request)
        html = web.run(who, "preview_letter", number, lambda s: wf.preview_letter(s, who, number), "/")
        return HTMLResponse(html)

    @router.post("/cases/{number}/sign")
    def sign(request: Request, number: str, csrf: Annotated[str, Form()] = "",
             version: Annotated[str, Form()] = "") -> Response:
        who = web.actor(request)
        check_csrf(request, csrf)

        def op(s: Session) -> None:
            latest = wf.drafts(s, who, number)
            if latest and str(latest[-1]["version"]) != version:
                raise wf.TransitionError(f"version {latest[-1]['version']} was saved after the preview you read "
                                         f"(version {version}); read the letter again before signing")
            wf.sign(s, who, number)
        web.run(who, "sign", number, op, f"/cases/{number}/sign")
        return web.done(f"/cases/{number}", f"Signed version {version}. Intake can now issue the letter.")

    @router.post("/cases/{number}/issue")
    def issue(request: Request, number: str, csrf: Annotated[str, Form()] = "") -> Response:
        who = web.actor(request)
        check_csrf(request, csrf)
        web.run(who, "issue_letter", number, lambda s: wf.issue_letter(s, who, number), f"/cases/{number}")
        return web.done(f"/cases/{number}/letter", "The letter is issued.")

    @router.get("/cases/{number}/letter", response_class=HTMLResponse)
    def letter_page(request: Request, number: str) -> Response:
        who = web.actor(request)
        view = web.run(who, "read", number, lambda s: wf.read_case(s, who, number, web.today()), "/")
        if view["state"] != State.letter_issued.value:
            raise PageError(404, f"case {number} has no issued letter yet (state: {view['state']})",
                            f"/cases/{number}")
        return web.page(request, "letter.html", who, case=view)

    @router.get("/cases/{number}/letter.{fmt}")
    def letter_file(request: Request, number: str, fmt: str) -> Response:
        who = web.actor(request)
        kinds = {"html": "html", "txt": "text", "pdf": "pdf"}
        if fmt not in kinds:
            raise PageError(404, f"the letter comes as .html, .txt or .pdf, not .{fmt}", f"/cases/{number}")
        body = web.run(who, "read_letter", number, lambda s: wf.read_letter(s, who, number, kinds[fmt]),
                       f"/cases/{number}")
        if isinstance(body, bytes):
            return Response(body, media_type="application/pdf",
                            headers={"Content-Disposition": f'attachment; filename="{number}.pdf"'})
        if fmt == "txt":
            return PlainTextResponse(body, headers={"Content-Disposition": f'attachment; filename="{number}.txt"'})
        return HTMLResponse(body)

    @router.post("/cases/{number}/withdraw")
    def withdraw(request: Request, number: str, csrf: Annotated[str, Form()] = "",
                 reason: Annotated[str, Form()] = "") -> Response:
        who = web.actor(request)
        check_csrf(request, csrf)
        web.run(who, "withdraw", number, lambda s: wf.withdraw(s, who, number, reason), f"/cases/{number}")
        return web.done(f"/cases/{number}", "The case is withdrawn.")

    return router
