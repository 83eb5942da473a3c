"""A guideline as a letter cites it, reduced to what can be compared: family and section.

Family is the MTUS chapter ("Chronic Pain", "Low Back", "Shoulder", "Opioid", ...) for MTUS citations,
or "ODG" / "ACOEM" / "other" for non-MTUS ones; "none" when the reviewer cited no evidence. The
section is the cited section name (2016+ letters) or the topic words before "Page(s)" (2015 and
earlier), lower-cased with punctuation dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NO_EVIDENCE = re.compile(r"did not cite any medical evidence", re.I)

# the MTUS chapters as the letters name them; the earliest named in a citation is its family
MTUS_CHAPTERS: list[tuple[str, str]] = [
    ("Chronic Pain", r"chronic\s+pain"),
    ("Low Back", r"low\s+back"),
    ("Neck and Upper Back", r"neck\s+and\s+upper\s+back"),
    ("Shoulder", r"shoulder"),
    ("Elbow", r"elbow"),
    ("Forearm, Wrist, and Hand", r"forearm|wrist"),
    ("Knee", r"knee"),
    ("Ankle and Foot", r"ankle|foot"),
    ("General Approaches", r"general\s+approach"),
    ("Opioid", r"opioid"),
    ("Acupuncture", r"acupuncture"),
    ("Postsurgical", r"post-?\s?surgical"),
    ("Stress", r"stress"),
    ("Eye", r"\beye\b"),
]


@dataclass(frozen=True)
class GuidelineRef:
    family: str
    section: str | None  # normalized, for comparison
    mtus: bool
    section_raw: str | None = None  # as printed

    def section_names(self) -> set[str]:
        """The whole section text and each comma-separated name in it ("Special Studies, Summary")."""
        if not self.section_raw:
            return set()
        names = {normalize_section(self.section_raw)}
        names.update(normalize_section(piece) for piece in self.section_raw.split(","))
        return {n for n in names if n}


def normalize_section(text: str | None) -> str | None:
    if not text:
        return None
    words = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()
    return " ".join(words) or None


def mtus_family(text: str) -> str | None:
    best: tuple[int, str] | None = None
    for name, pattern in MTUS_CHAPTERS:
        m = re.search(pattern, text, re.I)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), name)
    return best[1] if best else None


def non_mtus_family(text: str) -> str:
    if re.search(r"\bODG\b|Official Disability", text, re.I):
        return "ODG"
    if re.search(r"\bACOEM\b", text, re.I):
        return "ACOEM"
    return "other"


def last_comma_part(text: str) -> str:
    """The section of a Non-MTUS citation, printed after its chapter: "ODG Shoulder, MRI." -> "MRI"."""
    return text.rsplit(",", 1)[1].strip(" .")


def _section(text: str, mtus: bool) -> str | None:
    """The cited section as printed (not normalized)."""
    text = text.strip()
    m = re.search(r"Section\(s\):\s*(.+?)(?:,\s*and\s+|\.\s*$|\.\s+Decision|$)", text)
    if m:
        return m[1].strip()
    m = re.search(r"(?:Guidelines?|Treatment|Complaints)(?:,?\s+(?:Guidelines?|\d{4}))*,?\s+(.+?)\s*,?\s*"
                  r"(?:Page\(s\)|pages?)[:\s]", text + " ")
    if m:
        return m[1].strip()
    if not mtus and "," in text:  # "Official Disability Guidelines (ODG) Shoulder, MRI."
        return last_comma_part(text)
    return None


def citations(text: str | None) -> list[GuidelineRef]:
    """Each guideline a letter's guideline paragraph cites, in order; [] when it cites none."""
    if not text or NO_EVIDENCE.search(text):
        return []
    parts = re.split(r"Decision based on\s+", text)
    # a preamble before the first "Decision based on" ("The Expert Reviewer based their decision on
    # recommendation(s) outside of the MTUS Guidelines.") is no citation
    parts = [p for p in (parts[1:] if len(parts) > 1 else parts) if p.strip()]
    refs = []
    for part in parts:
        non_mtus = bool(re.search(r"Non-MTUS|outside of the MTUS", part, re.I))
        family = None if non_mtus else (mtus_family(part) if re.search(r"MTUS|ACOEM\s+Chapter", part) else None)
        mtus = family is not None
        raw = _section(part, mtus)
        refs.append(GuidelineRef(family or non_mtus_family(part), normalize_section(raw), mtus, raw))
    return refs


def primary(text: str | None) -> GuidelineRef:
    """The guideline the decision rests on: the first cited, or family "none"."""
    refs = citations(text)
    return refs[0] if refs else GuidelineRef("none", None, False)
