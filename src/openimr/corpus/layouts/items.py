"""Item blocks shared by the letter generations that print, per item, a heading with the decision and
then "Claims Administrator guideline:", "MAXIMUS guideline:" and "Decision rationale:".

The heading of an item is the text between the previous item's rationale and its own
"Claims Administrator guideline:". Extractors disagree on paragraph marks (blank lines in one,
trailing spaces in the other) and a page break may split a heading, so the boundary is found from
sentences instead: the heading starts after the last line that ends a sentence, and a modified
request's heading, which has sentences of its own, reaches back to "... was the original request".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from openimr.corpus.record import Decision, LetterItem
from openimr.corpus.text import LetterError, clean

_SENTENCE_END = re.compile(r"""[.!?]["')\]]*\s*$""")
_DECISION = re.compile(r"^(?P<body>.*?)\s*:?\s*(?P<decision>Upheld|Overturned)\s*\.?\s*$", re.S)
_NECESSARY = re.compile(r"^(?P<body>.*?)\s+is\s+(?P<not>not\s+)?medically\s+necessary(?:\s+and\s+appropriate)?\s*\.?\s*$",
                        re.S | re.I)
_ORIGINAL = re.compile(r"was\s+the\s+original\s+request", re.I)
_MODIFIED_HINT = re.compile(r"original\s+request|IMR\s+eligible", re.I)
_NUMBERING = re.compile(r"^\s*(?:\d{1,2}[.)]|[A-Z][.)])\s+")

_MODIFIED_FORMS = [
    # "<orig> was the original request. <auth> was authorized by the Claims Administrator. The remaining
    #  IMR eligible portion of the original request, <rem>"
    re.compile(r"^(?P<orig>.+?)\s+was\s+the\s+original\s+request\.\s*(?P<auth>.+?)\s+(?:was|were)\s+authorized\s+by\s+"
               r"the\s+Claims\s+Administrator\.\s*The\s+remaining\s+IMR\s+eligible\s+portion\s+of\s+the\s+original\s+"
               r"request,?\s*(?:is\s*)?(?P<rem>.+?)$", re.S | re.I),
    # "<orig> was the original request. The Claims Administrator authorized <auth>, leaving the original
    #  request IMR eligible. The original request, <rem>"
    re.compile(r"^(?P<orig>.+?)\s+was\s+the\s+original\s+request\.\s*The\s+Claims\s+Administrator\s+authorized\s+"
               r"(?P<auth>.+?),?\s+leaving\s+the\s+original\s+request\s+IMR\s+eligible\.\s*(?:The\s+original\s+request,?\s*)?"
               r"(?P<rem>.+?)$", re.S | re.I),
]


@dataclass(frozen=True)
class Anchors:
    """The labels that open an item's guideline and rationale paragraphs in one letter generation."""

    ur: str = "Claims Administrator guideline:"
    reviewer: str = "MAXIMUS guideline:"
    rationale: str = "Decision rationale:"


def _starts(lines: list[str], label: str) -> list[int]:
    return [i for i, line in enumerate(lines) if line.lstrip().startswith(label)]


def _heading_start(lines: list[str], lo: int, end: int) -> int:
    """Index of the first line of the heading that ends at lines[end - 1]; lines[lo:] may begin with the
    previous item's rationale."""
    start = end - 1
    while start > lo and not _SENTENCE_END.search(lines[start - 1]):
        start -= 1
    heading = " ".join(lines[start:end])
    if _MODIFIED_HINT.search(heading) and not _ORIGINAL.search(heading):
        region = lines[lo:end]
        hits = [i for i in range(len(region)) if _ORIGINAL.search(" ".join(region[i:i + 2]))]
        if hits:
            first = lo + hits[-1]
            while first > lo and not _SENTENCE_END.search(lines[first - 1]):
                first -= 1
            start = first
    return start


def parse_heading(heading: str) -> tuple[str, Decision, dict[str, str]]:
    """Item words, decision, and for a modified request its original / authorized / remaining parts."""
    text = _NUMBERING.sub("", clean(heading))
    m = _DECISION.match(text)
    if m:
        body, decision = m["body"], m["decision"]
    else:
        n = _NECESSARY.match(text)
        if not n:
            raise LetterError(f"item heading without a decision: {text[:80]!r}")
        body = n["body"]
        body = re.sub(r"^.*?has\s+determined\s+the\s+request\s+for\s+", "", body, flags=re.I)
        decision = "Upheld" if n["not"] else "Overturned"
    body = body.rstrip(" :")
    parts: dict[str, str] = {}
    for form in _MODIFIED_FORMS:
        mm = form.match(body)
        if mm:
            rem = re.sub(r"\s+is$", "", mm["rem"].strip(" ,:"))
            parts = {"original": mm["orig"].strip(), "authorized": mm["auth"].strip(), "remaining": rem}
            break
    return body, decision, parts  # type: ignore[return-value]


def _label_text(lines: list[str], label: str) -> str:
    text = clean(" ".join(lines))
    return text[len(label):].strip() if text.startswith(label) else text


def split_items(lines: list[str], anchors: Anchors = Anchors()) -> list[LetterItem]:
    """The items of a decisions section given as non-blank lines (after its introduction)."""
    ur, rev, rat = (_starts(lines, a) for a in (anchors.ur, anchors.reviewer, anchors.rationale))
    if not ur:
        raise LetterError("no disputed items found")
    if not (len(ur) == len(rev) == len(rat)) or any(not (u < v < r) for u, v, r in zip(ur, rev, rat, strict=True)):
        raise LetterError(f"item blocks out of order ({len(ur)} guideline, {len(rev)} reviewer, "
                          f"{len(rat)} rationale labels)")
    items: list[LetterItem] = []
    starts: list[int] = []
    for k, u in enumerate(ur):
        lo = rat[k - 1] + 1 if k else 0
        start = _heading_start(lines, lo, u) if k else 0
        starts.append(start)
    for k, u in enumerate(ur):
        end_rationale = starts[k + 1] if k + 1 < len(ur) else len(lines)
        body, decision, parts = parse_heading(" ".join(lines[starts[k]:u]))
        items.append(LetterItem(
            item=body,
            decision=decision,
            ur_guideline=_label_text(lines[u:rev[k]], anchors.ur) or None,
            reviewer_guideline=_label_text(lines[rev[k]:rat[k]], anchors.reviewer) or None,
            rationale=_label_text(lines[rat[k]:end_rationale], anchors.rationale) or None,
            **parts,
        ))
    return items
