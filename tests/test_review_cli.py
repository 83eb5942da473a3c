"""`openimr users|reviewers|cases` on an SQLite file: the first admin, the registry, assignment, deadlines."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml

from openimr.cli import main
from tests.review_fixtures import case, reviewers


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    reg = tmp_path / "reviewers.json"
    reg.write_text(json.dumps(reviewers()))
    case_file = tmp_path / "case.yaml"
    case_file.write_text(yaml.safe_dump(case()))
    return {"db": tmp_path / "imr.db", "registry": reg, "case": case_file, "dir": tmp_path}


def test_first_admin_from_stdin(files: dict[str, Path], monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-enough\n"))
    assert main(["users", "add", "--db", str(files["db"]), "--role", "admin", "--password-stdin", "boss"]) == 0
    assert "user boss (admin) created" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["users", "add", "--db", str(files["db"]), "--role", "intake", "--password-stdin", "x"]) == 2
    assert "at least 8 characters" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-enough\n"))
    assert main(["users", "add", "--db", str(files["db"]), "--role", "reviewer", "--password-stdin", "r1",
                 "--reviewer-id", "r-pmr"]) == 2
    assert "unknown reviewer 'r-pmr'" in capsys.readouterr().err
    assert main(["users", "list", "--db", str(files["db"])]) == 0
    assert capsys.readouterr().out.split() == ["boss", "admin", "active"]


def test_assign_a_case_file_from_a_registry_file_explains(files: dict[str, Path],
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reviewers", "assign", str(files["case"]), "--registry", str(files["registry"])]) == 0
    out = capsys.readouterr().out
    assert "Chosen: r-pmr" in out
    assert "excluded r-ortho: conflict" in out and "excluded r-tx: licence" in out
    assert "service family chiropractic: same specialty" in out


def test_registry_import_export_and_assign_in_the_database(files: dict[str, Path],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    db = str(files["db"])
    assert main(["reviewers", "import", str(files["registry"]), "--db", db]) == 0
    assert "7 reviewer(s) added" in capsys.readouterr().out
    out_csv = files["dir"] / "out.csv"
    assert main(["reviewers", "export", "--format", "csv", "--out", str(out_csv), "--db", db]) == 0
    assert main(["reviewers", "import", str(out_csv), "--db", db]) == 0
    assert "0 reviewer(s) added, 7 updated" in capsys.readouterr().out
    assert main(["reviewers", "assign", str(files["case"]), "--db", db, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["chosen"]["id"] == "r-pmr"
    assert main(["reviewers", "assign", "NO-SUCH-CASE", "--db", db]) == 2
    assert "no case 'NO-SUCH-CASE'" in capsys.readouterr().err


def test_cases_and_deadlines_commands(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    import datetime as dt

    from openimr.db import open_database
    from openimr.db import workflow as wf

    db = open_database(str(files["db"]))
    with db.transaction() as s:
        wf.create_case(s, wf.CLI_ACTOR, case(), dt.date(2024, 3, 15))
        wf.check_eligibility(s, wf.CLI_ACTOR, "TEST-0001")
        wf.request_records(s, wf.CLI_ACTOR, "TEST-0001", dt.date(2024, 3, 16), electronic=False)
    assert main(["cases", "list", "--db", str(files["db"])]) == 0
    assert "TEST-0001\trecords_requested\tstandard\trecords due 2024-03-31" in capsys.readouterr().out
    assert main(["cases", "deadlines", "--today", "2024-03-28", "--db", str(files["db"])]) == 0
    assert capsys.readouterr().out.startswith("at_risk\tTEST-0001\trecords due 2024-03-31")
    assert main(["cases", "deadlines", "--today", "2024-04-01", "--db", str(files["db"])]) == 0
    assert capsys.readouterr().out.startswith("overdue\tTEST-0001")


def test_bad_database_urls_are_one_line(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cases", "list", "--db", str(files["dir"] / "missing" / "x.db")]) == 2
    assert "no such folder" in capsys.readouterr().err
    assert main(["cases", "list", "--db", "postgresql://nobody:x@127.0.0.1:1/none"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("openimr: error: cannot open the database") and len(err.strip().splitlines()) == 1
    assert "x@" not in err  # the password is not echoed
