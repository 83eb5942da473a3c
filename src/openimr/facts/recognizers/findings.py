"""Findings: pain scores, examination, imaging and electrodiagnostics, diagnoses, red flags, psych symptoms."""

from __future__ import annotations

import re
from collections.abc import Iterator

from openimr.facts.context import negated_before, temporality
from openimr.facts.dates import find_dates
from openimr.facts.fastmatch import Alternatives
from openimr.facts.icd10 import icd10_for
from openimr.facts.lexicon import EXAM_TESTS, PSYCH_SYMPTOMS, RED_FLAGS
from openimr.facts.modifiers import context_of, region_in_clause
from openimr.facts.regions import region_near, region_of
from openimr.facts.registry import FastGate, make_fact, mentions_any, recognizer
from openimr.facts.text import Sentence
from openimr.model import Fact

_SCALE = r"(?:\s*/\s*10(?![\d/])|\s+out\s+of\s+(?:a\s+)?10\b|\s+on\s+a\s+(?:scale\s+of\s+)?(?:0\s?-\s?|1\s?-\s?|one\s+to\s+|zero\s+to\s+)?10(?:-point)?\b)"
_PAIN_RANGE_10 = re.compile(r"(?<![\d/])(\d{1,2})/10\s*(?:-|to)\s*(\d{1,2})/10(?![\d/])", re.I)
_PAIN_SCALE = re.compile(r"(?<![\d/.-])(\d{1,2})(?:\s*(?:-|to)\s*(\d{1,2}))?" + _SCALE, re.I)
_PAIN_RATED = re.compile(r"\b(?:rated|rates|rating|level of|score of|VAS(?: of)?)\s+(?:\w+\s+){0,3}?(?:at|as)?\s*(?:a|an)?\s*"
                         r"(\d{1,2})(?:\s*(?:-|to)\s*(\d{1,2}))?(?![\d/%]|\.\d|\s*(?:degrees|mg|%|out|on|/|years|times|weeks|days))",
                         re.I)
# "3-4 at its best": a score without its scale, read only in a sentence about pain
_PAIN_BEST_WORST = re.compile(r"(?<![\d/.-])(\d{1,2})(?:\s*-\s*(\d{1,2}))?\s+at\s+(?:its\s+)?(?:best|worst)\b", re.I)
_WHEN = re.compile(r"\b(?:with|after|on)\s+(?:\w+\s+){0,2}?(?:medications?|treatment|therapy|injection)|"
                   r"\bwithout\s+(?:\w+\s+){0,2}?(?:medications?|treatment)|\bat (?:best|worst)|\baverage|\bcurrent(?:ly)?",
                   re.I)


def _score(lo: str, hi: str | None) -> int | list[int] | None:
    a, b = int(lo), int(hi) if hi else None
    if a > 10 or (b is not None and (b > 10 or b <= a)):
        return None
    return a if b is None else [a, b]


@recognizer
def pain_score(s: Sentence, doc: int) -> Iterator[Fact]:
    if not mentions_any(s, ('10', 'rat', 'vas', 'level of', 'score')):
        return
    # scores written without their scale are read only in a sentence about pain
    about_pain = bool(re.search(r"\bpain\b|\bVAS\b", s.text, re.I))
    patterns = (_PAIN_RANGE_10, _PAIN_SCALE, _PAIN_RATED, _PAIN_BEST_WORST) if about_pain else (_PAIN_RANGE_10, _PAIN_SCALE)
    taken: list[tuple[int, int]] = []
    for rx in patterns:
        for m in rx.finditer(s.text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            score = _score(m[1], m[2])
            if score is None:
                continue
            taken.append((m.start(), m.end()))
            when = _WHEN.search(s.text[m.end() : m.end() + 40]) or _WHEN.search(s.text[max(0, m.start() - 40) : m.start()])
            yield make_fact("pain_score", {"score": score, "when": when[0].lower() if when else None},
                            s, doc, m.start(), m.end())


_EXAM_NAMES = list(EXAM_TESTS)
_EXAM = Alternatives(list(EXAM_TESTS.values()), re.I)  # the same as "|".join(f"({p})" ...)
_NORMAL = re.compile(r"\b(?:negative|normal|intact|full|5/5|5 out of 5|symmetric\w*|equal|unremarkable|within normal limits|"
                     r"no (?:deficits?|abnormalit\w+))\b|(?<![\d+])2\+(?!/)", re.I)
_ABNORMAL = re.compile(r"\b(?:positive|decreased|diminished|reduced|limited|restricted|weak\w*|abnormal|absent|"
                       r"4\+?/5|4\+? (?:out of|over) 5|3/5|5-/5|5 minus|numbness|hypoesthesia|hyperesthesia|"
                       r"hypersensitiv\w+|altered|impaired|painful|discrepanc\w+|asymmetr\w+|1\+|0/4)", re.I)


def _result(window_after: str, window_before: str) -> str | None:
    """The first result word after the test's name, else the nearest one before it in the clause."""
    a_norm, a_abn = _NORMAL.search(window_after), _ABNORMAL.search(window_after)
    if a_norm or a_abn:
        if a_norm and (not a_abn or a_norm.start() < a_abn.start()):
            return "normal"
        return "abnormal"
    b = [("normal", m.end()) for m in _NORMAL.finditer(window_before)] + \
        [("abnormal", m.end()) for m in _ABNORMAL.finditer(window_before)]
    return max(b, key=lambda x: x[1])[0] if b else None


_EXAM_WORDS = ("tender", "straight", "slr", "spurling", "hawkins", "neer", "mcmurray", "phalen", "tinel", "faber",
               "patrick", "drop arm", "lachman", "sensation", "sensory", "strength", "reflex", "range of motion",
               "rom", "spasm", "power", "motor", "dtr")


@recognizer
def exam_finding(s: Sentence, doc: int) -> Iterator[Fact]:
    if not mentions_any(s, _EXAM_WORDS):
        return
    text = s.text
    for index, m in _EXAM.finditer(text):
        test = _EXAM_NAMES[index]
        if temporality(text, m.start(), m.end()) == "plan" and not re.search(
                r"\b(?:revealed|showed|noted|was|were|is|are|had)\b", text, re.I):
            continue
        after = re.split(r"[;.]|,\s*(?=[a-z ]*(?:test|sign|maneuver|reflex|strength|sensation))", text[m.end() : m.end() + 50])[0]
        before = re.split(r"[;:]|\.\s", text[max(0, m.start() - 160) : m.start()])[-1]
        negated = negated_before(text, m.start())
        if test == "tenderness":
            result: str | None = "normal" if negated else "abnormal"
        else:
            result = _result(after, before)
            # "no sensory, motor weakness or reflex asymmetry": the denial covers the abnormal word too
            if negated and result != "normal" and not re.match(
                    r"\W*(?:\w+\W+){0,3}?(?:was|were|is|are)\b", after, re.I):
                result = "normal"
        if result is None:
            continue
        window = text[max(0, m.start() - 40) : m.end() + 50]
        side = re.search(r"\b(bilateral(?:ly)?|left|right)\b", window, re.I)
        value = {"test": test, "result": result,
                 "side": ("bilateral" if side[1].lower().startswith("bilateral") else side[1].lower()) if side else None,
                 "region": region_near(text, m.start(), m.end(), after=50, before=40)}
        yield make_fact("exam_finding", value, s, doc, m.start(), m.end())


_IMAGING = FastGate(re.compile(r"\b(MRIs?|magnetic resonance imaging|CT(?: scan)?s?|computed tomography|CAT scan|x-?\s?rays?|"
                      r"radiographs?|EMG(?:\s?/\s?NC[SV])?|NC[SV]|electrodiagnostic (?:studies|study|testing)|"
                      r"electromyograph\w*|nerve conduction (?:studies|study|velocity)|ultrasound|bone scan|"
                      r"arthrogram)\b", re.I))
_RESULT_VERB = re.compile(r"\b(?:showed|shows|revealed|reveals|demonstrated|demonstrates|indicated|noted|were noted|"
                          r"was noted|impression|findings?|consistent with|unremarkable|normal|negative|positive|"
                          r"report(?:ed)? (?:showed|revealed))\b", re.I)
# a study asked for, authorized or refused is not a study done, whatever date the sentence gives it
_NOT_DONE = re.compile(r"\b(?:not (?:been )?(?:provided|available|performed|done|documented)|were not|was not|pending|"
                       r"no (?:prior |previous )?(?:imaging|MRI|x-?rays?|studies)|"
                       r"(?:was|were|is|are|has been|have been) (?:requested|ordered|recommended|denied|non-?certified|"
                       r"authorized|certified|approved|scheduled))\b", re.I)


def _imaging_modality(word: str) -> str:
    w = word.upper()
    if w.startswith(("MRI", "MAGNETIC")):
        return "MRI"
    if w.startswith(("CT", "COMPUTED", "CAT")):
        return "CT"
    if w.startswith(("X", "RADIOGRAPH")):
        return "X-ray"
    if w.startswith(("EMG", "NC", "ELECTRO", "NERVE")):
        return "EMG/NCS"
    return word.lower()


@recognizer
def imaging(s: Sentence, doc: int) -> Iterator[Fact]:
    """Studies that were done (a result, a date, a history cue), not those requested."""
    if not mentions_any(s, ('mri', 'ct', 'ray', 'radiograph', 'emg', 'nc', 'electro', 'nerve conduction', 'ultrasound', 'bone scan', 'arthrogram', 'magnetic', 'computed', 'cat scan')):
        return
    text = s.text
    mentions = list(_IMAGING.finditer(text))
    for i, m in enumerate(mentions):
        stop = mentions[i + 1].start() if i + 1 < len(mentions) else len(text)
        tail = text[m.end() : stop]
        when = temporality(text, m.start(), m.end())
        result = _RESULT_VERB.search(tail)
        dated = re.match(r"^[^,;]{0,50}?(?:dated|on|from|performed|done|in)\s+\(?\s*\d|^[^,;]{0,40}?\(\d", tail)
        if _NOT_DONE.search(text[m.start() : stop]) and not result:
            continue
        if when != "history" and not (result or dated):
            continue  # requested, or named without a sign it was done
        dates = find_dates(tail[:80])
        findings = re.search(r"(?:showed|shows|revealed|reveals|demonstrated|demonstrates|indicated|noted to show|"
                             r"consistent with|impression:?|were|was)\s+(.{3,300}?)(?=$|\.\s|;|\band (?:an? |the )?(?:MRI|CT|x-?ray|EMG))",
                             tail, re.I)
        end = m.end() + (findings.end(1) if findings else min(len(tail), 40 if not dates else dates[0].end))
        value = {"modality": _imaging_modality(m[1]), "region": region_near(text, m.start(), m.end(), after=60, before=25),
                 "date": dates[0].value if dates else None, "findings": findings[1].strip(" .") if findings else None}
        yield make_fact("imaging", value, s, doc, m.start(), end, negated=negated_before(text, m.start()))


_DIAGNOSIS = re.compile(
    r"(?:(?:being )?treated for|treatment for|"
    r"diagnos\w*\s*(?:(?:from|dated|on|per)\s[^:]*?)?\s*(?:(?:is |are |was |were )?documented (?:as|is)|of|are|is|"
    r"include[sd]?|included|with|as having|as|:)|assessment\s*:|impression\s*:)\s*:?\s*(.+)$", re.I)
_DX_SPLIT = re.compile(r"\s*(?:\d+\.\s*|;|,\s*(?:and\s+)?|\s+and\s+(?!(?:tendon|fascia|ligament))|\s*/\s*(?=[A-Z]))\s*")


@recognizer
def diagnosis(s: Sentence, doc: int) -> Iterator[Fact]:
    if not mentions_any(s, ('diagnos', 'treated for', 'treatment for', 'assessment', 'impression')):
        return
    m = _DIAGNOSIS.search(s.text)
    if not m or temporality(s.text, m.start(), m.end()) == "plan" and re.search(r"rule out|r/o", s.text, re.I):
        return
    pos = m.start(1)
    for item in _DX_SPLIT.split(m[1]):
        item = item.strip(" .")
        if len(item) < 4 or not re.search(r"[a-z]{3}", item) or re.search(r"\d{1,2}/\d{1,2}/|:$", item):
            continue
        at = s.text.find(item, pos)
        if at < 0:
            continue
        pos = at + len(item)
        value = {"text": item, "region": region_of(item), "icd10": icd10_for(item)}
        yield make_fact("diagnosis", value, s, doc, at, at + len(item),
                        negated=bool(re.match(r"(?:possible|probable|rule out|r/o|suspected)\b", item, re.I)))


_RED_FLAGS = [re.compile(p, re.I) for p in RED_FLAGS]
# a denial written after the flag: "red flags were not noted", "fracture was ruled out"
_DENIED_AFTER = re.compile(r"\s*(?:was|were|is|are|has been|have been)\s+(?:not\s+(?:noted|present|documented|found|seen|"
                           r"identified|evident)|absent|ruled out|excluded|negative)\b", re.I)
_ANY_RED_FLAG = FastGate(re.compile("|".join(RED_FLAGS), re.I))


@recognizer
def red_flag(s: Sentence, doc: int) -> Iterator[Fact]:
    if not _ANY_RED_FLAG.search(s.text):
        return
    for rx in _RED_FLAGS:
        m = rx.search(s.text)
        if m:
            negated = negated_before(s.text, m.start(), max_words=8) or bool(
                re.search(r"\b(?:no|without|absence of|negative for)\b(?:\s+\w+){0,8}\s*$", s.text[: m.start()], re.I)) or bool(
                _DENIED_AFTER.match(s.text[m.end():]))
            value = "red flags" if m[0].lower().startswith("red") else m[0].lower()
            fact = make_fact("red_flag", value, s, doc, m.start(), m.end(), negated=negated)
            ctx = context_of(s)
            fact.modifiers = ctx.modifiers(m.start(), m.end())
            fact.region = region_in_clause(ctx, m.start(), m.end())
            yield fact


_PSYCH = [re.compile(r"\b(?:" + p + r")\b", re.I) for p in PSYCH_SYMPTOMS]
_ANY_PSYCH = FastGate(re.compile(r"\b(?:" + "|".join(PSYCH_SYMPTOMS) + r")\b", re.I))


@recognizer
def psych_symptom(s: Sentence, doc: int) -> Iterator[Fact]:
    if not _ANY_PSYCH.search(s.text):
        return
    for rx in _PSYCH:
        m = rx.search(s.text)
        if m:
            yield make_fact("psych_symptom", m[0].lower(), s, doc, m.start(), m.end(),
                            negated=negated_before(s.text, m.start(), max_words=8))
