"""Pure helpers that turn stored cases and determinations into what the pages show: records with the engine's
evidence marked in place, the difference between two versions, dates and times in one format.

Nothing here touches the database or the request; the views hand in plain data.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from markupsafe import Markup, escape

from openimr.errors import InputError
from openimr.model import Citation
from openimr.review import deadlines as dl

DEFAULT_TIMEZONE = "America/Los_Angeles"  # California's IMR organizations keep Pacific time
STATUS_LABELS = {"met": "Met", "unmet": "Unmet", "not_documented": "Not documented"}
DEADLINE_LABELS = {"ok": "On time", "at_risk": "At risk", "overdue": "Overdue"}

DEADLINE_RULES = {
    "records": f"Records are due {dl.RECORDS_DAYS_STANDARD} days after the notice ({dl.RECORDS_DAYS_ELECTRONIC} "
               f"when it is sent electronically, the next day for an expedited case).",
    "determination": f"The determination is due {dl.DECISION_DAYS_STANDARD} days after the records arrive "
                     f"({dl.DECISION_DAYS_EXPEDITED} for an expedited case).",
}


# ---------------------------------------------------------------- dates and times


def org_zone() -> ZoneInfo:
    """The organization's time zone: $OPENIMR_TIMEZONE, else Pacific time."""
    name = os.environ.get("OPENIMR_TIMEZONE", "").strip() or DEFAULT_TIMEZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(f"OPENIMR_TIMEZONE: unknown time zone {name!r} (e.g. America/Los_Angeles)") from None


def show_date(value: dt.date | str | None) -> str:
    """Every date on every page as YYYY-MM-DD; a stored time shows the date it was in the organization's zone."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        return show_time(value)[:10]
    return value.isoformat()


def show_time(value: dt.datetime | str | None) -> str:
    """A stored time (naive UTC) in the organization's zone, e.g. 2024-03-20 09:15 PDT."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(org_zone()).strftime("%Y-%m-%d %H:%M %Z")


def show_detail(value: Any) -> str:
    """An audit entry's detail value in words: lists joined by semicolons, records as key: value."""
    if isinstance(value, dict):
        return ", ".join(f"{k}: {show_detail(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(f"({show_detail(v)})" if isinstance(v, dict) else show_detail(v) for v in value) or "none"
    return "—" if value is None else str(value)


def days_left_text(days: int | None) -> str:
    if days is None:
        return "—"
    if days < 0:
        return f"{-days} day{'s' if days != -1 else ''} late"
    return f"{days} day{'s' if days != 1 else ''}"


def by_due_date(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cases with a running deadline first, soonest due first; the rest by case number."""
    def key(c: dict[str, Any]) -> tuple[int, str, str]:
        deadline = c.get("deadline")
        return (0, str(deadline["due"]), c["case_number"]) if deadline else (1, "", c["case_number"])
    return sorted(cases, key=key)


# ---------------------------------------------------------------- evidence in the records


def anchor_id(document: int, start: int, end: int) -> str:
    return f"src-{document}-{start}-{end}"


@dataclass
class Evidence:
    """One source span of one criterion, and what the page says about it on hover."""

    document: int
    start: int
    end: int
    label: str


Span = tuple[int, int, int]  # document, start, end


def fact_names(facts: list[Any]) -> dict[Span, list[str]]:
    """The names of the facts found at each span (openimr.model.Fact), as words: prior_treatment -> prior treatment."""
    out: dict[Span, list[str]] = {}
    for f in facts:
        name = f.name.replace("_", " ")
        if name not in out.setdefault(tuple(f.span), []):
            out[tuple(f.span)].append(name)
    return out


def evidence_by_document(determination: dict[str, Any] | None, documents: list[str],
                         names: dict[Span, list[str]] | None = None) -> dict[int, list[Evidence]]:
    """Every span a criterion quotes, per document, labelled with the facts found there and the criterion it
    supports; spans whose text no longer matches the record are left out (a mark must never point at the
    wrong words)."""
    out: dict[int, list[Evidence]] = {}
    for decision in (determination or {}).get("decisions", []):
        for criterion in decision.get("criteria", []):
            status = STATUS_LABELS.get(criterion.get("status", ""), criterion.get("status", ""))
            for src in criterion.get("sources", []):
                doc, start, end = src["document"], src["start"], src["end"]
                if not (0 <= doc < len(documents) and documents[doc][start:end] == src.get("text")):
                    continue
                label = f"Item {decision['id']}: {criterion['id']} ({status.lower()})"
                found = (names or {}).get((doc, start, end))
                if found:
                    label = f"{', '.join(found)} — {label}"
                out.setdefault(doc, []).append(Evidence(doc, start, end, label))
    return out


def highlight(text: str, evidence: list[Evidence]) -> Markup:
    """The record's text, escaped, with each evidence span in a <mark> whose title names the facts there.

    Overlapping spans are cut at every boundary, so each piece names every criterion that quotes it; the first
    piece of each span carries the span's id, which the criterion links scroll to.
    """
    if not evidence:
        return escape(text)
    cuts = sorted({0, len(text)} | {e.start for e in evidence} | {e.end for e in evidence})
    first_piece: dict[int, list[str]] = {}
    for e in evidence:
        ident = anchor_id(e.document, e.start, e.end)
        if ident not in first_piece.get(e.start, []):
            first_piece.setdefault(e.start, []).append(ident)
    parts: list[str] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = escape(text[a:b])
        labels = sorted({e.label for e in evidence if e.start <= a and b <= e.end})
        ids = first_piece.get(a, [])
        # a second span starting at the same character gets an empty anchor of its own
        parts.extend(f'<span class="anchor" id="{i}" tabindex="-1"></span>' for i in ids[1:])
        if labels:
            ident = f' id="{ids[0]}" tabindex="-1"' if ids else ""
            title = escape("; ".join(labels))
            parts.append(f'<mark{ident} title="{title}" data-facts="{title}">{piece}</mark>')
        else:
            parts.append(str(piece))
    return Markup("".join(parts))


@cache
def criterion_needs() -> dict[tuple[str, str], str]:
    """(rule or gate id, criterion id) -> which record would settle a not-documented criterion."""
    from openimr.guidelines import load_knowledge_base

    kb = load_knowledge_base()
    out: dict[tuple[str, str], str] = {}
    for rule in kb.rules:
        out.update({(rule.id, c.id): c.needs for c in rule.criteria if c.needs})
    for gate in kb.gates:
        if gate.needs:
            out[(gate.id, "*")] = gate.needs
    return out


def needs_for(topic: str | None, criterion_id: str) -> str | None:
    if not topic:
        return None
    table = criterion_needs()
    return table.get((topic, criterion_id)) or table.get((topic, "*"))


def citation_label(citation: dict[str, Any]) -> str:
    return Citation.model_validate(citation).label()


# ---------------------------------------------------------------- citations in forms


CITATION_FIELDS = ("guideline", "edition", "section", "pages")


def citations_from_form(rows: list[dict[str, str]], where: str) -> list[dict[str, Any]]:
    """Citation rows as the edit form sends them; a row without a guideline is dropped (the blank one)."""
    out = []
    for n, row in enumerate(rows, start=1):
        if row.get("remove") or not row.get("guideline", "").strip():
            continue
        cite: dict[str, Any] = {k: row.get(k, "").strip() or None for k in CITATION_FIELDS}
        cite["mtus"] = bool(row.get("mtus"))
        # a citation given by pages alone prints its pages, as the 2009-era letters do
        by_pages = row.get("cite_by") == "pages" or not cite["section"]
        cite["cite_by"] = "pages" if by_pages and cite["pages"] else "section"
        if not cite["section"] and not cite["pages"]:
            raise InputError(f"{where}: citation {n} needs a section or pages")
        out.append(cite)
    return out


# ---------------------------------------------------------------- differences between versions


@dataclass
class ItemDiff:
    id: str
    item: str
    outcome: tuple[str, str] | None = None
    citations_removed: list[str] = field(default_factory=list)
    citations_added: list[str] = field(default_factory=list)
    rationale: list[tuple[str, str]] = field(default_factory=list)  # (equal | removed | added, words)

    @property
    def changed(self) -> bool:
        return bool(self.outcome or self.citations_removed or self.citations_added
                    or any(op != "equal" for op, _ in self.rationale))


def _words(text: str) -> list[str]:
    # words and the spaces between them as separate tokens, so a word gaining a neighbour still compares equal
    return re.findall(r"\s+|\S+", text)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The new text as runs of equal, removed and added words."""
    a, b = _words(old), _words(new)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("removed", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("added", "".join(b[j1:j2])))
    return out


def version_diff(old: dict[str, Any], new: dict[str, Any]) -> list[ItemDiff]:
    """Per disputed item: the outcome change, the citations removed and added, the rationale word by word."""
    before = {d["id"]: d for d in old.get("decisions", [])}
    out = []
    for d in new.get("decisions", []):
        prev = before.get(d["id"], {})
        diff = ItemDiff(d["id"], d.get("item", ""))
        if prev.get("outcome") != d.get("outcome"):
            diff.outcome = (prev.get("outcome", "—"), d.get("outcome", "—"))
        old_cites = [citation_label(c) for c in prev.get("citations", [])]
        new_cites = [citation_label(c) for c in d.get("citations", [])]
        diff.citations_removed = [c for c in old_cites if c not in new_cites]
        diff.citations_added = [c for c in new_cites if c not in old_cites]
        diff.rationale = word_diff(prev.get("rationale", ""), d.get("rationale", ""))
        out.append(diff)
    return out
