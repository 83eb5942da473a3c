"""Treatment history: prior therapy with counts and response, injections, surgery, medications."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from openimr.facts.context import clause_prefix, negated_before, negation_cue, response, temporality
from openimr.facts.dates import find_dates, nearest_date
from openimr.facts.fastmatch import Alternatives
from openimr.facts.lexicon import DRUGS, MME_FACTORS, MODALITIES
from openimr.facts.modifiers import context_of, region_in_clause
from openimr.facts.numbers import count_after, count_before, to_number
from openimr.facts.regions import region_near, region_of
from openimr.facts.registry import FastGate, make_fact, recognizer
from openimr.facts.text import Sentence
from openimr.model import Fact


def _case_aware(phrase: str) -> str:
    # acronyms (PT, OT, TENS, HEP, CBT) match in capitals only: "pt" is also "patient"
    return f"(?-i:{phrase})" if re.search(r"\\b[A-Z]{2,}", phrase) else phrase


_MODALITY_NAMES = [modality for modality, ps in MODALITIES.items() for _ in ps]
# one alternation, one group per phrase; at a given position the earlier (more specific) phrase wins
_MODALITY_RE = Alternatives([_case_aware(p) for ps in MODALITIES.values() for p in ps], re.I)  # "|".join(f"({p})")
# (literal stems, so the scan is fast; the full patterns then confirm)
_ANY_MODALITY = FastGate(re.compile(r"therap|physio|physical|\bPT\b|\bOT\b|chiro|manipulat|acupunct|massage|aqua|pool|"
                           r"exercise|\bHEP\b|TENS\b|transcutaneous|psych|\bCBT\b|traction|hardening|conditioning|"
                           r"restoration", re.I))


def _mentions(text: str) -> list[tuple[str, re.Match[str]]]:
    """Modality mentions in order, each with its modality."""
    if not _ANY_MODALITY.search(text):
        return []
    return [(_MODALITY_NAMES[index], m) for index, m in _MODALITY_RE.finditer(text)]


# FastGates: asked of every sentence, and only whether they match
_REQUEST_SENTENCE = FastGate(re.compile(r"request|non-?certif|utilization review|\bUR\b|authoriz", re.I))
_HISTORY_SENTENCE = FastGate(re.compile(
    r"\b(?:received(?! on)|completed|attended|underwent|to date|has had|had (?:\d+|\w+ sessions))\b", re.I))
_REVIEWED = re.compile(r"\b(?:certif\w*|non-?\s?certif\w*|authori[sz]\w*|approv\w*|modified)\b", re.I)
_GIVEN = re.compile(r"\b(?:completed|attended|received|underwent|undergone|has had|had|tried|participated)\b", re.I)


@recognizer
def prior_treatment(s: Sentence, doc: int) -> Iterator[Fact]:
    """Past treatment with its count: '18 sessions of physical therapy', 'no chiropractic therapy'."""
    text = s.text
    # a sentence about the request or its review names the treatment in dispute, not treatment given,
    # unless it also recounts what was given ("received 6 sessions; 6 more were requested")
    about_request = bool(_REQUEST_SENTENCE.search(text)) and not _HISTORY_SENTENCE.search(text)
    for modality, m in _mentions(text) if not about_request else []:
        start, end = m.start(), m.end()
        cue = negation_cue(text, start)
        negated = cue is not None
        when = temporality(text, start, end)
        if when == "plan" or (not negated and when != "history"):
            continue  # a plan or request, or a bare mention: not a history
        if _REVIEWED.search(clause_prefix(text, start) + text[end:end + 60].split(".")[0]) and not _GIVEN.search(
                clause_prefix(text, start)):
            continue  # "6 sessions were certified", "previously approved": authorized is not given
        count: float | None = None
        # "6 chiropractic treatments": the name itself ends with the unit, so the number before is a count
        unit_in_name = bool(re.search(r"(?:sessions?|visits?|treatments?)$", m[0], re.I))
        window_start = max(0, start - 60)
        before = count_before(text[window_start:start], " visits" if unit_in_name else text[end:])
        after = count_after(text[end : end + 80])
        if before:
            count, start = before[0], window_start + before[1]
        elif after:
            count, end = after[0], end + after[1]
        if cue is not None:
            count, start = 0, min(start, cue)  # the span quotes the denial too: "no chiropractic therapy"
        clause = clause_prefix(text, m.start()) + text[m.start() : m.end() + 80].split(";")[0]
        value = {"modality": modality, "count": count, "unit": "visits" if count else None,
                 "response": response(clause)}
        yield make_fact("prior_treatment", value, s, doc, start, end, negated=negated)


_INJECTION = re.compile(
    r"(?:(?:lumbar|cervical|thoracic|caudal|transforaminal|interlaminar|L\d-\w+|C\d-\w+)\s+)?"
    r"(epidural steroid injections?|\bESIs?\b|\bTFESI\b|facet (?:joint )?(?:injections?|blocks?)|medial branch blocks?|"
    r"trigger point injections?|cortisone injections?|(?:corticosteroid|steroid|toradol|ketorolac|"
    r"intra-?articular|subacromial|viscosupplement\w*|hyaluronic acid|PRP|platelet[- ]rich plasma) injections?|"
    r"radiofrequency (?:ablation|neurotomy|rhizotomy)|(?:stellate ganglion |occipital )?nerve blocks?|"
    r"SI joint injections?|sacroiliac joint injections?)", re.I)


_INJECTION_HINT = FastGate(re.compile(r"inject|block|\bESI|TFESI|ablation|neurotomy|rhizotomy", re.I))


@recognizer
def injection(s: Sentence, doc: int) -> Iterator[Fact]:
    if not _INJECTION_HINT.search(s.text):
        return
    for m in _INJECTION.finditer(s.text):
        when = temporality(s.text, m.start(), m.end())
        negated = negated_before(s.text, m.start())
        date = nearest_date(s.text, m.end())
        level = re.search(r"\b([LCT]\d(?:\s?-\s?[LCTS]?\d)?)\b", s.text[max(0, m.start() - 40) : m.end() + 40])
        value: dict[str, Any] = {
            "type": m[1].lower(), "region": region_of(m[0]) or region_near(s.text, m.start(), m.end()),
            "level": level[1].replace(" ", "") if level else None,
            "date": date.value if date and when != "plan" else None,
            "relief": response(s.text[m.start():]) if when != "plan" else None, "planned": when == "plan",
        }
        yield make_fact("injection", value, s, doc, m.start(), m.end(), negated=negated)


_SURGERY = re.compile(
    r"(?:status[- ]post|s/p|underwent|had|has had|post[- ]operative(?:ly)? (?:from|after)|"
    r"request(?:ed)? (?:for )?|recommend(?:ed|s)? |candidate for |scheduled for |scheduling |plan(?:ned)? (?:for )?)\s*"
    r"(?:an?\s+|the\s+|a\s+)?((?:[\w/'-]+\s+){0,6}?(?:\w*ectomy|\w*otomy|\w*oplasty|\w*odesis|fusion|repair|"
    r"release|reconstruction|arthroscopy|replacement|decompression|surgery|ORIF|fixation|tunnel))"
    r"|\b(ORIF|open reduction (?:and )?internal fixation)\b"
    r"|\bstatus[- ]post[- ]surgery\b", re.I)


_SURGERY_HINT = FastGate(re.compile(r"ectomy|otomy|oplasty|odesis|fusion|repair|release|reconstruction|arthroscop|"
                           r"replacement|decompression|surger|ORIF|fixation|tunnel", re.I))


@recognizer
def surgery(s: Sentence, doc: int) -> Iterator[Fact]:
    if not _SURGERY_HINT.search(s.text):
        return
    for m in _SURGERY.finditer(s.text):
        proc = (m[1] or m[2] or "surgery").strip()
        if re.search(r"\binjection|\bblock|\bcarpal tunnel syndrome", proc + s.text[m.end():m.end() + 9], re.I):
            continue
        when = temporality(s.text, m.start(), m.end())
        lead = m[0].lower()
        planned = lead.startswith(("request", "recommend", "candidate", "scheduled", "scheduling", "plan")) or (
            when == "plan" and not lead.startswith(("status", "s/p", "underwent", "had", "has had", "post")))
        after = find_dates(s.text[m.end() : m.end() + 40])
        date = after[0] if after else None
        value = {"procedure": proc.lower(), "date": date.value if date else None,
                 "status": "planned" if planned else "done", "weeks_post_op": None}
        fact = make_fact("surgery", value, s, doc, m.start(), m.end(), negated=negated_before(s.text, m.start()))
        fact.region = region_of(proc) or region_in_clause(context_of(s), m.start(), m.end())
        yield fact


# searched lower-cased (FastGate): several times faster than IGNORECASE on hundreds of names; the name as
# written is then read from the sentence at the match's offsets
_DRUG = FastGate(re.compile(r"\b(" + "|".join(sorted(map(re.escape, DRUGS), key=len, reverse=True)) + r")\b", re.I))
_DRUG_FIRST_WORDS = {name.split()[0] for name in DRUGS}
_WORD = re.compile(r"[A-Za-z]{4,}")
_DOSE = re.compile(r"^\s*(?:ER|ES|XR|CR|SR|IR|HCL|DR)?\s*(\d+(?:\.\d+)?(?:\s*/\s*\d+(?:\.\d+)?)?|\d+-\d+)\s*"
                   r"(mg|mcg|gm|g|%)?", re.I)
_FREQ = re.compile(r"\b(once (?:a|per) day|daily|twice (?:a|per) day|three times (?:a|per) day|four times (?:a|per) day|"
                   r"every \d+(?:-\d+)? hours|q\.?\s?\d+h|b\.?i\.?d\.?|t\.?i\.?d\.?|q\.?i\.?d\.?|q\.?d\.?|"
                   r"at bedtime|as needed|prn|q\.?h\.?s\.?)\b", re.I)
_PER_DAY = {"once": 1, "daily": 1, "twice": 2, "bid": 2, "b.i.d.": 2, "three": 3, "tid": 3, "t.i.d.": 3, "four": 4,
            "qid": 4, "q.i.d.": 4, "qd": 1, "at bedtime": 1, "qhs": 1}


def doses_per_day(freq: str | None) -> float | None:
    if not freq:
        return None
    f = freq.lower().replace(" ", "")
    m = re.search(r"every(\d+)(?:-\d+)?hours|q\.?(\d+)h", f)
    if m:
        return 24 / int(m[1] or m[2])
    for word, n in _PER_DAY.items():
        if f.startswith(word.replace(" ", "")):
            return float(n)
    return None


@recognizer
def medication(s: Sentence, doc: int) -> Iterator[Fact]:
    # a set look-up per word first: the long alternation runs only on sentences that name a drug
    # (the words of ASCII text are those of the lower-cased sentence, found in one pass)
    words = _WORD.findall(s.lower) if s.text.isascii() else [w.lower() for w in _WORD.findall(s.text)]
    if _DRUG_FIRST_WORDS.isdisjoint(words):
        return
    for m in _DRUG.finditer(s.text):
        name = s.text[m.start(1) : m.end(1)]
        generic, klass = DRUGS[name.lower()]
        after = s.text[m.end() : m.end() + 60]
        dose = _DOSE.match(after)
        freq = _FREQ.search(after.split(",")[0])
        qty = re.match(r"^[^,;]*?#\s?(\d+)", after)
        end = m.end() + (dose.end() if dose and dose[2] else 0)
        since = re.search(r"\bsince\s+(\S+(?:\s+\d{4})?)", after)
        dose_text = (dose[1] + (dose[2] or "")).replace(" ", "") if dose and dose[2] else None
        freq_text = freq[1].lower() if freq else None
        value = {"drug": generic, "name": name, "class": klass,
                 "dose": dose_text, "frequency": freq_text, "quantity": int(qty[1]) if qty else None,
                 "since": since[1] if since else None, "effect": response(s.text[m.start():]),
                 "requested": temporality(s.text, m.start(), m.end()) == "plan"}
        fact = make_fact("medication", value, s, doc, m.start(), end, negated=negated_before(s.text, m.start()))
        fact.modifiers = context_of(s).modifiers(m.start(), m.end())
        yield fact
        mme = _mme(generic, dose_text, freq_text)
        if mme is not None:
            yield make_fact("opioid_dose", {"mme": mme, "drug": generic}, s, doc, m.start(), end)


def _mme(generic: str, dose: str | None, freq: str | None) -> float | None:
    """Daily morphine milligram equivalents when drug, strength and frequency are all written."""
    factor = MME_FACTORS.get(generic)
    per_day = doses_per_day(freq)
    if factor is None or not dose or per_day is None:
        return None
    mg = to_number(re.split(r"[/-]", dose.rstrip("mgc%"))[0])
    if mg is None or not dose.lower().endswith("mg"):
        return None
    return round(mg * per_day * factor, 1)
