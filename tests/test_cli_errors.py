"""Inputs that used to end in a traceback end in one line naming the problem, exit status 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from openimr.cli import main
from tests.test_intake import run_cli

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "seed-case.yaml"


def assert_one_line(code: int, err: str, *words: str) -> None:
    assert code == 2, err
    assert err.startswith("openimr: error: ") and err.count("\n") == 1 and "Traceback" not in err, err
    for word in words:
        assert word in err, err


@pytest.mark.parametrize(("name", "text"), [
    ("deep.json", "[" * 100_000 + "]" * 100_000),
    ("deep-object.json", '{"a":' * 5000 + "1" + "}" * 5000),
    ("deep.yaml", "requests: " + "[" * 5000 + "]" * 5000),
])
def test_deeply_nested_case_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str) -> None:
    (tmp_path / name).write_text(text)
    assert_one_line(*run_cli(["decide", str(tmp_path / name)], capsys)[::2], "nested too deeply")


def test_deeply_nested_jsonl_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "deep.jsonl").write_text("[" * 100_000 + "]" * 100_000 + "\n")
    code, _, err = run_cli(["decide", "--jsonl", str(tmp_path / "deep.jsonl")], capsys)
    assert code != 0 and "nested too deeply" in err and "Traceback" not in err


@pytest.mark.parametrize("name", ["reviewers.csv", "reviewers.json"])
def test_registry_that_is_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    (tmp_path / name).write_bytes(b"id,name\n\xff\xfe,x\n")
    db = str(tmp_path / "service.db")
    assert_one_line(*run_cli(["reviewers", "import", str(tmp_path / name), "--db", db], capsys)[::2], "not UTF-8")
    code, _, err = run_cli(["reviewers", "assign", str(SEED), "--registry", str(tmp_path / name)], capsys)
    assert_one_line(code, err, "not UTF-8")


def test_deeply_nested_registry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "r.json").write_text("[" * 100_000 + "]" * 100_000)
    code, _, err = run_cli(["reviewers", "assign", str(SEED), "--registry", str(tmp_path / "r.json")], capsys)
    assert_one_line(code, err, "nested too deeply")


def test_registry_csv_the_csv_module_cannot_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "r.csv").write_text("id,name\n1," + "x" * 200_000 + "\n")  # beyond csv's field size limit
    code, _, err = run_cli(["reviewers", "assign", str(SEED), "--registry", str(tmp_path / "r.csv")], capsys)
    assert_one_line(code, err, "r.csv")


@pytest.mark.parametrize("url", ["mysql://u@localhost/db", "oracle://u@localhost/db", "nosuchdb://x",
                                 "postgresql+asyncpg://u@localhost/db"])
def test_database_url_whose_driver_is_not_installed(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    for command in (["users", "list"], ["cases", "list"], ["reviewers", "export"]):
        assert_one_line(*run_cli([*command, "--db", url], capsys)[::2], "cannot open the database")


@pytest.mark.parametrize("port", ["99999", "-1"])
def test_serve_on_a_port_that_cannot_exist(port: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["serve", "--port", port, "--db", str(tmp_path / "s.db")])
    assert_one_line(code, capsys.readouterr().err, "--port")


@pytest.mark.parametrize("chart", ["rates.xyz", "rates"])
def test_a_chart_name_without_a_known_format(tmp_path: Path, capsys: pytest.CaptureFixture[str], chart: str) -> None:
    from tests.corpus_shared import FIXTURES

    db = tmp_path / "c.db"
    assert main(["corpus", "ingest", str(FIXTURES), "--db", str(db), "--jobs", "1"]) == 0
    capsys.readouterr()
    code = main(["corpus", "stats", "--db", str(db), "--chart", str(tmp_path / chart)])
    assert_one_line(code, capsys.readouterr().err, "a chart file ends in")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.db"]  # no rates.png written on the quiet


@pytest.mark.parametrize("command", [["corpus", "parse"], ["corpus", "evaluate"], ["corpus", "ingest", "--db", "x.db"]])
@pytest.mark.parametrize("jobs", ["0", "-2", "many"])
def test_jobs_must_be_at_least_one(command: list[str], jobs: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([*command, "--jobs", jobs, str(ROOT / "examples")])
    assert exit_.value.code == 2 and "at least 1" in capsys.readouterr().err
