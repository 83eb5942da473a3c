"""Clinical findings are facts: each mention keeps its span and what its sentence says around it (ConText).

A finding counts for a criterion only when it is asserted: not denied, questioned, asked for, planned or
under review, and, for a fracture or dislocation, in the region requested.
"""

from __future__ import annotations

from openimr.decide.context import CriterionContext, same_region
from openimr.facts import FactSet, extract_text_facts
from openimr.facts.modifiers import SentenceContext
from openimr.facts.recognizers.concepts import compile_pattern, concepts, counts
from openimr.guidelines import load_knowledge_base
from openimr.model import Service


def findings(text: str, concept: str) -> list:
    return [f for f in extract_text_facts(text) if f.name == "finding" and f.value == concept]


def documented(concept: str, text: str, region: str | None = None) -> bool:
    spec = concepts()[concept]
    return any(counts(f, spec, region, same_region) for f in findings(text, concept))


def test_every_finding_keeps_its_exact_span() -> None:
    text = "She has muscle spasm in the lumbar paraspinals.\nThere is no muscle spasm of the neck."
    for f in findings(text, "muscle_spasm"):
        doc, start, end = f.span
        assert text[start:end] == f.text == "muscle spasm"


def test_denied_questioned_and_required_mentions_are_not_findings() -> None:
    assert not documented("fracture", "X-rays were negative for fracture.")
    assert not documented("fracture", "MRI to rule out fracture of the wrist.", "wrist")
    assert documented("fracture", "X-rays of the left wrist showed a fracture.", "wrist")
    assert not documented("failed_conservative_care", "Surgery requires failed conservative treatment first.")


def test_a_fracture_belongs_to_the_region_its_clause_names() -> None:
    text = "She sustained a fracture of the right thumb."
    assert documented("fracture", text, "hand")
    assert not documented("fracture", text, "shoulder")


def test_a_healed_fracture_is_not_a_current_one() -> None:
    assert not documented("fracture", "She had a fracture of the ankle in 2010 which has healed.", "ankle")


def test_someone_elses_condition_is_not_the_patients() -> None:
    assert not documented("comorbidity", "Family history of diabetes.")
    assert documented("comorbidity", "She has diabetes and hypertension.")


def test_a_herniated_disc_is_not_an_uncertain_hernia() -> None:
    assert not documented("hernia_uncertain", "MRI of the lumbar spine to rule out herniated nucleus pulposus.")
    assert documented("hernia_uncertain", "Ultrasound ordered to rule out inguinal hernia.")


def test_a_neurologic_consultation_is_not_a_urologic_work_up() -> None:
    assert not documented("ed_workup", "A neurologic consultation was requested.")
    assert documented("ed_workup", "He was seen for a urology consultation; testosterone level was low.")


def test_not_a_surgical_candidate_is_read_as_stated() -> None:
    text = "The spine surgeon found that he is not a surgical candidate."
    assert documented("not_surgical_candidate", text)
    assert not documented("surgery_considered", text)


def test_findings_ignore_case_but_acronyms_keep_theirs() -> None:
    pattern = compile_pattern(r"ulcer|\bGERD\b")
    assert pattern.search("Ulcer disease") and pattern.search("history of GERD")
    assert not pattern.search("the gerd of the matter")


def test_context_scope_ends_at_a_terminator() -> None:
    ctx = SentenceContext("No fever, but she has muscle spasm.")
    spasm = ctx.text.index("muscle spasm")
    assert "negated" not in ctx.modifiers(spasm, spasm + len("muscle spasm"))
    assert "negated" in ctx.modifiers(3, 8)


def test_improvement_is_credited_only_to_the_treatment_it_names() -> None:
    text = "She reports functional improvement with physical therapy. Norco 10/325 mg twice a day."
    facts = FactSet(facts=extract_text_facts(text))
    kb = load_knowledge_base()
    rule = next(r for r in kb.rules if r.id == "opioids-chronic-2016")
    opioid = CriterionContext(Service(raw="Norco", family="medication", drug="hydrocodone/acetaminophen",
                                      drug_class="opioid"), facts, rule)
    therapy = CriterionContext(Service(raw="PT", family="physical_medicine", topic="physical_therapy"), facts, rule)
    assert opioid.improved_with() is None
    assert therapy.improved_with() is True


def test_improvement_the_records_only_ask_for_is_not_improvement_shown() -> None:
    facts = FactSet(facts=extract_text_facts("Functional improvement with acupuncture is required for more visits."))
    kb = load_knowledge_base()
    ctx = CriterionContext(Service(raw="acupuncture x6", topic="acupuncture", family="acupuncture"), facts, kb.rules[0])
    assert ctx.improved_with() is None


def test_certified_sessions_are_not_sessions_given() -> None:
    facts = FactSet(facts=extract_text_facts("6 sessions of physical therapy were certified by utilization review."))
    assert facts.prior("physical therapy") is None


def test_a_patients_age_is_not_a_history() -> None:
    (fact,) = findings("The patient is a 57-year-old male with a fracture of the left ankle.", "fracture")
    assert "historical" not in fact.modifiers
    (old,) = findings("She has an old fracture of the ankle.", "fracture")
    assert "historical" in old.modifiers


def test_the_femoral_neck_is_the_hip_not_the_neck() -> None:
    (fact,) = findings("X-ray showed a fracture of the femoral neck.", "fracture")
    assert fact.region == "hip"
    assert not documented("fracture", "X-ray showed a fracture of the femoral neck.", "cervical")
