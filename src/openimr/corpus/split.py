"""Which part of the evaluation protocol a published letter belongs to: *study* or *check*.

Rules may be changed from guideline text and from study letters only; the check letters measure a change
blind (docs/evaluation-log.md). The part is a fixed function of the case number and nothing else, so it
never depends on the engine, the decision, the file name or the order letters are read in, and it must
never change: a letter that moved from check to study would leak what the check part is there to hide.

    key      = the case number, upper-cased, every character other than A-Z and 0-9 dropped
               ("cm16-0213037 " -> "CM160213037")
    fraction = the first 8 bytes of sha256(key, UTF-8) read as a big-endian integer, divided by 2**64
    part     = "study" if fraction < 0.6 else "check"

so about 60% of letters are study and 40% check. A letter without a case number (none among the 2016
letters) is keyed by openimr.corpus.store.case_key, a digest of its parsed content.
"""

from __future__ import annotations

import hashlib
import re
from typing import Literal

from openimr.corpus.record import LetterRecord
from openimr.corpus.store import case_key

Part = Literal["study", "check"]
PARTS: tuple[Part, ...] = ("study", "check")
STUDY_SHARE = 0.6


def split_key(case_number: str) -> str:
    """The case number as hashed: spelling differences between letters (case, dashes, spaces) vanish."""
    return re.sub(r"[^A-Z0-9]", "", case_number.upper())


def split_fraction(case_number: str) -> float:
    """A number in [0, 1) fixed forever by the case number."""
    digest = hashlib.sha256(split_key(case_number).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def part_of(case_number: str) -> Part:
    return "study" if split_fraction(case_number) < STUDY_SHARE else "check"


def letter_part(record: LetterRecord) -> Part:
    """The part of a parsed letter: by its case number, or by store.case_key when it prints none."""
    return part_of(record.case_number or case_key(record))
