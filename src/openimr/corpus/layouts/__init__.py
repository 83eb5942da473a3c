"""One parser per letter generation; `parse_text` picks the one whose marks the text carries."""

from __future__ import annotations

from types import ModuleType

from openimr.corpus.layouts import fdl2015, maximus2014, mpr, notice2013
from openimr.corpus.record import LetterRecord
from openimr.corpus.text import LetterError, normalize

# most specific first: the 2014-15 letters also carry some 2015+ headings
LAYOUTS: list[ModuleType] = [notice2013, mpr, maximus2014, fdl2015]


def parse_text(raw: str) -> LetterRecord:
    """The record of one letter's raw text (from any extractor). LetterError when no layout fits."""
    text = normalize(raw)
    for layout in LAYOUTS:
        if layout.matches(text):
            record: LetterRecord = layout.parse(text)
            return record
    raise LetterError("not an IMR Final Determination Letter of a known layout")
