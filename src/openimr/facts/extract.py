"""Fact extraction: the registered recognizers run sentence by sentence over each document.

Every fact keeps its span (document index, start, end) into the document text, and its text is exactly
those characters. A recognizer never invents a value: what it cannot read stays absent, and the decision
reports it as not documented. Facts derived from dates (phase of care, weeks after surgery) are added per case.
"""

from __future__ import annotations

import datetime as dt

from openimr.facts import recognizers as _recognizers  # noqa: F401  (importing registers them)
from openimr.facts.factset import FactSet, phase_for_weeks
from openimr.facts.registry import RECOGNIZERS
from openimr.facts.text import sentences
from openimr.model import Case, Fact

__all__ = ["FactSet", "extract_case_facts", "extract_text_facts"]


def extract_text_facts(text: str, doc_index: int = 0) -> list[Fact]:
    """The facts of one document's text, in sentence order."""
    out: list[Fact] = []
    for s in sentences(text):
        for rec in RECOGNIZERS:
            out.extend(rec(s, doc_index))
    return out


def _iso(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _with_dates(facts: list[Fact], stated: Fact | None, doi: dt.date | None, reference: dt.date | None) -> list[Fact]:
    """Weeks after surgery at the reference date, and the phase of care read from the stated injury date."""
    out: list[Fact] = []
    for f in facts:
        if f.name == "surgery" and reference and f.value.get("status") == "done":
            done = _iso(f.value.get("date")) or _iso(f"{f.value.get('date')}-01")
            if done and done <= reference:
                f = f.model_copy(update={"value": {**f.value, "weeks_post_op": round((reference - done).days / 7, 1)}})
        out.append(f)
    if doi and reference:
        # the dates decide the phase; words such as "chronic pain" only stand in where dates are missing
        out = [f for f in out if f.name != "phase_of_care"]
    if stated and doi and reference and _iso(stated.value) == doi:
        weeks = (reference - doi).days / 7
        out.append(Fact(name="phase_of_care", value=phase_for_weeks(weeks), span=stated.span, text=stated.text))
    return out


def extract_case_facts(case: Case) -> FactSet:
    facts: list[Fact] = []
    for i, doc in enumerate(case.documents):
        if doc.text:
            facts.extend(extract_text_facts(doc.text, i))
    stated = next((f for f in facts if f.name == "date_of_injury"), None)
    doi = case.date_of_injury
    if doi is None and stated:
        doi = _iso(stated.value)
    reference = case.ur_denial_date or case.received_date or case.decision_date
    if reference is None:
        ur_dates = [d for f in facts if f.name == "ur_decision" and (d := _iso(f.value.get("date")))]
        reference = max(ur_dates) if ur_dates else None
    return FactSet(facts=_with_dates(facts, stated, doi, reference), date_of_injury=doi, reference_date=reference)
