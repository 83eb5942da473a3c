"""Request normalization: the words of a disputed item become a Service (topic, region, quantity, ...).

The vocabulary is data (data/services.yaml, data/drugs.yaml); this module only reads it and measures.
Modified requests ("X was the original request. Y was authorized ... The remaining IMR eligible portion of
the original request, Z is") are normalized to the remaining portion Z, with what UR authorized kept in
authorized_quantity so the rules can count it as already given.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

from openimr import yamlload
from openimr.drugs import drug_table
from openimr.facts.fastmatch import AnchorIndex, FastGate, ascii_lowered
from openimr.facts.numbers import NUMBER_PATTERN, to_number
from openimr.facts.regions import candidates as region_candidates
from openimr.facts.regions import region_of
from openimr.model import Request, Service


@lru_cache(maxsize=1)
def _vocabulary() -> list[dict[str, Any]]:
    text = resources.files("openimr").joinpath("data/services.yaml").read_text(encoding="utf-8")
    topics: list[dict[str, Any]] = yamlload.safe_load(text)["topics"]
    for t in topics:
        t["compiled"] = _any_of(t["patterns"])
    return topics


def _any_of(patterns: list[str]) -> list[FastGate]:
    """Gates that together match a text exactly when one of the patterns does: one alternation per flag
    setting (a pattern naming an acronym keeps its case), so that a topic costs one or two searches."""
    by_flags: dict[int, list[str]] = {}
    for p in patterns:
        by_flags.setdefault(0 if re.search(r"\\b[A-Z]", p) else re.I, []).append(p)
    gates = []
    for flags, group in by_flags.items():
        try:
            gates.append(FastGate(re.compile("|".join(f"(?:{p})" for p in group), flags)))
        except re.error:  # a pattern that cannot sit in an alternation keeps its own search
            gates.extend(FastGate(re.compile(p, flags)) for p in group)
    return gates


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z][A-Za-z-]*", text.lower())


def find_drugs(text: str) -> list[dict[str, Any]]:
    """Every drug named in text, by generic or brand name, in order, each once."""
    words = _words(text)
    table = drug_table()
    found: list[dict[str, Any]] = []
    i = 0
    while i < len(words):
        two = f"{words[i]} {words[i + 1]}" if i + 1 < len(words) else None
        hit = table.get(two) if two else None
        step = 2 if hit else 1
        hit = hit or table.get(words[i])
        if hit and hit not in found:
            found.append(hit)
        i += step
    return found


def find_drug(text: str) -> dict[str, Any] | None:
    """The first drug named in text, by generic or brand name."""
    found = find_drugs(text)
    return found[0] if found else None


_N = NUMBER_PATTERN
_WEEK = r"(?:a|per|/|each|every)?\s*(?:week|wk)s?"
_FREQ_PATTERNS = [
    # "2x4", "2 x 4 weeks", "2x/week x 4 weeks"
    re.compile(r"\b(\d+)(?:\s*-\s*(\d+))?\s*x\s*(?:/?\s*(?:week|wk)s?\s*(?:x|for|times)?\s*)?(\d+)\s*(?:weeks?|wks?)?\b", re.I),
    # "two times a week for six weeks", "1-2 times per week for 4 weeks", "3 visits per week for 2 weeks"
    re.compile(r"\b(" + _N + r")(?:\s*(?:-|to)\s*(" + _N + r"))?\s*(?:times?|visits?|sessions?)\s*" + _WEEK +
               r"\s*(?:for|x|times|over)\s*(" + _N + r")\s*(?:weeks?|wks?)", re.I),
    # "2 times 6", "two times four visits"
    re.compile(r"\b(" + _N + r")(?:\s*(?:-|to)\s*(" + _N + r"))?\s*times\s*(" + _N + r")\b(?!\s*(?:a|per)\s*week)", re.I),
]


def _quantity(text: str) -> tuple[float | None, float | None, float | None, str | None]:
    """(quantity, per week, weeks, unit) from the request's words; ranges count at their upper bound,
    because IMR decides the request as submitted."""
    t = text.lower()
    m = re.search(r"\((\d+)\)|(\d+)\s*(?:sessions?|visits?)\s*(?:total|in total)", t)
    stated_total = float(m[1] or m[2]) if m else None
    for pattern in _FREQ_PATTERNS:
        m = pattern.search(t)
        if m:
            per_week = to_number(m[2] or m[1])
            weeks = to_number(m[3])
            if per_week is not None and weeks is not None:
                return stated_total or per_week * weeks, per_week, weeks, "visits"
    m = re.search(r"qty:?\s*(\d+(?:\.\d+)?)|quantity:?\s*(\d+(?:\.\d+)?)|#\s*(\d+(?:\.\d+)?)", t)
    if m:
        return float(m[1] or m[2] or m[3]), None, None, None
    m = re.search(r"\b(" + _N + r")\s*(?:\(\d+\)\s*)?(?:additional\s+|more\s+|initial\s+)?(?:[a-z]+\s+){0,3}?"
                  r"(sessions?|visits?|treatments?)\b", t)
    if m and to_number(m[1]) is not None:
        return to_number(m[1]), None, None, "visits"
    m = re.search(r"\b(?:x|times)\s*(\d+)\b(?!\s*(?:weeks?|days?|months?))", t)
    if m:
        return float(m[1]), None, None, None
    return None, None, None, None


_MODIFIED = re.compile(
    r"^(?P<original>.*?)\s+was the original request\.\s*(?P<authorized>.*?)\s*(?:was|were) authorized by the "
    r"Claims Administrator\.\s*The remaining IMR eligible portion of the original request,?\s*(?P<rest>.*?)"
    r"(?:\s+is)?:?\s*$", re.I | re.S)
_MODIFIED_WHOLE = re.compile(
    r"^(?P<original>.*?)\s+was the original request\..*?The original request,?\s*(?P<rest>.*?)(?:\s+is)?:?\s*$",
    re.I | re.S)
_ASSOCIATED = re.compile(
    r"^\s*(?:associated surgical services?\s*:?\s*|(?:pre|post)[- ]?op(?:erative)?\b\s*:?\s*|"
    r"labs to include\s*:?\s*)(?P<rest>.*)$", re.I | re.S)
_ALWAYS_ASSOCIATED = re.compile(r"assistant surgeon|\bPA assist|medical clearance|pre-?op", re.I)


def split_modified(text: str) -> tuple[str, str | None, bool]:
    """(the IMR-eligible portion, what UR authorized, modified?) from a modified request's words."""
    m = _MODIFIED.match(text)
    if m:
        return m["rest"].strip(" ,.") or m["original"], m["authorized"], True
    m = _MODIFIED_WHOLE.match(text)
    if m:
        return m["rest"].strip(" ,.") or m["original"], None, True
    return text, None, False


# "for 4 weeks" is a rental period only for equipment; for therapy it is the length of the course
_EQUIPMENT = re.compile(r"\b(?:unit|device|machine|system|pump|stimulator|brace|wrap|garment|equipment|rental)s?\b", re.I)


def _rental(body: str, equipment: bool) -> tuple[bool | None, int | None]:
    period = r"|for (one|two|three|four|\d+) (day|week|month)s?" if equipment or _EQUIPMENT.search(body) else ""
    rental = re.search(r"(\d+|one|two|three|four)[- ]?(day|week|month)s?\s+(?:rental|use)|rental\s*(?:x|for)?\s*(\d+)\s*(day|week|month)"
                       + period, body, re.I)
    rental_days = None
    if rental:
        count = to_number(rental[1] or rental[3] or rental[5]) or 1
        unit = (rental[2] or rental[4] or rental[6]).lower()
        rental_days = int(count * {"day": 1, "week": 7, "month": 30}[unit])
    purchase = True if re.search(r"purchase|\bbuy\b", body, re.I) else \
        False if rental_days or re.search("rental", body, re.I) else None
    return purchase, rental_days


# Image guidance belongs to the procedure it guides: "ultrasound guided injection" is an injection, not a
# diagnostic ultrasound, so the guidance words are set aside before the vocabulary is matched.
_GUIDANCE = re.compile(r"\b(?:under\s+)?(?:ultrasound|sonograph\w*|fluoroscop\w*|CT|image|imaging|US)[- ]?"
                       r"(?:guided|guidance)\b|\bunder\s+(?:ultrasound|fluoroscopy|fluoroscopic)\b", re.I)


@lru_cache(maxsize=1)
def _topic_index() -> AnchorIndex[int]:
    """Topics by the words one of which any match of theirs holds: the literal starts of their patterns,
    lower-cased (a case-sensitive start such as "MRI" is then "mri" in the lower-cased text); None when a
    pattern has none."""
    anchors: dict[int, tuple[str, ...] | None] = {}
    for i, entry in enumerate(_vocabulary()):
        starts = [gate.starts for gate in entry["compiled"]]
        anchors[i] = None if any(s is None for s in starts) else tuple({w.lower() for s in starts for w in s or ()})
    return AnchorIndex(anchors)


def _topic_of(text: str) -> tuple[str | None, str]:
    text = _GUIDANCE.sub(" ", text)
    lowered = ascii_lowered(text)  # a text that is not ASCII: every topic is searched (IGNORECASE folds more)
    maybe = _topic_index().keys_in(lowered) if lowered is not None else None
    for i, entry in enumerate(_vocabulary()):
        if maybe is not None and i not in maybe:
            continue  # it holds none of the words every match of this topic holds
        if any(p.search(text) for p in entry["compiled"]):
            return entry["topic"], entry["family"]
    return None, "other"


def _region(text: str) -> str | None:
    """The body region; limbs named as a whole map to the spine region whose nerves serve them."""
    region = region_of(text)
    if region is not None:
        return region
    if re.search(r"upper extremit|\b[RL]?UEs?\b|\barms?\b", text, re.I):
        return "upper_extremity"
    if re.search(r"lower extremit|\b[RL]?LEs?\b|\blegs?\b", text, re.I):
        return "lower_extremity"
    return None


_TOPICAL_VEHICLE = re.compile(r"\b(?:cream|gel|ointment|lotion|spray|compound\w*|topical)\b", re.I)


def _systemic_patch(drug: dict[str, Any], topic: str | None, body: str) -> bool:
    """A transdermal patch of a systemic drug (Butrans, Duragesic) is that drug, not a topical analgesic: the
    word "patch" names the dosage form only. Topical agents (lidocaine, diclofenac gel, compounds) stay topical."""
    return topic == "topical_analgesic" and drug.get("form") == "systemic_patch" and not _TOPICAL_VEHICLE.search(body)


_CONTINUATION = re.compile(r"\b(?:additional|continu\w+|more|further|extension|extend\w*|ongoing|remaining)\b", re.I)
_REFILLS = re.compile(r"\b(?:with\s+|x\s*|plus\s+)?(\d+|one|two|three|four|five|six|eleven|twelve)\s+refills?\b|"
                      r"\brefills?\s*(?:x|:|#)?\s*(\d+)\b|\bRF\s*x?\s*(\d+)\b", re.I)
_MONTHS = {"one": 1, "1": 1, "two": 2, "2": 2, "three": 3, "3": 3}


def _supply_days(raw: str, quantity: float | None) -> float | None:
    """Days a medication request lasts: a stated day supply or months, else quantity over daily doses."""
    low = raw.lower()
    m = re.search(r"day supply:?\s*(\d+)", low) or re.search(r"(\d+)[- ]day supply", low)
    if m:
        return float(m[1])
    m = re.search(r"\b(one|1|two|2|three|3) months?", low)
    if m:
        return 30.0 * _MONTHS[m[1]]
    if quantity is None:
        return None
    per_day = 4 if re.search(r"\bqid\b|four times|every 6|q6|every 4|q4", low) else \
        3 if re.search(r"\btid\b|three times|every 8|q8", low) else \
        1 if re.search(r"\bq(?:d|hs)\b|daily|once a day|at bedtime|nightly", low) else 2
    return quantity / per_day


def _refills(raw: str) -> int | None:
    m = _REFILLS.search(raw)
    if not m:
        return None
    value = to_number(m[1] or m[2] or m[3])
    return int(value) if value is not None else None


def normalize(request: Request | str) -> Service:
    """The disputed item as a Service. Unknown words leave fields empty; nothing is guessed."""
    text = request.item if isinstance(request, Request) else request
    flat = re.sub(r"-\s+(?=[a-z])", "", " ".join(text.split()))  # "Electro- diagnostic" -> "Electrodiagnostic"
    body, authorized_text, modified = split_modified(flat)
    extra = (request.model_extra or {}) if isinstance(request, Request) else {}
    if not modified and (extra.get("original") or extra.get("authorized")):
        # the corpus parser hands over a modified request in parts: the remaining portion as the item
        authorized_text, modified = extra.get("authorized"), True
    assoc = _ASSOCIATED.match(body)
    associated = bool(assoc) or bool(_ALWAYS_ASSOCIATED.search(body))
    if assoc and assoc["rest"].strip():
        body = assoc["rest"]
    topic, family = _topic_of(body)
    if topic is None and body != flat:
        topic, family = _topic_of(flat)  # "Pre-op clearance": the prefix itself names the service
    drug = find_drug(body)
    if drug and (topic is None or family == "other" or _systemic_patch(drug, topic, body)):
        topic, family = drug.get("topic", drug["class"]), "medication"
    qty, per_week, weeks, unit = _quantity(body)
    authorized = _quantity(authorized_text)[0] if authorized_text else None
    side = re.search(r"\b(bilateral|left|right)\b", body, re.I)
    purchase, rental_days = _rental(body, equipment=family in {"dme", "electrotherapy"})
    dose = re.search(r"\d+(?:\.\d+)?(?:[/-]\d+(?:\.\d+)?)*\s*(?:mg|mcg|%|ml|g)\b", body, re.I)
    return Service(
        raw=text,
        topic=topic,
        family=family,
        region=_region(body),
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
        associated_with=body.strip() if associated else None,
        authorized_quantity=authorized,
        modified=modified,
        regions=list(dict.fromkeys(r for r, gate in region_candidates(body) if gate.search(body))),
        continuation=bool(_CONTINUATION.search(body)),
        supply_days=_supply_days(body, qty) if family == "medication" else None,
        refills=_refills(body) if family == "medication" else None,
    )
