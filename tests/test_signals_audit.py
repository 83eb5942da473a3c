"""Text signals match the condition they name, not a longer word that begins the same way."""

from __future__ import annotations

from openimr.decide.signals import COMPILED_SIGNALS, affirmed


def documented(name: str, text: str) -> bool:
    return any(affirmed(text, m.start()) for m in COMPILED_SIGNALS[name].finditer(text))


def test_a_herniated_disc_is_not_an_uncertain_hernia() -> None:
    assert not documented("hernia_uncertain", "MRI of the lumbar spine to rule out herniated nucleus pulposus.")
    assert documented("hernia_uncertain", "Ultrasound ordered to rule out inguinal hernia.")


def test_a_neurologic_consultation_is_not_a_urologic_work_up() -> None:
    assert not documented("ed_workup", "A neurologic consultation was requested.")
    assert documented("ed_workup", "He was sent for a urology consultation.")


def test_not_a_surgical_candidate_is_read_as_stated() -> None:
    text = "The spine surgeon found that he is not a surgical candidate."
    assert documented("not_surgical_candidate", text)
    assert not documented("surgery_considered", text)
