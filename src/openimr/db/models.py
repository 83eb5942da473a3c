"""The tables. Case files, determinations and reviewer records are stored whole as JSON (their contracts are
typed by pydantic); the columns beside them are what the workflow filters and joins on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# column widths, which PostgreSQL enforces (SQLite does not): input is checked against them before a write
ID_LENGTH = 64  # case numbers, reviewer ids
USER_NAME_LENGTH = 100
REVIEWER_NAME_LENGTH = 200
ACTION_LENGTH = 64


def utcnow() -> dt.datetime:
    """Naive UTC: SQLite drops time zones, so every stored time is UTC without one."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class ReviewerRow(Base):
    __tablename__ = "reviewers"
    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(REVIEWER_NAME_LENGTH))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(USER_NAME_LENGTH), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    reviewer_id: Mapped[str | None] = mapped_column(ForeignKey("reviewers.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # a disabled user cannot log in and their tokens stop working; the row stays for the audit trail
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class SessionToken(Base):
    __tablename__ = "sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class CaseRow(Base):
    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_number: Mapped[str] = mapped_column(String(ID_LENGTH), unique=True)
    state: Mapped[str] = mapped_column(String(32), index=True)
    priority: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    application_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    ur_decision_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    records_requested: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    records_electronic: Mapped[bool] = mapped_column(Boolean, default=False)
    records_received: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    reviewer_id: Mapped[str | None] = mapped_column(ForeignKey("reviewers.id"), nullable=True, index=True)
    assignment: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    state_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    signed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    signed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class DraftRow(Base):
    """Every version of the determination: version 1 is the engine's draft, later ones a reviewer's edits."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("case_id", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    determination: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class LetterRow(Base):
    __tablename__ = "letters"
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    draft_version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class AuditRow(Base):
    """Append-only: the migration installs triggers that refuse UPDATE and DELETE on this table."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    user_name: Mapped[str] = mapped_column(String(USER_NAME_LENGTH))
    action: Mapped[str] = mapped_column(String(ACTION_LENGTH))
    case_number: Mapped[str | None] = mapped_column(String(ID_LENGTH), nullable=True, index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
