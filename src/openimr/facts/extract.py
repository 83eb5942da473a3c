"""Fact extraction: small pattern recognizers, one per fact name, run sentence by sentence.

Every fact keeps its span (document index, start, end) into the document text. A recognizer never
invents a value: what it cannot read stays absent, and the decision reports it as not documented.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from openimr.facts.dates import DATE_PATTERN, is_month_precision, parse_date
from openimr.facts.lexicon import EXAM_TESTS, MODALITIES, NEGATION_CUES, RED_FLAGS, REGIONS
from openimr.facts.numbers import NUMBER_PATTERN, to_number
from openimr.facts.text import Sentence, sentences
from openimr.model import Case, Fact

Recognizer = Callable[[Sentence, int], Iterator[Fact]]
_RECOGNIZERS: list[Recognizer] = []


def recognizer(fn: Recognizer) -> Recognizer:
    _RECOGNIZERS.append(fn)
    return fn


def _fact(name: str, value: Any, s: Sentence, doc: int, start: int, end: int, negated: bool = False) -> Fact:
    """A fact whose span is start..end within sentence s (offsets relative to the sentence)."""
    return Fact(name=name, value=value, negated=negated, span=(doc, s.start + start, s.start + end),
                text=s.text[start:end])


def _negated_before(s: Sentence, pos: int, window: int = 60) -> bool:
    """A negation cue in the same clause, shortly before pos."""
    before = s.text[max(0, pos - window) : pos]
    # a clause boundary ends the reach of a cue: "no numbness, but 18 sessions of PT"
    before = re.split(r"[,;:]|\bbut\b|\bhowever\b|\band\b(?=\s+(?:has|had|was|is|she|he)\b)", before)[-1]
    return any(re.search(cue, before, re.I) for cue in NEGATION_CUES)


def region_of(text: str) -> str | None:
    for region, patterns in REGIONS.items():
        for p in patterns:
            if re.search(r"(?<![A-Za-z])(?:" + p + r")(?![A-Za-z])", text, re.I if not p[0].isupper() else 0):
                return region
    return None


# ---------------------------------------------------------------- demographics

@recognizer
def _age(s: Sentence, doc: int) -> Iterator[Fact]:
    m = re.search(r"\b(\d{1,3})[- ]years?[- ]old\b|\bage(?:d)?\s*:?\s*(\d{1,3})\b", s.text, re.I)
    if m:
        yield _fact("age", int(m[1] or m[2]), s, doc, m.start(), m.end())


@recognizer
def _sex(s: Sentence, doc: int) -> Iterator[Fact]:
    m = re.search(r"\b(female|male|woman|man|gentleman|lady)\b", s.text, re.I)
    if m and re.search(r"years?[- ]old|patient|worker|claimant|employee|is an?\b", s.text, re.I):
        word = m[1].lower()
        yield _fact("sex", "female" if word in {"female", "woman", "lady"} else "male", s, doc, m.start(), m.end())


@recognizer
def _date_of_injury(s: Sentence, doc: int) -> Iterator[Fact]:
    m = re.search(r"(?:date of injury|DOI|injur(?:y|ed)(?: \w+)? on|industrial injury on|injured (?:at work )?on)"
                  r"\s*(?:of|:|was|is)?\s*(" + DATE_PATTERN + ")", s.text, re.I)
    if m:
        d = parse_date(m[1])
        if d:
            yield _fact("date_of_injury", d.isoformat(), s, doc, m.start(), m.end())


# ---------------------------------------------------------------- treatment history

_COUNT_UNIT = r"(?:sessions?|visits?|treatments?|appointments?)"


def _modality_patterns() -> Iterable[tuple[str, str]]:
    for modality, phrases in MODALITIES.items():
        for p in phrases:
            yield modality, p


@recognizer
def _prior_treatment(s: Sentence, doc: int) -> Iterator[Fact]:
    """Counts and negations of past treatment: '18 sessions of physical therapy', 'no chiropractic'."""
    seen: set[str] = set()
    if re.search(r"\b(?:request(?:ed|ing|s)?|recommend\w*|plan(?:ned)?|would like|is to|will)\b", s.text, re.I) \
            and not re.search(r"\b(?:received|completed|had|attended|tried|underwent|included|to date)\b", s.text, re.I):
        return  # a plan, not a history
    for modality, phrase in _modality_patterns():
        if modality in seen or modality in {"injection", "medication"}:
            continue
        flags = 0 if phrase.startswith(r"\b") and phrase[2:4].isupper() else re.I
        for m in re.finditer(phrase, s.text, flags):
            count: float | None = None
            start, end = m.start(), m.end()
            before = s.text[max(0, start - 40) : start]
            after = s.text[end : end + 40]
            c1 = re.search(r"(" + NUMBER_PATTERN + r")\s+(?:total\s+)?(?:prior\s+)?" + _COUNT_UNIT + r"\s+(?:of\s+)?$", before, re.I)
            c2 = re.match(r"\s*(?:x|times|for)\s*(" + NUMBER_PATTERN + r")(?:\s*" + _COUNT_UNIT + r")?", after, re.I)
            c3 = re.match(r"\s*(?:\w+\s+){0,2}?\(?(" + NUMBER_PATTERN + r")\s+" + _COUNT_UNIT, after, re.I)
            c4 = re.search(r"(" + NUMBER_PATTERN + r")\s+(?:prior\s+|previous\s+)?$", before, re.I)
            if c1:
                count, start = to_number(c1[1]), start - len(before) + c1.start()
            elif c2:
                count, end = to_number(c2[1]), end + c2.end()
            elif c3 and not re.match(r"\s*(?:and|or|,)", after):
                count, end = to_number(c3[1]), end + c3.end()
            elif c4 and re.match(r"\s*" + _COUNT_UNIT, after, re.I):
                count, start = to_number(c4[1]), start - len(before) + c4.start()
            negated = _negated_before(s, m.start())
            if negated:
                count = 0
            value = {"modality": modality, "count": count, "unit": "visits" if count else None,
                     "response": _response(s.text)}
            yield _fact("prior_treatment", value, s, doc, start, end, negated=negated)
            seen.add(modality)
            break


def _response(text: str) -> str | None:
    if re.search(r"\b(?:no|minimal|without|little|limited|temporary|short[- ]term)\s+(?:relief|benefit|improvement)|did not help|not helpful|failed", text, re.I):
        return "minimal"
    if re.search(r"\b(?:significant|good|excellent|moderate|\d{2}%|some)\s+(?:pain\s+)?(?:relief|benefit|improvement)|helpful|improved", text, re.I):
        return "improved"
    return None


@recognizer
def _injection(s: Sentence, doc: int) -> Iterator[Fact]:
    m = re.search(r"(epidural steroid injections?|\bESI\b|facet (?:joint )?injections?|medial branch blocks?|"
                  r"trigger point injections?|cortisone injections?|steroid injections?|"
                  r"radiofrequency (?:ablation|neurotomy)|nerve blocks?)", s.text, re.I)
    if not m:
        return
    negated = _negated_before(s, m.start())
    d = re.search(DATE_PATTERN, s.text)
    value = {"type": m[1].lower(), "region": region_of(s.text), "date": None, "relief": _response(s.text)}
    if d and parse_date(d[0]):
        date = parse_date(d[0])
        assert date is not None
        value["date"] = date.strftime("%Y-%m") if is_month_precision(d[0]) else date.isoformat()
    if re.search(r"\b(?:request|recommend|plan|candidate|consider)\w*", s.text, re.I) and not re.search(
            r"\b(?:received|underwent|had|status post|s/p|performed|provided|given)\b", s.text, re.I):
        value["planned"] = True
    yield _fact("injection", value, s, doc, m.start(), m.end(), negated=negated)


@recognizer
def _surgery(s: Sentence, doc: int) -> Iterator[Fact]:
    m = re.search(r"(?:status post|s/p|underwent|had|post[- ]operative(?:ly)? (?:from|after))\s+(?:an?\s+|the\s+)?"
                  r"([\w\s,/-]{3,60}?(?:ectomy|otomy|oplasty|odesis|fusion|repair|release|reconstruction|arthroscopy|"
                  r"replacement|decompression|surgery|ORIF|fixation))", s.text, re.I)
    if m and not re.search(r"\binjection|\bblock", m[1], re.I):
        d = re.search(DATE_PATTERN, s.text[m.end():])
        date = parse_date(d[0]) if d else None
        value = {"procedure": m[1].strip().lower(), "date": date.isoformat() if date else None, "status": "done"}
        yield _fact("surgery", value, s, doc, m.start(), m.end(), negated=_negated_before(s, m.start()))


# ---------------------------------------------------------------- findings

@recognizer
def _pain_score(s: Sentence, doc: int) -> Iterator[Fact]:
    for m in re.finditer(r"\b(\d{1,2})(?:\s*(?:-|to)\s*(\d{1,2}))?\s*(?:/\s*10|out of (?:a )?10|on a (?:scale of )?(?:0-|1-|one to |zero to )?10(?:-point)?)", s.text, re.I):
        low, high = int(m[1]), int(m[2]) if m[2] else None
        if low > 10 or (high is not None and high > 10):
            continue
        yield _fact("pain_score", {"score": low if high is None else [low, high]}, s, doc, m.start(), m.end())


@recognizer
def _exam(s: Sentence, doc: int) -> Iterator[Fact]:
    for test, pattern in EXAM_TESTS.items():
        m = re.search(pattern, s.text, re.I)
        if not m:
            continue
        window = s.text[max(0, m.start() - 40) : m.end() + 60]
        result: str | None = None
        if re.search(r"\b(?:negative|normal|intact|full|5/5|symmetric|equal|unremarkable)\b", window, re.I):
            result = "normal"
        if re.search(r"\b(?:positive|decreased|diminished|reduced|limited|restricted|weak\w*|abnormal|"
                     r"4\+?/5|3/5|absent|numbness|hypoesthesia)\b", window, re.I):
            result = "abnormal" if result is None or window.lower().find("positive") >= 0 else result
        if test == "tenderness":
            result = "abnormal" if not _negated_before(s, m.start()) else "normal"
        if result is None:
            continue
        side = re.search(r"\b(bilateral(?:ly)?|left|right)\b", window, re.I)
        value = {"test": test, "result": result, "side": side[1].lower() if side else None,
                 "region": region_of(window)}
        yield _fact("exam_finding", value, s, doc, m.start(), m.end())


@recognizer
def _imaging(s: Sentence, doc: int) -> Iterator[Fact]:
    m = re.search(r"\b(MRI|magnetic resonance imaging|CT(?: scan)?|computed tomography|x-?rays?|radiographs?|"
                  r"EMG(?:/NCS|/NCV)?|NCS|NCV|electrodiagnostic \w+|nerve conduction \w+|ultrasound|bone scan)\b",
                  s.text, re.I)
    if not m:
        return
    if re.search(r"\b(?:request\w*|recommend\w*|plan\w*|order\w*|rule out|to evaluate|authoriz\w+|non-?certif\w*|"
                 r"denied|medically necessary)\b", s.text, re.I) and not re.search(
                 r"\b(?:showed|revealed|demonstrated|noted|dated|performed|impression|findings?|consistent with)\b",
                 s.text, re.I):
        return
    modality = m[1].upper()
    if modality.startswith(("MAGNETIC",)):
        modality = "MRI"
    elif modality.startswith(("COMPUTED", "CT")):
        modality = "CT"
    elif modality.startswith(("X", "RADIOGRAPH")):
        modality = "X-ray"
    elif modality.startswith(("EMG", "NCS", "NCV", "ELECTRODIAGNOSTIC", "NERVE")):
        modality = "EMG/NCS"
    d = re.search(DATE_PATTERN, s.text)
    date = parse_date(d[0]) if d else None
    findings = re.search(r"(?:showed|revealed|demonstrated|with|noting|consistent with|impression:?)\s+(.{3,200})$",
                         s.text[m.end():], re.I)
    value = {"modality": modality, "region": region_of(s.text), "date": date.isoformat() if date else None,
             "findings": findings[1].strip(" .") if findings else None}
    yield _fact("imaging", value, s, doc, m.start(), s.end - s.start, negated=_negated_before(s, m.start()))


@recognizer
def _diagnosis(s: Sentence, doc: int) -> Iterator[Fact]:
    m = re.search(r"(?:diagnos(?:is|es)|diagnosed with|assessment)\s*(?:from [^:]*?)?(?:of|are|is|include[sd]?|included|:)\s*:?\s*(.+)$",
                  s.text, re.I)
    if not m:
        return
    items = re.split(r"\s*(?:\d+\.\s+|;|,\s*(?:and\s+)?|\s+and\s+)\s*", m[1])
    pos = m.start(1)
    for item in items:
        item = item.strip(" .")
        if len(item) < 3:
            continue
        at = s.text.find(item, pos)
        if at < 0:
            continue
        pos = at + len(item)
        yield _fact("diagnosis", {"text": item, "region": region_of(item)}, s, doc, at, at + len(item))


@recognizer
def _red_flag(s: Sentence, doc: int) -> Iterator[Fact]:
    for p in RED_FLAGS:
        m = re.search(p, s.text, re.I)
        if m:
            yield _fact("red_flag", m[0].lower(), s, doc, m.start(), m.end(), negated=_negated_before(s, m.start(), 80))


@recognizer
def _functional_improvement(s: Sentence, doc: int) -> Iterator[Fact]:
    m = re.search(r"functional (?:improvement|gains?|benefit)|improved (?:function|ability|activities)", s.text, re.I)
    if m:
        yield _fact("functional_improvement", not _negated_before(s, m.start(), 80), s, doc, m.start(), m.end(),
                    negated=_negated_before(s, m.start(), 80))


@recognizer
def _ur_decision(s: Sentence, doc: int) -> Iterator[Fact]:
    m = re.search(r"utilization review|\bUR\b", s.text)
    if m and re.search(r"denied|non-?certif|not medically necessary|modified|determined", s.text, re.I):
        d = re.search(DATE_PATTERN, s.text)
        date = parse_date(d[0]) if d else None
        modified = bool(re.search(r"modif|partial|certified \d|authoriz", s.text, re.I))
        yield _fact("ur_decision", {"date": date.isoformat() if date else None, "modified": modified},
                    s, doc, m.start(), m.end())


# ---------------------------------------------------------------- running them

@dataclass
class FactSet:
    """The facts of a case, with the look-ups the decision rules use."""

    facts: list[Fact] = field(default_factory=list)
    date_of_injury: dt.date | None = None
    reference_date: dt.date | None = None

    def named(self, name: str) -> list[Fact]:
        return [f for f in self.facts if f.name == name]

    def prior(self, modality: str) -> Fact | None:
        """The best-documented history of one modality: an explicit count beats a bare mention."""
        found = [f for f in self.named("prior_treatment") if f.value["modality"] == modality]
        if not found:
            return None
        with_count = [f for f in found if f.value.get("count") is not None]
        if with_count:
            # the largest count is the fullest history: "completed 6 of 8" and later "12 sessions"
            return max(with_count, key=lambda f: f.value["count"])
        return found[0]

    @property
    def weeks_since_injury(self) -> float | None:
        if self.date_of_injury and self.reference_date:
            return (self.reference_date - self.date_of_injury).days / 7
        return None

    @property
    def phase(self) -> str | None:
        """Acute under 4 weeks, subacute to 12 weeks, chronic after (the ACOEM convention)."""
        weeks = self.weeks_since_injury
        if weeks is None:
            return None
        return "acute" if weeks < 4 else "subacute" if weeks < 12 else "chronic"


def extract_text_facts(text: str, doc_index: int = 0) -> list[Fact]:
    out: list[Fact] = []
    for s in sentences(text):
        for rec in _RECOGNIZERS:
            out.extend(rec(s, doc_index))
    return out


def extract_case_facts(case: Case) -> FactSet:
    facts: list[Fact] = []
    for i, doc in enumerate(case.documents):
        if doc.text:
            facts.extend(extract_text_facts(doc.text, i))
    doi = case.date_of_injury
    if doi is None:
        stated = [f for f in facts if f.name == "date_of_injury"]
        doi = dt.date.fromisoformat(stated[0].value) if stated else None
    reference = case.ur_denial_date or case.received_date or case.decision_date
    return FactSet(facts=facts, date_of_injury=doi, reference_date=reference)
