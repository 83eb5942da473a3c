"""kill -9 in the middle of writes: after a restart every acknowledged write is there, and nothing is
half-written (each stored case is whole, in a state its audit trail explains).

`openimr serve` runs as a subprocess on 127.0.0.1; six clients file cases and check their eligibility in a
loop, and the server is killed with SIGKILL while requests are in flight.
"""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import httpx
import sqlalchemy as sa

from openimr.db import open_database
from tests.review_fixtures import case
from tests.server_support import log_in, prepare_database, start_server, stop

WRITERS = 6
KILL_AFTER_ACKS = 20


def test_kill_9_loses_no_acknowledged_write_and_leaves_nothing_half_written(db_url: str, tmp_path: Path) -> None:
    prepare_database(db_url)
    server = start_server(db_url, tmp_path / "server.log")
    log_in(server, ("intake",))
    acked: dict[str, list[str]] = {}
    lock = threading.Lock()
    enough = threading.Event()

    def writer(w: int) -> None:
        with httpx.Client(base_url=server.base, headers=server.headers("intake"), timeout=10) as client:
            for i in range(1000):
                number = f"K-{w}-{i:03d}"
                parties = case()["parties"] | {"employee": f"Worker {w} {i}"}  # no two cases are duplicates
                try:
                    r = client.post("/api/cases", json={"case": case(case_number=number, parties=parties),
                                                        "application_date": "2024-03-15"})
                    if r.status_code != 201:
                        return
                    with lock:
                        acked[number] = ["create"]
                    r = client.post(f"/api/cases/{number}/eligibility")
                    if r.status_code != 200:
                        return
                    with lock:
                        acked[number].append("eligibility")
                        if sum(map(len, acked.values())) >= KILL_AFTER_ACKS:
                            enough.set()
                except httpx.TransportError:  # the server is gone
                    return

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
    for t in threads:
        t.start()
    assert enough.wait(60), "the writers did not get going"
    server.process.send_signal(signal.SIGKILL)  # mid-flight: the writers are still sending
    server.process.wait(10)
    for t in threads:
        t.join(30)
    assert acked

    restarted = start_server(db_url, tmp_path / "server.log")
    restarted.tokens = server.tokens  # the session was acknowledged too, so it survived
    try:
        with httpx.Client(base_url=restarted.base, headers=restarted.headers("intake"), timeout=10) as client:
            for number, steps in acked.items():
                r = client.get(f"/api/cases/{number}")
                assert r.status_code == 200, (number, r.text)
                assert r.json()["case_file"]["case_number"] == number
                if "eligibility" in steps:
                    assert r.json()["state"] == "eligibility_checked", number
    finally:
        stop(restarted)

    db = open_database(db_url)
    with db.engine.connect() as conn:
        if db.engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        cases = dict(conn.execute(sa.text("SELECT case_number, state FROM cases")).all())
        audited = conn.execute(sa.text("SELECT case_number, action, detail FROM audit_log "
                                       "WHERE case_number IS NOT NULL")).all()
    created = {n for n, action, _ in audited if action == "create"}
    checked = {n for n, action, detail in audited if action == "transition" and "eligibility_checked" in str(detail)}
    assert set(acked) <= set(cases)
    assert set(cases) == created  # no case without its audit row, no audit row without its case
    assert {n for n, state in cases.items() if state == "eligibility_checked"} == checked
    assert set(cases.values()) <= {"received", "eligibility_checked"}
