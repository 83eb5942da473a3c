"""Issue 12, the service half: each hostile input found in the hardening review, answered with a 4xx and
nothing stored changed."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from tests.api_support import Service, make_service
from tests.review_fixtures import case


@pytest.fixture
def svc(tmp_path: Path) -> Service:
    return make_service(f"sqlite:///{tmp_path / 'h.db'}")


def test_document_paths_are_refused_before_the_file_system_is_touched(svc: Service, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("the server's own file\n")
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)))
    (tmp_path / "folder").mkdir()
    os.mkfifo(tmp_path / "fifo")
    answers = {}
    for name in ("secret.txt", "binary.bin", "folder", "missing", "fifo"):
        body = {"case": case(documents=[{"kind": "medical_record", "path": str(tmp_path / name)}])}
        result: dict[str, object] = {}
        worker = threading.Thread(target=lambda b=body, out=result: out.update(r=svc.post("intake", "/api/cases", b)))
        worker.start()
        worker.join(10)
        if worker.is_alive():  # reading the FIFO blocks: open its other end so the thread can finish
            os.close(os.open(tmp_path / "fifo", os.O_WRONLY | os.O_NONBLOCK))
            worker.join(10)
            pytest.fail(f"{name}: the service opened the path and blocked")
        r = result["r"]
        answers[name] = (r.status_code, r.json()["detail"])  # type: ignore[attr-defined]
    # one answer for every kind of path: no file oracle
    assert set(answers.values()) == {(400, "case: documents.0: the service takes document text, not a server path")}
    assert svc.get("admin", "/api/cases").json() == []
