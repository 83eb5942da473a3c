"""Ingest (idempotent, streaming), stats and chart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from openimr.cli import main
from openimr.corpus.guideline_ref import primary
from openimr.corpus.layouts import parse_text
from openimr.corpus.stats import compute
from openimr.corpus.store import Store
from tests.corpus_shared import DEV, FIXTURES, needs_dev


def _fixture_records() -> list:
    return [parse_text(p.read_text(encoding="utf-8")) for p in sorted(FIXTURES.glob("*.txt"))]


def test_ingest_is_idempotent_and_stats_count(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    for _ in range(2):
        with Store.open(db) as store:
            for record in _fixture_records():
                store.add(record)
    with Store.open(db, must_exist=True) as store:
        assert store.counts() == (3, 6)
        tables = {t.title: t for t in compute(store)}
    total = tables["All items"].rows[0]
    assert (total.items, total.overturned) == (6, 3)
    years = {r.key: (r.items, r.overturned) for r in tables["Decision year"].rows}
    assert years == {"2013": (2, 1), "2014": (4, 2)}
    families = {r.key: r.items for r in tables["Treatment family"].rows}
    assert sum(families.values()) == 6
    specialties = {r.key for r in tables["Reviewer specialty"].rows}
    assert {"Anesthesiology", "Pain Medicine", "Orthopedic Surgery"} <= specialties


def test_stats_draws_a_chart(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, chart = tmp_path / "c.db", tmp_path / "rates.png"
    assert main(["corpus", "ingest", str(FIXTURES), "--db", str(db), "--jobs", "1"]) == 0
    assert main(["corpus", "stats", "--db", str(db), "--chart", str(chart)]) == 0
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    out = capsys.readouterr().out
    assert "Treatment family" in out and "Reviewer guideline family" in out and "Decision year" in out


def test_bad_db_paths_are_input_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["corpus", "stats", "--db", str(tmp_path / "absent.db")]) == 2
    assert main(["corpus", "ingest", str(FIXTURES), "--db", str(tmp_path / "no" / "dir" / "c.db")]) == 2
    (tmp_path / "junk.db").write_text("not sqlite " * 100)
    assert main(["corpus", "stats", "--db", str(tmp_path / "junk.db")]) == 2
    assert "error" in capsys.readouterr().err


@needs_dev
def test_dev_letters_ingested_twice(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    records = tmp_path / "r.jsonl"
    assert main(["corpus", "parse", str(DEV), "--out", str(records)]) == 0
    assert main(["corpus", "ingest", str(DEV), "--db", db]) == 0
    assert main(["corpus", "ingest", str(records), "--db", db]) == 0  # the same letters, as records
    with Store.open(db, must_exist=True) as store:
        assert store.counts() == (103, 220)


def test_guideline_family_and_section() -> None:
    ref = primary("Decision based on MTUS Shoulder Complaints 2004, Section(s): Special Studies.")
    assert (ref.family, ref.section, ref.mtus) == ("Shoulder", "special studies", True)
    ref = primary("Decision based on MTUS Chronic Pain Treatment Guidelines manual therapy and treatments Page(s): 58, 89.")
    assert (ref.family, ref.section) == ("Chronic Pain", "manual therapy and treatments")
    ref = primary("The Expert Reviewer based their decision on recommendation(s) outside of the MTUS Guidelines. "
                  "Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Shoulder, MRI.")
    assert (ref.family, ref.section, ref.mtus) == ("ODG", "mri", False)
    assert primary("The Expert Reviewer did not cite any medical evidence for its decision.").family == "none"
    ref = primary("Decision based on MTUS Low Back Complaints 2004, Section(s): Special Studies, Summary.")
    assert {"special studies", "summary"} <= ref.section_names()


def test_a_records_line_that_is_not_utf8_fails_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _fixture_records()[0].to_json().encode("utf-8")
    bad = tmp_path / "records.jsonl"
    bad.write_bytes(b'{"case_number": "\xff\xfe"}\n' + good + b"\n")
    assert main(["corpus", "ingest", str(bad), "--db", str(tmp_path / "c.db")]) == 1  # as a bad letter: goes on
    err = capsys.readouterr().err
    assert "records.jsonl:1: not a letter record (not UTF-8 text)" in err and "Traceback" not in err
    with Store.open(str(tmp_path / "c.db"), must_exist=True) as store:
        assert store.counts()[0] == 1


@pytest.mark.parametrize(("record", "says"), [
    ({"layout": "x", "case_number": ["CM1"]}, "'case_number' must be text"),
    ({"layout": "x", "case_number": "CM1", "specialty": "Surgery"}, "'specialty' must be a list of text"),
    ({"layout": "x", "case_number": "CM1", "items": [{"item": "MRI", "decision": "Maybe"}]}, "items.0.decision"),
    ({"layout": "x", "case_number": "CM1", "items": [{"item": "MRI", "decision": "Upheld"}, {"item": 7}]},
     "items.1.item"),
    ({"case_number": "CM1"}, "'layout' must be text"),
    ([1, 2], "a JSON object"),
])
def test_a_malformed_record_is_refused_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str], record: object,
                                             says: str) -> None:
    file = tmp_path / "records.jsonl"
    file.write_text(json.dumps(record) + "\n")
    assert main(["corpus", "ingest", str(file), "--db", str(tmp_path / "c.db")]) == 1
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err
    with Store.open(str(tmp_path / "c.db"), must_exist=True) as store:
        assert store.counts() == (0, 0)  # nothing of it stored, not even the letter row


def test_odd_but_valid_records_are_stored(tmp_path: Path) -> None:
    file = tmp_path / "records.jsonl"
    file.write_text(json.dumps({"layout": "x", "decision_date": ":", "items": [{"item": "MRI", "decision": "Upheld"}]}))
    assert main(["corpus", "ingest", str(file), "--db", str(tmp_path / "c.db")]) == 0
    with Store.open(str(tmp_path / "c.db"), must_exist=True) as store:
        assert store.counts() == (1, 1) and store.query("SELECT year FROM letters") == [(None,)]


def test_a_letter_that_fails_half_way_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    record = _fixture_records()[0]
    assert len(record.items) >= 2
    calls = []

    def breaks_on_second(text: str) -> object:
        calls.append(text)
        if len(calls) == 2:
            raise RuntimeError("boom")
        return real(text)

    from openimr import services
    real = services.normalize
    monkeypatch.setattr(services, "normalize", breaks_on_second)
    with Store.open(str(tmp_path / "c.db")) as store:
        with pytest.raises(RuntimeError):
            store.add(record)
        assert store.counts() == (0, 0)
