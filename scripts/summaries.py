"""Cut the clinical case summary out of a dev letter's text layer (evaluation helper, not the letter parser).

The summary is the text between the "CLINICAL CASE SUMMARY" heading (and its one-sentence preamble) and
the "IMR ISSUES, DECISIONS" heading. Spans in the gold set and in the evaluation are offsets into this cut.
"""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / ".." / "shared" / "corpus" / "dwc-imr-2016" / "dev"

_START = re.compile(r"CLINICAL CASE SUMMARY\s*\n(?:The expert reviewer developed the following clinical case summary[^:]*:\s*)?",
                    re.S)
_END = re.compile(r"IMR ISSUES,\s*DECISIONS")


def cut_summary(letter_text: str) -> str | None:
    """The clinical case summary of one letter, or None when the headings are not found."""
    start = _START.search(letter_text)
    if not start:
        return None
    end = _END.search(letter_text, start.end())
    return letter_text[start.end() : end.start() if end else len(letter_text)].strip()


def dev_cases(corpus: Path = CORPUS) -> list[str]:
    """Case numbers of the dev letters, sorted."""
    return sorted(p.stem for p in corpus.glob("*.txt"))


def summary_of(case: str, corpus: Path = CORPUS) -> str | None:
    path = corpus / f"{case}.txt"
    return cut_summary(path.read_text(encoding="utf-8")) if path.exists() else None


if __name__ == "__main__":
    import sys

    for case in sys.argv[1:] or dev_cases():
        print(f"==== {case}\n{summary_of(case)}\n")
