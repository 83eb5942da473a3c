"""Property-based fuzzing of every file parser and CLI entry point that reads a file.

Whatever the input, a command ends with exit 0, or with its documented failure status and one clean
`openimr: error: ...` line per problem (never a traceback), and a refused command leaves the stored data
byte for byte as it was. Example counts are kept small: the whole module runs in well under 40 s.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openimr.cli import main
from openimr.corpus.layouts import parse_text
from openimr.corpus.text import LetterError
from openimr.review.registry import CSV_FIELDS
from tests.corpus_shared import FIXTURES
from tests.review_fixtures import reviewers

# OPENIMR_FUZZ_SCALE=20 make test fuzzes twenty times harder, for a hunt before a release
SCALE = float(os.environ.get("OPENIMR_FUZZ_SCALE", "1"))


def fuzz(examples: int) -> settings:
    return settings(max_examples=max(1, int(examples * SCALE)), deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "seed-case.yaml"

# ---------------------------------------------------------------- strategies

text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False), text,
                    st.sampled_from(["2016-10-13", "2099-01-01", "1900-02-30", "standard", "expedited", "-12",
                                     "#-90", "../x", "/etc/passwd", ""]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                        st.dictionaries(text, inner, max_size=3)), max_leaves=10)
items = st.one_of(text, st.sampled_from(["Norco 10/325 mg #90", "Norco #-90", "Physical therapy -12 sessions",
                                         "MRI lumbar spine", "Chiropractic QTY: 8.00", "x -4", "   "]))
doc_paths = st.one_of(text, st.sampled_from(["../outside.txt", "/etc/hostname", "inside.txt", "sub/../inside.txt",
                                             "link-out.txt", "fifo.txt", ".", "", "inside.txt/"]))
documents = st.lists(st.fixed_dictionaries({"kind": st.one_of(text, values)},
                                           optional={"text": st.one_of(text, values), "path": doc_paths,
                                                     "date": values, "extra": values}), max_size=3)
requests = st.lists(st.fixed_dictionaries({"id": st.one_of(text, st.integers(0, 9))},
                                          optional={"item": items, "ur_guideline": values, "note": values}),
                    max_size=3)
dates = st.one_of(st.none(), st.dates().map(str), values)
cases = st.fixed_dictionaries({"requests": st.one_of(requests, values)}, optional={
    "case_number": st.one_of(text, values), "date_of_injury": dates, "ur_denial_date": dates,
    "received_date": dates, "priority": values, "parties": values, "documents": st.one_of(documents, values),
    "unknown_field": values})


def _case_text(case: dict[str, Any], as_yaml: bool) -> str:
    return yaml.safe_dump(case, allow_unicode=True) if as_yaml else json.dumps(case)


# ---------------------------------------------------------------- assertions


# stderr lines the commands print on purpose: errors, warnings, and the summary of `corpus ingest`
STDERR_LINES = ("openimr: error: ", "openimr: warning: ", "ingested ")


def clean_stderr(err: str) -> None:
    """Every line is one of ours; nothing else (no traceback) reaches stderr."""
    assert "Traceback" not in err, err
    for line in err.splitlines():
        assert line.startswith(STDERR_LINES), err


def run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    clean_stderr(err)
    return code, out, err


def refused_one_line(code: int, err: str) -> None:
    errors = [line for line in err.splitlines() if line.startswith("openimr: error: ")]
    assert code == 2 and len(errors) == 1, err


@pytest.fixture(scope="module")
def case_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A case folder with a readable document, a FIFO and a symlink out, beside a file it must not read."""
    root = tmp_path_factory.mktemp("fuzz")
    (root / "outside.txt").write_text("OUTSIDE-SECRET")
    folder = root / "case"
    (folder / "sub").mkdir(parents=True)
    (folder / "inside.txt").write_text("The patient has had 6 sessions of physical therapy.")
    os.mkfifo(folder / "fifo.txt")
    (folder / "link-out.txt").symlink_to(root / "outside.txt")
    return folder


# ---------------------------------------------------------------- case files (JSON and YAML) and --jsonl


@fuzz(120)
@given(case=cases, as_yaml=st.booleans(), strict=st.booleans())
def test_case_files_are_decided_or_refused_in_one_line(case_folder: Path, capsys: pytest.CaptureFixture[str],
                                                        case: dict[str, Any], as_yaml: bool, strict: bool) -> None:
    path = case_folder / ("case.yaml" if as_yaml else "case.json")
    path.write_text(_case_text(case, as_yaml), encoding="utf-8")
    code, out, err = run(capsys, ["decide", str(path), *(["--strict"] if strict else [])])
    assert "OUTSIDE-SECRET" not in out + err
    if code == 0:
        assert json.loads(out)["decisions"]
    else:
        refused_one_line(code, err)


@fuzz(60)
@given(raw=st.one_of(st.binary(max_size=300), text.map(lambda t: f"case_number: X\nrequests:\n  - {t}\n")))
def test_any_bytes_as_a_yaml_case_file(case_folder: Path, capsys: pytest.CaptureFixture[str], raw: bytes | str) -> None:
    path = case_folder / "raw.yaml"
    path.write_bytes(raw if isinstance(raw, bytes) else raw.encode("utf-8"))
    code, _, err = run(capsys, ["letter", str(path)])
    if code != 0:
        refused_one_line(code, err)


jsonl_lines = st.lists(st.one_of(cases.map(json.dumps), values.map(json.dumps), text.map(lambda t: t.replace("\n", " ")),
                                 st.binary(max_size=30).map(lambda b: b.replace(b"\n", b" ").decode("latin-1")),
                                 st.just(json.dumps({"case_number": "OK-1", "requests": [{"id": "1", "item": "MRI"}]}))),
                       min_size=1, max_size=6)


@fuzz(40)
@given(lines=jsonl_lines, latin1=st.booleans())
def test_jsonl_answers_every_line(case_folder: Path, capsys: pytest.CaptureFixture[str], lines: list[str],
                                  latin1: bool) -> None:
    path = case_folder / "cases.jsonl"
    data = "\n".join(lines) + "\n"
    path.write_bytes(data.encode("latin-1", "replace") if latin1 else data.encode("utf-8"))
    code, out, err = run(capsys, ["decide", "--jsonl", str(path)])
    results = [json.loads(line) for line in out.splitlines()]
    assert len(results) == len(lines)  # output line N answers input line N
    failed = [r for r in results if "error" in r]
    assert all(set(r) == {"line", "error"} for r in failed) and all("decisions" in r for r in results
                                                                  if r not in failed)
    assert [r["line"] for r in failed] == [n for n, r in enumerate(results, start=1) if r in failed]
    assert code == (2 if failed else 0)
    assert len([x for x in err.splitlines() if x.startswith("openimr: error: ")]) == len(failed)
    assert "OUTSIDE-SECRET" not in out + err


# ---------------------------------------------------------------- the reviewer registry


reviewer_dicts = st.lists(st.one_of(st.sampled_from(reviewers()), st.dictionaries(st.sampled_from(CSV_FIELDS + ["x"]),
                                                                                   values, max_size=6), values),
                          max_size=4)


def _as_csv(rows: list[Any], header: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    for row in rows:
        writer.writerow([json.dumps(row.get(k)) if isinstance(row, dict) else str(row) for k in header])
    return buf.getvalue()


@pytest.fixture(scope="module")
def service_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("registry")
    registry = folder / "seed.json"
    registry.write_text(json.dumps(reviewers()))
    assert main(["reviewers", "import", str(registry), "--db", str(folder / "service.db")]) == 0
    return folder / "service.db"


def stored(db: Path) -> list[str]:
    """What a database holds, as its SQL dump: the service database runs in WAL mode, where closing a
    connection may checkpoint the journal into the file, so its bytes are not the measure of its content."""
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as connection:
        return list(connection.iterdump())


@fuzz(60)
@given(rows=reviewer_dicts, header=st.lists(st.sampled_from(CSV_FIELDS + ["x", ""]), min_size=1, max_size=5),
       fmt=st.sampled_from(["json", "csv", "raw-csv", "raw-json"]), raw=st.binary(max_size=120))
def test_registry_import_is_done_or_refused_untouched(service_db: Path, capsys: pytest.CaptureFixture[str],
                                                      rows: list[Any], header: list[str], fmt: str, raw: bytes) -> None:
    file = service_db.parent / f"r.{fmt.removeprefix('raw-')}"
    if fmt == "json":
        file.write_text(json.dumps(rows))
    elif fmt == "csv":
        file.write_text(_as_csv(rows, header))
    else:
        file.write_bytes(raw)
    before = stored(service_db)
    code, _, err = run(capsys, ["reviewers", "import", str(file), "--db", str(service_db)])
    if code != 0:
        refused_one_line(code, err)
        assert stored(service_db) == before
    code, _, err = run(capsys, ["reviewers", "assign", str(SEED), "--registry", str(file)])
    assert code in (0, 1, 2)  # 1: nobody eligible, explained on stdout
    if code == 2:
        refused_one_line(code, err)


# ---------------------------------------------------------------- published letters and their records


letter_words = st.sampled_from(["IMR Case Number:", "CM16-0213037", "Date of Injury:", "10/13/2016", "Dear",
                                "Final Determination Letter", "Upheld", "Overturned", "Disputed Items",
                                "Treatment Guideline:", "MTUS", "Decision based on", "Physical therapy x6",
                                "Clinical Case Summary", "\n", "\n\n", ":", "1.", "Is medically necessary"])
letters = st.one_of(text, st.lists(st.one_of(letter_words, text), max_size=80).map(" ".join))


@fuzz(80)
@given(raw=letters)
def test_the_letter_parser_returns_a_record_or_a_letter_error(raw: str) -> None:
    try:
        record = parse_text(raw)
    except LetterError:
        return
    json.loads(record.to_json())


@fuzz(30)
@given(raw=st.one_of(letters.map(lambda t: t.encode("utf-8")), st.binary(max_size=200)))
def test_corpus_parse_reports_a_bad_letter_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                       raw: bytes) -> None:
    (tmp_path / "letter.txt").write_bytes(raw)
    code, out, err = run(capsys, ["corpus", "parse", str(tmp_path / "letter.txt"), "--jobs", "1"])
    assert code in (0, 1) and len(err.splitlines()) == code
    if code == 0:
        assert len(out.splitlines()) == 1


record_lines = st.lists(st.one_of(
    values.map(json.dumps),
    st.fixed_dictionaries({"layout": st.one_of(text, values)}, optional={
        "case_number": st.one_of(text, values), "decision_date": st.one_of(text, values),
        "licensure": values, "specialty": values, "clinical_summary": values,
        "items": st.one_of(values, st.lists(st.dictionaries(st.sampled_from(["item", "decision", "remaining",
                                                                               "reviewer_guideline"]), values),
                                            max_size=2))}).map(json.dumps),
    st.binary(max_size=30).map(lambda b: b.replace(b"\n", b" ").decode("latin-1"))), min_size=1, max_size=5)


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("corpus") / "corpus.db"
    assert main(["corpus", "ingest", str(FIXTURES), "--db", str(db), "--jobs", "1"]) == 0
    return db


@fuzz(50)
@given(lines=record_lines, latin1=st.booleans())
def test_records_files_are_ingested_or_refused_without_half_letters(
        corpus_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], lines: list[str], latin1: bool) -> None:
    db = tmp_path / "c.db"
    shutil.copy(corpus_db, db)
    file = tmp_path / "records.jsonl"
    data = "\n".join(lines) + "\n"
    file.write_bytes(data.encode("latin-1", "replace") if latin1 else data.encode("utf-8"))
    before = db.read_bytes()
    code, _, err = run(capsys, ["corpus", "ingest", str(file), "--db", str(db)])
    assert code in (0, 1, 2)
    if code == 2:
        refused_one_line(code, err)
        assert db.read_bytes() == before
    _every_letter_whole(db)
    code, _, err = run(capsys, ["corpus", "stats", "--db", str(db)])
    assert code == 0


def _every_letter_whole(db: Path) -> None:
    """A record that failed left nothing behind: each stored letter has all the items its record lists."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        for record, stored in conn.execute(
                "SELECT l.record, (SELECT count(*) FROM items i WHERE i.case_key = l.case_key) FROM letters l"):
            assert len(json.loads(record)["items"]) == stored


# ---------------------------------------------------------------- every store command on a file of another kind


def _store_commands(corpus: Path, service: Path) -> list[tuple[Path, list[str]]]:
    return [(corpus, ["users", "list", "--db", str(corpus)]), (corpus, ["cases", "deadlines", "--db", str(corpus)]),
            (corpus, ["reviewers", "export", "--db", str(corpus)]),
            (service, ["corpus", "stats", "--db", str(service)]),
            (service, ["corpus", "ingest", str(FIXTURES), "--db", str(service), "--jobs", "1"]),
            (service, ["corpus", "similar", str(SEED), "--db", str(service)])]


def test_store_commands_refuse_the_other_kind_untouched(corpus_db: Path, service_db: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    fixed: Callable[[Path], bytes] = Path.read_bytes
    for db, argv in _store_commands(corpus_db, service_db):
        before = fixed(db)
        code, _, err = run(capsys, argv)
        refused_one_line(code, err)
        assert fixed(db) == before, argv
