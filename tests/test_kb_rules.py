"""The knowledge base loads, validates its files, covers the vocabulary, and cites by edition."""

from __future__ import annotations

import datetime as dt
import re
from importlib import resources
from pathlib import Path

import pytest
import yaml

from openimr.errors import InputError
from openimr.guidelines import load_knowledge_base
from openimr.guidelines.catalog import render_into
from openimr.guidelines.loader import load_from
from openimr.guidelines.schema import CitationRef

DATA = Path(str(resources.files("openimr").joinpath("guidelines/data")))
ROOT = Path(__file__).resolve().parents[1]

# topics the vocabulary names on purpose without a rule: no guideline addresses them as a service
UNRULED = {"analgesic", "topical"}


def test_every_rule_file_loads_and_ids_are_unique() -> None:
    kb = load_knowledge_base()
    assert len(kb.rules) >= 60
    assert len({r.id for r in kb.rules}) == len(kb.rules)


def test_every_vocabulary_and_drug_topic_has_a_rule() -> None:
    kb = load_knowledge_base()
    vocab = yaml.safe_load((DATA.parent.parent / "data" / "services.yaml").read_text())["topics"]
    drugs = yaml.safe_load((DATA.parent.parent / "data" / "drugs.yaml").read_text())["drugs"]
    topics = {t["topic"] for t in vocab} | {d.get("topic", d["class"]) for d in drugs}
    missing = sorted(t for t in topics - UNRULED if t not in kb.by_topic)
    assert missing == []


def _copy_kb(tmp_path: Path, extra: str) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "_sources.yaml").write_text((DATA / "_sources.yaml").read_text())
    (folder / "new.yaml").write_text(extra)
    return folder


def test_unknown_field_is_rejected_with_the_file_name(tmp_path: Path) -> None:
    folder = _copy_kb(tmp_path, "id: x\ntitle: X\napplies_to: {topics: [x]}\nstatus: conditional\n"
                                "citation: {guideline: cpmtg}\nsummary: s\ncolour: red\n")
    with pytest.raises(InputError, match=r"new\.yaml: rule 0: colour"):
        load_from(folder)


def test_criterion_outside_the_expression_language_is_rejected(tmp_path: Path) -> None:
    folder = _copy_kb(tmp_path, "id: x\ntitle: X\napplies_to: {topics: [x]}\nstatus: conditional\n"
                                "citation: {guideline: cpmtg}\nsummary: s\ncriteria:\n"
                                "  - {id: c, test: \"request.raw.lower() == 'x'\", says: {met: m, unmet: u}}\n")
    with pytest.raises(InputError, match="only named functions"):
        load_from(folder)


def test_unknown_guideline_is_rejected(tmp_path: Path) -> None:
    folder = _copy_kb(tmp_path, "id: x\ntitle: X\napplies_to: {topics: [x]}\nstatus: conditional\n"
                                "citation: {guideline: nowhere}\nsummary: s\n")
    with pytest.raises(InputError, match="unknown guideline 'nowhere'"):
        load_from(folder)


def test_chronic_pain_citation_follows_the_edition_in_force() -> None:
    kb = load_knowledge_base()
    ref = CitationRef(guideline="cpmtg", section="Physical medicine treatment", pages="98-99")
    old = kb.cite(ref, dt.date(2014, 12, 12))
    new = kb.cite(ref, dt.date(2016, 11, 3))
    assert old.label() == "MTUS Chronic Pain Treatment Guidelines Physical medicine treatment Page(s): 98-99."
    assert new.label() == "MTUS Chronic Pain Medical Treatment 2016, Section(s): Physical medicine treatment."


def test_body_part_chapter_is_cited_by_section_in_2016() -> None:
    kb = load_knowledge_base()
    label = kb.cite(CitationRef(guideline="acoem_shoulder", section="Special Studies"), dt.date(2016, 11, 3)).label()
    assert label == "MTUS Shoulder Complaints 2004, Section(s): Special Studies."


def test_non_mtus_citation_is_named_as_such() -> None:
    kb = load_knowledge_base()
    label = kb.cite(CitationRef(guideline="odg", section="Hip & Pelvis, MRI"), dt.date(2016, 11, 3)).label()
    assert label.startswith("Non-MTUS Citation Official Disability Guidelines")


def test_docs_table_is_current() -> None:
    doc = ROOT / "docs" / "knowledge-base.md"
    text = doc.read_text(encoding="utf-8")
    assert render_into(text, load_knowledge_base()) == text, \
        "run: python -m openimr.guidelines.catalog docs/knowledge-base.md"


def test_packaged_rules_use_only_names_the_engine_knows() -> None:
    from openimr.decide.context import rule_problems

    kb = load_knowledge_base()
    assert [(r.id, p) for r in kb.rules for p in rule_problems(r)] == []


@pytest.mark.parametrize(("test", "problem"), [
    ("visits_given('pt') < 3", "unknown name 'visits_given'"),
    ("documented('moon_phase')", "documented('moon_phase') names nothing the facts carry"),
    ("had('physical_therapy')", "had('physical_therapy') names nothing the facts carry"),
    ("request.quantity <= limit('max_visits')", "limit 'max_visits' is not among the rule's limits"),
])
def test_a_rule_the_engine_cannot_evaluate_is_refused_by_name(tmp_path: Path, test: str, problem: str) -> None:
    from openimr.decide import decide_case
    from openimr.model import Case

    folder = _copy_kb(tmp_path, "id: x\ntitle: X\napplies_to: {topics: [x]}\nstatus: conditional\n"
                                "citation: {guideline: cpmtg}\nsummary: s\ncriteria:\n"
                                f"  - {{id: c, test: \"{test}\", says: {{met: m, unmet: u}}}}\n")
    kb = load_from(folder)
    case = Case(case_number="SYN-1", requests=[{"id": "1", "item": "Massage x4"}])
    with pytest.raises(InputError, match=re.escape(f"new.yaml: rule x: criterion c: {problem}")):
        decide_case(case, kb)


def test_the_linter_refuses_escapes_that_cannot_mean_what_they_say(tmp_path: Path) -> None:
    from openimr.decide import decide_case
    from openimr.model import Case

    # "\b" inside YAML double quotes is a backspace, not a word boundary
    folder = _copy_kb(tmp_path, "id: x\ntitle: X\napplies_to: {topics: [x]}\nstatus: conditional\n"
                                "citation: {guideline: cpmtg}\nsummary: s\ncriteria:\n"
                                "  - {id: c, test: \"request_says('\\bknee')\", says: {met: m, unmet: u}}\n")
    case = Case(case_number="SYN-1", requests=[{"id": "1", "item": "Massage x4"}])
    with pytest.raises(InputError, match="control character"):
        decide_case(case, load_from(folder))


def test_pattern_arguments_must_compile_and_not_double_their_escapes() -> None:
    from openimr.decide.context import _pattern_problems

    assert _pattern_problems("c", "diagnosis", r"\bknee\b") == []
    assert "not a valid pattern" in _pattern_problems("c", "diagnosis", "knee(")[0]
    assert "doubled backslash" in _pattern_problems("c", "request_says", r"\\bROM\\b")[0]
