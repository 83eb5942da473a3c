"""The clinical case summary, written from the extracted facts in the register of the published letters.

Every sentence keeps the facts (and the case fields) it was written from, so each statement in the
letter can be traced to the words of the records. Findings are quoted in the documents' own words
(diagnoses, imaging findings, counts of treatment) rather than paraphrased. Nothing is cut.
A reviewer's own summary (the case field `case_summary`) replaces the generated one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from openimr.facts import FactSet
from openimr.model import Case, Fact

REVIEWER_SUMMARY_FIELD = "case_summary"

# provocative tests print as "positive/negative <name>"; the rest by what the result means for them
_TEST_NAMES = {"straight leg raise": "straight leg raise", "spurling": "Spurling's test", "hawkins": "Hawkins test",
               "neer": "Neer test", "mcmurray": "McMurray test", "phalen": "Phalen's test", "tinel": "Tinel's sign",
               "faber": "FABER test", "drop arm": "drop arm test", "lachman": "Lachman test"}
_PLAIN = {  # test -> (normal wording, abnormal wording)
    "tenderness": ("no tenderness", "tenderness to palpation"),
    "range of motion": ("full range of motion", "limited range of motion"),
    "sensation": ("intact sensation", "diminished sensation"),
    "motor strength": ("full motor strength", "decreased motor strength"),
    "reflexes": ("normal reflexes", "abnormal reflexes"),
    "spasm": ("no spasm", "spasm"),
}
_SPINE = {"lumbar", "cervical", "thoracic", "lumbosacral"}


@dataclass(frozen=True)
class SummarySentence:
    """One sentence of the summary and what it was written from: facts, and case fields by name."""

    text: str
    facts: tuple[Fact, ...] = ()
    fields: tuple[str, ...] = field(default_factory=tuple)


def us_date(value: str | dt.date | None) -> str:
    """ISO date (or YYYY-MM) as the letters print it: 12/09/2013, August 2014."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%m/%d/%Y")
    try:
        return dt.date.fromisoformat(value).strftime("%m/%d/%Y")
    except ValueError:
        try:
            return dt.datetime.strptime(value, "%Y-%m").strftime("%B %Y")
        except ValueError:
            return value


def _series(words: list[str], last: str = "and") -> str:
    """a, b and c; with semicolons when an element has commas of its own ("Traction, mechanical; ...")."""
    if len(words) <= 1:
        return "".join(words)
    sep = "; " if any("," in w for w in words) else ", "
    return sep.join(words[:-1]) + f"{sep.rstrip() if sep == '; ' else ''} {last} " + words[-1]


def _region(region: str | None, side: str | None = None) -> str:
    if not region:
        return f" on the {side}" if side and side != "bilateral" else (" bilaterally" if side else "")
    place = f"{region} spine" if region in _SPINE else region
    return f" of the {side} {place}" if side and side != "bilateral" else f" of the {place}" + (
        " bilaterally" if side else "")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _patient(facts: FactSet, case: Case) -> SummarySentence | None:
    age, sex, doi = facts.first("age"), facts.first("sex"), facts.first("date_of_injury")
    who = "The patient is a" + (f" {age.value}-year-old" if age else "") + (f" {sex.value}" if sex else " person")
    used: list[Fact] = [f for f in (age, sex) if f]
    fields: tuple[str, ...] = ()
    if case.date_of_injury:
        who += f" with a date of injury of {us_date(case.date_of_injury)}"
        fields = ("date_of_injury",)
        used += [doi] if doi else []
    elif doi:
        who += f" with a date of injury of {us_date(doi.value)}"
        used.append(doi)
    if not used and not fields:
        return None
    mech = facts.first("mechanism")
    if mech:
        who += f"; the mechanism of injury is recorded as \u201c{_one_line(mech.text)}\u201d"
        used.append(mech)
    return SummarySentence(who + ".", tuple(used), fields)


def _diagnoses(facts: FactSet) -> SummarySentence | None:
    seen: dict[str, Fact] = {}
    for f in facts.named("diagnosis"):
        if not f.negated:
            seen.setdefault(_one_line(f.value["text"]).lower(), f)
    if not seen:
        return None
    words = [_one_line(f.value["text"]) for f in seen.values()]
    words = [w[0].lower() + w[1:] if w[:2].istitle() and not w[:2].isupper() else w for w in words]
    noun = "diagnosis is" if len(words) == 1 else "diagnoses are"
    return SummarySentence(f"The listed {noun} {_series(words)}.", tuple(seen.values()))


def _pain(facts: FactSet) -> SummarySentence | None:
    scores = facts.named("pain_score")
    if not scores:
        return None
    parts = [_one_line(f.text) + (f" {f.value['when']}" if f.value.get("when") else "") for f in scores]
    return SummarySentence(f"Pain is rated {_series(list(dict.fromkeys(parts)))}.", tuple(scores))


def _modality(f: Fact) -> str:
    m: str = f.value["modality"]
    return m if re.search(r"(?:therapy|care|treatment|program|injection|s)$", m) else f"{m} treatment"


def _treatment(facts: FactSet) -> list[SummarySentence]:
    modalities = list(dict.fromkeys(f.value["modality"] for f in facts.named("prior_treatment")))
    best = [f for m in modalities if (f := facts.prior(m)) is not None]
    done = [f for f in best if not f.negated]
    none = [f for f in best if f.negated]
    had: list[str] = []
    for f in done:
        words = _one_line(f.text) if f.value.get("count") else f.value["modality"]
        if f.value.get("response"):
            words += " with improvement" if f.value["response"] == "improved" else f" with {f.value['response']} relief"
        had.append(words)
    injections = [f for f in facts.named("injection") if not f.negated and not f.value.get("planned")]
    for f in injections:
        words = _one_line(f.text) + (f" ({us_date(f.value['date'])})" if f.value.get("date") else "")
        words = words if re.match(r"(?i)(?:an?|the|\d)\b", words) else f"{'an' if words[0] in 'aeiouAEIOU' else 'a'} {words}"
        had.append(words + (f" with {f.value['relief']} relief" if f.value.get("relief") else ""))
    surgeries = [f for f in facts.named("surgery") if not f.negated and f.value.get("status") == "done"]
    had += [_one_line(f.text) + (f" ({us_date(f.value['date'])})" if f.value.get("date") else "") for f in surgeries]
    out: list[SummarySentence] = []
    if had:
        out.append(SummarySentence(f"Treatment to date has included {_series(had)}.",
                                   tuple(done + injections + surgeries)))
    if none:
        out.append(SummarySentence(f"The records document no prior {_series([_modality(f) for f in none], 'or')}.",
                                   tuple(none)))
    meds = [f for f in facts.named("medication") if not f.negated and not f.value.get("requested")]
    if meds:
        names = list(dict.fromkeys(_one_line(f.text) for f in meds))
        out.append(SummarySentence(f"Medications include {_series(names)}.", tuple(meds)))
    return out


def _finding(f: Fact) -> str:
    v = f.value
    test, abnormal = v.get("test") or "", v.get("result") == "abnormal"
    if test in _TEST_NAMES:
        return f"{'positive' if abnormal else 'negative'} {_TEST_NAMES[test]}" + _region(None, v.get("side"))
    normal_words, abnormal_words = _PLAIN.get(test, (f"normal {test}", f"abnormal {test}"))
    return (abnormal_words if abnormal else normal_words) + _region(v.get("region"), v.get("side"))


def _exam(facts: FactSet) -> SummarySentence | None:
    found = [f for f in facts.named("exam_finding") if not f.negated]
    if not found:
        return None
    return SummarySentence(f"Examination showed {_series(list(dict.fromkeys(_finding(f) for f in found)))}.",
                           tuple(found))


def _imaging(facts: FactSet) -> list[SummarySentence]:
    out = []
    studies = [f for f in facts.named("imaging") if not f.negated]
    for f in studies:
        # a second mention of a study ("The MRI was performed at ...") without region or date is the same one
        if not (f.value.get("region") or f.value.get("date")) and any(
                g is not f and g.value.get("modality") == f.value.get("modality") for g in studies):
            continue
        v = f.value
        study = (v.get("modality") or "Imaging") + (_region(v["region"]) if v.get("region") else "")
        when = f" dated {us_date(v['date'])}" if v.get("date") else ""
        result = f" showed {_one_line(v['findings']).rstrip('.')}" if v.get("findings") else " was performed"
        out.append(SummarySentence(f"{'An' if study[0] in 'AEIMX' else 'A'} {study}{when}{result}.", (f,)))
    return out


def _work(facts: FactSet) -> SummarySentence | None:
    f = facts.first("work_status")
    return SummarySentence(f"The documented work status is {_one_line(f.value)}.", (f,)) if f else None


def _requests(case: Case, facts: FactSet) -> SummarySentence:
    items = _series([r.item for r in case.requests])
    noun = "request for" if len(case.requests) == 1 else "requests for"
    ur = facts.first("ur_decision")
    if case.ur_denial_date:
        return SummarySentence(f"The {noun} {items} {'was' if len(case.requests) == 1 else 'were'} denied by "
                               f"utilization review on {us_date(case.ur_denial_date)}.",
                               (ur,) if ur else (), ("requests", "ur_denial_date"))
    if ur and ur.value.get("date"):
        return SummarySentence(f"The {noun} {items} {'was' if len(case.requests) == 1 else 'were'} denied by "
                               f"utilization review on {us_date(ur.value['date'])}.", (ur,), ("requests",))
    return SummarySentence(f"The disputed {noun} {items}.", (), ("requests",))


def write_summary(case: Case, facts: FactSet) -> list[SummarySentence]:
    """The summary's sentences in the order the published letters use."""
    parts: list[SummarySentence | None] = [_patient(facts, case), _diagnoses(facts), _pain(facts)]
    sentences = [s for s in parts if s]
    sentences += _treatment(facts)
    sentences += [s for s in [_exam(facts)] if s]
    sentences += _imaging(facts)
    sentences += [s for s in [_work(facts)] if s]
    sentences.append(_requests(case, facts))
    return sentences


def reviewer_summary(case: Case) -> str | None:
    """The reviewer's own summary when the case carries one (a case field, or edited in the workbench)."""
    given = (case.model_extra or {}).get(REVIEWER_SUMMARY_FIELD)
    return given.strip() if isinstance(given, str) and given.strip() else None


def summary_paragraphs(case: Case, facts: FactSet | None = None) -> list[str]:
    """The summary as printed: the reviewer's paragraphs, else the written sentences as one paragraph."""
    own = reviewer_summary(case)
    if own:
        return [_one_line(p) for p in own.split("\n\n") if p.strip()]
    if facts is None:
        from openimr.facts import extract_case_facts

        facts = extract_case_facts(case)
    return [" ".join(s.text for s in write_summary(case, facts))]
