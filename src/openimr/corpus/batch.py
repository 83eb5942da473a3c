"""Many letter files in, records out: folders expanded, files parsed in parallel, failures reported
one line each without stopping the batch."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from openimr.corpus.layouts import parse_text
from openimr.corpus.record import LetterRecord
from openimr.corpus.text import LetterError, read_letter_text
from openimr.errors import InputError

LETTER_SUFFIXES = {".pdf", ".txt"}


def expand(paths: Iterable[str]) -> list[Path]:
    """Files named, and the .pdf/.txt files under folders named (sorted). A folder holding both
    CASE.pdf and CASE.txt gives the PDF only: they are the same letter. InputError on a missing path."""
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if not path.exists():
            raise InputError(f"{name}: no such file or folder")
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in LETTER_SUFFIXES)
            pdf_stems = {p.with_suffix("") for p in found if p.suffix.lower() == ".pdf"}
            files.extend(p for p in found if p.suffix.lower() == ".pdf" or p.with_suffix("") not in pdf_stems)
        else:
            files.append(path)
    return files


@dataclass
class Outcome:
    path: Path
    record: LetterRecord | None = None
    error: str | None = None


def parse_file(path: Path) -> Outcome:
    """The record of one letter file, or the reason it has none. Never raises on a bad letter."""
    try:
        record = parse_text(read_letter_text(path))
    except LetterError as exc:
        return Outcome(path, error=str(exc))
    except Exception as exc:  # a letter that breaks the parser must not stop a million-letter batch
        return Outcome(path, error=f"cannot parse ({type(exc).__name__}: {exc})")
    record.source = path.name
    return Outcome(path, record=record)


def parse_files(files: list[Path], jobs: int | None = None) -> Iterator[Outcome]:
    """Outcomes in the order of files; with jobs > 1 the files are parsed over a process pool."""
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(files) < 4:
        yield from map(parse_file, files)
        return
    chunk = max(1, min(32, len(files) // (jobs * 4)))
    with ProcessPoolExecutor(max_workers=min(jobs, len(files))) as pool:
        yield from pool.map(parse_file, files, chunksize=chunk)


def run_batch(paths: Iterable[str], jobs: int | None, sink: Callable[[LetterRecord], object]) -> tuple[int, int]:
    """Parse every letter under paths, hand each record to sink as it comes (nothing is accumulated),
    print one error line per failed file. Returns (parsed, failed). A progress bar shows on a terminal."""
    files = expand(paths)
    outcomes = parse_files(files, jobs)
    parsed = failed = 0
    progress = None
    if sys.stderr.isatty() and len(files) > 1:
        from rich.progress import Progress  # only on a terminal: rich costs start-up time

        progress = Progress(transient=True)
        progress.start()
        task = progress.add_task("letters", total=len(files))
    try:
        for outcome in outcomes:
            if outcome.record is not None:
                sink(outcome.record)
                parsed += 1
            else:
                failed += 1
                message = f"openimr: error: {outcome.path}: {outcome.error}"
                if progress is not None:
                    progress.console.print(message, style="red", markup=False, highlight=False)
                else:
                    print(message, file=sys.stderr)
            if progress is not None:
                progress.advance(task)
    finally:
        if progress is not None:
            progress.stop()
    return parsed, failed
