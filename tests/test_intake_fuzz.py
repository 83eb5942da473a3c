"""Any case file, however malformed, is decided or refused with one clear line: never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openimr.cli import main

scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5000), st.floats(allow_nan=False, width=32),
                    st.text(max_size=30), st.sampled_from(["2016-10-13", "13/45/2016", "standard", "expedited"]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                        st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                      max_leaves=8)
documents = st.lists(st.fixed_dictionaries({"kind": st.one_of(st.text(max_size=10), values)},
                                           optional={"text": st.one_of(st.text(max_size=200), values),
                                                     "date": values, "path": st.text(max_size=10)}), max_size=3)
requests = st.lists(st.fixed_dictionaries({"id": st.one_of(st.text(max_size=4), st.integers(0, 9), values)},
                                          optional={"item": st.one_of(st.text(max_size=60), values),
                                                    "ur_guideline": values}), max_size=4)
cases = st.fixed_dictionaries({}, optional={
    "case_number": st.one_of(st.text(max_size=12), values), "date_of_injury": values, "ur_denial_date": values,
    "priority": values, "parties": values, "documents": st.one_of(documents, values),
    "requests": st.one_of(requests, values), "extra": values})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=cases)
def test_any_case_file_is_decided_or_refused_cleanly(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     case: dict[str, Any]) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case))
    code = main(["decide", str(path)])
    out, err = capsys.readouterr()
    if code == 0:
        assert json.loads(out)["decisions"]
    else:
        assert code == 2 and err.startswith("openimr: error: ") and err.count("\n") == 1, err


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=200))
def test_any_bytes_are_refused_cleanly(tmp_path: Path, capsys: pytest.CaptureFixture[str], raw: bytes) -> None:
    path = tmp_path / "case.yaml"
    path.write_bytes(raw)
    code = main(["decide", str(path)])
    _, err = capsys.readouterr()
    assert code in (0, 2)
    if code == 2:
        assert err.startswith("openimr: error: ") and err.count("\n") == 1, err


words = st.sampled_from(["no", "not", "18", "sessions", "of", "physical", "therapy", "chiropractic", "MRI", "lumbar",
                         "12/09/2013", "10-13-16", "August", "2014", "status", "post", "surgery", "Norco", "10/325mg",
                         "#60", "x", "2x4", "positive", "negative", "straight", "leg", "raise", "denies", ".", ",",
                         "right", "knee", "pain", "6/10", "year-old", "female", "injection", "relief", "\n", "-"])
sentences = st.lists(words, max_size=60).map(" ".join)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.one_of(sentences, st.text(max_size=120)), min_size=1, max_size=3),
       items=st.lists(st.one_of(sentences, st.text(min_size=1, max_size=40)), min_size=1, max_size=4))
def test_any_record_text_and_request_wording_is_decided(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        texts: list[str], items: list[str]) -> None:
    case = {"case_number": "SYN-F", "ur_denial_date": "2016-11-01",
            "documents": [{"kind": "progress_report", "text": t} for t in texts],
            "requests": [{"id": str(i), "item": item} for i, item in enumerate(items)]}
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case))
    code = main(["decide", str(path)])
    out, err = capsys.readouterr()
    if code == 2:  # an item of only white space is refused by name
        assert "item" in err and err.count("\n") == 1
        return
    assert code == 0, err
    decisions = json.loads(out)["decisions"]
    assert [d["outcome"] in ("Upheld", "Overturned") for d in decisions] == [True] * len(items)
    assert main(["extract", str(path)]) == 0
    for fact in json.loads(capsys.readouterr().out):
        doc, start, end = fact["span"]
        assert texts[doc][start:end] == fact["text"]
