"""Specialty fit: does the reviewer practise the same or a similar specialty as those who evaluate or treat
the disputed services and the condition? The table lives in openimr/data/specialty_fit.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from openimr import yamlload
from openimr.model import Case
from openimr.services import normalize

SAME, SIMILAR = 2, 1  # points per service family or condition a reviewer fits


@dataclass(frozen=True)
class FitTable:
    aliases: dict[str, str]
    families: dict[str, dict[str, frozenset[str]]]
    first_choice: dict[str, list[str]]  # per family, its "same" specialties in the table's order of preference
    conditions: list[tuple[str, re.Pattern[str], frozenset[str], frozenset[str]]]


def _key(specialty: str) -> str:
    """Specialty names compare lower-cased with single spaces, in the table and in the registry alike."""
    return " ".join(specialty.lower().split())


def canonical(specialty: str) -> str:
    key = _key(specialty)
    return fit_table().aliases.get(key, key)


@lru_cache(maxsize=1)
def fit_table() -> FitTable:
    raw: dict[str, Any] = yamlload.safe_load(
        resources.files("openimr").joinpath("data/specialty_fit.yaml").read_text(encoding="utf-8"))
    aliases: dict[str, str] = {}
    for name, others in raw["aliases"].items():
        aliases[name] = name
        for other in others:
            aliases[_key(str(other))] = name

    def canon(names: list[str]) -> frozenset[str]:
        return frozenset(aliases.get(_key(n), _key(n)) for n in names)

    families = {fam: {"same": canon(v.get("same", [])), "similar": canon(v.get("similar", []))}
                for fam, v in raw["families"].items()}
    conditions = [(c["name"], re.compile(c["pattern"], re.I), canon(c.get("same", [])), canon(c.get("similar", [])))
                  for c in raw["conditions"]]
    first_choice = {fam: [aliases.get(_key(n), _key(n)) for n in v.get("same", [])] for fam, v in raw["families"].items()}
    return FitTable(aliases, families, first_choice, conditions)


def fitting_specialty(families: list[str]) -> str | None:
    """The specialty that is "same" for most of the families, ties to the one the first family prefers.
    Printed, title-cased, where a letter has no assigned reviewer yet."""
    table = fit_table()
    ranked = [s for fam in families for s in table.first_choice.get(fam, [])]
    if not ranked:
        return None
    best = max(ranked, key=lambda s: (ranked.count(s), -ranked.index(s)))
    return " ".join(w if w == "&" else w.capitalize() for w in best.split())


@dataclass
class CaseNeeds:
    """What the case asks of a reviewer: service families of the disputed items, and conditions found."""

    families: list[str]
    conditions: list[str] = field(default_factory=list)


def case_needs(case: Case) -> CaseNeeds:
    families = sorted({normalize(r).family for r in case.requests})
    text = " ".join([r.item for r in case.requests] + [d.text or "" for d in case.documents])
    conditions = [name for name, pattern, _, _ in fit_table().conditions if pattern.search(text)]
    return CaseNeeds(families, conditions)


@dataclass(frozen=True)
class Fit:
    score: int
    reasons: list[str]


def specialty_fit(specialties: list[str], needs: CaseNeeds) -> Fit:
    """Points for each need the reviewer's specialties cover: SAME for the same specialty, SIMILAR for a
    similar one. The reasons name the need and the specialty that covers it."""
    table = fit_table()
    mine = {canonical(s) for s in specialties}
    score, reasons = 0, []
    wanted = [(f"service family {f}", table.families.get(f, table.families["other"])) for f in needs.families]
    wanted += [(f"condition {name}", {"same": same, "similar": similar})
               for name, _, same, similar in table.conditions if name in needs.conditions]
    for label, fits in wanted:
        same = sorted(mine & fits["same"])
        similar = sorted(mine & fits["similar"])
        if same:
            score += SAME
            reasons.append(f"{label}: same specialty ({', '.join(same)})")
        elif similar:
            score += SIMILAR
            reasons.append(f"{label}: similar specialty ({', '.join(similar)})")
        else:
            reasons.append(f"{label}: no fitting specialty")
    return Fit(score, reasons)
