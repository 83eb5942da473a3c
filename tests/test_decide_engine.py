"""The decision engine on synthetic cases: criteria, associated services, modified requests, hierarchy."""

from __future__ import annotations

import datetime as dt
from typing import Any

from openimr.decide import decide_case
from openimr.model import Case, ItemDecision

SHOULDER_SURGERY_RECORD = (
    "The patient is a 45-year-old male injured on 01/05/2016. He has right shoulder pain and weakness. "
    "MRI of the right shoulder dated 03/01/2016 showed a full-thickness rotator cuff tear. "
    "He completed 12 sessions of physical therapy and failed conservative treatment with persistent pain. "
    "The surgeon recommends surgical intervention.")
NO_SUPPORT_RECORD = ("The patient is a 45-year-old male injured on 10/01/2016. He has right shoulder pain. "
                     "Treatment has included medications.")


def _case(text: str, items: list[str], injury: dt.date, ur: dt.date) -> Case:
    requests: list[dict[str, Any]] = [{"id": str(i + 1), "item": item} for i, item in enumerate(items)]
    return Case(case_number="SYN-1", date_of_injury=injury, ur_denial_date=ur,
                documents=[{"kind": "clinical_summary", "text": text}], requests=requests)


def _decide(text: str, items: list[str], injury: dt.date = dt.date(2016, 1, 5),
            ur: dt.date = dt.date(2016, 11, 1)) -> list[ItemDecision]:
    return decide_case(_case(text, items, injury, ur)).decisions


def test_associated_services_follow_a_surgery_that_is_not_medically_necessary() -> None:
    surgery, therapy, clearance = _decide(NO_SUPPORT_RECORD, [
        "Right shoulder arthroscopy with rotator cuff repair", "Associated surgical service: Physical therapy, times 12",
        "Pre-op medical clearance"], injury=dt.date(2016, 10, 1))
    assert surgery.outcome == "Upheld"
    assert surgery.citations[0].label() == "MTUS Shoulder Complaints 2004, Section(s): Surgical Considerations."
    for item in (therapy, clearance):
        assert item.outcome == "Upheld" and item.topic == "associated-surgical-service"
        assert "Since the surgery is not medically necessary" in item.rationale
    assert therapy.citations[0].label() == "MTUS Postsurgical Treatment 2009, Section(s): Shoulder."


def test_supported_surgery_and_its_post_operative_services() -> None:
    surgery, therapy, cold, long_cold = _decide(SHOULDER_SURGERY_RECORD, [
        "Right shoulder arthroscopy with rotator cuff repair", "Associated surgical service: Physical therapy, times 12",
        "Associated surgical service: Cold therapy for one week",
        "Associated surgical service: Cold compression therapy 30 day rental"])
    assert surgery.outcome == "Overturned", surgery.rationale
    assert therapy.outcome == "Overturned"
    assert therapy.citations[0].label() == "MTUS Postsurgical Treatment 2009, Section(s): Shoulder."
    assert cold.outcome == "Overturned" and not cold.citations[0].mtus
    assert cold.hierarchy_note and "8 CCR 9792.21.1" in cold.hierarchy_note
    assert long_cold.outcome == "Upheld"


def test_the_remaining_portion_after_a_partial_authorization_needs_the_outcome_of_the_authorized_part() -> None:
    (item,) = _decide("The patient has low back pain. No acupuncture has been tried.", [
        "Acupuncture 18 sessions was the original request. Acupuncture 6 sessions was authorized by the Claims "
        "Administrator. The remaining IMR eligible portion of the original request, Acupuncture 12 sessions is"])
    assert item.outcome == "Upheld" and item.topic == "remaining-portion-after-partial-authorization"
    assert item.criteria[0].status == "not_documented" and item.disposition == "clear"


def test_an_initial_acupuncture_trial_needs_the_records_to_say_none_was_given() -> None:
    (item,) = _decide("The patient has neck pain and is in physical therapy. She has not had acupuncture.",
                      ["Acupuncture 3 times a week for 2 weeks, neck"])
    assert item.outcome == "Overturned", item.rationale
    assert item.citations[0].guideline == "MTUS Acupuncture Treatment"
    assert item.rationale.endswith("The request is medically necessary.")
    trial = next(c for c in item.criteria if c.id == "trial-or-documented-improvement")
    assert [s.text for s in trial.sources] == ["has not had acupuncture"]
    # silence about earlier acupuncture is not "none": the trial is not documented, and the denial stands
    (silent,) = _decide("The patient has neck pain and is in physical therapy.", ["Acupuncture 3 times a week for 2 weeks, neck"])
    assert silent.outcome == "Upheld" and silent.disposition == "refer"
    assert next(c for c in silent.criteria if c.id == "trial-or-documented-improvement").status == "not_documented"


def test_not_documented_criterion_names_the_record_that_would_change_it() -> None:
    (item,) = _decide("The patient has neck pain after a fall.", ["MRI of the cervical spine"],
                      injury=dt.date(2016, 10, 1), ur=dt.date(2016, 10, 20))
    assert item.outcome == "Upheld"
    assert any(c.status == "not_documented" for c in item.criteria)
    assert "could change this decision" in item.rationale
    assert item.citations[0].label() == "MTUS Neck and Upper Back Complaints 2004, Section(s): Special Studies."


def test_where_mtus_is_silent_odg_decides_and_the_letter_says_why() -> None:
    (item,) = _decide("The patient has hip pain.", ["MRI of the right hip"])
    assert item.citations[0].label().startswith("Non-MTUS Citation Official Disability Guidelines")
    assert item.hierarchy_note and "does not address" in item.hierarchy_note


def test_opioid_citation_follows_the_date() -> None:
    text = "The patient has chronic low back pain."
    (old,) = _decide(text, ["Tramadol 50mg #60"], injury=dt.date(2013, 1, 1), ur=dt.date(2014, 12, 1))
    (new,) = _decide(text, ["Tramadol 50mg #60"], injury=dt.date(2013, 1, 1), ur=dt.date(2016, 11, 1))
    assert old.citations[0].pages == "76-80" and old.citations[0].cite_by == "pages"
    assert new.citations[0].guideline == "MTUS Opioid Treatment"
    assert old.outcome == new.outcome == "Upheld"


def test_compounded_topical_with_an_unsupported_ingredient_is_not_medically_necessary() -> None:
    (item,) = _decide("The patient has chronic neck pain with radiculopathy.",
                      ["Flurbiprofen 10%, Cyclobenzaprine 3%, Gabapentin 6% cream 120 grams"])
    assert item.outcome == "Upheld"
    assert "cyclobenzaprine" in item.criteria[0].says and "gabapentin" in item.criteria[0].says


def test_sessions_named_in_the_request_are_not_treatment_given() -> None:
    text = ("The patient has neck pain. Treatment has included physical therapy and medications; she has not had "
            "acupuncture. The request for authorization shows that 6 sessions of acupuncture for the neck were requested.")
    (item,) = _decide(text, ["Acupuncture 3 times a week for 2 weeks, neck"])
    assert item.outcome == "Overturned", item.rationale


def test_post_surgical_guideline_only_for_a_recent_surgery_of_the_same_region() -> None:
    recent = ("The patient is a 50-year-old male injured on 01/05/2016. He is status post right knee arthroscopy "
              "on 09/20/2016. He has completed 4 sessions of physical therapy.")
    old = ("The patient is a 50-year-old male injured on 01/05/2015. He is status post right knee arthroscopy "
           "on 02/10/2015 and now has low back pain. He has completed 4 sessions of physical therapy.")
    (knee,) = _decide(recent, ["Physical therapy 2x3 right knee"])
    (back,) = _decide(recent, ["Physical therapy 2x3 lumbar spine"])
    (late,) = _decide(old, ["Physical therapy 2x3 right knee"], injury=dt.date(2015, 1, 5))
    assert knee.citations[0].guideline.startswith("MTUS Postsurgical")
    assert not back.citations[0].guideline.startswith("MTUS Postsurgical")
    assert not late.citations[0].guideline.startswith("MTUS Postsurgical")


REHAB_RECORD = ("The patient is a 70-year-old male injured on 10/01/2016 with a left ankle fracture. He underwent open "
                "reduction and internal fixation on 10/01/2016. Per the hospitalist note he is not able to transfer "
                "independently and still requires assistance; he is not safe for home yet.")


def test_inpatient_rehabilitation_needs_dependence_and_more_than_one_discipline() -> None:
    both, pt_only = _decide(REHAB_RECORD, [
        "Acute inpatient rehabilitation physical therapy and occupational therapy 7 days",
        "Acute inpatient rehabilitation physical therapy 7 days"], injury=dt.date(2016, 10, 1), ur=dt.date(2016, 10, 8))
    assert both.outcome == "Overturned", both.rationale
    assert both.topic == "inpatient-rehabilitation" and not both.citations[0].mtus
    assert pt_only.outcome == "Upheld"
    (independent,) = _decide("The patient is a 50-year-old male injured on 10/01/2016 with an ankle fracture treated "
                             "with surgery. He walks independently.",
                             ["Acute inpatient rehabilitation physical therapy and occupational therapy 7 days"],
                             injury=dt.date(2016, 10, 1), ur=dt.date(2016, 10, 8))
    assert independent.outcome == "Upheld"
    assert "functional dependence" in independent.rationale


def test_skilled_nursing_facility_is_decided_under_odg() -> None:
    (snf,) = _decide(REHAB_RECORD, ["Skilled nursing facility 7 days"], injury=dt.date(2016, 10, 1),
                     ur=dt.date(2016, 10, 8))
    assert snf.topic == "skilled-nursing-facility" and snf.outcome == "Overturned"
    assert "Skilled nursing facility" in (snf.citations[0].section or "")


def test_imaging_for_a_hernia_found_on_examination_is_not_needed() -> None:
    record = ("The patient is a 38-year-old male injured on 12/20/2016, diagnosed with a left inguinal hernia. "
              "The physician noted an inguinal hernia on examination.")
    (ct,) = _decide(record, ["CT scan of abdomen and pelvis with contrast"], injury=dt.date(2016, 12, 20),
                    ur=dt.date(2017, 1, 13))
    assert ct.topic == "imaging-hernia" and ct.outcome == "Upheld"
    assert ct.citations[0].section == "Hernia, Imaging"
    (occult,) = _decide(record.replace("noted an inguinal hernia on examination", "suspects an occult hernia"),
                        ["Ultrasound of the groin"], injury=dt.date(2016, 12, 20), ur=dt.date(2017, 1, 13))
    assert occult.topic == "imaging-hernia" and occult.outcome == "Overturned"


def test_general_labs_are_for_drug_monitoring() -> None:
    on_nsaid, none = (_decide(text, ["Labs: CBC and liver function"], injury=dt.date(2016, 1, 5))[0] for text in (
        "The patient has low back pain. He takes naproxen 550 mg twice daily.",
        "The patient has low back pain. He takes no medications."))
    assert on_nsaid.topic == "labs-monitoring" and on_nsaid.outcome == "Overturned"
    assert none.topic == "labs-monitoring" and none.outcome == "Upheld"


def test_erectile_dysfunction_drug_needs_an_evaluated_diagnosis() -> None:
    evaluated, bare = (_decide(text, ["Viagra 50mg #10"])[0] for text in (
        "The patient reports erectile dysfunction since starting opioids; testosterone was low.",
        "The patient has low back pain."))
    assert evaluated.outcome == "Overturned" and evaluated.topic == "erectile-dysfunction-drugs"
    assert bare.outcome == "Upheld" and "erectile dysfunction" in bare.rationale


def test_shoulder_ultrasound_follows_the_shoulder_chapter() -> None:
    (us,) = _decide(NO_SUPPORT_RECORD, ["Ultrasound of the right shoulder"], injury=dt.date(2016, 10, 1))
    assert us.topic == "imaging-shoulder"
    assert us.citations[0].label().startswith("MTUS Shoulder Complaints")


def test_hip_and_head_imaging_cite_the_odg_section_of_the_modality() -> None:
    record = ("The patient is a 50-year-old male injured on 01/05/2016 in a fall. He has right hip pain and a "
              "head injury. A right hip fracture is suspected.")
    hip_xray, hip_mri, skull = _decide(record, ["X-rays of the right hip", "MRI of the right hip", "X-rays of the head"])
    assert hip_xray.citations[0].section == "Hip & Pelvis, X-Ray" and hip_xray.outcome == "Overturned"
    assert hip_mri.citations[0].section == "Hip & Pelvis, MRI (magnetic resonance imaging)"
    assert skull.topic == "imaging-head-xray" and skull.outcome == "Upheld"


def test_strength_and_motion_tests_cite_their_own_odg_section() -> None:
    grip, motion = _decide(NO_SUPPORT_RECORD, ["Jamar grip test", "Range of motion test"])
    assert grip.citations[0].section == "Forearm, Wrist & Hand, Computerized muscle testing"
    assert motion.citations[0].section == "Low Back, Flexibility"
    assert grip.outcome == motion.outcome == "Upheld"


def test_emg_after_weeks_of_therapy_with_persisting_radicular_symptoms() -> None:
    # ACOEM ch. 8 p. 177-178: symptoms that persist through 3-4 weeks of conservative care, which the records
    # must state (treatment given is not yet treatment failed)
    record = ("The patient is a 55-year-old female injured on 10/12/2016. She has neck pain radiating to the hands "
              "with tingling and numbness. Examination shows a positive Spurling's sign. The symptoms persist "
              "despite medications and physical therapy.")
    (late,) = _decide(record, ["EMG/NCV of the bilateral upper extremities"], injury=dt.date(2016, 10, 12),
                      ur=dt.date(2016, 11, 8))
    (early,) = _decide(record, ["EMG/NCV of the bilateral upper extremities"], injury=dt.date(2016, 10, 12),
                       ur=dt.date(2016, 10, 20))
    assert late.outcome == "Overturned", late.rationale
    assert early.outcome == "Upheld"


def test_partial_hospitalization_needs_an_evaluation_and_severe_symptoms() -> None:
    severe = ("The patient has depression and anxiety after workplace harassment, with fleeting suicidal thoughts. "
              "A psychological evaluation was completed on 12/13/2016.")
    mild = "The patient has mild anxiety. A psychological evaluation was completed on 12/13/2016."
    denies = severe.replace("with fleeting suicidal thoughts", "and denies suicidal ideation")
    outcomes = [_decide(text, ["Partial hospitalization day treatment"])[0] for text in (severe, mild, denies)]
    assert [d.outcome for d in outcomes] == ["Overturned", "Upheld", "Upheld"]
    assert outcomes[0].topic == "psychological-intensive-care"


def test_preoperative_blood_count_for_a_procedure_with_expected_blood_loss() -> None:
    record = ("The patient is a 45-year-old male with low back pain and L4-5 instability. A lumbar fusion at L4-5 is "
              "planned.")
    cbc, urinalysis = _decide(record, ["Pre-op labs: CBC", "Pre-op urinalysis"])
    assert cbc.outcome == "Overturned", cbc.rationale
    assert urinalysis.outcome == "Upheld"
    (minor,) = _decide(record.replace("A lumbar fusion at L4-5 is", "An umbilical hernia repair is"), ["Pre-op labs: CBC"])
    assert minor.outcome == "Upheld"


def test_edition_follows_the_ur_date_the_records_state_when_the_case_gives_none() -> None:
    record = ("The patient is a 50-year-old male injured on 01/05/2014 with chronic low back pain. He has had no "
              "chiropractic care. On 12/12/2014, utilization review denied chiropractic treatment.")
    case = Case(case_number="SYN-1", documents=[{"kind": "clinical_summary", "text": record}],
                requests=[{"id": "1", "item": "Chiropractic therapy, lumbar spine x8"}])
    (decision,) = decide_case(case).decisions
    assert decision.citations[0].edition == "2009" and decision.citations[0].pages == "58-60"


LOW_BACK_RECORD = ("The patient is a 45-year-old female injured on 01/05/2016 with chronic low back pain. "
                   "She has completed 12 sessions of physical therapy. Diagnoses: lumbar strain.")


def test_benzodiazepine_needs_an_indication_and_short_term_use() -> None:
    (no_indication,) = _decide(LOW_BACK_RECORD, ["Alprazolam 0.5mg #30"])
    assert no_indication.outcome == "Upheld" and "anxiety" in no_indication.rationale
    (anxious,) = _decide(LOW_BACK_RECORD + " She reports anxiety since the injury.", ["Alprazolam 0.5mg #30"])
    assert anxious.outcome == "Overturned", anxious.rationale
    (long_term,) = _decide(LOW_BACK_RECORD + " She reports anxiety. She takes Xanax 0.5mg daily.",
                           ["Alprazolam 0.5mg #30"])
    assert long_term.outcome == "Upheld"


def test_splints_and_braces_follow_the_body_part_chapter() -> None:
    wrist, knee, neck, back = _decide(LOW_BACK_RECORD, ["Wrist splint", "Knee brace hinged", "Cervical collar",
                                                        "Lumbar back brace"])
    assert wrist.citations[0].label().startswith("MTUS Forearm, Wrist, and Hand Complaints")
    assert wrist.outcome == "Upheld"
    assert knee.citations[0].label().startswith("MTUS Knee Complaints")
    assert neck.citations[0].label().startswith("MTUS Neck and Upper Back Complaints") and neck.outcome == "Upheld"
    assert back.citations[0].label().startswith("MTUS Low Back Complaints")
    (splint,) = _decide("The patient has right wrist pain. Diagnoses: right carpal tunnel syndrome.",
                        ["Right wrist splint"])
    assert splint.outcome == "Overturned", splint.rationale


def test_spinal_cord_stimulator_trial_needs_an_indication_and_psychological_clearance() -> None:
    (bare,) = _decide(LOW_BACK_RECORD, ["Spinal cord stimulator trial"])
    assert bare.outcome == "Upheld"
    assert bare.citations[0].section and "Spinal cord stimulators" in bare.citations[0].section
    (ready,) = _decide("The patient has failed back surgery syndrome after a lumbar fusion. A psychological "
                       "evaluation cleared him for a stimulator trial.", ["Spinal cord stimulator trial"])
    assert ready.outcome == "Overturned", ready.rationale


def test_sympathetic_block_is_for_complex_regional_pain_syndrome() -> None:
    (bare,) = _decide(LOW_BACK_RECORD, ["Stellate ganglion block"])
    assert bare.outcome == "Upheld" and bare.citations[0].mtus
    (crps,) = _decide("The patient has complex regional pain syndrome of the right hand. She has completed 8 "
                      "sessions of physical therapy.", ["Right stellate ganglion block"])
    assert crps.outcome == "Overturned", crps.rationale


def test_requests_without_an_mtus_rule_are_decided_under_the_named_non_mtus_guideline() -> None:
    bone, vitamin, food, weight, sleep = _decide(LOW_BACK_RECORD, [
        "Bone scan", "Vitamin D", "Sentradine #60", "Weight loss program", "Sleep study"])
    for item in (bone, vitamin, food, weight, sleep):
        assert item.outcome == "Upheld" and item.citations and not item.citations[0].mtus
    assert food.citations[0].section == "Pain (Chronic), Medical food"
    assert sleep.citations[0].section == "Pain (Chronic), Polysomnography"
    (apnea,) = _decide(LOW_BACK_RECORD + " Her husband reports loud snoring and witnessed apneas.", ["Sleep study"])
    assert apnea.outcome == "Overturned", apnea.rationale
    (deficient,) = _decide(LOW_BACK_RECORD + " Labs showed vitamin D deficiency.", ["Vitamin D 50,000 IU"])
    assert deficient.outcome == "Overturned", deficient.rationale


def test_a_template_without_jinja_syntax_renders_as_jinja_renders_it() -> None:
    from openimr.decide.rationale import _template, render
    from openimr.guidelines import load_knowledge_base

    kb = load_knowledge_base()
    plain = [text for rule in kb.rules for c in rule.criteria
             for text in (c.says.met, c.says.unmet, c.says.not_documented) if text and "{" not in text]
    assert len(plain) > 20  # the knowledge base has many
    for text in plain + ["  two\nlines  \n", "a % b # c } d\n\n"]:
        assert render(text, {"x": 1}) == " ".join(_template(text).render(x=1).split())
