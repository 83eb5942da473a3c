"""FactSet: the facts of a case with the look-ups the decision rules use."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from openimr.model import Fact

ACUTE_WEEKS, SUBACUTE_WEEKS = 4, 12


def phase_for_weeks(weeks: float) -> str:
    """Acute under 4 weeks, subacute to 12 weeks, chronic after (the ACOEM convention)."""
    return "acute" if weeks < ACUTE_WEEKS else "subacute" if weeks < SUBACUTE_WEEKS else "chronic"


@dataclass
class FactSet:
    """The facts of a case, with the look-ups the decision rules use."""

    facts: list[Fact] = field(default_factory=list)
    date_of_injury: dt.date | None = None
    reference_date: dt.date | None = None

    _by_name: tuple[list[Fact], int, dict[str, list[Fact]]] | None = field(default=None, init=False, repr=False,
                                                                    compare=False)

    def named(self, name: str) -> list[Fact]:
        """The facts of one name, in document order. The rules ask hundreds of times per case: the facts are
        grouped by name once (again if the list is replaced or grows), not scanned per question."""
        index = self._by_name
        if index is None or index[0] is not self.facts or index[1] != len(self.facts):
            groups: dict[str, list[Fact]] = {}
            for f in self.facts:
                groups.setdefault(f.name, []).append(f)
            index = self._by_name = (self.facts, len(self.facts), groups)
        return list(index[2].get(name, ()))

    def diagnoses_naming(self, pattern: str) -> list[Fact]:
        """Affirmed diagnosis facts whose words match a pattern (case-insensitive): a rule asks for a condition
        by name, and only the facts layer reads the records' words."""
        rx = re.compile(pattern, re.I)
        return [f for f in self.named("diagnosis") if not f.negated and rx.search(f.value["text"])]

    def surgeries_matching(self, pattern: str) -> list[Fact]:
        """Surgeries the records state were done whose procedure (or words) match a pattern."""
        rx = re.compile(pattern, re.I)
        return [f for f in self.named("surgery") if not f.negated and f.value.get("status") == "done"
                and rx.search(str(f.value.get("procedure") or f.text))]

    def first(self, name: str, include_negated: bool = False) -> Fact | None:
        """The first fact of a name in document order, affirmed ones only unless asked."""
        return next((f for f in self.facts if f.name == name and (include_negated or not f.negated)), None)

    def prior(self, modality: str, skip: Callable[[Fact], bool] | None = None) -> Fact | None:
        """The best-documented history of one modality: an explicit count beats a bare mention. `skip` leaves
        out mentions a caller knows are not history (the decision engine: the request's own sentence)."""
        found = [f for f in self.named("prior_treatment") if f.value["modality"] == modality
                 and not (skip and skip(f))]
        if not found:
            return None
        with_count = [f for f in found if f.value.get("count") and not f.negated]
        if with_count:
            # the largest count is the fullest history: "completed 6 of 8" and later "12 sessions"
            return max(with_count, key=lambda f: f.value["count"])
        affirmed = [f for f in found if not f.negated]
        # a bare affirmed mention ("treatment included chiropractic") outweighs a negation elsewhere
        return affirmed[0] if affirmed else found[0]

    @property
    def weeks_since_injury(self) -> float | None:
        if self.date_of_injury and self.reference_date:
            return (self.reference_date - self.date_of_injury).days / 7
        return None

    @property
    def phase(self) -> str | None:
        """Acute, subacute or chronic: from the dates when they are known, else as the records word it."""
        weeks = self.weeks_since_injury
        if weeks is not None:
            return phase_for_weeks(weeks)
        stated = self.first("phase_of_care")
        return str(stated.value) if stated else None


_SIDE_WORDS = re.compile(r"\b(left|right|bilateral)\b", re.I)


def sides_named(fact: Fact) -> set[str]:
    """The sides ('left', 'right', 'bilateral') a fact's own words name."""
    return {m.lower() for m in _SIDE_WORDS.findall(fact.text)}
