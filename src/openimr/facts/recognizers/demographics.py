"""Age, sex, date of injury, mechanism, body regions."""

from __future__ import annotations

import re
from collections.abc import Iterator

from openimr.facts.context import negated_before
from openimr.facts.dates import DATE_PATTERN, find_dates
from openimr.facts.lexicon import MECHANISMS
from openimr.facts.regions import candidates, region_of
from openimr.facts.registry import FastGate, make_fact, mentions_any, recognizer
from openimr.facts.text import Sentence
from openimr.model import Fact

_AGE = re.compile(r"\b(\d{1,3})[- ](?:years?|yrs?)[- ]old\b|\bage(?:d)?\s*:?\s*(\d{1,3})\b(?!\s*(?:days|weeks|months))",
                  re.I)
_SEX = re.compile(r"\b(female|male|woman|man|gentleman|lady)\b", re.I)
_PERSON = re.compile(r"years?[- ]old|patient|worker|claimant|employee|applicant|\bis an?\b", re.I)
_DOI = FastGate(re.compile(
    r"(?:date of (?:industrial )?injury|\bDOI\b|injury date|(?:industrial|work[- ]related|occupational|"
    r"industrial-work|work) (?:injury|claim)|injur(?:y|ed)|claim)"
    r"(?:\s+(?:date|reportedly|occurred|that occurred|which occurred|sustained|dated))?\s*"
    r"(?:of|on|from|:|was|is|dated|occurring on)?\s*(?:or about\s+)?(" + DATE_PATTERN + ")", re.I))
_MECHANISM_CUE = re.compile(r"mechanism of (?:the )?injury|injur(?:ed|y) (?:occurred )?(?:when|while|after)|"
                            r"(?:when|while|after) (?:he|she|they|the (?:injured )?worker|the patient)", re.I)
_MECHANISMS = re.compile("|".join(MECHANISMS), re.I)
_COMPLAINT = FastGate(re.compile(r"\b(?:pain|complain\w*|injur\w*|strain|sprain|treated for|treatment for)\b", re.I))


@recognizer
def age(s: Sentence, doc: int) -> Iterator[Fact]:
    if not mentions_any(s, ('old', 'age')):
        return
    m = _AGE.search(s.text)
    if m:
        n = int(m[1] or m[2])
        if 14 <= n <= 100:
            yield make_fact("age", n, s, doc, m.start(), m.end())


@recognizer
def sex(s: Sentence, doc: int) -> Iterator[Fact]:
    if not mentions_any(s, ('male', 'man', 'lady')):
        return
    m = _SEX.search(s.text)
    if m and _PERSON.search(s.text):
        word = m[1].lower()
        yield make_fact("sex", "female" if word in {"female", "woman", "lady"} else "male", s, doc, m.start(), m.end())


@recognizer
def date_of_injury(s: Sentence, doc: int) -> Iterator[Fact]:
    if not mentions_any(s, ('injur', 'doi', 'claim')):
        return
    m = _DOI.search(s.text)
    if m:
        found = find_dates(m[1])
        if found:
            yield make_fact("date_of_injury", found[0].date.isoformat(), s, doc, m.start(), m.end())


@recognizer
def mechanism(s: Sentence, doc: int) -> Iterator[Fact]:
    if not mentions_any(s, ('mechanism', 'when ', 'while ', 'after ', 'injur')):
        return
    cue = _MECHANISM_CUE.search(s.text)
    if not cue:
        return
    m = _MECHANISMS.search(s.text, cue.start())
    if m and not re.search(r"not (?:detailed|documented|provided|specified)", s.text, re.I):
        yield make_fact("mechanism", m[0].strip().lower(), s, doc, m.start(), m.end())


@recognizer
def body_region(s: Sentence, doc: int) -> Iterator[Fact]:
    """Regions in complaint or diagnosis sentences: one fact per region per sentence."""
    if not mentions_any(s, ('pain', 'complain', 'injur', 'strain', 'sprain', 'treat')):
        return
    if not _COMPLAINT.search(s.text):
        return
    seen: set[str] = set()
    for region, pattern in candidates(s.text):  # the region patterns that may match, in order
        if region in seen:
            continue
        m = pattern.search(s.text)
        if m and region_of(s.text[m.start() : m.end()]) == region:
            seen.add(region)
            yield make_fact("body_region", region, s, doc, m.start(), m.end())


# The phase of care as the records word it, for cases whose dates do not give it: "chronic low back pain",
# "pain for the past two years". When the dates give it, extraction keeps the dated phase instead.
_STATED_PHASE = re.compile(r"\b(chronic|subacute|sub-acute)\s+(?:[a-z-]+\s+){0,3}?(?:pain|strain|sprain|symptoms)\b|"
                           r"\b(?:for|over|in)\s+(?:the\s+)?(?:past|last)?\s*(?:\d+|two|three|four|five|several|many)"
                           r"\s+years\b", re.I)


@recognizer
def stated_phase(s: Sentence, doc: int) -> Iterator[Fact]:
    if not mentions_any(s, ("chronic", "subacute", "sub-acute", "years")):
        return
    m = _STATED_PHASE.search(s.text)
    if m and not negated_before(s.text, m.start()):
        phase = "subacute" if m[1] and m[1].lower().startswith("sub") else "chronic"
        yield make_fact("phase_of_care", phase, s, doc, m.start(), m.end())
