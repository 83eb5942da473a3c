"""The evaluation log (docs/evaluation-log.md): one dated markdown table row per logged run.

The row is built by a pure function from the run's metrics; appending it and asking git for the commit
are the only I/O. The log is a record of what was measured when, so rows are only ever appended.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from typing import Any

from openimr.errors import InputError

COLUMNS = ("date (UTC)", "commit", "split", "letters / items (overturned)", "accuracy", "kappa (95% interval)",
           "overturn precision / recall", "citation family", "clear share (accuracy)", "note")
TITLE = "# Evaluation log\n"


def table_header() -> str:
    return "| " + " | ".join(COLUMNS) + " |\n" + "|" + "---|" * len(COLUMNS) + "\n"


def _cell(text: str) -> str:
    """Text safe inside one table cell: one line, no column bar."""
    return " ".join(text.split()).replace("|", "\\|")


def log_row(m: dict[str, Any], when: dt.datetime, commit: str, note: str = "") -> str:
    """The table row of one run; m is Scoreboard.metrics()."""
    e, ci, d = m["engine"], m["intervals"], m["disposition"]
    low, high = ci["cohen_kappa"]
    clear_accuracy = f"{d['clear_accuracy']:.3f}" if d["clear_items"] else "—"
    cells = [
        when.strftime("%Y-%m-%d %H:%M"), commit, m["split"],
        f"{m['letters']} / {m['items']} ({m['overturned']})",
        f"{e['accuracy']:.3f}",
        f"{e['cohen_kappa']:.3f} ({low:.3f} – {high:.3f})",
        f"{e['overturn_precision']:.3f} / {e['overturn_recall']:.3f}",
        f"{m['citation_agreement']['family']['rate']:.1%}",
        f"{d['clear_share']:.1%} ({clear_accuracy})",
        note,
    ]
    return "| " + " | ".join(_cell(c) for c in cells) + " |\n"


def append_entry(path: Path, row: str) -> None:
    """Append row to the log's table; a new file gets a title and the table header first."""
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the evaluation log ({exc})") from None
    if text is None:
        addition = TITLE + "\n" + table_header() + row
    else:
        lines = text.rstrip("\n").splitlines()
        in_table = bool(lines) and lines[-1].lstrip().startswith("|")
        # the row joins the table the file ends with; otherwise a new table starts
        addition = ("\n" if text and not text.endswith("\n") else "") + ("" if in_table else "\n" + table_header()) + row
    try:
        with path.open("a", encoding="utf-8") as log:
            log.write(addition)
    except OSError as exc:
        raise InputError(f"{path}: cannot write the evaluation log ({exc.strerror})") from None


def engine_commit() -> str:
    """The git commit the running engine's code comes from, "+dirty" when that code has uncommitted
    changes, "unknown" outside a git checkout (an installed package)."""
    package = Path(__file__).resolve().parents[1]

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(package), *args], capture_output=True, text=True, check=True,
                              timeout=30).stdout.strip()

    try:
        commit = git("rev-parse", "--short=12", "HEAD")
        dirty = git("status", "--porcelain", "--", ".")
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return commit + ("+dirty" if dirty else "")
