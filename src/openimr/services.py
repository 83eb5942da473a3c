"""Request normalization: the words of a disputed item become a Service (topic, region, quantity, ...).

The vocabulary is data (data/services.yaml, data/drugs.yaml); this module only reads it and measures.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from openimr.facts.extract import region_of
from openimr.facts.numbers import NUMBER_PATTERN, to_number
from openimr.model import Request, Service


@lru_cache(maxsize=1)
def _vocabulary() -> list[dict[str, Any]]:
    text = resources.files("openimr").joinpath("data/services.yaml").read_text(encoding="utf-8")
    topics: list[dict[str, Any]] = yaml.safe_load(text)["topics"]
    for t in topics:
        t["compiled"] = [re.compile(p, 0 if re.search(r"\\b[A-Z]", p) else re.I) for p in t["patterns"]]
    return topics


@lru_cache(maxsize=1)
def _drugs() -> dict[str, dict[str, Any]]:
    path = resources.files("openimr").joinpath("data/drugs.yaml")
    if not path.is_file():
        return {}
    table: dict[str, dict[str, Any]] = {}
    for drug in yaml.safe_load(path.read_text(encoding="utf-8"))["drugs"]:
        for name in [drug["name"], *drug.get("brands", [])]:
            table[name.lower()] = drug
    return table


def find_drug(text: str) -> dict[str, Any] | None:
    """The first drug named in text, by generic or brand name."""
    words = re.findall(r"[A-Za-z][A-Za-z-]+", text.lower())
    table = _drugs()
    for i, w in enumerate(words):
        two = f"{w} {words[i + 1]}" if i + 1 < len(words) else None
        if two and two in table:
            return table[two]
        if w in table:
            return table[w]
    return None


_N = NUMBER_PATTERN


def _quantity(text: str) -> tuple[float | None, float | None, float | None, str | None]:
    """(quantity, per week, weeks, unit) from the request's words."""
    t = text.lower()
    m = re.search(r"(\d+(?:\.\d+)?)\s*(?:-\s*(\d+(?:\.\d+)?)\s*)?(?:x|times?)\s*(?:a|per|/)?\s*(?:week|wk)s?\s*"
                  r"(?:x|for|times)?\s*(\d+(?:\.\d+)?)\s*(?:weeks?|wks?)?", t)
    if not m:
        m = re.search(r"\b(" + _N + r")\s*(?:-\s*(" + _N + r")\s*)?times?\s*(?:a|per)\s*week\s*(?:for|x)\s*(" + _N + r")\s*weeks?", t)
    if m:
        per_week = to_number(m[2] or m[1])
        weeks = to_number(m[3])
        if per_week is not None and weeks is not None:
            return per_week * weeks, per_week, weeks, "visits"
    m = re.search(r"\b(\d+)\s*x\s*(\d+)\b", t)
    if m:
        return float(int(m[1]) * int(m[2])), float(m[1]), float(m[2]), "visits"
    m = re.search(r"qty:?\s*(\d+(?:\.\d+)?)|quantity:?\s*(\d+(?:\.\d+)?)|#\s*(\d+(?:\.\d+)?)", t)
    if m:
        return float(m[1] or m[2] or m[3]), None, None, None
    m = re.search(r"\b(" + _N + r")\s*(?:additional\s+|more\s+|sessions? of\s+)?(sessions?|visits?|treatments?)\b", t)
    if m:
        return to_number(m[1]), None, None, "visits"
    m = re.search(r"\bx\s*(\d+)\b", t)
    if m:
        return float(m[1]), None, None, None
    return None, None, None, None


def normalize(request: Request | str) -> Service:
    """The disputed item as a Service. Unknown words leave fields empty; nothing is guessed."""
    text = request.item if isinstance(request, Request) else request
    flat = re.sub(r"-\s+(?=[a-z])", "", text)  # "Electro- diagnostic" -> "Electrodiagnostic"
    assoc = re.match(r"\s*associated surgical services?\s*:?\s*(.*)$", flat, re.I)
    body = assoc[1] if assoc else flat
    topic: str | None = None
    family = "other"
    for entry in _vocabulary():
        if any(p.search(body) for p in entry["compiled"]):
            topic, family = entry["topic"], entry["family"]
            break
    drug = find_drug(body)
    if drug and (topic is None or family in {"other"}):
        topic, family = drug.get("topic", drug["class"]), "medication"
    qty, per_week, weeks, unit = _quantity(body)
    side = re.search(r"\b(bilateral|left|right)\b", body, re.I)
    rental = re.search(r"(\d+)[- ]?(day|week|month)s?\s+rental|rental\s*(?:x|for)?\s*(\d+)\s*(day|week|month)", body, re.I)
    rental_days = None
    if rental:
        n = int(rental[1] or rental[3])
        rental_days = n * {"day": 1, "week": 7, "month": 30}[(rental[2] or rental[4]).lower()]
    purchase = True if re.search(r"purchase|buy", body, re.I) else False if rental or re.search("rental", body, re.I) else None
    dose = re.search(r"\d+(?:\.\d+)?(?:/\d+(?:\.\d+)?)?\s*(?:mg|mcg|%|ml|g)\b", body, re.I)
    return Service(
        raw=text,
        topic=topic,
        family=family,
        region=region_of(body),
        side=side[1].lower() if side else None,
        quantity=qty,
        unit=unit or ("visits" if family in {"physical_medicine", "chiropractic", "acupuncture"} and qty else
                      "units" if family == "medication" and qty else None),
        frequency_per_week=per_week,
        weeks=weeks,
        drug=drug["name"] if drug else None,
        drug_class=drug["class"] if drug else None,
        dose=dose[0] if dose else None,
        purchase=purchase,
        rental_days=rental_days,
        retrospective=bool(re.search(r"\bretro(?:spective)?\b|\bDOS\b|date of service", body, re.I)),
        associated_with=assoc[1].strip() if assoc else None,
    )
