"""The public copy: what the Division removes before it publishes a letter.

Removed: the names of the worker, employer, claims administrator, providers and their facilities; claim
and policy numbers; addresses; telephone numbers; dates of birth. Kept: the case number, the dates of
injury and decision, the decisions, citations and rationales.

Two sources find them: the case's own parties (and identifying fields such as claim_number), matched
wherever they appear, and patterns for what the parties do not name (a "Dr." or ", MD" before or after a
name, facility and company names by their endings, phone numbers, street addresses, "DOB ..."). Citations
are matched against the parties only: guideline titles ("... Medical Treatment Guidelines") look like
names to the patterns and are never identifying.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from openimr.letter.content import Item, LetterContent
from openimr.model import IDENTIFYING_FIELDS, Case

MARK = "[REDACTED]"


@dataclass(frozen=True)
class Redaction:
    """One removed passage: where it stood in the letter, what kind of identifier, and its words."""

    where: str
    kind: str
    text: str


# --------------------------------------------------------------------------- the case's own parties

_ORG_SUFFIX = re.compile(r",?\s+(?:LLC|L\.L\.C\.|Inc\.?|Incorporated|Corp\.?|Corporation|Co\.|Company|LLP|LP|PC|"
                         r"P\.C\.|Ltd\.?)$", re.I)
_TITLE = re.compile(r"^(?:Dr|Mr|Mrs|Ms|Miss|Doctor)\.?\s+", re.I)
_DEGREE = re.compile(r",?\s+(?:M\.?D|D\.?O|D\.?C|PA-C|N\.?P|P\.?T|DPT|Ph\.?D)\.?$", re.I)
_ORG_WORDS = re.compile(r"\b(?:group|center|centre|clinic|hospital|medical|health|imaging|radiology|therapy|"
                        r"associates|institute|services|insurance|claims|company|corporation|llc|inc|care|"
                        r"orthopa?edics?|rehabilitation|pharmacy|laborator(?:y|ies))\b", re.I)
# identifying case fields beside the parties (top level or under parties), by the kind the report names
_ID_FIELDS = IDENTIFYING_FIELDS


def _is_person(name: str) -> bool:
    if _TITLE.match(name) or _DEGREE.search(name):
        return True
    words = name.split()
    return 2 <= len(words) <= 4 and not _ORG_WORDS.search(name)


def _name_variants(name: str, person: bool) -> list[str]:
    """The name as given, and the shorter forms letters use: a person's surname (and given name), a
    company without its legal ending."""
    name = " ".join(name.split())
    out = [name]
    if person:
        bare = _DEGREE.sub("", _TITLE.sub("", name)).strip()
        out.append(bare)
        # single names of three letters or more, capitalized, matched as whole words and case-sensitively
        out += [w for w in re.findall(r"[A-Z][a-zA-Z'-]{2,}", bare)]
    else:
        out.append(_ORG_SUFFIX.sub("", name).strip())
    return [v for v in dict.fromkeys(out) if len(v) >= 3]


def _date_variants(value: Any) -> list[str]:
    try:
        d = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        return [str(value)]
    return [d.isoformat(), d.strftime("%m/%d/%Y"), f"{d.month}/{d.day}/{d.year}", d.strftime("%m-%d-%Y"),
            d.strftime("%m/%d/%y"), d.strftime("%B %d, %Y"), f"{d.strftime('%B')} {d.day}, {d.year}"]


def party_terms(case: Case) -> list[tuple[str, str]]:
    """(kind, words) for everything the case itself names as identifying, longest first."""
    p = case.parties
    terms: list[tuple[str, str]] = []
    if p.employee:
        terms += [("worker's name", v) for v in _name_variants(p.employee, person=True)]
    for kind, name in (("employer", p.employer), ("claims administrator", p.claims_administrator)):
        if name:
            terms += [(kind, v) for v in _name_variants(name, person=_is_person(name))]
    for provider in p.providers:
        terms += [("provider", v) for v in _name_variants(provider, person=_is_person(provider))]
    for source in (case.model_extra or {}, p.model_extra or {}):
        for key, value in source.items():
            id_kind = _ID_FIELDS.get(key.lower())
            if id_kind is None or value in (None, ""):
                continue
            values = value if isinstance(value, list) else [value]
            for v in values:
                words = _date_variants(v) if id_kind == "date of birth" else [" ".join(str(v).split())]
                terms += [(id_kind, w) for w in words if len(w) >= 3]
    return sorted(dict.fromkeys(terms), key=lambda t: -len(t[1]))


def _term_pattern(term: str) -> re.Pattern[str]:
    # whitespace in the letter may differ from the case field's (line breaks, double spaces)
    body = r"\s+".join(re.escape(w) for w in term.split())
    single = " " not in term and term[:1].isupper()
    # a single capitalized name matches case-sensitively ("Will" the name, not "will"); longer ones do not
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", 0 if single else re.I)


# --------------------------------------------------------------------------- patterns for the rest

_CAP = r"[A-Z][a-zA-Z'&.-]*"
_DATE = r"(?:\d{1,2}[/-]\d{1,2}[/-]\d{2,4}|[A-Z][a-z]+\.? \d{1,2},? \d{4}|\d{4}-\d{2}-\d{2})"
_STREET = (r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Way|Court|Ct|Place|Pl|Parkway|"
           r"Pkwy|Highway|Hwy|Circle|Cir|Terrace)")
# ", Santa Rosa, CA 95401" after a street address or a post office box
_PLACE = r"(?:,\s*(?:[A-Z][a-z]+\s?){1,3})?(?:,?\s*(?:CA|California)\b)?(?:\s+\d{5}(?:-\d{4})?)?"
# (kind, pattern, group): the group is what is removed ("Dr. [REDACTED]" keeps the title)
PATTERNS: list[tuple[str, re.Pattern[str], int]] = [
    ("telephone number", re.compile(r"(?<![\w/-])(?:\+?1[-.\s])?(?:\(\d{3}\)\s?|\d{3}[-.\s])\d{3}[-.\s]\d{4}(?![\w/-])"), 0),
    ("social security number", re.compile(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])"), 0),
    ("date of birth", re.compile(rf"\b(?:date of birth|birth ?date|DOB|D\.O\.B\.|born(?: on)?)\s*(?:[:\-]|is|of)?\s*({_DATE})",
                                 re.I), 1),
    ("claim number", re.compile(r"\b(?:claim|WCAB|ADJ)\s*(?:number|no\.?|num\.?|#)?\s*[:#]?\s*((?=[A-Z0-9-]*\d)"
                                r"[A-Z0-9][A-Z0-9-]{3,})\b", re.I), 1),
    ("claim number", re.compile(r"\bADJ\d{5,}\b"), 0),
    ("policy number", re.compile(r"\bpolicy\s*(?:number|no\.?|num\.?|#)?\s*[:#]?\s*((?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{3,})\b",
                                 re.I), 1),
    ("address", re.compile(rf"\b\d{{1,6}}\s+(?:[NSEW]\.?\s+)?(?:{_CAP}\s+){{1,4}}{_STREET}\b\.?"
                           rf"(?:,?\s+(?:Suite|Ste\.?|Unit|Apt\.?|#)\s*[\w-]+)?"
                           + _PLACE), 0),
    ("address", re.compile(r"\bP\.?\s?O\.?\s+Box\s+\d+\b" + _PLACE), 0),
    ("address", re.compile(r"\b(?:CA|California)\s+9\d{4}(?:-\d{4})?\b"), 0),
    ("provider name", re.compile(rf"\b(?:Dr|Doctor|Mr|Mrs|Ms|Miss)\.?\s+((?:{_CAP}\s+){{0,2}}[A-Z][a-zA-Z'-]+)"), 1),
    ("provider name", re.compile(rf"\b((?:[A-Z]\.\s+|{_CAP}\s+){{1,2}}[A-Z][a-zA-Z'-]+),?\s+"
                                 rf"(?:M\.D\.|MD|D\.O\.|D\.C\.|DC|PA-C|N\.P\.|NP|DPT|Ph\.D\.|PhD)(?![\w])"), 1),
    ("facility", re.compile(rf"\b(?:{_CAP}\s+){{1,5}}(?:Medical Group|Medical Center|Medical Clinic|Hospital|Clinic|"
                            rf"Imaging(?: Center)?|Radiology|Surgery Center|Surgical Center|Health Center|"
                            rf"Orthopa?edics|Rehabilitation Center|Urgent Care|Associates|Pharmacy)\b"), 0),
    ("organization", re.compile(rf"\b(?:{_CAP}\s+){{1,5}}(?:LLC|L\.L\.C\.|Inc\.|Inc\b|Incorporated|Corporation|Corp\.|"
                                rf"Insurance(?: Company)?|Claims Administrators?|Risk Management)"), 0),
]
# sentence words a capitalized run may start with that are not part of a name ("The Harbor Medical Group")
_LEAD = re.compile(r"^(?:(?:The|A|An|At|In|On|From|By|With|Per|To|Of|And|Or|This|That|His|Her|Their|Patient|"
                   r"Seen|Treated|Treatment|Evaluated|Referred|Records|Report|Reports|Follow-up|Visit)\s+)+")


def _spans(text: str, terms: list[tuple[str, re.Pattern[str]]], patterns: bool) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    for kind, rx in terms:
        found += [(m.start(), m.end(), kind) for m in rx.finditer(text)]
    if patterns:
        for kind, rx, group in PATTERNS:
            for m in rx.finditer(text):
                start, end = m.span(group)
                lead = _LEAD.match(text[start:end]) if group == 0 else None
                if lead:
                    start += lead.end()
                if end > start:
                    found.append((start, end, kind))
    # longest first at a position; overlapping spans merge into one removal
    found.sort(key=lambda s: (s[0], -s[1]))
    merged: list[tuple[int, int, str]] = []
    for start, end, kind in found:
        if merged and start < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), last[2])
        else:
            merged.append((start, end, kind))
    return merged


class Redactor:
    """Removes one case's identifiers from letter text and keeps a list of what it removed."""

    def __init__(self, case: Case) -> None:
        self.terms = [(kind, _term_pattern(term)) for kind, term in party_terms(case)]
        self.removed: list[Redaction] = []

    def __call__(self, text: str, where: str, patterns: bool = True) -> str:
        out, last = [], 0
        for start, end, kind in _spans(text, self.terms, patterns):
            out += [text[last:start], MARK]
            self.removed.append(Redaction(where, kind, text[start:end]))
            last = end
        out.append(text[last:])
        return "".join(out)


def redact_letter(letter: LetterContent, case: Case) -> tuple[LetterContent, list[Redaction]]:
    """The public copy of a letter and the list of what was removed (for the caller's report, never the copy)."""
    r = Redactor(case)
    header = [(label, value if label == "Case Number" else r(value, f"header {label}", patterns=False))
              for label, value in letter.header]
    summary = [r(p, "clinical case summary") for p in letter.summary]
    items = [Item(r(d.item, f"item {i} heading"), d.outcome,
                  r(d.ur_guideline, f"item {i} Claims Administrator guideline", patterns=False),
                  r(d.reviewer_guideline, f"item {i} reviewer guideline", patterns=False),
                  r(d.rationale, f"item {i} rationale"))
             for i, d in enumerate(letter.items, 1)]
    public = letter.with_changes(header=header, summary=summary, items=items, public=True)
    return public, r.removed


def redaction_report(removed: list[Redaction]) -> str:
    """What the public copy left out, one line per passage, for stderr or a sidecar file."""
    if not removed:
        return "public copy: nothing identifying was found to remove\n"
    lines = [f"public copy: removed {len(removed)} passage(s)"]
    lines += [f"  {r.where}: {r.kind}: {r.text!r}" for r in removed]
    return "\n".join(lines) + "\n"
