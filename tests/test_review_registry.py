from __future__ import annotations

import json

import pytest

from openimr.errors import InputError
from openimr.review.registry import Reviewer, dump_registry, load_registry, parse_registry
from tests.review_fixtures import reviewers


def _all() -> list[Reviewer]:
    return [Reviewer.model_validate(r) for r in reviewers()]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_registry_round_trips(fmt: str) -> None:
    text = dump_registry(_all(), fmt)
    again = parse_registry(text, fmt)
    assert again == _all()
    assert again[2].affiliations[0].kind == "employer"


def test_csv_cells_hold_lists_and_affiliations(tmp_path) -> None:
    path = tmp_path / "reviewers.csv"
    path.write_text("id,name,degree,licensure_states,specialties,years_in_practice,weekly_clinical_hours,"
                    "affiliations\nx1,Ann Example,MD,California; Nevada,PM&R; Pain Management,9,30,insurer:Foo Mutual; facility:Bar Clinic\n")
    [r] = load_registry(path)
    assert r.licensure_states == ["California", "Nevada"]
    assert [a.name for a in r.affiliations] == ["Foo Mutual", "Bar Clinic"]
    assert r.available and r.is_physician


@pytest.mark.parametrize("text,fmt,message", [
    ("id,name,colour\nx,y,z\n", "csv", "unknown column 'colour'"),
    ("id,name,affiliations\nx,y,Foo\n", "csv", "kind:name"),
    (json.dumps([{"id": "a", "name": "A", "degree": "MD"}, {"id": "a", "name": "B", "degree": "DO"}]), "json", "appears twice"),
    (json.dumps([{"id": "a", "name": "A", "degree": "MD", "affiliations": [{"kind": "cousin", "name": "Z"}]}]), "json",
     "affiliations.0.kind"),
    (json.dumps([{"name": "A"}]), "json", "field 'id' is required"),
    ("{", "json", "not valid JSON"),
])
def test_bad_registry_input_names_the_problem(text: str, fmt: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_registry(text, fmt)


def test_letter_credentials_never_carry_the_name() -> None:
    creds = _all()[0].credentials()
    assert creds == {"licensure": ["California"], "specialty": ["Physical Medicine & Rehabilitation"]}
    assert "Dana" not in json.dumps(creds)


def test_a_reviewer_without_a_degree_is_refused_naming_the_row() -> None:
    """A missing degree used to default to MD, and the degree decides who may sign a denial."""
    import pytest

    from openimr.errors import InputError
    from openimr.review.registry import parse_registry

    csv_text = ("id,name,degree,licensure_states\nr-1,Ann Able,MD,California\nr-2,Bo Bare,,California\n")
    with pytest.raises(InputError, match=r"^reg.csv: line 3: field 'degree' is required but missing$"):
        parse_registry(csv_text, "csv", "reg.csv")
    json_text = '[{"id": "r-1", "name": "Ann Able", "degree": "DO"}, {"id": "r-2", "name": "Bo Bare"}]'
    with pytest.raises(InputError, match=r"^reg.json: reviewer 2: field 'degree' is required but missing$"):
        parse_registry(json_text, "json", "reg.json")
    with pytest.raises(InputError, match="reviewer 1: field 'degree' must not be empty"):
        parse_registry('[{"id": "r-1", "name": "Ann Able", "degree": "  "}]', "json", "reg.json")
