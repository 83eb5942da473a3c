"""Nerve tests, red flags, work status and planned surgery as summaries write them
(synthetic sentences)."""

from __future__ import annotations

from openimr.facts import extract_text_facts


def _named(text: str, name: str) -> list[tuple[object, bool]]:
    return [(f.value, f.negated) for f in extract_text_facts(text) if f.name == name]


def _exam(text: str) -> set[tuple[str, str]]:
    return {(v["test"], v["result"]) for v, _ in _named(text, "exam_finding")}  # type: ignore[index]


def test_motor_and_sensory_written_together() -> None:
    assert _exam("On examination motor and sensory function were intact.") >= {
        ("motor strength", "normal"), ("sensation", "normal")}


def test_a_denial_covers_the_abnormal_word() -> None:
    found = _exam("There was no sensory deficit, motor weakness or reflex asymmetry in the legs.")
    assert found >= {("sensation", "normal"), ("motor strength", "normal"), ("reflexes", "normal")}
    assert not any(result == "abnormal" for _, result in found)


def test_reflex_grades() -> None:
    assert ("reflexes", "normal") in _exam("Motor strength is 4 out of 5, reflexes are 2+ at the knees.")
    assert ("reflexes", "abnormal") in _exam("Deep tendon reflexes were 1+ at the ankles.")


def test_complaints_and_other_reflexes_are_not_nerve_tests() -> None:
    assert not _exam("She reported a burning sensation in the neck after a motor vehicle accident.")
    assert ("reflexes", "normal") not in _exam("Pupils were equally reactive to light and accommodation reflex.")


def test_red_flags_denied_after_the_mention() -> None:
    assert ("red flags", True) in _named("X-rays were denied as red flags were not noted.", "red_flag")
    assert ("fracture", True) in _named("The x-ray revealed no fracture.", "red_flag")


def test_the_first_work_status_written_wins() -> None:
    found = _named("He is currently not working but able to return to work with restrictions.", "work_status")
    assert [v for v, _ in found] == ["not working"]
    assert not _named("Past treatment included medications and work restrictions.", "work_status")


def test_scheduling_a_repair_is_planned_surgery() -> None:
    found = _named("The treatment plan included scheduling laparoscopic umbilical hernia repair.", "surgery")
    assert [v["status"] for v, _ in found] == ["planned"]  # type: ignore[index]


def test_a_patients_report_of_easier_movement_is_not_documented_functional_improvement() -> None:
    # the guideline asks for functional improvement documented by the provider; a report that a drug
    # "helped mobility" stays unread rather than counted as that documentation
    assert not _named("The patient reported that the pain medications helped her mobility.",
                      "functional_improvement")
