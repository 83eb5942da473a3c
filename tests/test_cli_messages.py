"""What the commands say when a list is empty, a deadline has passed, or the registry has nobody in it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from openimr.cli import main
from openimr.commands.cases import days_text
from openimr.corpus.store import Store
from tests.review_fixtures import case, reviewers

SEED = Path(__file__).resolve().parents[1] / "examples" / "seed-case.yaml"


def test_days_left_and_overdue_read_as_words() -> None:
    assert days_text(3) == "3 day(s) left"
    assert days_text(0) == "due today"
    assert days_text(-3676) == "overdue by 3676 day(s)"


def test_deadlines_say_overdue_by(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openimr.db import open_database
    from openimr.db import workflow as wf

    db = str(tmp_path / "s.db")
    with open_database(db).transaction() as s:
        wf.create_case(s, wf.CLI_ACTOR, case(), dt.date(2024, 3, 15))
        wf.check_eligibility(s, wf.CLI_ACTOR, "TEST-0001")
        wf.request_records(s, wf.CLI_ACTOR, "TEST-0001", dt.date(2024, 3, 16), electronic=False)
    assert main(["cases", "deadlines", "--today", "2024-04-03", "--db", db]) == 0
    out = capsys.readouterr().out
    assert out == "overdue\tTEST-0001\trecords due 2024-03-31\toverdue by 3 day(s)\n"


@pytest.mark.parametrize(("argv", "says"), [
    (["cases", "list"], "no cases in the database"),
    (["cases", "list", "--state", "assigned"], "no cases in state assigned"),
    (["cases", "deadlines", "--today", "2024-04-03"], "no case is at risk or overdue on 2024-04-03"),
    (["users", "list"], "no users yet"),
    (["reviewers", "export"], "the registry is empty"),
])
def test_empty_results_say_so_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
                                        says: str) -> None:
    assert main([*argv, "--db", str(tmp_path / "s.db")]) == 0
    out, err = capsys.readouterr()
    assert says in err and err.count("\n") == 1
    assert out in ("", "[]\n")  # stdout stays machine-readable


def test_stats_of_an_empty_corpus_store_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Store.open(str(tmp_path / "c.db")):
        pass
    assert main(["corpus", "stats", "--db", str(tmp_path / "c.db")]) == 0
    assert "holds no letters yet" in capsys.readouterr().err


def test_assign_with_an_empty_registry_explains(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "none.json").write_text("[]")
    assert main(["reviewers", "assign", str(SEED), "--registry", str(tmp_path / "none.json")]) == 2
    assert "lists no reviewers" in capsys.readouterr().err
    assert main(["reviewers", "assign", str(SEED), "--db", str(tmp_path / "s.db")]) == 2
    err = capsys.readouterr().err
    assert "holds no reviewers" in err and "openimr reviewers import" in err and err.count("\n") == 1
    assert main(["reviewers", "assign", "TEST-0001", "--db", str(tmp_path / "s.db")]) == 2
    err = capsys.readouterr().err
    assert "holds no reviewers" in err and "openimr reviewers import" in err and err.count("\n") == 1


def test_assign_a_missing_case_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "r.json").write_text(json.dumps(reviewers()))
    assert main(["reviewers", "assign", str(tmp_path / "nope.yaml"), "--registry", str(tmp_path / "r.json")]) == 2
    assert "nope.yaml: no such file" in capsys.readouterr().err
