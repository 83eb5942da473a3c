"""The 2014-15 generation: "MAXIMUS FEDERAL SERVICES, INC." and "Independent Medical Review" on top,
a labelled header, HOW THE IMR FINAL DETERMINATION WAS MADE, DOCUMENTS REVIEWED, CLINICAL CASE
SUMMARY, then "IMR DECISION(S) AND RATIONALE(S)" with the same item anatomy as later letters
(heading with the decision, the two guidelines, the rationale); citations by Page(s).
"""

from __future__ import annotations

import re

from openimr.corpus.layouts.common import how_made_record, section_lines
from openimr.corpus.layouts.items import split_items
from openimr.corpus.record import LetterRecord
from openimr.corpus.text import clean

LAYOUT = "maximus-2014"
DECISIONS = r"IMR DECISION\(S\) AND RATIONALE\(S\)"
SUMMARY_END = r"DOCUMENTS REVIEWED|IMR DECISION\(S\) AND RATIONALE\(S\)"


def matches(text: str) -> bool:
    top = clean(text[:600]).upper()
    return "MAXIMUS FEDERAL SERVICES, INC." in top and "INDEPENDENT MEDICAL REVIEW" in top \
        and re.search(DECISIONS, text) is not None


def parse(text: str) -> LetterRecord:
    lines = section_lines(text, DECISIONS, None)
    if lines and "set forth below" in lines[0]:
        lines = lines[1:]
    return how_made_record(text, LAYOUT, SUMMARY_END, split_items(lines))
