"""The 2013 generation: "Notice of Independent Medical Review Determination" and its date; a numbered
list "MAXIMUS Federal Services, Inc. has determined the request for <treatment> is [not] medically
necessary and appropriate" (the decisions); INDEPENDENT MEDICAL REVIEW DECISION AND RATIONALE with the
application, UR denial and assignment dates; "Medical Qualifications of the Expert Reviewer"; "Case
Summary"; then per issue "Regarding the request for <treatment>:" with the guideline the Claims
Administrator used, the one the reviewer relied upon, and "Rationale for the Decision".
"""

from __future__ import annotations

import re

from openimr.corpus.layouts.common import after_label, credentials, section
from openimr.corpus.record import LetterItem, LetterRecord
from openimr.corpus.text import LetterError, clean, iso_date

LAYOUT = "notice-2013"
DETERMINED = re.compile(r"(\d{1,2})[.)]\s*MAXIMUS Federal Services, Inc\.\s+has\s+determined\s+the\s+request\s+for\s+"
                        r"(.+?)\s+is\s+(not\s*)?medically\s+necessary\s+and\s+appropriate", re.S | re.I)
ISSUE = re.compile(r"(?m)^\s*(\d{1,2})[.)]\s*Regarding the request for\s+")
UR_LABEL = re.compile(r"Medical Treatment Guideline\(s\) used by the Claims Administrator[^:]*:", re.I)
REVIEWER_LABEL = re.compile(r"Medical Treatment Guideline\(s\) relied upon by the Expert Reviewer[^:]*:", re.I)
RATIONALE_LABEL = re.compile(r"Rationale for the Decision:", re.I)


def matches(text: str) -> bool:
    return "Notice of Independent Medical Review Determination" in clean(text[:1500])


def parse(text: str) -> LetterRecord:
    flat = clean(text)
    decisions: dict[str, tuple[str, bool]] = {}
    for m in DETERMINED.finditer(flat):
        decisions.setdefault(m[1], (clean(m[2]), bool(m[3])))
    issues = list(ISSUE.finditer(text))
    if not decisions or not issues:
        raise LetterError("2013 letter without its determinations or issues")
    items = []
    for k, issue in enumerate(issues):
        number = issue[1]
        block = text[issue.end(): issues[k + 1].start() if k + 1 < len(issues) else len(text)]
        if number not in decisions:
            raise LetterError(f"issue {number} has no determination")
        treatment, upheld = decisions[number]
        ur = UR_LABEL.search(block)
        rev = REVIEWER_LABEL.search(block)
        rat = RATIONALE_LABEL.search(block)
        if not (rev and rat):
            raise LetterError(f"issue {number} lacks its guideline or rationale")
        items.append(LetterItem(
            item=treatment,
            decision="Upheld" if upheld else "Overturned",
            ur_guideline=(clean(block[ur.end():rev.start()]) or None) if ur else None,
            reviewer_guideline=clean(block[rev.end():rat.start()]) or None,
            rationale=clean(block[rat.end():]) or None,
        ))
    summary = section(text, r"Case Summary:", r"(?m)^\s*1[.)]\s*Regarding the request for")
    licensure, specialty = credentials(section(text, r"Medical Qualifications of the Expert Reviewer", r"Case Summary:"))
    return LetterRecord(
        case_number=after_label(flat, r"Case Number:\s*([A-Z]{2}\d{2}-\d+)"),
        layout=LAYOUT,
        date_assigned=iso_date(after_label(flat, r"Notice of Assignment and Request for Information was provided "
                                                 r"to the above parties on\s*([\d/]+)")),
        date_of_injury=iso_date(after_label(flat, r"Date of Injury:\s*(\S+)")),
        decision_date=iso_date(after_label(flat, r"Dated:\s*(\S+)")),
        ur_denial_date=iso_date(after_label(flat, r"Utilization Review Denial dated\s*([\d/]+)")),
        received_date=iso_date(after_label(flat, r"Independent Medical Review was filed on\s*([\d/]+)")),
        priority=(after_label(flat, r"Priority:\s*(\w+)") or "standard").lower(),
        licensure=licensure,
        specialty=specialty,
        clinical_summary=clean(re.sub(r"^\s*Disclaimer:[^\n]*\n", "", summary)),
        items=items,
    )
