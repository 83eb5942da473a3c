"""`openimr corpus parse|ingest|stats|evaluate|split|similar`: published letters as data.

Imports of the corpus modules happen inside each run function, so that `openimr corpus parse` pays only
for what it uses (its speed goal is measured against bare PDF text extraction).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from openimr.commands._case import add_strict_option, read_case_file
from openimr.commands._options import add_corpus_db_option, add_jobs_option
from openimr.commands._output import open_output
from openimr.errors import InputError


def register(sub: Any) -> None:
    p = sub.add_parser("corpus", help="published IMR letters as data: parse, ingest, stats, evaluate, split, similar")
    cmds = p.add_subparsers(dest="corpus_command", metavar="ACTION", required=True)

    parse = cmds.add_parser("parse", help="parse letters (PDF or text; folders expanded) into JSON lines")
    parse.add_argument("paths", nargs="+", metavar="PATH", help="letters (PDF or .txt) or folders of them")
    parse.add_argument("--out", metavar="FILE.jsonl", help="write records to FILE (default: stdout)")
    add_jobs_option(parse)
    parse.set_defaults(run=run_parse)

    ingest = cmds.add_parser("ingest", help="parse letters into the corpus database (idempotent)")
    ingest.add_argument("paths", nargs="+", metavar="PATH", help="letters, folders, or .jsonl record files")
    add_corpus_db_option(ingest, created=True)
    add_jobs_option(ingest)
    ingest.set_defaults(run=run_ingest)

    stats = cmds.add_parser("stats", help="overturn rates by treatment family, guideline, specialty and year")
    add_corpus_db_option(stats)
    stats.add_argument("--chart", metavar="FILE.png", help="also draw the rates (.png, .svg or .pdf)")
    stats.set_defaults(run=run_stats)

    evaluate = cmds.add_parser("evaluate", help="score the engine against the letters' real decisions")
    evaluate.add_argument("paths", nargs="+", metavar="PATH", help="letters, folders, or .jsonl record files")
    evaluate.add_argument("--report", metavar="DIR", help="write metrics.json, summary.md and disagreements")
    add_jobs_option(evaluate)
    evaluate.add_argument("--split", choices=["study", "check", "all"], default="all",
                          help="score only the study or the check letters (docs/evaluation-log.md; default: all)")
    evaluate.add_argument("--log", metavar="FILE.md", help="append this run's dated figures to an evaluation log")
    evaluate.add_argument("--note", default="", metavar="TEXT", help="the note column of the --log entry")
    evaluate.set_defaults(run=run_evaluate)

    split = cmds.add_parser("split", help="which letters are study and which check (part, case number, file)")
    split.add_argument("paths", nargs="+", metavar="PATH", help="letters, folders, or .jsonl record files")
    split.add_argument("--part", choices=["study", "check"], help="list only this part")
    add_jobs_option(split)
    split.set_defaults(run=run_split)

    similar = cmds.add_parser("similar", help="published precedents for each request of a case")
    similar.add_argument("case", metavar="CASE", help="case file (JSON or YAML)")
    add_corpus_db_option(similar)
    similar.add_argument("--top", type=int, default=5, metavar="K", help="precedents per request (default 5)")
    add_strict_option(similar)
    similar.set_defaults(run=run_similar)


def run_parse(args: argparse.Namespace) -> int:
    from openimr.corpus.batch import run_batch

    out = open_output(args.out) if args.out else sys.stdout
    try:
        _, failed = run_batch(args.paths, args.jobs, lambda r: out.write(r.to_json() + "\n"))
    finally:
        if args.out:
            out.close()
    return 1 if failed else 0


def run_ingest(args: argparse.Namespace) -> int:
    from openimr.corpus.sources import each_record
    from openimr.corpus.store import Store

    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:  # before the store is opened: a refused ingest creates or changes nothing
        raise InputError(f"{missing[0]}: no such file or folder")
    with Store.open(args.db) as store:
        parsed, failed = each_record(args.paths, args.jobs, store.add)
        letters, items = store.counts()
    print(f"ingested {parsed} letters ({failed} failed); the store holds {letters} letters, {items} items",
          file=sys.stderr)
    return 1 if failed else 0


def run_stats(args: argparse.Namespace) -> int:
    from openimr.corpus.stats import compute, render_tables
    from openimr.corpus.store import Store

    if args.chart:
        from openimr.corpus.chart import check_chart_path

        check_chart_path(args.chart)  # before the work, not after it
    with Store.open(args.db, must_exist=True) as store:
        tables, letters = compute(store), store.counts()[0]
    if not letters:
        print(f"{args.db}: the corpus store holds no letters yet (run `openimr corpus ingest`)", file=sys.stderr)
        return 0
    print(render_tables(tables))
    if args.chart:
        from openimr.corpus.chart import draw

        draw(tables, args.chart)
        print(f"chart written to {args.chart}", file=sys.stderr)
    return 0


def run_evaluate(args: argparse.Namespace) -> int:
    from openimr.corpus.evaluate import evaluate_paths

    if args.note and not args.log:
        raise InputError("--note goes with --log")
    return evaluate_paths(args.paths, args.jobs, args.report, args.split, args.log, args.note)


def run_split(args: argparse.Namespace) -> int:
    from openimr.corpus.batch import expand
    from openimr.corpus.sources import each_record
    from openimr.corpus.split import PARTS, letter_part
    from openimr.corpus.store import case_key

    # a record names its file without the folder; print the path a developer can open
    by_name: dict[str, list[str]] = {}
    for path in expand(p for p in args.paths if not p.endswith(".jsonl")):
        by_name.setdefault(path.name, []).append(str(path))

    def where(source: str | None) -> str:
        found = by_name.get(source or "", [])
        return found[0] if len(found) == 1 else source or ""

    rows: list[tuple[str, str, str]] = []
    counts = {part: [0, 0, 0] for part in PARTS}  # letters, items, overturned

    def add(record: Any) -> None:
        part = letter_part(record)
        tally = counts[part]
        tally[0] += 1
        tally[1] += len(record.items)
        tally[2] += sum(item.decision == "Overturned" for item in record.items)
        if args.part in (None, part):
            rows.append((part, case_key(record), where(record.source)))

    _, failed = each_record(args.paths, args.jobs, add)
    # sorted, so that the list is the same whatever order the process pool finished in
    for row in sorted(rows):
        print("\t".join(row))
    for part, (letters, items, overturned) in counts.items():
        print(f"{part}: {letters} letters, {items} items, {overturned} overturned", file=sys.stderr)
    return 1 if failed else 0


def run_similar(args: argparse.Namespace) -> int:
    from openimr.corpus.similar import render, similar_for_case
    from openimr.corpus.store import Store

    if args.top < 1:
        raise InputError("--top must be at least 1")
    case = read_case_file(args.case, args.strict)
    with Store.open(args.db, must_exist=True) as store:
        print(render(similar_for_case(case, store, args.top), args.db, store.counts()[0]))
    return 0
