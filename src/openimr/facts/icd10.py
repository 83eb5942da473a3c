"""ICD-10-CM codes for diagnosis phrases, from the packaged table data/icd10.tsv."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def icd10_table() -> list[tuple[str, str, re.Pattern[str]]]:
    """(code, description, pattern) rows in file order."""
    text = resources.files("openimr").joinpath("data/icd10.tsv").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, description, pattern = line.split("\t")
        rows.append((code, description, re.compile(pattern, re.I)))
    return rows


def icd10_for(phrase: str) -> str | None:
    """The code whose pattern the phrase matches, when one clearly applies; None otherwise."""
    p = " ".join(phrase.split()).strip(" .")
    if re.match(r"(?:possible|probable|rule out|r/o|suspected|history of)\b", p, re.I):
        return None
    for code, _, pattern in icd10_table():
        if pattern.search(p):
            return code
    return None
