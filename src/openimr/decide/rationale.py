"""The words of a decision: numbers as letters write them, criterion templates, the presentation line."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from jinja2.sandbox import SandboxedEnvironment

from openimr.facts import FactSet
from openimr.model import Citation, Service

REGION_PAIN = {
    "lumbar": "low back pain", "cervical": "neck pain", "thoracic": "mid back pain", "shoulder": "shoulder pain",
    "elbow": "elbow pain", "wrist": "wrist pain", "hand": "hand pain", "hip": "hip pain", "knee": "knee pain",
    "ankle": "ankle pain", "foot": "foot pain", "head": "head injury",
}


def n(value: Any) -> str:
    """A number as a letter writes it: 8, not 8.0."""
    if value is None:
        return "an unstated number of"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_TEMPLATES = SandboxedEnvironment(autoescape=False, trim_blocks=True)


@lru_cache(maxsize=2048)
def _template(source: str) -> Any:
    return _TEMPLATES.from_string(source)


def render(source: str, names: dict[str, Any]) -> str:
    if "{" not in source:  # no Jinja syntax at all: the template renders as itself
        return " ".join(source.split())
    return " ".join(_template(source).render(**names).split())


def presentation(facts: FactSet, service: Service) -> str:
    """'chronic low back pain': phase of care and the region in dispute, as far as the records show."""
    region = service.region
    if region is None:
        regions = [f.value.get("region") for f in facts.named("diagnosis") if f.value.get("region")]
        region = regions[0] if regions else None
    complaint = REGION_PAIN.get(region or "", "the injury at issue")
    phase = facts.phase
    return f"{phase} {complaint}" if phase and region else complaint


def guideline_sentence(first: Citation, summary: str) -> str:
    """'The MTUS ... guidelines (pages 58-60) support ...': what the guideline a decision rests on says."""
    plural = "pages" if first.pages and re.search(r"[-,]", first.pages) else "page"
    where = f"{plural} {first.pages}" if first.cite_by == "pages" and first.pages else first.section
    name = f"{first.guideline} {first.edition}" if first.cite_by == "section" and first.edition else first.guideline
    name = name if name.lower().endswith("guidelines") else f"{name} guidelines"
    return f"The {name}{f' ({where})' if where else ''} {summary.strip()}."
