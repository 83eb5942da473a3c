"""The 2014-15 "MEDICAL PROFESSIONAL REVIEW" variant: ISSUE(S) AT DISPUTE lists the items; after CASE
SUMMARY and DOCUMENTS REVIEWED FOR DETERMINATION, each item has "MEDICAL TREATMENT GUIDELINE(S) RELIED
UPON ..." (the reviewer's guideline) and "RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS [NOT]
MEDICALLY NECESSARY", whose heading carries the decision. The Claims Administrator's guideline is not
printed in this variant.
"""

from __future__ import annotations

import re

from openimr.corpus.layouts.common import credentials, header_dates, section
from openimr.corpus.record import LetterItem, LetterRecord
from openimr.corpus.text import LetterError, clean

LAYOUT = "maximus-2014-mpr"
ISSUES = r"ISSUES? AT DISPUTE"
GUIDELINE = re.compile(r"MEDICAL TREATMENT GUIDELINE\(S\) RELIED UPON[^\n]*\n")
RATIONALE = re.compile(r"RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE\s+(?:IS|WAS)\s+(NOT\s+)?MEDICALLY\s+NECESSARY[^\n]*\n")


def matches(text: str) -> bool:
    return text.lstrip().upper().startswith("MEDICAL PROFESSIONAL REVIEW") or (
        "MEDICAL PROFESSIONAL REVIEW" in text[:400] and re.search(ISSUES, text) is not None)


def _issues(text: str) -> list[str]:
    block = section(text, ISSUES, r"\bCASE SUMMARY\b")
    return [issue for issue in map(clean, re.split(r"(?m)^\s*\d{1,2}[.)]\s+", block)) if issue]


def parse(text: str) -> LetterRecord:
    issues_at = re.search(ISSUES, text)
    head = text[: issues_at.start()] if issues_at else text[:800]
    issues = _issues(text)
    summary = section(text, r"\bCASE SUMMARY\b", r"DOCUMENTS REVIEWED FOR DETERMINATION|MEDICAL TREATMENT GUIDELINE")
    guides = list(GUIDELINE.finditer(text))
    rats = list(RATIONALE.finditer(text))
    if not issues or len(guides) != len(issues) or len(rats) != len(issues):
        raise LetterError(f"{len(issues)} issues at dispute but {len(guides)} guideline and "
                          f"{len(rats)} rationale sections")
    items = []
    for k, issue in enumerate(issues):
        end = guides[k + 1].start() if k + 1 < len(guides) else len(text)
        items.append(LetterItem(
            item=issue,
            decision="Upheld" if rats[k][1] else "Overturned",
            ur_guideline=None,
            reviewer_guideline=clean(text[guides[k].end():rats[k].start()]) or None,
            rationale=clean(text[rats[k].end():end]) or None,
        ))
    licensure, specialty = credentials(text)
    return LetterRecord(layout=LAYOUT, **header_dates(head), licensure=licensure, specialty=specialty,
                        clinical_summary=clean(summary), items=items)
