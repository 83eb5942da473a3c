from __future__ import annotations

import pytest

from openimr.errors import InputError
from openimr.intake import case_from_mapping
from openimr.model import Parties
from openimr.review.assignment import assign
from openimr.review.conflicts import case_parties, conflicts, match
from openimr.review.eligibility import eligibility_problems
from openimr.review.registry import Reviewer
from openimr.review.specialty import CaseNeeds, case_needs, specialty_fit
from tests.review_fixtures import case, reviewers


def _reviewers() -> list[Reviewer]:
    return [Reviewer.model_validate(r) for r in reviewers()]


def _by_id(rid: str) -> Reviewer:
    return next(r for r in _reviewers() if r.id == rid)


def test_eligibility_rules_each_give_a_reason() -> None:
    assert eligibility_problems(_by_id("r-pmr")) == []
    assert eligibility_problems(_by_id("r-occ")) == []  # "CA" is California
    [new] = eligibility_problems(_by_id("r-new"))
    assert new.rule == "experience" and "more than 5" in new.reason  # exactly five years is not enough
    [part] = eligibility_problems(_by_id("r-part"))
    assert part.rule == "hours" and "20 clinical hours" in part.reason
    [tx] = eligibility_problems(_by_id("r-tx"))
    assert tx.rule == "licence" and "Texas" in tx.reason


def test_twenty_four_hours_is_enough_and_capacity_counts() -> None:
    r = _by_id("r-pmr").model_copy(update={"weekly_clinical_hours": 24})
    assert eligibility_problems(r) == []
    [full] = eligibility_problems(r, open_cases=5)
    assert full.rule == "capacity"
    [away] = eligibility_problems(r.model_copy(update={"available": False}))
    assert away.rule == "availability"


def test_conflict_screen_exact_and_fuzzy_with_reasons() -> None:
    parties = case_parties(case_from_mapping(case()).parties)
    [exact] = conflicts(_by_id("r-ortho"), parties)
    assert "exact match" in exact.reason and "employer" in exact.reason
    [fuzzy] = conflicts(_by_id("r-occ"), parties)
    assert "fuzzy match" in fuzzy.reason and "claims administrator" in fuzzy.reason
    assert conflicts(_by_id("r-pmr"), parties) == []


def test_name_matching_is_not_too_loose() -> None:
    assert match("Acme Insurance Co.", "ACME INSURANCE COMPANY") == ("exact", 100.0)
    found = match("Kaiser Permanente Medical Grp", "Kaiser Permanente Medical Group")
    assert found is not None and found[0] in {"exact", "fuzzy"}
    assert match("Acme Logistics", "Apex Staffing") is None
    assert match("State Compensation Insurance Fund", "Zenith Insurance") is None


def test_reviewer_who_is_a_provider_on_the_case_is_excluded() -> None:
    treater = _by_id("r-pmr").model_copy(update={"name": "Riley Treater"})
    parties = case_parties(Parties(providers=["Riley Treater, MD"]))
    [c] = conflicts(treater, parties)
    assert "own name" in c.reason and "provider" in c.reason


def test_extra_party_roles_are_screened_too() -> None:
    r = Reviewer.model_validate(reviewers()[0] | {"affiliations": [{"kind": "manufacturer", "name": "Zap Devices LLC"}]})
    parties = case_parties(Parties.model_validate({"manufacturer": "Zap Devices"}))
    [c] = conflicts(r, parties)
    assert "manufacturer" in c.reason


def test_specialty_fit_same_beats_similar() -> None:
    needs = case_needs(case_from_mapping(case()))
    assert needs.families == ["chiropractic", "physical_medicine"] and "spine" in needs.conditions
    pmr = specialty_fit(["PM&R"], needs)
    chiro = specialty_fit(["Chiropractic"], needs)
    psych = specialty_fit(["Psychiatry"], needs)
    assert pmr.score > chiro.score > psych.score == 0
    assert any("same specialty (physical medicine & rehabilitation)" in r for r in pmr.reasons)
    assert any("similar specialty" in r for r in chiro.reasons)


def test_specialty_fit_for_other_families() -> None:
    assert specialty_fit(["Neurology"], CaseNeeds(["electrodiagnostics"])).score == 2
    assert specialty_fit(["Orthopaedic Surgery"], CaseNeeds(["surgery"])).score == 2
    assert specialty_fit(["Family Practice"], CaseNeeds(["medication"])).score == 1


def test_assignment_picks_fit_and_explains_exclusions() -> None:
    result = assign(case_from_mapping(case()), _reviewers())
    assert result.chosen is not None and result.chosen.id == "r-pmr"
    reasons = {e.reviewer_id: e.rule for e in result.excluded}
    assert reasons == {"r-ortho": "conflict", "r-occ": "conflict", "r-new": "experience", "r-part": "hours",
                       "r-tx": "licence"}
    text = result.explain()
    assert "Chosen: r-pmr" in text and "excluded r-ortho: conflict" in text and "fuzzy match" in text


def test_load_breaks_ties_and_full_reviewers_are_skipped() -> None:
    twin = _by_id("r-pmr").model_copy(update={"id": "r-pmr2", "name": "Drew Twin"})
    result = assign(case_from_mapping(case()), _reviewers() + [twin], {"r-pmr": 3, "r-pmr2": 1})
    assert result.chosen is not None and result.chosen.id == "r-pmr2"
    result = assign(case_from_mapping(case()), _reviewers(), {"r-pmr": 5})
    assert result.chosen is not None and result.chosen.id == "r-chiro"
    assert any(e.reviewer_id == "r-pmr" and e.rule == "capacity" for e in result.excluded)


def test_override_needs_reason_and_cannot_bypass_conflicts() -> None:
    c = case_from_mapping(case())
    with pytest.raises(InputError, match="needs a reason"):
        assign(c, _reviewers(), override="r-chiro")
    with pytest.raises(InputError, match="cannot take this case.*exact match"):
        assign(c, _reviewers(), override="r-ortho", override_reason="urgent")
    with pytest.raises(InputError, match="unknown reviewer"):
        assign(c, _reviewers(), override="nobody", override_reason="urgent")
    result = assign(c, _reviewers(), override="r-chiro", override_reason="PM&R reviewers on leave")
    assert result.chosen is not None and result.chosen.id == "r-chiro"
    assert "manual override (PM&R reviewers on leave)" in result.explain()


def test_nobody_eligible_is_reported() -> None:
    only_bad = [r for r in _reviewers() if r.id in {"r-new", "r-tx"}]
    result = assign(case_from_mapping(case()), only_bad)
    assert result.chosen is None and "Chosen: nobody" in result.explain()


def test_fitting_specialty_for_a_letter_without_an_assigned_reviewer() -> None:
    from openimr.review.specialty import fitting_specialty

    assert fitting_specialty(["surgery"]) == "Orthopedic Surgery"
    # the specialty that is "same" for both families wins over each family's own first choice
    assert fitting_specialty(["physical_medicine", "chiropractic"]) == "Physical Medicine & Rehabilitation"
    assert fitting_specialty(["no-such-family"]) is None
