"""Precedents: for each request of a case, the most similar published decisions in the store.

Candidates are the items of the same treatment family (from the engine's request normalization), and
of the same topic first; within them, text similarity of the item words (rapidfuzz token-set ratio)
orders them. A request whose family is unknown ("other") is compared with every item.
"""

from __future__ import annotations

from dataclasses import dataclass

from openimr.corpus.store import Store
from openimr.model import Case


@dataclass
class Precedent:
    case_number: str
    item: str
    decision: str
    guideline: str | None
    score: float


@dataclass
class RequestPrecedents:
    request_id: str
    item: str
    family: str
    topic: str | None
    precedents: list[Precedent]


def similar_for_case(case: Case, store: Store, top: int) -> list[RequestPrecedents]:
    from rapidfuzz import fuzz

    from openimr.services import normalize

    out = []
    for request in case.requests:
        service = normalize(request)
        where, params = ("WHERE i.family = ?", (service.family,)) if service.family != "other" else ("", ())
        rows = store.query(
            "SELECT COALESCE(l.case_number, i.case_key), i.decided_item, i.decision, i.reviewer_guideline, i.topic "
            f"FROM items i JOIN letters l USING (case_key) {where}", params)
        scored = [(service.topic is not None and topic == service.topic,
                   Precedent(str(case_no), str(item), str(decision), guideline if isinstance(guideline, str) else None,
                             float(fuzz.token_set_ratio(request.item.lower(), str(item).lower()))))
                  for case_no, item, decision, guideline, topic in rows]
        scored.sort(key=lambda sp: (not sp[0], -sp[1].score))  # same topic first, then by similarity
        ranked = [p for _, p in scored]
        out.append(RequestPrecedents(request.id, request.item, service.family, service.topic, ranked[:top]))
    return out


COLUMNS = f"  {'score':>5}  {'decision':<10}  {'case':<12}  published item"


def render(results: list[RequestPrecedents], store_name: str = "the store", letters: int | None = None) -> str:
    """Plain text: what the list is, then per request its precedents under a column header."""
    held = f" ({letters} letters)" if letters is not None else ""
    lines = [f"Published precedents from {store_name}{held}: per request, the same treatment family, the same "
             "topic first, then by word similarity (score 0-100)", ""]
    for r in results:
        lines.append(f"Request {r.request_id}: {r.item}  [family {r.family}, topic {r.topic or 'unknown'}]")
        if not r.precedents:
            lines.append("  no published decision of this family in the store")
        else:
            lines.append(COLUMNS)
        for p in r.precedents:
            lines.append(f"  {p.score:5.1f}  {p.decision:<10}  {p.case_number:<12}  {p.item}")
            if p.guideline:
                lines.append(f"         guideline: {p.guideline}")
        lines.append("")
    return "\n".join(lines)
