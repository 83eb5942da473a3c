"""Case operations on the database: each one checks who asks, moves the case through the lifecycle, keeps
every version, and appends to the audit log, all inside the caller's transaction.

The pure rules live in openimr.review; this module only loads rows, applies those rules and stores results.
Errors: InputError (bad input), NotFound, Forbidden, AlreadyExists, TransitionError (a refused move).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, defer

from openimr.db.models import (
    ACTION_LENGTH,
    ID_LENGTH,
    USER_NAME_LENGTH,
    AuditRow,
    CaseRow,
    DraftRow,
    LetterRow,
    ReviewerRow,
    User,
    utcnow,
)
from openimr.db.settings import env_int
from openimr.decide import decide_case
from openimr.errors import InputError
from openimr.intake import case_from_mapping, uploaded_text
from openimr.letter import render_letter, render_letter_bytes
from openimr.model import Case, Determination
from openimr.review import deadlines as dl
from openimr.review.assignment import Assignment, assign
from openimr.review.conflicts import normalize_name
from openimr.review.lifecycle import (
    OPEN_REVIEW,
    EligibilityFacts,
    State,
    TransitionError,
    check_documents_open,
    check_signature,
    check_transition,
    eligibility_problems,
)
from openimr.review.registry import Reviewer
from openimr.services import normalize


class NotFound(Exception):
    """No such case, reviewer or letter (or not one this user may see)."""


class Forbidden(Exception):
    """The user's role does not allow this operation."""


class AlreadyExists(Exception):
    """A case or reviewer with this identifier is already stored."""


@dataclass(frozen=True)
class Actor:
    name: str
    role: str  # intake | reviewer | admin
    reviewer_id: str | None = None

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(user.name, user.role, user.reviewer_id)


# the command line acts as an administrator of its own database
CLI_ACTOR = Actor("cli", "admin")

# which roles may do what; a reviewer may in addition only touch cases assigned to them
PERMISSIONS: dict[str, frozenset[str]] = {
    "create": frozenset({"intake", "admin"}),
    "read": frozenset({"intake", "reviewer", "admin"}),
    "check_eligibility": frozenset({"intake", "admin"}),
    "request_records": frozenset({"intake", "admin"}),
    "receive_records": frozenset({"intake", "admin"}),
    "add_document": frozenset({"intake", "admin"}),
    "assign": frozenset({"admin"}),
    "draft": frozenset({"reviewer", "admin"}),
    "edit": frozenset({"reviewer"}),
    "sign": frozenset({"reviewer"}),
    "issue_letter": frozenset({"intake", "admin"}),
    "withdraw": frozenset({"intake", "admin"}),
    "reviewers": frozenset({"admin"}),
    "audit": frozenset({"admin"}),
    "users": frozenset({"admin"}),
}


def require(actor: Actor, operation: str) -> None:
    if actor.role not in PERMISSIONS[operation]:
        allowed = " or ".join(sorted(PERMISSIONS[operation]))
        raise Forbidden(f"{operation.replace('_', ' ')} needs the {allowed} role; {actor.name} is {actor.role}")


def audit(session: Session, actor: Actor | str, action: str, case_number: str | None = None,
          **detail: Any) -> None:
    """Append to the audit log. Names come from clients (a failed login's user name, a case number in a URL),
    so they are cut to the column widths: recording a refusal must never fail."""
    name = actor.name if isinstance(actor, Actor) else actor
    session.add(AuditRow(user_name=name[:USER_NAME_LENGTH], action=action[:ACTION_LENGTH],
                         case_number=case_number[:ID_LENGTH] if case_number else case_number, detail=detail))


# ---------------------------------------------------------------- loading and showing


def _case_row(session: Session, actor: Actor, number: str, operation: str, lock: bool = False) -> CaseRow:
    require(actor, operation)
    query = select(CaseRow).where(CaseRow.case_number == number)
    if lock:  # serialize concurrent moves of one case (PostgreSQL; SQLite locks the whole file anyway)
        query = query.with_for_update()
    row = session.scalar(query)
    # a reviewer cannot tell an unassigned case from a missing one
    if row is None or (actor.role == "reviewer" and row.reviewer_id != actor.reviewer_id):
        raise NotFound(f"no case {number!r}")
    return row


def _visible_cases(actor: Actor) -> Select[CaseRow]:
    """All cases, or for a reviewer only those assigned to them."""
    query = select(CaseRow)
    if actor.role == "reviewer":
        query = query.where(CaseRow.reviewer_id == actor.reviewer_id)
    return query


def reviewer_of(session: Session, reviewer_id: str) -> Reviewer:
    row = session.get(ReviewerRow, reviewer_id)
    if row is None:
        raise NotFound(f"no reviewer {reviewer_id!r}")
    return Reviewer.model_validate(row.data)


def _case_model(row: CaseRow) -> Case:
    return case_from_mapping(row.data, where=f"case {row.case_number}")


def case_dates(row: CaseRow) -> dl.CaseDates:
    return dl.CaseDates(row.case_number, State(row.state), row.priority == "expedited", row.records_requested,
                        row.records_electronic, row.records_received)


def latest_draft(session: Session, row: CaseRow) -> DraftRow | None:
    return session.scalar(select(DraftRow).where(DraftRow.case_id == row.id).order_by(DraftRow.version.desc()))


def case_view(session: Session, row: CaseRow, actor: Actor, today: dt.date, full: bool = True,
              reviewers: dict[str, Reviewer] | None = None) -> dict[str, Any]:
    """The case as the API shows it; reviewer names and ids only for admins. reviewers caches the reviewer
    records across the cases of one list."""
    reviewer: dict[str, Any] | None = None
    if row.reviewer_id:
        cache = reviewers if reviewers is not None else {}
        r = cache.get(row.reviewer_id) or cache.setdefault(row.reviewer_id, reviewer_of(session, row.reviewer_id))
        reviewer = dict(r.credentials())
        if actor.role == "admin":
            reviewer |= {"id": r.id, "name": r.name}
    deadline = dl.current_deadline(case_dates(row), today)
    view: dict[str, Any] = {
        "case_number": row.case_number, "state": row.state, "state_reason": _state_reason(row, actor),
        "priority": row.priority, "application_date": row.application_date,
        "ur_decision_date": row.ur_decision_date, "records_requested": row.records_requested,
        "records_electronic": row.records_electronic, "records_received": row.records_received,
        "application_due": dl.application_due(row.ur_decision_date) if row.ur_decision_date else None,
        "deadline": deadline.__dict__ if deadline else None,
        "reviewer": reviewer, "signed_at": row.signed_at,
    }
    if full:
        draft = latest_draft(session, row)
        view["draft_version"] = draft.version if draft else None
        view["case_file"] = row.data
        if row.assignment:
            view["assignment"] = row.assignment if actor.role == "admin" else {
                "needs": row.assignment.get("needs"), "override": bool(row.assignment.get("override_reason"))}
    return view


def _state_reason(row: CaseRow, actor: Actor) -> str | None:
    """Cases assigned before the override note was fixed keep the reason in state_reason: admins only."""
    if actor.role != "admin" and (row.state_reason or "").startswith("override: "):
        return OVERRIDE_NOTE
    return row.state_reason


def read_case(session: Session, actor: Actor, number: str, today: dt.date) -> dict[str, Any]:
    row = _case_row(session, actor, number, "read")
    audit(session, actor, "read", number)
    return case_view(session, row, actor, today)


# the page size of GET /api/cases when the client names none, and the largest it may ask for
DEFAULT_PAGE, MAX_PAGE = 100, 1000
MAX_OFFSET = 1_000_000_000  # beyond any real list, and within the databases' 64-bit integers


def _listed(query: Select[CaseRow]) -> Select[CaseRow]:
    """Only the columns a list shows: the case file and the assignment (JSON, large) are not read or decoded."""
    return query.options(defer(CaseRow.data), defer(CaseRow.assignment))


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    total: int


def list_cases(session: Session, actor: Actor, today: dt.date, state: str | None = None,
               due_before: dt.date | None = None, deadline_status: str | None = None) -> list[dict[str, Any]]:
    """Every visible case, oldest first (the command line's list)."""
    return list_page(session, actor, today, state, due_before, deadline_status, limit=None).items


def list_page(session: Session, actor: Actor, today: dt.date, state: str | None = None,
              due_before: dt.date | None = None, deadline_status: str | None = None,
              limit: int | None = DEFAULT_PAGE, offset: int = 0) -> Page:
    """One page of the visible cases (all of them when limit is None), oldest first, and how many match."""
    require(actor, "read")
    if state is not None and state not in State.__members__:
        raise InputError(f"unknown state {state!r} (one of: {', '.join(State.__members__)})")
    if (limit is not None and not 1 <= limit <= MAX_PAGE) or not 0 <= offset <= MAX_OFFSET:
        raise InputError(f"limit must be 1 to {MAX_PAGE} and offset 0 to {MAX_OFFSET}")
    query = _visible_cases(actor)
    if state:
        query = query.where(CaseRow.state == state)
    ordered = _listed(query.order_by(CaseRow.created_at, CaseRow.id))
    if due_before is None and deadline_status is None:  # the database pages
        total = session.scalar(query.with_only_columns(func.count(CaseRow.id))) or 0
        rows = list(session.scalars(ordered.limit(limit).offset(offset)))  # limit None: no LIMIT
    else:  # the deadline is computed here, from dates only
        matching = []
        for row in session.scalars(ordered):
            deadline = dl.current_deadline(case_dates(row), today)
            if due_before and (deadline is None or deadline.due > due_before):
                continue
            if deadline_status and (deadline is None or deadline.status != deadline_status):
                continue
            matching.append(row)
        total, rows = len(matching), matching[offset:None if limit is None else offset + limit]
    reviewers: dict[str, Reviewer] = {}
    items = [case_view(session, row, actor, today, full=False, reviewers=reviewers) for row in rows]
    audit(session, actor, "list", None, count=len(items), total=total, offset=offset, state=state)
    return Page(items, total)


# ---------------------------------------------------------------- intake


def create_case(session: Session, actor: Actor, data: Any, application_date: dt.date | None) -> CaseRow:
    require(actor, "create")
    # before anything else: validating the case would read a path's file, so the answer (and the time it
    # takes) would tell a client which files exist on the server
    if isinstance(data, dict):
        _refuse_server_paths(data.get("documents"), "case: ")
    case = case_from_mapping(data, where="case")
    if not isinstance(data, dict):  # case_from_mapping has refused it already; this narrows the type
        raise InputError("case: a case file must be an object")
    if len(case.case_number) > ID_LENGTH:
        raise InputError(f"case: field 'case_number' has more than {ID_LENGTH} characters")
    _check_case_dates(case, "case")
    check_date(application_date, "application_date")
    if session.scalar(select(CaseRow.id).where(CaseRow.case_number == case.case_number)) is not None:
        raise AlreadyExists(f"case {case.case_number} already exists")
    row = CaseRow(case_number=case.case_number, state=State.received.value, priority=case.priority,
                  data=case.model_dump(mode="json", exclude_none=True),
                  application_date=application_date or case.received_date or utcnow().date(),
                  ur_decision_date=case.ur_denial_date, records_electronic=False)
    session.add(row)
    session.flush()
    audit(session, actor, "create", case.case_number, documents=len(case.documents), requests=len(case.requests))
    return row


# dates a case can carry: deadlines are computed by adding days, which overflows near the year 9999
EARLIEST_DATE, LATEST_DATE = dt.date(1900, 1, 1), dt.date(2199, 12, 31)


def check_date(value: dt.date | None, field: str) -> None:
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise InputError(f"{field}: {value} is not a plausible date ({EARLIEST_DATE} to {LATEST_DATE})")


def _check_case_dates(case: Case, where: str) -> None:
    for name in ("date_of_injury", "ur_denial_date", "received_date", "decision_date"):
        check_date(getattr(case, name), f"{where}: field '{name}'")
    for i, doc in enumerate(case.documents):
        check_date(doc.date, f"{where}: field 'documents.{i}.date'")


def _refuse_server_paths(documents: Any, where: str) -> None:
    """A document path would name a file on the server, which a client must not make the service read.

    Only the request is looked at, never the file system: every path is refused with the same message, whether
    it names a file, a folder, a FIFO or nothing at all."""
    if not isinstance(documents, list):
        return  # not a list of documents: the case file validation refuses it, without reading anything
    for i, doc in enumerate(documents):
        if isinstance(doc, dict) and doc.get("path") is not None:
            raise InputError(f"{where}documents.{i}: the service takes document text, not a server path")


def _move(session: Session, actor: Actor, row: CaseRow, target: State, reason: str | None = None) -> None:
    before = row.state
    row.state = check_transition(row.state, target).value
    row.state_reason = reason
    audit(session, actor, "transition", row.case_number, before=before, after=row.state, reason=reason)


def _request_topics(case: Case) -> set[str]:
    """What each disputed item asks for, so that two wordings of one treatment compare equal."""
    return {normalize(r).topic or r.item.lower() for r in case.requests}


def _duplicate_of(session: Session, row: CaseRow, case: Case) -> str | None:
    """An earlier live case for the same employee, UR decision and at least one of the same items."""
    employee = normalize_name(case.parties.employee or "")
    if not employee or case.ur_denial_date is None:
        return None
    items = _request_topics(case)
    others = session.scalars(select(CaseRow).where(CaseRow.id < row.id, CaseRow.ur_decision_date == case.ur_denial_date,
                                                   CaseRow.state.not_in([State.ineligible.value, State.withdrawn.value])))
    for other in others:
        oc = _case_model(other)
        if normalize_name(oc.parties.employee or "") == employee and items & _request_topics(oc):
            return other.case_number
    return None


def check_eligibility(session: Session, actor: Actor, number: str) -> list[str]:
    """received -> eligibility_checked, or -> ineligible with the reasons."""
    row = _case_row(session, actor, number, "check_eligibility", lock=True)
    check_transition(row.state, State.eligibility_checked)
    case = _case_model(row)
    problems = eligibility_problems(EligibilityFacts(
        row.application_date, row.ur_decision_date, tuple(d.kind for d in case.documents),
        _duplicate_of(session, row, case)))
    if problems:
        _move(session, actor, row, State.ineligible, "; ".join(problems))
    else:
        _move(session, actor, row, State.eligibility_checked)
    return problems


def request_records(session: Session, actor: Actor, number: str, notice: dt.date, electronic: bool) -> CaseRow:
    check_date(notice, "notice_date")
    row = _case_row(session, actor, number, "request_records", lock=True)
    _move(session, actor, row, State.records_requested)
    row.records_requested, row.records_electronic = notice, electronic
    return row


def receive_records(session: Session, actor: Actor, number: str, received: dt.date,
                    documents: list[Any]) -> CaseRow:
    check_date(received, "received_date")
    row = _case_row(session, actor, number, "receive_records", lock=True)
    check_transition(row.state, State.records_received)
    if row.records_requested and received < row.records_requested:
        raise InputError(f"records cannot arrive ({received}) before they were requested ({row.records_requested})")
    _refuse_server_paths(documents, "")
    _append_documents(row, documents, "records")
    row.records_received = received
    _move(session, actor, row, State.records_received, f"{len(documents)} document(s) added")
    return row


def _append_documents(row: CaseRow, documents: list[Any], where: str) -> Case:
    """Add documents to the stored case file; the whole file is validated again first, so a bad document is
    refused before anything is stored."""
    data = dict(row.data)
    data["documents"] = list(data.get("documents") or []) + list(documents)
    case = case_from_mapping(data, where=where)
    _check_case_dates(case, where)
    row.data = case.model_dump(mode="json", exclude_none=True)
    return case


# the text one upload may add: as much as a request body may carry (a PDF's pages can share one content
# stream, so a small file can expand to megabytes of text)
MAX_DOCUMENT_CHARS = env_int("OPENIMR_MAX_DOCUMENT_CHARS", 10 * 1024 * 1024)


@dataclass(frozen=True)
class Upload:
    """A file sent to the service: its bytes and what the client says it is."""

    filename: str
    content_type: str | None
    data: bytes
    kind: str | None = None
    title: str | None = None
    date: str | None = None


def add_document(session: Session, actor: Actor, number: str, upload: Upload) -> dict[str, Any]:
    """The upload's text becomes a document of the case, while its records may still arrive. The state does not
    change: POST .../records still marks the records received."""
    row = _case_row(session, actor, number, "add_document", lock=True)
    check_documents_open(row.state)
    for field, value in (("filename", upload.filename), ("kind", upload.kind), ("title", upload.title),
                         ("date", upload.date)):
        if value and "\x00" in value:  # PostgreSQL cannot store it; refused alike on SQLite
            raise InputError(f"the upload's {field} contains a NUL character")
    # checked before the (slower) extraction: a refused case never has its file read
    text = uploaded_text(upload.data, upload.filename, upload.content_type, MAX_DOCUMENT_CHARS)
    if "\x00" in text:
        raise InputError(f"{upload.filename or 'the upload'}: contains NUL characters, so it is not text")
    document: dict[str, Any] = {"kind": upload.kind or "medical_record", "title": upload.title or upload.filename,
                                "text": text}
    if upload.date:
        document["date"] = upload.date
    index = len(row.data.get("documents") or [])
    case = _append_documents(row, [document], "upload")
    stored = case.documents[index]
    audit(session, actor, "document_added", number, filename=upload.filename, bytes=len(upload.data),
          sha256=hashlib.sha256(upload.data).hexdigest(), kind=stored.kind, characters=len(text))
    return {"case_number": number, "index": index, "kind": stored.kind, "title": stored.title,
            "date": stored.date.isoformat() if stored.date else None, "characters": len(text),
            "pages": text.count("\f") + 1, "state": row.state}


def withdraw(session: Session, actor: Actor, number: str, reason: str) -> CaseRow:
    if not reason.strip():
        raise InputError("withdrawing a case needs a reason")
    row = _case_row(session, actor, number, "withdraw", lock=True)
    _move(session, actor, row, State.withdrawn, reason.strip())
    return row


# ---------------------------------------------------------------- reviewers and assignment


def all_reviewers(session: Session) -> list[Reviewer]:
    return [Reviewer.model_validate(r.data) for r in session.scalars(select(ReviewerRow).order_by(ReviewerRow.id))]


def save_reviewers(session: Session, actor: Actor | str, reviewers: list[Reviewer]) -> tuple[int, int]:
    """Insert or replace reviewers by id; (added, updated)."""
    added = updated = 0
    for r in reviewers:
        row = session.get(ReviewerRow, r.id)
        if row is None:
            session.add(ReviewerRow(id=r.id, name=r.name, data=r.model_dump(mode="json")))
            added += 1
        else:
            row.name, row.data, row.updated_at = r.name, r.model_dump(mode="json"), utcnow()
            updated += 1
    audit(session, actor, "reviewers_saved", None, added=added, updated=updated, ids=[r.id for r in reviewers])
    return added, updated


def open_case_counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(CaseRow.reviewer_id, func.count()).where(
        CaseRow.reviewer_id.is_not(None), CaseRow.state.in_([s.value for s in OPEN_REVIEW]))
        .group_by(CaseRow.reviewer_id))
    return {rid: n for rid, n in rows if rid}


OVERRIDE_NOTE = "assigned by a manual override"


def assign_case(session: Session, actor: Actor, number: str, override: str | None = None,
                reason: str | None = None) -> Assignment:
    row = _case_row(session, actor, number, "assign", lock=True)
    check_transition(row.state, State.assigned)
    loads = open_case_counts(session)
    if row.reviewer_id and State(row.state) in OPEN_REVIEW:  # reassignment frees the current slot
        loads[row.reviewer_id] = max(0, loads.get(row.reviewer_id, 0) - 1)
    result = assign(_case_model(row), all_reviewers(session), loads, override, reason)
    if result.chosen is None:
        raise TransitionError("no eligible reviewer without a conflict is available:\n" + result.explain())
    row.reviewer_id = result.chosen.id
    row.assignment = result.as_dict(with_names=False)
    # the reason may name reviewers: it is kept in the assignment and the audit log, which only admins see
    _move(session, actor, row, State.assigned, OVERRIDE_NOTE if override else None)
    audit(session, actor, "assign", number, reviewer_id=result.chosen.id, override_reason=result.override_reason,
          excluded=[e.__dict__ for e in result.excluded])
    return result


# ---------------------------------------------------------------- drafts, edits, sign-off, letter


def _dump_determination(det: Determination) -> dict[str, Any]:
    """The determination as JSON, keeping how each citation prints (cite_by), which the contract omits."""
    data = det.model_dump(mode="json")
    for d_out, d_in in zip(data["decisions"], det.decisions, strict=True):
        for c_out, c_in in zip(d_out["citations"], d_in.citations, strict=True):
            c_out["cite_by"] = c_in.cite_by
    return data


def _store_draft(session: Session, row: CaseRow, det: Determination, author: str, note: str | None) -> DraftRow:
    last = latest_draft(session, row)
    draft = DraftRow(case_id=row.id, version=(last.version + 1) if last else 1, author=author, note=note,
                     determination=_dump_determination(det))
    session.add(draft)
    session.flush()
    return draft


ENGINE_NOTE = "drafted by the engine"


def draft(session: Session, actor: Actor, number: str) -> DraftRow:
    """assigned -> drafted: the engine writes version 1 (a draft only; a person signs)."""
    row = _case_row(session, actor, number, "draft", lock=True)
    check_transition(row.state, State.drafted)
    det = decide_case(_case_model(row))
    # who asked is in the audit log (admins only); the note is shown to intake and the reviewer
    stored = _store_draft(session, row, det, "engine", ENGINE_NOTE)
    _move(session, actor, row, State.drafted)
    return stored


def drafts(session: Session, actor: Actor, number: str) -> list[dict[str, Any]]:
    row = _case_row(session, actor, number, "read")
    audit(session, actor, "read_drafts", number)
    admin = actor.role == "admin"
    # drafts stored before this rule named the requesting user in the engine's note
    return [{"version": d.version, "author": d.author if admin or d.author == "engine" else "reviewer",
             "note": d.note if admin or d.author != "engine" else ENGINE_NOTE, "created_at": d.created_at,
             "determination": d.determination}
            for d in session.scalars(select(DraftRow).where(DraftRow.case_id == row.id).order_by(DraftRow.version))]


def edit(session: Session, actor: Actor, number: str, changes: list[dict[str, Any]], note: str | None) -> DraftRow:
    """A new version with the reviewer's outcome, citations and rationale per item; older versions stay."""
    row = _case_row(session, actor, number, "edit", lock=True)
    check_transition(row.state, State.under_review)
    last = latest_draft(session, row)
    if last is None:
        raise TransitionError("there is no draft to edit yet")
    # a copy: the loaded version stays as stored, whatever happens to the edit
    data = copy.deepcopy(last.determination)
    by_id = {d["id"]: d for d in data["decisions"]}
    if not changes:
        raise InputError("an edit needs at least one change in 'decisions'")
    for i, change in enumerate(changes):
        item = by_id.get(str(change.get("id")))
        if item is None:
            raise InputError(f"decisions.{i}: no disputed item with id {change.get('id')!r} "
                             f"(items: {', '.join(by_id)})")
        unknown = set(change) - {"id", "outcome", "citations", "rationale"}
        if unknown:
            raise InputError(f"decisions.{i}: only outcome, citations and rationale can be edited, not "
                             f"{', '.join(sorted(unknown))}")
        if "outcome" in change:
            if change["outcome"] not in ("Upheld", "Overturned"):
                raise InputError(f"decisions.{i}.outcome must be Upheld or Overturned, not {change['outcome']!r}")
            item["outcome"] = change["outcome"]
            item["medically_necessary"] = change["outcome"] == "Overturned"
        for key in ("citations", "rationale"):
            if key in change:
                item[key] = change[key]
    try:
        det = Determination.model_validate(data)
    except ValueError as exc:
        raise InputError(f"the edited determination is not valid: {str(exc).splitlines()[0]}") from None
    if any(not d.rationale.strip() for d in det.decisions):
        raise InputError("every decision needs a rationale")
    stored = _store_draft(session, row, det, actor.name, note)
    _move(session, actor, row, State.under_review, f"version {stored.version}")
    return stored


def sign(session: Session, actor: Actor, number: str) -> CaseRow:
    row = _case_row(session, actor, number, "sign", lock=True)
    check_transition(row.state, State.signed)
    last = latest_draft(session, row)
    if last is None or row.reviewer_id is None:
        raise TransitionError("nothing to sign: the case has no draft or no reviewer")
    reviewer = reviewer_of(session, row.reviewer_id)
    check_signature([d["outcome"] for d in last.determination["decisions"]], reviewer.is_physician,
                    actor.reviewer_id == row.reviewer_id)
    signer = session.scalar(select(User).where(User.name == actor.name))
    row.signed_by, row.signed_at = (signer.id if signer else None), utcnow()
    _move(session, actor, row, State.signed, f"version {last.version}")
    return row


def _letter_case(session: Session, row: CaseRow) -> Case:
    """The case as the letter sees it: the assigned reviewer's degree, licensure and specialty (never the
    name), the date the case was assigned, and the signature date once the reviewer has signed."""
    data = dict(row.data)
    if row.reviewer_id:
        reviewer = reviewer_of(session, row.reviewer_id)
        data["reviewer"] = {**reviewer.credentials(), "degree": reviewer.degree}
        assigned = session.scalar(select(func.max(AuditRow.at)).where(AuditRow.case_number == row.case_number,
                                                                        AuditRow.action == "assign"))
        if assigned is not None and "date_assigned" not in data:
            data["date_assigned"] = assigned.date().isoformat()
    if row.signed_at is not None:
        data["signature"] = {"date": row.signed_at.date().isoformat()}
    return case_from_mapping(data, where=f"case {row.case_number}")


def issue_letter(session: Session, actor: Actor, number: str) -> LetterRow:
    row = _case_row(session, actor, number, "issue_letter", lock=True)
    check_transition(row.state, State.letter_issued)
    last = latest_draft(session, row)
    if last is None:
        raise TransitionError("nothing to issue: the case has no determination")
    case = _letter_case(session, row)
    det = Determination.model_validate(last.determination)
    letter = LetterRow(case_id=row.id, draft_version=last.version, text=render_letter(case, det, "text"),
                       html=render_letter(case, det, "html"))
    session.add(letter)
    _move(session, actor, row, State.letter_issued, f"version {last.version}")
    return letter


def preview_letter(session: Session, actor: Actor, number: str) -> str:
    """The letter the latest version would make, as HTML: what the reviewer reads before signing."""
    row = _case_row(session, actor, number, "read")
    last = latest_draft(session, row)
    if last is None:
        raise NotFound(f"case {number} has no draft yet")
    return render_letter(_letter_case(session, row), Determination.model_validate(last.determination), "html")


LETTER_FORMATS = ("text", "html", "pdf")


def read_letter(session: Session, actor: Actor, number: str, fmt: str, public: bool = False) -> bytes | str:
    """The issued letter: text and HTML as stored at issue; the PDF and the public copy are rendered from
    the same determination version and case. A public copy's report of what it removed is audited."""
    if fmt not in LETTER_FORMATS:
        raise InputError(f"unknown letter format {fmt!r} ({', '.join(LETTER_FORMATS)})")
    row = _case_row(session, actor, number, "read")
    letter = session.get(LetterRow, row.id)
    if letter is None:
        raise NotFound(f"case {number} has no issued letter yet (state: {row.state})")
    if fmt != "pdf" and not public:
        audit(session, actor, "read_letter", number, format=fmt)
        return letter.text if fmt == "text" else letter.html
    draft = session.scalar(select(DraftRow).where(DraftRow.case_id == row.id,
                                                  DraftRow.version == letter.draft_version))
    if draft is None:
        raise NotFound(f"case {number}: determination version {letter.draft_version} of the letter is missing")
    data, removed = render_letter_bytes(_letter_case(session, row), Determination.model_validate(draft.determination),
                                        fmt, public=public)
    audit(session, actor, "read_letter", number, format=fmt, public=public, redacted=len(removed))
    return data if fmt == "pdf" else data.decode("utf-8")


def deadline_report(session: Session, actor: Actor, today: dt.date) -> dict[str, list[dict[str, Any]]]:
    require(actor, "read")
    lists = dl.deadline_lists([case_dates(r) for r in session.scalars(_listed(_visible_cases(actor)))], today)
    audit(session, actor, "deadlines", None)
    return {k: [d.__dict__ for d in v] for k, v in lists.items()}
