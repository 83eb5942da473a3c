"""The seed case (a real 2014 letter) decided end to end as its reviewer decided it, for the guideline's reasons."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from openimr.cli import main
from openimr.decide import decide_case
from openimr.intake import load_case
from openimr.model import Determination

EXPECTED = {
    # item id: (outcome, guideline family words, pages of the first citation)
    "1": ("Overturned", "Chronic Pain", "58-60"),
    "2": ("Upheld", "Chronic Pain", "98-99"),
    "3": ("Upheld", "Low Back", "300"),
    "4": ("Upheld", "Chronic Pain", "121"),
    "5": ("Upheld", "Chronic Pain", "60"),
}


@pytest.fixture(scope="module")
def determination() -> Determination:
    return decide_case(load_case(Path(__file__).resolve().parents[1] / "examples" / "seed-case.yaml"))


@pytest.mark.parametrize("item_id", sorted(EXPECTED))
def test_outcome_and_citation(determination: Determination, item_id: str) -> None:
    outcome, family, pages = EXPECTED[item_id]
    d = next(x for x in determination.decisions if x.id == item_id)
    assert d.outcome == outcome
    assert d.medically_necessary is (outcome == "Overturned")
    assert family in d.citations[0].guideline
    assert d.citations[0].pages == pages
    assert d.citations[0].mtus is True
    assert d.rationale.endswith("is medically necessary." if outcome == "Overturned" else "is not medically necessary.")


def test_traction_also_cites_odg(determination: Determination) -> None:
    traction = next(x for x in determination.decisions if x.id == "3")
    assert any(not c.mtus and "ODG" in c.guideline for c in traction.citations[1:])


def test_rationales_use_the_facts_found(determination: Determination) -> None:
    by_id = {d.id: d for d in determination.decisions}
    chiro, pt, massage = by_id["1"], by_id["2"], by_id["5"]
    # chiropractic: no chiropractic before, so a trial; the evidence quotes the record
    assert any("chiropractic" in e for c in chiro.criteria for e in c.evidence)
    assert "initial trial" in chiro.rationale
    # physical therapy: 18 visits already, 8 more exceed the limit
    limit = next(c for c in pt.criteria if c.id == "within-visit-limit")
    assert limit.status == "unmet"
    assert any("18 sessions of physical therapy" in e for e in limit.evidence)
    assert "18" in pt.rationale and "26" in pt.rationale
    # massage: 8 requested against 4-6
    assert "8 visits requested exceed the 4 to 6 visits" in massage.rationale


def test_every_criterion_has_a_status(determination: Determination) -> None:
    for d in determination.decisions:
        # a service the guideline does not recommend is denied by the guideline itself, with no criteria
        assert d.criteria or "does not recommend this service" in d.rationale, d.item
        assert all(c.status in {"met", "unmet", "not_documented"} for c in d.criteria)


def test_every_met_criterion_quotes_the_record(determination: Determination, seed_case_path: Path) -> None:
    from openimr.intake import load_case

    case = load_case(seed_case_path)
    for d in determination.decisions:
        for c in d.criteria:
            assert c.status != "met" or c.sources, (d.item, c.id)
            for s in c.sources:
                assert (case.documents[s.document].text or "")[s.start:s.end] == s.text


def test_decide_cli_prints_determination_v1(capsys: pytest.CaptureFixture[str], seed_case_path: Path) -> None:
    assert main(["decide", str(seed_case_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["case_number"]
    assert [d["outcome"] for d in data["decisions"]] == ["Overturned", "Upheld", "Upheld", "Upheld", "Upheld"]
    first = data["decisions"][0]
    assert set(first) >= {"id", "item", "outcome", "medically_necessary", "citations", "criteria", "rationale"}
    assert set(first["citations"][0]) >= {"guideline", "edition", "section", "pages", "mtus"}
    assert set(first["criteria"][0]) == {"id", "status", "evidence", "sources"}
    assert {"confidence", "disposition", "refer_reason"} <= set(first)


def test_letter_has_the_seed_sections(capsys: pytest.CaptureFixture[str], seed_case_path: Path) -> None:
    assert main(["letter", str(seed_case_path)]) == 0
    text = capsys.readouterr().out
    for heading in ("HOW THE IMR FINAL DETERMINATION WAS MADE", "CLINICAL CASE SUMMARY",
                    "IMR ISSUES, DECISIONS AND RATIONALES", "No expert reviewer has been assigned"):
        assert heading in text
    assert "Chiropractic therapy, lumbosacral spine QTY: 8.00: Overturned" in text
    assert "Massage, lumbosacral spine QTY: 8.00: Upheld" in text
    assert text.count("Claims Administrator guideline:") == 5
    assert text.count("Decision rationale:") == 5
    assert "Page(s): 58-60" in text


def test_each_criterion_quotes_its_own_evidence(determination: Determination) -> None:
    # both chiropractic criteria rest on the record of no chiropractic care so far; each quotes it
    chiro = next(d for d in determination.decisions if d.id == "1")
    by_id = {c.id: c for c in chiro.criteria}
    for criterion in ("trial-or-documented-improvement", "within-visit-limit"):
        assert any("chiropractic" in e for e in by_id[criterion].evidence), criterion
