"""Conflict screen: a reviewer affiliated with any party to the case is excluded, with the reason shown.

Names are compared after normalization (case, punctuation and legal suffixes such as "Inc." dropped): an equal
normalized name is an exact match; a token-sort similarity of FUZZY_THRESHOLD or more (rapidfuzz) is a fuzzy
match, which catches "Acme Insurance Co." against "ACME Insurance Company" and small misspellings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from openimr.model import Parties
from openimr.review.eligibility import Exclusion
from openimr.review.registry import Reviewer

FUZZY_THRESHOLD = 88.0
_WORD = re.compile(r"[a-z0-9]+")
_SUFFIXES = {"inc", "incorporated", "llc", "llp", "lp", "ltd", "co", "corp", "corporation", "company", "the",
             "pc", "apc", "pa", "md", "do", "dc", "group", "of"}


@dataclass(frozen=True)
class Party:
    role: str  # employee | employer | claims_administrator | provider | <extra role>
    name: str


def normalize_name(name: str) -> str:
    words = _WORD.findall(name.lower().replace("&", " and "))
    kept = [w for w in words if w not in _SUFFIXES]
    return " ".join(kept or words)


def case_parties(parties: Parties) -> list[Party]:
    """Every named party of a case file, including extra roles such as manufacturer or facility."""
    out: list[Party] = []
    for role in ("employee", "employer", "claims_administrator"):
        value = getattr(parties, role)
        if value:
            out.append(Party(role, value))
    out.extend(Party("provider", p) for p in parties.providers if p)
    for role, value in (parties.model_extra or {}).items():
        names = value if isinstance(value, list) else [value]
        out.extend(Party(role, str(n)) for n in names if isinstance(n, str) and n.strip())
    return out


def match(a: str, b: str) -> tuple[str, float] | None:
    """("exact", 100) or ("fuzzy", score) when two names denote the same party, else None."""
    na, nb = normalize_name(a), normalize_name(b)
    if not na or not nb:
        return None
    if na == nb:
        return "exact", 100.0
    score = fuzz.token_sort_ratio(na, nb)
    return ("fuzzy", float(score)) if score >= FUZZY_THRESHOLD else None


def conflicts(reviewer: Reviewer, parties: list[Party]) -> list[Exclusion]:
    """One exclusion per (affiliation, party) pair that matches, and one if the reviewer is a party."""
    out: list[Exclusion] = []
    names = [(f"{a.kind} affiliation", a.name) for a in reviewer.affiliations] + [("own name", reviewer.name)]
    for label, name in names:
        for party in parties:
            found = match(name, party.name)
            if found:
                kind, score = found
                how = "exact match" if kind == "exact" else f"fuzzy match, similarity {score:.0f}"
                out.append(Exclusion(reviewer.id, "conflict",
                                     f"{label} {name!r} matches the case's {party.role.replace('_', ' ')} "
                                     f"{party.name!r} ({how})"))
    return out
