"""FastGate finds exactly what its pattern finds: the same matches at the same offsets, on any text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from openimr.facts import context, modifiers
from openimr.facts.fastmatch import Alternatives, FastGate, required_starts
from openimr.facts.recognizers import admin, concepts, demographics, findings, treatment
from openimr.facts.regions import FAST_PATTERNS
from openimr.facts.text import sentences
from openimr.intake import load_case
from openimr.services import _vocabulary

ROOT = Path(__file__).resolve().parents[1]
FACT_GATES = [treatment._ANY_MODALITY, treatment._DRUG, treatment._REQUEST_SENTENCE, treatment._HISTORY_SENTENCE,
              context._MINIMAL, context._IMPROVED, treatment._INJECTION_HINT, treatment._SURGERY_HINT, findings._ANY_RED_FLAG,
         findings._ANY_PSYCH, demographics._COMPLAINT, context._CUES, context._NEGATION,
              admin._UR, admin._UR_ACT, demographics._DOI, findings._IMAGING, *(g for g, _ in admin._WORK), *(gate for _, gate in FAST_PATTERNS)]
CONTEXT_GATES = [gate for gate, _, _ in modifiers._rules().cues] + [modifiers._rules().any_cue,
                                                                   modifiers._rules().terminators,
                                                                   *(g for _, g in modifiers._MODALITY_PATTERNS)]
CONCEPT_GATES = list(concepts._gates().values())
SERVICE_GATES = [gate for topic in _vocabulary() for gate in topic["compiled"]]
GATED = FACT_GATES + CONTEXT_GATES + CONCEPT_GATES + SERVICE_GATES


def _texts() -> list[str]:
    texts = []
    for case_file in ("seed-case.yaml", "shoulder-case/case.yaml", "neck-case/case.json"):
        for doc in load_case(ROOT / "examples" / case_file).documents:
            texts.extend(s.text for s in sentences(doc.text or ""))
    texts += [  # synthetic sentences naming every region and the gated words
        "Pain in the low back, lumbosacral junction, L4-S1 and L5, with sciatica; lower back stiffness.",
        "Neck pain at C5-6 and C7-T1, cervical strain, thoracic and mid-back pain, upper back spasm.",
        "Both shoulders, the rotator cuff and acromioclavicular joint; elbows with lateral epicondylitis.",
        "Wrists with carpal tunnel syndrome, hands, fingers and a thumb; hips and groin; knees, meniscus tear.",
        "Patellar tendinitis, ankle sprain, foot and feet pain, toes, plantar fasciitis, head injury, concussion.",
        "She underwent a lumbar fusion and arthroscopic repair with ORIF; a carpal tunnel release was requested.",
        "Epidural steroid injection, facet blocks, radiofrequency ablation and a TFESI were done.",
        "No cauda equina, bowel or bladder changes, fever, fracture, tumor, infection or red flags.",
        "Depression, anxiety, insomnia, PTSD, panic attacks and stress; suicidal ideation denied.",
        "Physical therapy, PT, OT, chiropractic manipulation, acupuncture, massage, aquatic therapy and TENS.",
        "Straight leg raise, Spurling's, Hawkins, Neer, McMurray, Phalen, Tinel, FABER, drop arm, Lachman.",
        "Sensation, motor strength, deep tendon reflexes, DTRs, tenderness to palpation, ROM and spasm.",
        "Date of injury: 03/14/2012. The utilization review dated 5/2/2016 non-certified the MRI and x-rays.",
        "She is temporarily totally disabled; modified duty was not offered; P&S; not working; retired.",
        # disputed items, as the service vocabulary reads them
        "Physical therapy 2 times a week for 2 weeks lumbar", "Acupuncture 6 sessions lumbar", "MRI of the right shoulder",
        "EMG/NCS bilateral lower extremities", "Norco 10/325mg #60", "Prilosec 20mg #30", "Ketoprofen 20% cream 120g",
        "Lumbar epidural steroid injection L4-5", "TENS unit 30 day rental", "Chiropractic 2x3 lumbar",
        "Follow up office visit times 2", "Right shoulder arthroscopy with rotator cuff repair", "Pre-op labs: CBC",
        "Associated surgical service: Cold therapy for 7 days", "Functional capacity evaluation", "Urine drug testing",
        "Home health aide 4 hours a day", "Knee brace purchase", "Psychotherapy 6 sessions", "CT scan of the head",
        "Functional restoration program 80 hours", "Orthopedic consultation", "Gym membership for 3 months",
    ]
    # the same words in other cases, and with letters whose case folding is not ASCII's
    variants = [t.upper() for t in texts] + [t.title() for t in texts] + [t.swapcase() for t in texts]
    variants += ["Physical therapy for the İnjection site", "Acupunctureſ and massage Therapy",
                 "The KNEE and ſhoulder hurt; L4-5 C5-6 pain", "straight leg raiſe", "Thérapie physique PT 6"]
    return texts + variants


TEXTS = _texts()


@pytest.mark.parametrize("gate", GATED, ids=lambda g: g.pattern.pattern[:30])
def test_same_matches_as_the_pattern(gate: FastGate) -> None:
    for text in TEXTS:
        want = [(m.start(), m.end(), m.lastindex) for m in gate.pattern.finditer(text)]
        assert [(m.start(), m.end(), m.lastindex) for m in gate.finditer(text)] == want, text
        first = gate.search(text)
        assert (first.span() if first else None) == (want[0][:2] if want else None), text


@pytest.mark.parametrize("gate", CONCEPT_GATES, ids=lambda g: g.pattern.pattern[:30])
def test_gated_search_with_the_callers_lowered_text_finds_the_patterns_matches(gate: FastGate) -> None:
    for text in TEXTS:
        want = [m.span() for m in gate.pattern.finditer(text)]
        lowered = text.lower() if text.isascii() else None
        assert [m.span() for m in gate.finditer_gated(text, lowered)] == want, text


@pytest.mark.parametrize("alternatives", [findings._EXAM, treatment._MODALITY_RE], ids=["exam", "modality"])
def test_alternatives_give_the_full_alternations_matches(alternatives: Alternatives) -> None:
    used = set()
    for text in TEXTS:
        want = [(m.lastindex - 1, m.span(), m[0]) for m in alternatives.pattern.finditer(text) if m.lastindex]
        got = [(i, m.span(), m[0]) for i, m in alternatives.finditer(text)]
        assert got == want, text
        used.update(i for i, _, _ in got)
    assert len(used) >= 10  # the comparison covered many of the phrases


@pytest.mark.parametrize("gate", [context._CUES, context._NEGATION], ids=["cues", "negation"])
def test_prefix_scans_match_those_of_the_cut_text(gate: FastGate) -> None:
    # temporality() reads the cues before a mention: finditer(text, 0, end) stands for finditer(text[:end])
    for text in TEXTS[:120]:
        for end in range(0, len(text) + 1, 7):
            want = [(m.span(), m.lastgroup) for m in gate.pattern.finditer(text[:end])]
            assert [(m.span(), m.lastgroup) for m in gate.finditer(text, 0, end)] == want, (text, end)


def test_the_examples_exercise_the_gates() -> None:
    # the comparison above means something only if most gates match some text and miss others
    hits = [sum(bool(g.pattern.search(t)) for t in TEXTS) for g in FACT_GATES]
    assert sum(0 < h < len(TEXTS) for h in hits) >= len(FACT_GATES) * 0.9
    assert sum(any(g.pattern.search(t) for t in TEXTS) for g in SERVICE_GATES) >= 30


@pytest.mark.parametrize(("pattern", "flags", "starts"), [
    (r"(?<![A-Za-z])(?:low(?:er)? back)(?![A-Za-z])", re.I, ("low",)),
    (r"\bPT\b|Therap", re.I, ("pt", "therap")),
    (r"L[1-5](?:-S1)?", 0, ("L",)),
    (r"(?:a|b\w)c", 0, ("a", "b")),
    (r"motor(?: strength| power)?|muscle strength", re.I, ("motor", "muscle strength")),
    (r"x?y", 0, None),  # an optional start: nothing is required
    (r"(?-i:PT)x", re.I, None),  # a group with its own flags is not looked into
])
def test_required_starts(pattern: str, flags: int, starts: tuple[str, ...] | None) -> None:
    assert required_starts(re.compile(pattern, flags)) == starts


@pytest.mark.parametrize("pattern", [r"\W+X", r"[A-Z]\S", r"\BT", r"(?P<plan>RFA)|(?P<history>HAD)"])
def test_escapes_keep_their_case_when_the_literals_are_lowered(pattern: str) -> None:
    gate = FastGate(re.compile(pattern, re.I))
    assert gate._lowered is not None
    for text in ("!!x", "a b", "Xs", "AT", "rfa had", "RFA HAD", "x-X"):
        assert [(m.span(), m.lastgroup) for m in gate.finditer(text)] == \
            [(m.span(), m.lastgroup) for m in gate.pattern.finditer(text)]


@pytest.mark.parametrize("pattern", [r"[A-z]", r"(?-i:PT)", r"\x41", r"(?P<Big>a)"])
def test_patterns_that_lower_casing_would_change_keep_their_own_search(pattern: str) -> None:
    gate = FastGate(re.compile(pattern, re.I))
    assert gate._lowered is None
    for text in ("A_b", "PT", "pt x", "AAa", "Big"):
        assert [m.span() for m in gate.finditer(text)] == [m.span() for m in gate.pattern.finditer(text)]


def test_a_topics_gates_match_when_one_of_its_patterns_does() -> None:
    from openimr.services import _vocabulary

    for topic in _vocabulary():
        singles = [re.compile(p, 0 if re.search(r"\\b[A-Z]", p) else re.I) for p in topic["patterns"]]
        for text in TEXTS:
            assert any(g.search(text) for g in topic["compiled"]) == any(p.search(text) for p in singles), text


def test_region_candidates_hold_every_region_pattern_that_matches() -> None:
    from openimr.facts.regions import candidates

    for text in TEXTS:
        matching = [(region, gate) for region, gate in FAST_PATTERNS if gate.pattern.search(text)]
        kept = candidates(text)
        assert all(entry in kept for entry in matching), text
        assert [entry for entry in FAST_PATTERNS if entry in kept] == kept  # in their order


def test_a_fact_built_by_the_fast_path_is_the_one_model_construct_builds() -> None:
    from openimr.facts.registry import _PLAIN_FACT, _construct_fact
    from openimr.model import Fact

    assert _PLAIN_FACT  # the model still has the plain fields the fast path writes
    fast = _construct_fact("finding", {"a": 1}, True, (0, 3, 9), "spasm")
    slow = Fact.model_construct(name="finding", value={"a": 1}, negated=True, span=(0, 3, 9), text="spasm",
                                modifiers=[], region=None, treatment=None)
    assert fast == slow and fast.__dict__ == slow.__dict__ and list(fast.__dict__) == list(slow.__dict__)
    assert fast.model_fields_set == slow.model_fields_set and fast.model_dump_json() == slow.model_dump_json()
    fast.modifiers.append("negated")  # each fact has its own list
    assert _construct_fact("finding", None, False, (0, 0, 1), "x").modifiers == []


def test_the_topic_index_finds_the_topic_the_full_vocabulary_finds() -> None:
    from openimr.services import _GUIDANCE, _topic_of

    def every_topic(text: str) -> tuple[str | None, str]:
        text = _GUIDANCE.sub(" ", text)
        for entry in _vocabulary():
            if any(gate.pattern.search(text) for gate in entry["compiled"]):
                return entry["topic"], entry["family"]
        return None, "other"

    found = [_topic_of(text) for text in TEXTS]
    assert found == [every_topic(text) for text in TEXTS]
    assert len({topic for topic, _ in found}) > 20  # the texts reach many topics


def test_an_anchor_index_names_the_keys_whose_anchors_a_text_holds() -> None:
    from openimr.facts.fastmatch import AnchorIndex

    index = AnchorIndex({"knee": ("knee", "menisc"), "any": None, "back": ("lumbar", "back")})
    assert index.keys_in("torn meniscus of the left knee") == {"knee", "any"}
    assert index.keys_in("nothing here") == {"any"}
    assert AnchorIndex({"any": None}).keys_in("text") == {"any"}


def test_mentions_any_of_many_words_is_the_substring_test() -> None:
    from openimr.facts.registry import mentions_any

    words = tuple(f"word{i}" for i in range(12)) + ("straight leg",)
    for text in TEXTS + ["word11 here", "a Straight Leg raise", "word1"]:
        sentence = sentences(text)[0] if text.strip() else None
        if sentence is not None:
            assert mentions_any(sentence, words) == any(w in sentence.lower for w in words), text


def test_treatments_named_finds_what_every_modality_pattern_finds() -> None:
    from openimr.facts.lexicon import DRUGS
    from openimr.facts.modifiers import _DRUG_WORD, _MEDICATION, treatments_named

    for text in TEXTS:
        every = {(m.start(), m.end(), modality) for modality, gate in modifiers._MODALITY_PATTERNS
                 for m in gate.pattern.finditer(text)}
        every |= {(m.start(), m.end(), DRUGS[m[0].lower()][1]) for m in _DRUG_WORD.finditer(text)
                  if m[0].lower() in DRUGS}
        every |= {(m.start(), m.end(), "medication") for m in _MEDICATION.finditer(text)}
        assert treatments_named(text) == sorted(every), text


def test_a_sentences_cues_are_those_every_context_rule_finds() -> None:
    rules = modifiers._rules()
    for text in TEXTS:
        every = [(category, direction, m.start(), m.end()) for gate, category, direction in rules.cues
                 for m in gate.pattern.finditer(text)]
        found = [(c.category, c.direction, c.start, c.end) for c in modifiers.SentenceContext(text).cues]
        assert found == every, text
