"""The decision: Service + facts + guideline rules -> ItemDecision, with criteria and a rationale.

An item is Overturned (medically necessary) only when a rule that the guideline hierarchy selects
recommends the service and every one of its criteria is met on the records. An unmet criterion, or one
the records do not document, upholds the denial; the rationale says which record would change that.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from jinja2.sandbox import SandboxedEnvironment

from openimr.facts import FactSet, extract_case_facts
from openimr.facts.extract import region_of
from openimr.facts.lexicon import REGIONS
from openimr.guidelines import KnowledgeBase, load_knowledge_base
from openimr.guidelines.expr import evaluate, names_used
from openimr.guidelines.schema import Criterion, Rule
from openimr.model import (
    Case,
    Citation,
    CriterionResult,
    CriterionStatus,
    Determination,
    Fact,
    ItemDecision,
    Request,
    Service,
)
from openimr.services import normalize

# therapy modality named in the records for each service topic that counts visits
THERAPY_MODALITY = {
    "physical_therapy": "physical therapy", "occupational_therapy": "occupational therapy",
    "chiropractic": "chiropractic", "acupuncture": "acupuncture", "massage": "massage",
    "aquatic_therapy": "aquatic therapy",
}
ACTIVE_MODALITIES = ("physical therapy", "occupational therapy", "home exercise", "aquatic therapy")

REGION_PAIN = {
    "lumbar": "low back pain", "cervical": "neck pain", "thoracic": "mid back pain", "shoulder": "shoulder pain",
    "elbow": "elbow pain", "wrist": "wrist pain", "hand": "hand pain", "hip": "hip pain", "knee": "knee pain",
    "ankle": "ankle pain", "foot": "foot pain", "head": "head injury",
}


def n(value: Any) -> str:
    """A number as a letter writes it: 8, not 8.0."""
    if value is None:
        return "an unstated number of"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_TEMPLATES = SandboxedEnvironment(autoescape=False, trim_blocks=True)


@lru_cache(maxsize=2048)
def _template(source: str) -> Any:
    return _TEMPLATES.from_string(source)


def _render(source: str, names: dict[str, Any]) -> str:
    return " ".join(_template(source).render(**names).split())


# Signals the fact extractor does not (yet) give, read from the documents' words. Each is a documented
# pattern; a match makes the signal documented (True), no match leaves it not documented (None), so a
# criterion resting on one can only be met by the records, never refuted by their silence.
TEXT_SIGNALS: dict[str, str] = {
    "surgery_considered": r"surg(?:ical|eon)(?:al)? (?:consult|referral|candidate|option|intervention|evaluation)|"
                          r"candidate for surgery|consider(?:ing|ed)? surg|surgery (?:is|was) (?:recommended|planned|scheduled)",
    "mechanical_knee_signs": r"locking|catching|giving way|buckling|instability|effusion|(?:unable|inability) to bear weight",
    "neurologic_symptoms": r"numbness|tingling|paresthesia|radiat\w+|radicul\w+|weakness",
    "neuropathic_pain": r"radicul\w+|neuropath\w+|neuralgia|neuritis|\bCRPS\b|complex regional|nerve (?:injury|damage)",
    "gi_risk": r"(?:peptic |gastric |duodenal )?ulcer|GI bleed|gastrointestinal (?:bleed|upset|symptoms|distress)|gastritis|"
               r"\bGERD\b|reflux|dyspepsia|anticoagula|corticosteroid",
    "muscle_spasm": r"spasms?\b",
    "insomnia": r"insomnia|sleep (?:disturbance|difficult\w*|problems?|disorder)|difficulty sleeping",
    "depression_anxiety": r"depress\w+|anxiety|\bPTSD\b|post-?traumatic stress",
    "fracture": r"fracture",
    "dislocation": r"(?<!biceps )(?<!tendon )dislocat\w+",  # a joint dislocation, not a tendon's
    "comorbidity": r"hypertension|diabetes|obes\w+|hyperlipidemia|coronary|cardiac|\bCOPD\b|renal (?:disease|insufficiency)|"
                   r"heart disease|smok\w+",
    "bleeding_risk": r"anticoagula|warfarin|coumadin|bleeding disorder|coagulopathy|hemophilia|liver disease",
    "implant": r"\bmesh\b|implant|prosthe\w+|hardware",
    "homebound": r"homebound|home-?bound|bed-?bound|unable to leave (?:the )?home",
    "failed_conservative_care": r"fail\w* (?:\w+ ){0,3}(?:conservative|physical therapy|therapy|treatment|medications?)|"
                                r"(?:no|without|minimal|little) (?:\w+ )?(?:relief|improvement|benefit)|persist\w*|not improv\w+",
    "imaging_lesion": r"\btear\b|\btorn\b|rupture|fracture|herniat\w+|extrusion|protrusion|stenosis|impingement of|"
                      r"nerve root (?:compression|impingement)|labral|Bankart|Hill-?Sachs|displace\w+",
    "trigger_points": r"trigger points? (?:with|and) (?:a )?(?:local )?twitch|twitch response",
    "successful_mbb": r"medial branch blocks?\W+(?:\w+\W+){0,6}?(?:[7-9]\d|100) ?%",
    "near_mmi": r"maximum medical improvement|\bMMI\b|permanent and stationary|\bP&S\b|unsuccessful return to work|"
                r"failed (?:a )?return to work",
    "working": r"modified (?:work|duty)|light duty|(?:is|was|currently|continues) working|returned to (?:full |regular )?work",
    "obesity": r"obes\w+|\bBMI\b (?:of )?[3-9]\d",
    "dvt_risk": r"(?:history of|prior) (?:DVT|deep vein|pulmonary embol)|thrombophilia|hypercoagul",
    "medication_benefit": r"(?:improvement|relief|benefit|decrease|reduction)\s+(?:in|of|with|from)\s+(?:\w+\s+){0,3}?"
                          r"(?:pain|symptoms|medications?)|medications? (?:help|helps|helped|provide|provides|improve)",
    "surgical_condition": r"severe (?:degenerative joint disease|osteoarthritis|arthritis|arthrosis)|end-stage|"
                          r"full-thickness|complete (?:tear|rupture)|nonunion|non-union|displaced fracture",
    "non_weight_bearing": r"non-?weight[- ]?bearing|\bNWB\b|unable to (?:walk|bear weight)",
    "hospitalized": r"hospitali[sz]\w*|hospitalist|admitted to (?:the )?hospital|inpatient stay|acute care hospital",
    # needs another person's help to move or care for oneself, so a discharge home is not yet safe
    "functional_dependence": r"requir\w+ (?:\w+ ){0,2}assistance|needs? (?:\w+ ){0,2}assistance|"
                             r"(?:not able|unable) to (?:transfer|ambulate|walk|care for)|not (?:yet )?safe (?:for|to (?:go|return)) home|"
                             r"dependent (?:for|with|in) (?:transfers|mobility|ambulation|self-care|ADLs)|(?:cannot|could not|unable to) manage at home",
    # what keeps a patient from taking part in an intensive rehabilitation program
    "participation_barrier": r"dementia|cognitive (?:impairment|deficits?)|unable to (?:participate|tolerate) (?:in )?(?:therapy|rehab)|"
                             r"medically unstable|comatose|obtunded",
    # a hernia whose diagnosis the examination leaves open, or a suspected complication
    "hernia_uncertain": r"occult hernia|(?:suspected|possible|rule out|r/o) (?:\w+ )?hernia|incarcerat\w+|strangulat\w+|"
                        r"non-?reducible|irreducible|bowel obstruction",
    # procedures where significant perioperative blood loss is expected (a pre-operative blood count is indicated)
    "major_blood_loss_surgery": r"fusion|arthroplasty|joint replacement|open reduction|(?<![a-z])orif(?![a-z])|osteotomy|revision surgery",
    "psych_evaluated": r"(?:psycholog|psychiatr)\w* (?:\w+ ){0,2}(?:evaluation|assessment|consultation)|psychological testing",
    "severe_psych": r"suicidal|homicidal|psychos[ie]s|psychotic|severe (?:major )?depress\w*|major depressive disorder,? (?:\w+,? )?severe",
    "erectile_dysfunction": r"erectile dysfunction|impotence|sexual dysfunction",
    "ed_workup": r"testosterone|hypogonad\w*|urolog\w+ (?:evaluation|consult\w*|referral)|penile (?:doppler|ultrasound)",
}
_COMPILED_SIGNALS = {k: re.compile(v, 0 if re.search(r"\\b[A-Z]", v) else re.I) for k, v in TEXT_SIGNALS.items()}
# words in the same clause before a mention that make it a denial, a question or a plan, not a finding
_NOT_AFFIRMED = re.compile(r"\b(?:no|not|non|negative|without|denie[sd]|rule out|ruled out|r/o|to evaluate|evaluate for|"
                           r"assess for|possible|suspected|suspicion|concern for|unremarkable|free of|absence of)\b", re.I)


_PLAN_WORDS = re.compile(r"request|utilization|\bUR\b|non-?certif|authori[sz]|denied|modif|plan\b|treatment plan|"
                         r"recommend|will (?:start|begin|try)|prescribed (?:on|at) (?:this|the) visit", re.I)


_REQUEST_WORDS = re.compile(r"request|non-?certif|utilization review|\bUR\b|authoriz", re.I)
_HISTORY_WORDS = re.compile(r"\b(?:received(?! on)|completed|attended|underwent|to date|has had|had (?:\d+|\w+ sessions))\b", re.I)


def affirmed(text: str, start: int) -> bool:
    """A mention at text[start:] is asserted, not denied, questioned or planned (same clause, 80 characters)."""
    clause = re.split(r"[.;:]\s|\bbut\b|\bhowever\b", text[max(0, start - 80):start])[-1]
    return not _NOT_AFFIRMED.search(clause)

# families whose requests often omit the region: it is then the region the records treat
REGIONLESS_THERAPY = {"physical_medicine", "chiropractic", "electrotherapy", "acupuncture"}

SITE_SPECIFIC_FLAGS = re.compile(r"fracture|dislocation", re.I)
# regions one guideline chapter covers together
REGION_GROUP = {"thoracic": "cervical", "upper_extremity": "cervical", "lower_extremity": "lumbar",
                "hand": "wrist", "foot": "ankle"}

NEURO_TESTS = ("sensation", "motor strength", "reflexes", "straight leg raise", "spurling")


@dataclass
class CaseContext:
    """What a criterion may know beyond the facts: the documents' words and the case's other items."""

    text: str = ""
    documents: list[str] = field(default_factory=list)
    siblings: list[Service] = field(default_factory=list)
    surgery_outcome: str | None = None  # "Overturned"/"Upheld" of a surgery decided in the same case
    _signals: dict[str, bool] = field(default_factory=dict)

    def signal(self, name: str) -> bool:
        if name not in self._signals:
            self._signals[name] = any(affirmed(self.text, m.start())
                                      for m in _COMPILED_SIGNALS[name].finditer(self.text))
        return self._signals[name]

    @cached_property
    def drug_classes_taken(self) -> set[str]:
        """Drug classes the records name outside requests, plans and review history: drugs already taken."""
        from openimr.services import find_drugs

        classes: set[str] = set()
        for sentence in re.split(r"(?<=[.;])\s+", self.text):
            if _PLAN_WORDS.search(sentence):
                continue
            classes.update(d["class"] for d in find_drugs(sentence))
        return classes

    def in_request_sentence(self, fact: Fact) -> bool:
        doc, start, end = fact.span
        if doc >= len(self.documents):
            return False
        text = self.documents[doc]
        begin = max(text.rfind(". ", 0, start), text.rfind(".\n", 0, start)) + 1
        stop = text.find(". ", end)
        sentence = text[begin: stop if stop >= 0 else len(text)]
        return bool(_REQUEST_WORDS.search(sentence)) and not _HISTORY_WORDS.search(sentence)

    def affirmed_fact(self, fact: Fact, documents: list[str]) -> bool:
        doc, start, _ = fact.span
        return doc >= len(documents) or affirmed(documents[doc], start)


@dataclass
class CriterionContext:
    """The names a criterion may use; it records which facts each look-up touched, as evidence."""

    service: Service
    facts: FactSet
    rule: Rule
    used: list[Fact] = field(default_factory=list)
    case: CaseContext = field(default_factory=CaseContext)

    def _use(self, facts: list[Fact]) -> None:
        for f in facts:
            if f not in self.used:
                self.used.append(f)

    def _prior(self, modality: str) -> Fact | None:
        """The best-documented history of a modality (as FactSet.prior), leaving out mentions in a sentence
        about the request or its review ("6 sessions of acupuncture were requested and non-certified"):
        those are the treatment in dispute, not treatment given."""
        found = [f for f in self.facts.named("prior_treatment") if f.value.get("modality") == modality
                 and not self.case.in_request_sentence(f)]
        if not found:
            return None
        with_count = [f for f in found if f.value.get("count") is not None]
        return max(with_count, key=lambda f: f.value["count"]) if with_count else found[0]

    def _authorized(self, modality: str) -> float:
        """What UR already authorized of this very request counts as given."""
        same = THERAPY_MODALITY.get(self.service.topic or "", self.service.topic or "") == modality
        return float(self.service.authorized_quantity or 0) if same else 0.0

    def visits_so_far(self, modality: str) -> float:
        """Visits of a modality already given (and authorized); 0 when the records never mention it."""
        fact = self._prior(modality)
        if fact is None or fact.negated:
            if fact is not None:
                self._use([fact])
            return self._authorized(modality)
        self._use([fact])
        count = fact.value.get("count")
        return (float(count) if count is not None else 0) + self._authorized(modality)

    def had(self, modality: str) -> bool:
        """The records mention this treatment as given before (with or without a count)."""
        fact = self._prior(modality)
        if fact is not None:
            self._use([fact])
        return (fact is not None and not fact.negated) or self._authorized(modality) > 0

    def request_says(self, pattern: str) -> bool:
        """The request's own words match a pattern (case-insensitive), e.g. 'compression|vascutherm'."""
        return bool(re.search(pattern, self.service.raw, re.I))

    def continuation(self) -> bool:
        """The request itself asks for more of a treatment already under way."""
        return bool(re.search(r"\b(?:additional|continu\w+|more|further|extension|extend\w*|ongoing|remaining)\b",
                              self.service.raw, re.I))

    def neuro_deficit(self) -> bool | None:
        """Objective neurologic findings (sensory, motor, reflex, nerve tension signs): abnormal True,
        all tested normal False, untested None."""
        found = [f for f in self.facts.named("exam_finding") if f.value.get("test") in NEURO_TESTS and not f.negated]
        if not found:
            return None
        abnormal = [f for f in found if f.value.get("result") == "abnormal"]
        self._use((abnormal or found)[:2])
        return bool(abnormal)

    def signal(self, name: str) -> bool | None:
        """A documented text signal (see TEXT_SIGNALS): True when the records say it, else not documented."""
        return True if self.case.signal(name) else None

    def imaging_done(self, modality: str | None = None) -> bool:
        """Imaging of the requested region (of the given modality) already in the records."""
        found = [f for f in self.facts.named("imaging") if not f.negated
                 and (modality is None or f.value.get("modality") == modality)
                 and (self.service.region is None or f.value.get("region") == self.service.region)]
        self._use(found[:1])
        return bool(found)

    def on_drug_class(self, drug_class: str) -> bool | None:
        """The patient already takes a drug of this class, per the medication facts."""
        from openimr.services import find_drug

        found = []
        for f in self.facts.named("medication"):
            drug = find_drug(str(f.value.get("drug", "")))
            if drug and drug["class"] == drug_class and not f.negated:
                found.append(f)
        self._use(found[:1])
        return True if found or drug_class in self.case.drug_classes_taken else None

    def requested(self, topic: str) -> bool:
        """Another item of the same case asks for this topic (or drug class)."""
        return any(s.topic == topic or s.drug_class == topic for s in self.case.siblings if s is not self.service)

    def surgery_certified(self) -> bool | None:
        """The surgery decided in the same case: medically necessary True, not False, none in the case None."""
        if self.case.surgery_outcome is None:
            return None
        return self.case.surgery_outcome == "Overturned"

    def dated_from(self, iso: str) -> bool | None:
        ref = self.facts.reference_date
        return None if ref is None else ref >= dt.date.fromisoformat(iso)

    def topical_not_recommended(self) -> list[str]:
        """Ingredients of a topical or compounded request that the guideline does not support topically."""
        from openimr.services import find_drugs

        return [d["name"] for d in find_drugs(self.service.raw) if d.get("topical") == "not_recommended"]

    def supply_days(self) -> float | None:
        """Days a medication request lasts, when its quantity and daily use are stated."""
        raw = self.service.raw.lower()
        m = re.search(r"day supply:?\s*(\d+)", raw) or re.search(r"(\d+)[- ]day supply", raw)
        if m:
            return float(m[1])
        m = re.search(r"\b(one|1|two|2|three|3) months?", raw)
        if m:
            return 30.0 * {"one": 1, "two": 2, "three": 3}.get(m[1], 1 if not m[1].isdigit() else int(m[1]))
        q = self.service.quantity
        if q is None:
            return None
        per_day = 4 if re.search(r"\bqid\b|four times|every 6|q6|every 4|q4", raw) else \
            3 if re.search(r"\btid\b|three times|every 8|q8", raw) else \
            1 if re.search(r"\bq(?:d|hs)\b|daily|once a day|at bedtime|nightly", raw) else 2
        return q / per_day

    @property
    def age(self) -> int | None:
        found = self.facts.named("age")
        self._use(found[:1])
        return int(found[0].value) if found else None

    def prior_count(self, modality: str) -> float | None:
        """Visits of a modality already given; None when the records do not say."""
        fact = self._prior(modality)
        if fact is None:
            return None
        self._use([fact])
        return 0 if fact.negated else fact.value.get("count")

    def has(self, name: str) -> bool:
        found = [f for f in self.facts.named(name) if not f.negated]
        self._use(found[:2])
        return bool(found)

    def has_active_program(self) -> bool:
        found = [f for f in self.facts.named("prior_treatment")
                 if f.value["modality"] in ACTIVE_MODALITIES and not f.negated]
        self._use(found[:2])
        return bool(found)

    def finding(self, test: str, result: str | None = None) -> bool | None:
        found = [f for f in self.facts.named("exam_finding") if f.value["test"] == test]
        if not found:
            return None
        self._use(found[:2])
        if result is None:
            return True
        return any(f.value["result"] == result for f in found)

    def diagnosis(self, pattern: str) -> bool:
        found = [f for f in self.facts.named("diagnosis") if re.search(pattern, f.value["text"], re.I)]
        self._use(found[:2])
        return bool(found)

    @property
    def functional_improvement(self) -> bool | None:
        found = self.facts.named("functional_improvement")
        if not found:
            return None
        self._use(found[:1])
        return any(f.value and not f.negated for f in found)

    def _flag_here(self, fact: Fact) -> bool:
        """A fracture or dislocation is a red flag for the region it is in, not for every region: a thumb
        fracture does not call for a shoulder MRI. Other red flags (cauda equina, progressive deficit,
        infection, tumour) count wherever they are mentioned."""
        if not SITE_SPECIFIC_FLAGS.search(fact.text) or self.service.region is None:
            return True
        doc, start, end = fact.span
        text = self.case.documents[doc] if doc < len(self.case.documents) else fact.text
        window = text[max(0, start - 60):end + 40]
        if re.search(r"\bribs?\b", window, re.I):
            return False  # rib fractures are chest injuries, not spine ones
        where = region_of(window)
        return where is not None and REGION_GROUP.get(where, where) == REGION_GROUP.get(self.service.region,
                                                                                        self.service.region)

    @property
    def red_flags(self) -> bool:
        found = [f for f in self.facts.named("red_flag")
                 if not f.negated and self.case.affirmed_fact(f, self.case.documents) and self._flag_here(f)]
        self._use(found[:2])
        return bool(found)

    def request_regions(self) -> list[str]:
        """Every body region the request names ("cervical and lumbar spine, left wrist/hand")."""
        return [r for r, patterns in REGIONS.items()
                if any(re.search(r"(?<![A-Za-z])(?:" + p + r")(?![A-Za-z])", self.service.raw,
                                 0 if p[0].isupper() else re.I) for p in patterns)]

    def names(self) -> dict[str, Any]:
        modality = THERAPY_MODALITY.get(self.service.topic or "", self.service.topic or "")
        funcs: dict[str, Callable[..., Any]] = {
            "visits_so_far": self.visits_so_far, "prior_count": self.prior_count, "has": self.has,
            "has_active_program": self.has_active_program, "finding": self.finding,
            "diagnosis": self.diagnosis, "limit": lambda key: self.rule.limits[key], "n": n,
            "had": self.had, "continuation": self.continuation, "neuro_deficit": self.neuro_deficit,
            "signal": self.signal, "imaging_done": self.imaging_done, "on_drug_class": self.on_drug_class,
            "requested": self.requested, "surgery_certified": self.surgery_certified, "dated_from": self.dated_from,
            "topical_not_recommended": self.topical_not_recommended, "supply_days": self.supply_days,
            "len": len, "request_regions": self.request_regions,
            "overlap": lambda a, b: [x for x in a if x in b], "request_says": self.request_says,
        }
        return {
            **funcs,
            "request": self.service,
            "therapy_modality": modality,
            "phase": self.facts.phase,
            "weeks_since_injury": self.facts.weeks_since_injury,
            "functional_improvement": self.functional_improvement,
            "red_flags": self.red_flags,
            "age": self.age,
            "weeks": self.facts.weeks_since_injury,
        }


def _post_surgical(service: Service, facts: FactSet, case: CaseContext) -> bool:
    if service.associated_with is not None and service.topic != "surgery":
        return True
    if case.surgery_outcome == "Overturned":
        return True
    return any(_surgery_covers(f, service) for f in facts.named("surgery") if not f.negated)


# The Postsurgical Treatment Guidelines' physical medicine periods run at most 6 months after surgery;
# after that, therapy falls back under the chronic pain or body-part guidelines.
POSTSURGICAL_PERIOD_WEEKS = 26


def _surgery_covers(fact: Fact, service: Service) -> bool:
    """A surgery already done puts the service in its post-surgical period: recent enough, same body region."""
    if fact.value.get("status") != "done":
        return False
    weeks = fact.value.get("weeks_post_op")
    if weeks is not None and weeks > POSTSURGICAL_PERIOD_WEEKS:
        return False
    region = fact.value.get("region") or region_of(f"{fact.value.get('procedure') or ''} {fact.text}")
    return not (region and service.region and region != service.region)


def _rule_applies(rule: Rule, service: Service, facts: FactSet, case: CaseContext) -> bool:
    a = rule.applies_to
    if service.topic not in a.topics:
        return False
    if a.regions and (service.region or "") not in a.regions and not (service.region is None and "any" in a.regions):
        return False
    if a.phases and facts.phase and facts.phase not in a.phases:
        return False
    if a.drug_classes and service.drug_class not in a.drug_classes:
        return False
    if a.post_surgical is not None and a.post_surgical != _post_surgical(service, facts, case):
        return False
    if a.when:
        ok = evaluate(a.when, CriterionContext(service, facts, rule, case=case).names())
        if ok is False:
            return False
    return True


def select_rule(service: Service, facts: FactSet, kb: KnowledgeBase,
                case: CaseContext | None = None) -> tuple[Rule | None, str | None]:
    """The rule the hierarchy puts first (8 CCR 9792.21.1): MTUS before other evidence-based guidelines."""
    case = case or CaseContext()
    candidates = [r for r in kb.by_topic.get(service.topic or "", []) if _rule_applies(r, service, facts, case)]
    if not candidates:
        return None, None

    # MTUS first, then the most specific rule (more conditions), then priority
    def rank(r: Rule) -> tuple[int, int, int]:
        a = r.applies_to
        specificity = bool(a.regions) + bool(a.phases) + (a.post_surgical is not None) + bool(a.drug_classes) + bool(a.when)
        return (kb.is_mtus(r), specificity, r.priority)

    best = max(candidates, key=rank)
    note = None
    if not kb.is_mtus(best):
        note = (f"The MTUS does not address {best.title[0].lower() + best.title[1:]} for this condition, so the "
                f"decision rests on {kb.source(best.citation).name}, the next evidence-based guideline in the "
                f"hierarchy (8 CCR 9792.21.1).")
    return best, note


def _evaluate_criterion(c: Criterion, ctx: CriterionContext) -> CriterionResult:
    before = len(ctx.used)
    names = ctx.names()
    # names() computes some values up front (functional_improvement, red_flags, age); their facts are
    # evidence only for a criterion that uses the name
    eager = ctx.used[before:]
    del ctx.used[before:]
    used_names = names_used(c.test)
    ctx._use([f for f in eager if f.name in used_names or (f.name == "red_flag" and "red_flags" in used_names)])
    value = evaluate(c.test, names)
    status: CriterionStatus = "met" if value is True or (value is not None and value is not False and bool(value)) else \
        "not_documented" if value is None else "unmet"
    template = c.says.met if status == "met" else c.says.unmet if status == "unmet" else (
        c.says.not_documented or (f"The records do not document {c.needs}." if c.needs else c.says.unmet))
    evidence = [f.text for f in ctx.used[before:]]
    return CriterionResult(id=c.id, status=status, evidence=evidence, says=_render(template, names))


def presentation(facts: FactSet, service: Service) -> str:
    """'chronic low back pain': phase of care and the region in dispute, as far as the records show."""
    region = service.region
    if region is None:
        regions = [f.value.get("region") for f in facts.named("diagnosis") if f.value.get("region")]
        region = regions[0] if regions else None
    complaint = REGION_PAIN.get(region or "", "the injury at issue")
    phase = facts.phase
    return f"{phase} {complaint}" if phase and region else complaint


def _reference_date(case: Case) -> dt.date | None:
    return case.ur_denial_date or case.received_date or case.decision_date


def _follows_surgery(request: Request, service: Service, intro: str, citations: list[Citation]) -> ItemDecision:
    """An associated surgical service whose surgery is not medically necessary is not either. The service's
    own guideline, where the knowledge base has one, is still cited: it is what the service would need."""
    result = CriterionResult(id="surgery-medically-necessary", status="unmet",
                             says="The surgery this service supports is not medically necessary.")
    rationale = (f"{intro} This is a service associated with the surgery requested in the same case. Since the "
                 "surgery is not medically necessary, none of its associated services are medically necessary. "
                 "The request is not medically necessary.")
    return ItemDecision(id=request.id, item=request.item, outcome="Upheld", medically_necessary=False,
                        citations=citations, criteria=[result], rationale=rationale, service=service,
                        topic="associated-surgical-service")


def decide_item(case: Case, request: Request, facts: FactSet, kb: KnowledgeBase,
                context: CaseContext | None = None, service: Service | None = None) -> ItemDecision:
    context = context or CaseContext(text=_case_text(case), documents=[d.text or "" for d in case.documents])
    service = service or normalize(request)
    on = _reference_date(case)
    intro = (f"This patient presents with {presentation(facts, service)}. "
             f"The request is for {request.item}.")
    rule, note = select_rule(service, facts, kb, context)
    if service.associated_with is not None and service.topic != "surgery" and context.surgery_outcome == "Upheld":
        return _follows_surgery(request, service, intro, [kb.cite(rule.citation, on)] if rule else [])
    if rule is None:
        rationale = (f"{intro} The knowledge base has no guideline rule for this service, so medical necessity "
                     "cannot be established against the MTUS or other evidence-based guidelines; a physician "
                     "reviewer must decide it. The request is not medically necessary on this record.")
        return ItemDecision(id=request.id, item=request.item, outcome="Upheld", medically_necessary=False,
                            citations=[], criteria=[], rationale=rationale, service=service)
    ctx = CriterionContext(service, facts, rule, case=context)
    results = [_evaluate_criterion(c, ctx) for c in rule.criteria]
    necessary = rule.status != "not_recommended" and all(r.status == "met" for r in results)
    citations = [kb.cite(rule.citation, on), *(kb.cite(ref, on) for ref in rule.also_cite)]
    for c in rule.criteria:
        if c.citation and c.citation not in [rule.citation, *rule.also_cite]:
            citations.append(kb.cite(c.citation, on))
    first = citations[0]
    plural = "pages" if first.pages and re.search(r"[-,]", first.pages) else "page"
    where = f"{plural} {first.pages}" if first.cite_by == "pages" and first.pages else first.section
    name = f"{first.guideline} {first.edition}" if first.cite_by == "section" and first.edition else first.guideline
    name = name if name.lower().endswith("guidelines") else f"{name} guidelines"
    guideline_says = f"The {name}{f' ({where})' if where else ''} {rule.summary.strip()}."
    findings = " ".join(r.says for r in results if r.says)
    missing = [c.needs for c, r in zip(rule.criteria, results, strict=True) if r.status == "not_documented" and c.needs]
    would_change = f" Records showing {'; '.join(missing)} could change this decision." if missing and not necessary else ""
    conclusion = "The request is medically necessary." if necessary else "The request is not medically necessary."
    rationale = " ".join(p for p in [intro, note or "", guideline_says, findings, would_change.strip(), conclusion] if p)
    return ItemDecision(
        id=request.id, item=request.item, outcome="Overturned" if necessary else "Upheld",
        medically_necessary=necessary, citations=citations, criteria=results, rationale=rationale,
        service=service, topic=rule.id, hierarchy_note=note,
    )


def _case_text(case: Case) -> str:
    """The documents' words with line wraps folded, so a phrase broken across lines still matches."""
    return " ".join(" ".join(d.text.split()) for d in case.documents if d.text)


def decide_case(case: Case, kb: KnowledgeBase | None = None, facts: FactSet | None = None) -> Determination:
    """Every item of a case. Surgeries are decided first: the services associated with a surgery follow it."""
    kb = kb or load_knowledge_base()
    facts = facts or extract_case_facts(case)
    services = [normalize(r) for r in case.requests]
    surgery_regions = [s.region for s in services if s.topic == "surgery" and s.region]
    treated = [f.value["region"] for f in facts.named("diagnosis") if f.value.get("region") and not f.negated]
    for s in services:
        if s.associated_with is not None and s.region is None and surgery_regions:
            s.region = surgery_regions[0]  # "post-op therapy" is for the body part operated on
        elif s.region is None and s.family in REGIONLESS_THERAPY and treated:
            s.region = treated[0]  # "electrical stimulation x6" treats the region under care
    context = CaseContext(text=_case_text(case), documents=[d.text or "" for d in case.documents], siblings=services)
    decided: dict[str, ItemDecision] = {}
    for request, service in zip(case.requests, services, strict=True):
        if service.topic == "surgery":
            decided[request.id] = decide_item(case, request, facts, kb, context, service)
    outcomes = {d.outcome for d in decided.values()}
    context.surgery_outcome = "Upheld" if "Upheld" in outcomes else "Overturned" if outcomes else None
    for request, service in zip(case.requests, services, strict=True):
        if request.id not in decided:
            decided[request.id] = decide_item(case, request, facts, kb, context, service)
    return Determination(case_number=case.case_number, decisions=[decided[r.id] for r in case.requests])
