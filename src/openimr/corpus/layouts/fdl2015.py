"""The 2015+ generation: an optional header block ("Case Number:", "Date Assigned:", ... "Received:"),
then HOW THE IMR FINAL DETERMINATION WAS MADE, CLINICAL CASE SUMMARY and IMR ISSUES, DECISIONS AND
RATIONALES. 2015 letters cite the 2009 guidelines by Page(s), the 2016 update by Section(s); the
parse is the same. Early 2015 letters (like the seed) carry no header block.
"""

from __future__ import annotations

import re

from openimr.corpus.layouts.common import HOW_MADE, how_made_record, section_lines
from openimr.corpus.layouts.items import Anchors, split_items
from openimr.corpus.record import LetterRecord
from openimr.corpus.text import LetterError

LAYOUT = "fdl-2015"
DECISIONS = re.compile(r"IMR ISSUES,\s*DECISIONS\s+AND\s+RATIONALES")
# openimr's own letters (openimr.letter) name the reviewer's guideline without MAXIMUS and close with
# a signature block and the appeal rights, which are not part of the last item's rationale
OPENIMR_ANCHORS = Anchors(reviewer="Reviewer guideline:")
CLOSING = r"(?m)^[ \t]*(?:SIGNATURE|APPEAL RIGHTS)[ \t]*$"


def matches(text: str) -> bool:
    return bool(DECISIONS.search(text)) and HOW_MADE in text


def _intro_end(lines: list[str]) -> int | None:
    """The line that ends the decisions' introduction; it may wrap ("... set forth\nbelow:")."""
    for i, line in enumerate(lines):
        if "set forth below" in line:
            return i
        if line.rstrip().endswith("set forth") and i + 1 < len(lines) and lines[i + 1].lstrip().startswith("below"):
            return i + 1
    return None


def parse(text: str) -> LetterRecord:
    lines = section_lines(text, DECISIONS.pattern, CLOSING)
    intro = _intro_end(lines)
    if intro is None:
        raise LetterError("decisions section without its introduction")
    ours = not any(line.lstrip().startswith(Anchors.reviewer) for line in lines)
    items = split_items(lines[intro + 1:], OPENIMR_ANCHORS if ours else Anchors())
    return how_made_record(text, LAYOUT, DECISIONS.pattern, items)
