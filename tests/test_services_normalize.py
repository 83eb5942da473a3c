"""Request normalization: words of a disputed item to topic, region, quantity, drug, and modifications."""

from __future__ import annotations

import pytest

from openimr.services import find_drug, find_drugs, normalize


@pytest.mark.parametrize("text, topic", [
    ("Adjunctive physiotherapy, lumbosacral spine QTY: 8.00", "physical_therapy"),
    ("physical exam 2 times 8", "physical_therapy"),
    ("Chirophysio 2x3 lumbar", "chiropractic"),
    ("Four sessions of manual therapy two times a week times 2 weeks", "chiropractic"),
    ("Spinolator therapy (traction) times 6", "traction"),
    ("MR Arthrogram of the right shoulder", "mri"),
    ("NCS/EMG RUE", "emg_ncs"),
    ("Right L4 transforaminal epidural steroid injection under fluoroscopic guidance", "epidural_injection"),
    ("Consult with hip replacement specialist to evaluate for a total hip arthroplasty", "specialist_referral"),
    ("Right shoulder arthroscopy RCR (rotator cuff repair) and decompression", "surgery"),
    ("Sit-stand workstation", "workstation"),
    ("Ketoprofen 20% in cream base 240g", "topical_analgesic"),
    ("Tabradol (unknown quantity)", "compound_drug"),
    # a transdermal patch of a systemic drug is that drug; topical agents stay topical
    ("Butrans patch 10mcg", "opioid"),
    ("Duragesic 25mcg/hr patch #10", "opioid"),
    ("Lidoderm patch 5% #30", "topical_analgesic"),
    ("Flurbiprofen 20% cream 120g", "topical_analgesic"),
    # image guidance belongs to the procedure it guides
    ("Ultrasound guided injection right shoulder", "joint_injection"),
    ("CT-guided SI joint injection", "sacroiliac_injection"),
    ("Ultrasound of the right shoulder", "ultrasound"),
    ("Hot and cold packs", "hot_cold_packs"),
    ("Spinal cord stimulator trial", "spinal_cord_stimulator"),
    ("Left stellate ganglion block", "sympathetic_block"),
    ("Lumbar sympathetic block", "sympathetic_block"),
    ("Work hardening 10 sessions", "work_conditioning"),
    ("Weight loss program", "weight_loss_program"),
    ("Polysomnography", "sleep_study"),
    ("Vitamin D 50,000 IU", "dietary_supplement"),
    ("Sentradine #60", "medical_food"),
])
def test_topic(text: str, topic: str) -> None:
    assert normalize(text).topic == topic


def test_brand_drug_is_its_class_with_quantity() -> None:
    s = normalize("Norco 10/325mg #60")
    assert (s.topic, s.drug, s.drug_class, s.quantity, s.dose) == \
        ("opioid", "hydrocodone/acetaminophen", "opioid", 60, "10/325mg")
    assert find_drug("Ultram ER 100mg")["class"] == "opioid"  # type: ignore[index]
    assert find_drug("Flexeril 10mg")["class"] == "muscle_relaxant"  # type: ignore[index]
    assert find_drug("Prilosec 20mg")["class"] == "ppi"  # type: ignore[index]
    assert find_drug("Neurontin 300mg")["class"] == "anticonvulsant"  # type: ignore[index]
    assert [d["name"] for d in find_drugs("Flurbiprofen 10%, Cyclobenzaprine 3%, Gabapentin 6%")] == \
        ["flurbiprofen", "cyclobenzaprine", "gabapentin"]


@pytest.mark.parametrize("text, quantity, per_week, weeks", [
    ("Physical therapy 2x4 lumbar", 8, 2, 4),
    ("Physical therapy two times a week for six weeks", 12, 2, 6),
    ("Acupuncture 1-2 times per week for 4 weeks", 8, 2, 4),
    ("Physical therapy additional 3 visits per week for 2 weeks", 6, 3, 2),
    ("Acupuncture for the cervical spine two times a week times three weeks", 6, 2, 3),
    ("Additional physical therapy two times four visits (8)", 8, 2, 4),
    ("Eight (8) physical therapy sessions", 8, None, None),
])
def test_frequency(text: str, quantity: float, per_week: float | None, weeks: float | None) -> None:
    s = normalize(text)
    assert (s.quantity, s.frequency_per_week, s.weeks) == (quantity, per_week, weeks)


def test_rental_purchase_and_retrospective() -> None:
    rental = normalize("Associated surgical service: Vascutherm unit, 14 days rental")
    assert (rental.purchase, rental.rental_days, rental.associated_with is not None) == (False, 14, True)
    bought = normalize("Retrospective TENS unit, purchase, lumbar spine (DOS 12/29/16)")
    assert (bought.purchase, bought.retrospective, bought.region) == (True, True, "lumbar")
    assert normalize("Cold therapy for one week").rental_days == 7


def test_modified_request_keeps_the_remaining_portion_and_what_was_authorized() -> None:
    s = normalize("Acupuncture 18 sessions was the original request. Acupuncture 6 sessions was authorized by "
                  "the Claims Administrator. The remaining IMR eligible portion of the original request, "
                  "Acupuncture 12 sessions is")
    assert (s.topic, s.quantity, s.authorized_quantity, s.modified) == ("acupuncture", 12, 6, True)


@pytest.mark.parametrize("text", ["Associated surgical service: EKG", "Pre-op labs: CBC", "Post-op Norco 5/325mg #60",
                                  "Assistant surgeon", "Medical clearance"])
def test_associated_surgical_services_are_marked(text: str) -> None:
    assert normalize(text).associated_with is not None


def test_limbs_map_to_extremity_regions() -> None:
    assert normalize("EMG bilateral lower extremities").region == "lower_extremity"
    assert normalize("NCS of the left upper extremity").region == "upper_extremity"


def test_modified_request_given_in_parts() -> None:
    from openimr.model import Request

    request = Request(id="1", item="Chiropractic spinal manipulation times 6",
                      original="Chiropractic spinal manipulation times 12",
                      authorized="Chiropractic spinal manipulation times 6")
    s = normalize(request)
    assert (s.quantity, s.authorized_quantity, s.modified) == (6, 6, True)


def test_a_course_of_therapy_is_not_a_rental_but_equipment_for_a_period_is() -> None:
    from openimr.services import normalize

    therapy = normalize("Acupuncture 1-2 times per week for 4 weeks")
    assert therapy.rental_days is None and therapy.purchase is None and therapy.quantity == 8
    assert normalize("TENS unit for 30 days").rental_days == 30
    assert normalize("Cold therapy for one week").rental_days == 7
