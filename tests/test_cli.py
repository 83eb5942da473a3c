"""The CLI paths beyond the seed: batch decisions, letter formats, facts, the schema file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from openimr.cli import main
from openimr.commands.schema import case_schema

ROOT = Path(__file__).resolve().parents[1]


def test_jsonl_reads_one_case_a_line_and_reports_bad_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = yaml.safe_load((ROOT / "examples" / "seed-case.yaml").read_text())
    lines = []
    for i in range(3):
        seed["case_number"] = f"SYN-{i}"
        lines.append(json.dumps(seed, default=str))
    lines.insert(1, "{broken")
    lines.insert(2, json.dumps({"case_number": "SYN-X"}))
    src = tmp_path / "cases.jsonl"
    src.write_text("\n".join(lines) + "\n")
    code = main(["decide", "--jsonl", str(src)])
    out, err = capsys.readouterr()
    assert code == 2  # some lines failed, the rest were decided
    results = [json.loads(x) for x in out.splitlines()]
    assert len(results) == 5  # output line N answers input line N
    assert [r.get("case_number") for r in results] == ["SYN-0", None, None, "SYN-1", "SYN-2"]
    assert results[1]["line"] == 2 and "not valid JSON" in results[1]["error"]
    assert results[2]["line"] == 3 and "requests" in results[2]["error"]
    assert all(r["decisions"][0]["outcome"] == "Overturned" for r in results if "decisions" in r)
    assert f"{src}:2" in err and f"{src}:3" in err and "requests" in err


def test_jsonl_error_records_for_empty_and_non_utf8_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = json.dumps({"case_number": "SYN-1", "requests": [{"id": "1", "item": "MRI lumbar"}]}).encode()
    src = tmp_path / "cases.jsonl"
    src.write_bytes(b"\n".join([good, b"", b"\xff\xfe{}", b"[1, 2]", good]) + b"\n")
    assert main(["decide", "--jsonl", str(src)]) == 2
    out, err = capsys.readouterr()
    results = [json.loads(x) for x in out.splitlines()]
    assert [r.get("line") for r in results] == [None, 2, 3, 4, None]
    assert "empty line" in results[1]["error"] and "not UTF-8" in results[2]["error"]
    assert "Traceback" not in err and err.count("\n") == 3


def test_jsonl_documents_are_read_beside_the_jsonl_file_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "batch" / "records").mkdir(parents=True)
    (tmp_path / "batch" / "records" / "pr2.txt").write_text("She has had 18 sessions of physical therapy.")
    (tmp_path / "secret.txt").write_text("ROOT-PASSWORD-HASH")

    def line(path: str) -> str:
        return json.dumps({"case_number": "SYN-1", "requests": [{"id": "1", "item": "Physical therapy x6"}],
                           "documents": [{"kind": "progress_report", "path": path}]})

    src = tmp_path / "batch" / "cases.jsonl"
    src.write_text("\n".join([line("records/pr2.txt"), line("../secret.txt"), line(str(tmp_path / "secret.txt"))]))
    monkeypatch.chdir(tmp_path)  # relative to the JSONL file, not to the working folder
    assert main(["decide", "--jsonl", str(src)]) == 2
    out, err = capsys.readouterr()
    results = [json.loads(x) for x in out.splitlines()]
    assert results[0]["decisions"] and "outside the case file's folder" in results[1]["error"]
    assert "absolute path" in results[2]["error"] and "ROOT-PASSWORD-HASH" not in out + err


@pytest.mark.parametrize(("fmt", "marker"), [("text", "HOW THE IMR FINAL DETERMINATION WAS MADE"),
                                              ("md", "## Clinical case summary"), ("html", "<h2>CLINICAL CASE SUMMARY</h2>")])
def test_letter_formats(capsys: pytest.CaptureFixture[str], fmt: str, marker: str) -> None:
    assert main(["letter", str(ROOT / "examples" / "seed-case.yaml"), "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert marker in out
    assert "Overturned" in out and "Upheld" in out


def test_html_letter_escapes_case_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = {"case_number": "SYN-<b>", "documents": [{"kind": "clinical_summary", "text": "Neck pain."}],
            "case_summary": "<script>x</script>", "requests": [{"id": "1", "item": "Massage x4"}]}
    p = tmp_path / "c.json"
    p.write_text(json.dumps(case))
    assert main(["letter", str(p), "--format", "html"]) == 0
    out = capsys.readouterr().out
    assert "<script>" not in out and "&lt;script&gt;" in out


@pytest.mark.parametrize("example", ["shoulder-case/case.yaml", "neck-case/case.json"])
def test_synthetic_examples_decide(capsys: pytest.CaptureFixture[str], example: str) -> None:
    assert main(["decide", str(ROOT / "examples" / example)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["decisions"] and all(d["rationale"] for d in data["decisions"])


def test_extract_prints_facts_with_spans(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(ROOT / "examples" / "shoulder-case" / "case.yaml")]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert isinstance(facts, list) and facts
    docs = [(ROOT / "examples" / "shoulder-case" / "records" / n).read_text()
            for n in ("pr2-2016-10-05.txt", "ur-2016-10-20.txt")]
    for f in facts:
        doc, start, end = f["span"]
        assert docs[doc][start:end] == f["text"]  # the exact characters, line breaks and all


def test_schema_file_is_current() -> None:
    on_disk = json.loads((ROOT / "schemas" / "case.schema.json").read_text())
    assert on_disk == case_schema(), "run `make schema` to regenerate schemas/case.schema.json"


def test_jsonl_over_worker_processes_keeps_the_order_and_the_errors(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # more lines than one chunk, so that --jobs 2 really shares them between two worker processes
    from openimr.commands.decide import CHUNK

    seed = yaml.safe_load((ROOT / "examples" / "seed-case.yaml").read_text())
    lines = []
    for i in range(CHUNK * 3):
        seed["case_number"] = f"SYN-{i}"
        lines.append(json.dumps(seed, default=str))
    lines[CHUNK + 1] = "{broken"
    src = tmp_path / "cases.jsonl"
    src.write_text("\n".join(lines) + "\n")
    outputs = {}
    for jobs in ("1", "2"):
        code = main(["decide", "--jsonl", str(src), "--jobs", jobs])
        outputs[jobs] = capsys.readouterr()
        assert code == 2
    assert outputs["1"] == outputs["2"]
    records = [json.loads(x) for x in outputs["2"].out.splitlines()]
    assert [r.get("case_number") for r in records] == [
        None if i == CHUNK + 1 else f"SYN-{i}" for i in range(CHUNK * 3)]
    assert records[CHUNK + 1]["line"] == CHUNK + 2 and records[CHUNK + 1]["error"].startswith(f"{src}:{CHUNK + 2}:")
    assert f"{src}:{CHUNK + 2}:" in outputs["2"].err


def test_jsonl_jobs_must_be_positive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:  # argparse refuses it with the usage line, exit 2
        main(["decide", "--jsonl", str(tmp_path / "x.jsonl"), "--jobs", "0"])
    assert stop.value.code == 2 and "--jobs" in capsys.readouterr().err
