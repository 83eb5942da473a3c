"""Utilization review, work status, functional improvement, urine drug screens."""

from __future__ import annotations

import re
from collections.abc import Iterator

from openimr.facts.context import negated_before
from openimr.facts.dates import nearest_date
from openimr.facts.lexicon import WORK_STATUS
from openimr.facts.modifiers import SentenceContext, context_of, treatment_in_clause
from openimr.facts.registry import FastGate, make_fact, mentions_any, recognizer
from openimr.facts.text import Sentence
from openimr.model import Fact

_UR = FastGate(re.compile(r"utilization review|\bUR\b|claims administrator|(?:previous|prior) (?:determination|denial|review)|"
                 r"previously (?:non-?\s?certified|noncertified|denied|reviewed|modified)", re.I))
_UR_ACT = FastGate(re.compile(r"den(?:ied|ial)|non-?\s?certif\w*|noncertif\w*|not medically necessary|modif\w*|determin\w*|"
                     r"failed to approve|reviewed|certified|authorized|approved", re.I))


@recognizer
def ur_decision(s: Sentence, doc: int) -> Iterator[Fact]:
    if not mentions_any(s, ('review', ' ur ', ' ur,', '(ur)', 'claims admin', 'previous', 'determination', 'denial')):
        return
    m = _UR.search(s.text)
    if not m or not _UR_ACT.search(s.text) or re.match(r"\s*(?:physician|doctor|reviewer)\b", s.text[m.end():], re.I):
        return
    date = nearest_date(s.text, m.start())
    modified = bool(re.search(r"\bmodif\w*|partial\w*|authorized by the claims administrator", s.text, re.I))
    authorized = re.search(r"(?:modified (?:the request )?(?:to|for)|authorized|certified)\s+(?:for\s+)?(.{3,120}?)(?:$|\.\s)",
                           s.text, re.I) if modified else None
    yield make_fact("ur_decision", {"date": date.date.isoformat() if date else None, "modified": modified,
                                    "authorized": authorized[1].strip(" .") if authorized else None},
                    s, doc, m.start(), m.end())


_WORK = [(FastGate(re.compile(p, re.I)), label) for p, label in WORK_STATUS]
_WORK_WORDS = ("disab", "duty", "duties", "work", "restrict", "p&s", "mmi", "stationary", "retired", "ttd",
               "maximum medical")


@recognizer
def work_status(s: Sentence, doc: int) -> Iterator[Fact]:
    if not mentions_any(s, _WORK_WORDS) or re.search(r"\b(?:request|not provided|unknown|not documented)\b", s.text, re.I):
        return
    # the status written first wins: "not working but able to return to work with restrictions"
    found = [(m, label) for rx, label in _WORK if (m := rx.search(s.text))]
    if found:
        m, label = min(found, key=lambda x: x[0].start())
        yield make_fact("work_status", label, s, doc, m.start(), m.end())


_FI = re.compile(r"(?:objective\s+)?functional\s+(?:\w+\s+)?(?:improvements?|gains?|benefit|progress)|"
                 r"improved\s+(?:function|ability|activities|ADLs?)|(?:increased|improved)\s+(?:functional\s+)?"
                 r"(?:tolerance|capacity)", re.I)
_FI_NEGATION = re.compile(r"\b(?:no|not|without|lack(?:ing)?\s+of|absence\s+of|absent|failed\s+to|none|neither|unclear|"
                          r"no\s+evidence\s+of|no\s+documentation\s+of|not\s+documented)\b(?:\W+\w+){0,6}?\W*$", re.I)


@recognizer
def functional_improvement(s: Sentence, doc: int) -> Iterator[Fact]:
    if not mentions_any(s, ('function', 'improved', 'increased')):
        return
    m = _FI.search(s.text)
    if m:
        negated = bool(_FI_NEGATION.search(s.text[max(0, m.start() - 80) : m.start()])) or bool(
            re.match(r"\s*(?:was|were|has|have)\s+not\b", s.text[m.end():], re.I))
        ctx = context_of(s)
        fact = make_fact("functional_improvement", not negated, s, doc, m.start(), m.end(), negated=negated)
        fact.modifiers = ctx.modifiers(m.start(), m.end())
        fact.treatment = treatment_in_clause(ctx, m.start(), m.end())
        yield fact


_UDS = re.compile(r"urine (?:drug|toxicology) (?:screen\w*|test\w*)|\bUDS\b|\bUDT\b|urine tox\w*", re.I)


@recognizer
def urine_drug_screen(s: Sentence, doc: int) -> Iterator[Fact]:
    if not mentions_any(s, ('urine', 'uds', 'udt')):
        return
    m = _UDS.search(s.text)
    if not m:
        return
    tail = s.text[m.end():]
    result = None
    if re.search(r"\b(?:inconsistent|positive for|aberrant|unexpected)\b", tail, re.I):
        result = "inconsistent"
    elif re.search(r"\b(?:consistent|negative|appropriate|as expected)\b", tail, re.I):
        result = "consistent"
    date = nearest_date(s.text, m.start())
    if result or date:
        yield make_fact("urine_drug_screen", {"result": result, "date": date.date.isoformat() if date else None},
                        s, doc, m.start(), m.end(), negated=negated_before(s.text, m.start()))


_AUTHORIZED = re.compile(r"(?<![A-Za-z-])(?:certified|authori[sz]ed|approved)\b", re.I)
_NOT_AUTHORIZED = re.compile(r"\b(?:non|not|no|un|never|denied|partially)[\s-]*$", re.I)


@recognizer
def authorization(s: Sentence, doc: int) -> Iterator[Fact]:
    """A treatment the claims administrator or utilization review authorized ("6 sessions of physical therapy
    were certified"): authorized, not necessarily given. Non-certified or denied mentions are not this."""
    if not mentions_any(s, ("certified", "authori", "approved")):
        return
    ctx: SentenceContext | None = None
    for m in _AUTHORIZED.finditer(s.text):
        if _NOT_AUTHORIZED.search(s.text[max(0, m.start() - 12):m.start()]):
            continue
        ctx = ctx or context_of(s)
        treatment = treatment_in_clause(ctx, m.start(), m.end())
        if treatment is None:
            continue
        fact = make_fact("authorization", {"treatment": treatment}, s, doc, m.start(), m.end())
        fact.treatment = treatment
        fact.modifiers = [c for c in ctx.modifiers(m.start(), m.end()) if c in ("negated", "possible", "planned")]
        fact.negated = "negated" in fact.modifiers
        yield fact
