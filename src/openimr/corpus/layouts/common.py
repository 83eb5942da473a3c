"""Small text helpers every layout parser uses: sections between headings, labelled values."""

from __future__ import annotations

import re

from openimr.corpus.record import LetterItem, LetterRecord
from openimr.corpus.text import clean, iso_date, split_list

HOW_MADE = "HOW THE IMR FINAL DETERMINATION WAS MADE"


def after_label(text: str, pattern: str) -> str | None:
    """The first group of pattern in text, stripped, or None."""
    m = re.search(pattern, text)
    return m[1].strip() if m and m[1] and m[1].strip() else None


def section(text: str, start: str, end: str | None) -> str:
    """Text after the heading matching start, up to the heading matching end (or the end)."""
    m = re.search(start, text)
    if not m:
        return ""
    rest = text[m.end():]
    if end:
        e = re.search(end, rest)
        if e:
            rest = rest[: e.start()]
    return rest


def section_lines(text: str, start: str, end: str | None) -> list[str]:
    """The non-blank lines of a section, right-stripped."""
    return [line.rstrip() for line in section(text, start, end).split("\n") if line.strip()]


def credentials(text: str) -> tuple[list[str], list[str]]:
    """(licensure states, specialties) from either way the letters print them: the labelled lines of
    2014+ letters, or the 2013 sentence "Board Certified in X and is licensed to practice in Y"."""
    heading = r"^\s*[A-Z][A-Z0-9 ,()/&'-]{5,}\s*$"  # the next all-capitals heading ends a wrapped value
    states = section(text, r"State\(s\) of Licensure:", r"(?m)Certification\(s\)/Specialty:|" + heading).strip() or None
    specialty = section(text, r"Certification\(s\)/Specialty:", "(?m)" + heading).strip() or None
    if states or specialty:
        return split_list(states), split_list(specialty)
    flat = clean(text)
    board = after_label(flat, r"[Bb]oard [Cc]ertified in ([^.]+?)(?: and (?:is|are) licensed|\.)")
    licensed = after_label(flat, r"licensed to practice in ([^.]+?)\.")
    return split_list(licensed), split_list(board)


def header_dates(head: str) -> dict[str, str | None]:
    """The labelled header dates and priority shared by the 2014+ generations."""
    priority = after_label(head, r"Priority:\s*(\w+)")
    return {
        "case_number": after_label(head, r"Case Number:\s*([A-Z]{2}\d{2}-\d+)"),
        "date_assigned": iso_date(after_label(head, r"Date Assigned:\s*(\S+)")),
        "date_of_injury": iso_date(after_label(head, r"Date of Injury:\s*(\S+)")),
        "decision_date": iso_date(after_label(head, r"Decision Date:\s*(\S+)")),
        "ur_denial_date": iso_date(after_label(head, r"UR Denial Date:\s*(\S+)")),
        "received_date": iso_date(after_label(head, r"Received:\s*(\d[\d/-]+)")),
        "priority": priority.lower() if priority else None,
    }


def how_made_record(text: str, layout: str, summary_end: str, items: list[LetterItem]) -> LetterRecord:
    """The record of a 2014+ letter that has a header block before HOW THE IMR FINAL DETERMINATION WAS
    MADE and a CLINICAL CASE SUMMARY (its opening "... including all medical records:" dropped)."""
    summary = section(text, r"CLINICAL CASE SUMMARY", summary_end)
    summary = re.sub(r"^.*?including all medical records:\s*", "", summary, flags=re.S)
    licensure, specialty = credentials(text)
    return LetterRecord(
        layout=layout,
        **header_dates(text[: text.find(HOW_MADE)]),
        licensure=licensure,
        specialty=specialty,
        clinical_summary=clean(summary),
        items=items,
    )
