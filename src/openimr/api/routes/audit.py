"""The audit log, for administrators."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select
from sqlalchemy.orm import Session

from openimr.api.deps import Svc, Who
from openimr.api.responses import AuditEntry
from openimr.db import workflow as wf
from openimr.db.models import AuditRow

router = APIRouter(prefix="/api/audit", tags=["admin"])


@router.get("")
def audit_log(svc: Svc, who: Who, case: str | None = None, limit: int = 200) -> list[AuditEntry]:
    def op(s: Session) -> list[AuditEntry]:
        wf.require(who, "audit")
        query = select(AuditRow).order_by(AuditRow.id.desc()).limit(max(1, min(limit, 1000)))
        if case:
            query = query.where(AuditRow.case_number == case)
        rows = [AuditEntry(id=r.id, at=r.at, user=r.user_name, action=r.action, case_number=r.case_number,
                           detail=r.detail) for r in s.scalars(query)]
        # who read the log is in the log (recorded after the read, so not in its own answer)
        wf.audit(s, who, "read_audit", case, limit=limit, rows=len(rows))
        return rows
    return svc.run(who, "read_audit", case, op)
