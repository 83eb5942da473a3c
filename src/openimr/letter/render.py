"""Renders the letter from Jinja templates; the template decides the wording, this module the values."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from openimr.letter.formats import FORMATS
from openimr.model import Case, Determination, ItemDecision


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(loader=PackageLoader("openimr", "letter/templates"),
                       autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def reviewer_credentials(case: Case, determination: Determination) -> dict[str, list[str]]:
    given: Any = (case.model_extra or {}).get("reviewer")
    if isinstance(given, dict) and (given.get("licensure") or given.get("specialty")):
        lic = given.get("licensure") or ["California"]
        spec = given.get("specialty") or []
        return {"licensure": lic if isinstance(lic, list) else [lic],
                "specialty": spec if isinstance(spec, list) else [spec]}
    # until a reviewer is assigned (openimr reviewers assign), the letter names the specialty that fits the
    # disputed services best; the workflow replaces it with the assigned reviewer's credentials
    from openimr.review.specialty import fitting_specialty

    families = [d.service.family for d in determination.decisions if d.service is not None]
    return {"licensure": ["California"], "specialty": [fitting_specialty(families) or "Occupational Medicine"]}


def case_summary(case: Case) -> str:
    """The clinical case summary: the case file's summary document, else its documents in order."""
    summaries = [d.text for d in case.documents if d.kind == "clinical_summary" and d.text]
    if summaries:
        # runs of spaces in a summary are layout left over from the records, not meaning
        return "\n\n".join(" ".join(p.split()) for s in summaries for p in s.split("\n\n") if p.strip())
    parts = []
    for d in case.documents:
        if d.text:
            head = " ".join(x for x in [d.title or d.kind.replace("_", " ").capitalize(),
                                        d.date.strftime("%m/%d/%Y") if d.date else ""] if x)
            parts.append(f"{head}: {' '.join(d.text.split())[:1200]}")
    return "\n\n".join(parts) or "The case file contains no medical records."


def guideline_line(decision: ItemDecision) -> str:
    """What the decision rests on, as letters print it: MTUS first, then Non-MTUS citations."""
    if not decision.citations:
        return "No guideline in the knowledge base addresses this service."
    return " ".join(f"Decision based on {c.label()}" for c in decision.citations)


def render_letter(case: Case, determination: Determination, fmt: str = "text") -> str:
    template = _env().get_template(FORMATS[fmt])
    return template.render(case=case, determination=determination,
                           reviewer=reviewer_credentials(case, determination),
                           summary=case_summary(case),
                           requests={r.id: r for r in case.requests},
                           guideline_line=guideline_line)
