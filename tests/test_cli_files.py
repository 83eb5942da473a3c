"""Documents named by a case file are read only from inside its folder, and only when they are regular files."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from openimr.cli import main
from openimr.errors import InputError
from openimr.intake import case_from_mapping
from tests.test_intake import minimal, run_cli, write


def _case_with_document(folder: Path, path: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write(folder, minimal(documents=[{"kind": "progress_report", "path": path}]))


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file beside, not inside, the case folder: what an escaping path would reach."""
    file = tmp_path / "secret.txt"
    file.write_text("ROOT-PASSWORD-HASH", encoding="utf-8")
    return file


@pytest.mark.parametrize("given", ["../secret.txt", "records/../../secret.txt"])
def test_a_path_escaping_the_case_folder_is_refused(tmp_path: Path, secret: Path, given: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    case = _case_with_document(tmp_path / "case", given)
    (tmp_path / "case" / "records").mkdir()
    code, out, err = run_cli(["letter", str(case)], capsys)
    assert code == 2 and "outside the case file's folder" in err and err.count("\n") == 1
    assert "ROOT-PASSWORD-HASH" not in out + err


def test_an_absolute_path_is_refused(tmp_path: Path, secret: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = _case_with_document(tmp_path / "case", str(secret))
    code, out, err = run_cli(["letter", str(case)], capsys)
    assert code == 2 and "absolute path" in err and "ROOT-PASSWORD-HASH" not in out + err


def test_a_symlink_out_of_the_folder_is_refused(tmp_path: Path, secret: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = _case_with_document(tmp_path / "case", "note.txt")
    (tmp_path / "case" / "note.txt").symlink_to(secret)
    code, out, err = run_cli(["letter", str(case)], capsys)
    assert code == 2 and "outside the case file's folder" in err and "ROOT-PASSWORD-HASH" not in out + err


def test_a_symlink_inside_the_folder_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = _case_with_document(tmp_path / "case", "note.txt")
    (tmp_path / "case" / "records").mkdir()
    (tmp_path / "case" / "records" / "pr2.txt").write_text("She has had 18 sessions of physical therapy.")
    (tmp_path / "case" / "note.txt").symlink_to(tmp_path / "case" / "records" / "pr2.txt")
    assert main(["extract", str(case)]) == 0
    assert "18 sessions" in capsys.readouterr().out


def test_a_fifo_is_refused_without_blocking(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = _case_with_document(tmp_path / "case", "pipe.txt")
    os.mkfifo(tmp_path / "case" / "pipe.txt")
    result: list[int] = []
    worker = threading.Thread(target=lambda: result.append(main(["decide", str(case)])), daemon=True)
    worker.start()
    worker.join(timeout=10)
    if worker.is_alive():  # unblock the reader so that the test run can end, then fail
        with open(tmp_path / "case" / "pipe.txt", "w"):
            pass
        pytest.fail("reading a FIFO named by a case file blocked")
    assert result == [2] and "not a regular file" in capsys.readouterr().err


def test_a_device_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = _case_with_document(tmp_path / "case", "zero.txt")
    (tmp_path / "case" / "zero.txt").symlink_to("/dev/zero")  # outside, so refused before any read
    code, _, err = run_cli(["decide", str(case)], capsys)
    assert code == 2 and err.count("\n") == 1


def test_a_case_without_a_folder_reads_no_path(tmp_path: Path, secret: Path) -> None:
    with pytest.raises(InputError, match="not a server path"):
        case_from_mapping(minimal(documents=[{"kind": "x", "path": str(secret)}]), "case")
