"""The 2015+ generation: an optional header block ("Case Number:", "Date Assigned:", ... "Received:"),
then HOW THE IMR FINAL DETERMINATION WAS MADE, CLINICAL CASE SUMMARY and IMR ISSUES, DECISIONS AND
RATIONALES. 2015 letters cite the 2009 guidelines by Page(s), the 2016 update by Section(s); the
parse is the same. Early 2015 letters (like the seed) carry no header block.
"""

from __future__ import annotations

import re

from openimr.corpus.layouts.common import HOW_MADE, how_made_record, section_lines
from openimr.corpus.layouts.items import split_items
from openimr.corpus.record import LetterRecord
from openimr.corpus.text import LetterError

LAYOUT = "fdl-2015"
DECISIONS = re.compile(r"IMR ISSUES,\s*DECISIONS\s+AND\s+RATIONALES")


def matches(text: str) -> bool:
    return bool(DECISIONS.search(text)) and HOW_MADE in text


def parse(text: str) -> LetterRecord:
    lines = section_lines(text, DECISIONS.pattern, None)
    intro = next((i for i, line in enumerate(lines) if "set forth below" in line), None)
    if intro is None:
        raise LetterError("decisions section without its introduction")
    return how_made_record(text, LAYOUT, DECISIONS.pattern, split_items(lines[intro + 1:]))
