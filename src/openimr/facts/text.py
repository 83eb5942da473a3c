"""Sentences with their offsets, so that every fact can point back to its words.

Recognizers read a normalized sentence: every run of whitespace is one space, and a line wrap after a hyphen
("non-\\ncertified", "10-30-\\n2016", "x-\\nrays") is closed up. Each sentence keeps a map from its
normalized offsets to offsets in the original text, so a fact's span and quote are the original characters.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

# A sentence ends at . ! or ? followed by space and an upper-case letter or digit; abbreviations such as
# "Dr." or "vs." do not end one. Line breaks inside a sentence are only wraps; a blank line ends a sentence.
_ABBREVIATIONS = ("dr.", "mr.", "ms.", "mrs.", "vs.", "e.g.", "i.e.", "no.", "approx.", "etc.", "st.", "u.s.")
# a blank line ends a sentence unless the text goes on in lower case: a page break inside a sentence
_END = re.compile(r"[.!?](?=\s+[A-Z0-9(\"'])|[.!?](?=[A-Z][a-z])|\n\s*\n(?!\s*[a-z])")
# "are:1. Lumbar radiculitis.2. Lumbar facet osteoarthritis.3. ...": a numbered list stays in one sentence
_LIST_MARKER = re.compile(r"(?:^|[\s:.;,])\d{1,2}\.$")
_SPACE = re.compile(r"\s+")


class Sentence:
    """One sentence: its offsets in the document, its normalized text, and the original characters."""

    __slots__ = ("start", "end", "text", "source", "lower", "_index", "context")

    def __init__(self, start: int, end: int, text: str, source: str = "") -> None:
        self.start, self.end, self.text, self.source = start, end, text, source or text
        self.lower = text.lower()  # for the cheap keyword gates recognizers use before their patterns
        self._index: tuple[list[int], list[int]] | None = None  # built on first use: most sentences yield no fact
        self.context: Any = None  # its facts.modifiers.SentenceContext, built once by the first recognizer that asks

    def _map(self) -> tuple[list[int], list[int]]:
        if self._index is None:
            norm, *segments = offset_segments(self.source)
            assert norm == self.text, "normalized text and offset map disagree"
            self._index = segments[0], segments[1]
        return self._index

    def src(self, i: int) -> int:
        """Offset into source of normalized offset i (i may equal len(text))."""
        if self.text is self.source:
            return i
        norm_starts, src_starts = self._map()
        j = bisect_right(norm_starts, i) - 1
        return src_starts[j] + i - norm_starts[j]

    def src_end(self, i: int) -> int:
        """Offset into source just after normalized character i-1: an end offset."""
        if self.text is self.source or i == 0:
            return i
        return self.src(i - 1) + 1


_HYPHEN_WRAP = re.compile(r"(?<=-)\s*\n\s*")


def normalized(raw: str) -> str:
    """The same text normalize() gives, without the offset map (fast path)."""
    if "\n" not in raw and "  " not in raw and "\t" not in raw and "\r" not in raw and "\f" not in raw:
        return raw
    return _SPACE.sub(" ", _HYPHEN_WRAP.sub("", raw))


def normalize(raw: str) -> tuple[str, tuple[int, ...]]:
    """raw with whitespace runs folded, and the offset map back into raw."""
    parts: list[str] = []
    index: list[int] = []
    pos = 0
    for m in _SPACE.finditer(raw):
        parts.append(raw[pos : m.start()])
        index.extend(range(pos, m.start()))
        wrapped_hyphen = raw[m.start() - 1 : m.start()] == "-" and "\n" in m[0]
        if not wrapped_hyphen:
            parts.append(" ")
            index.append(m.start())
        pos = m.end()
    parts.append(raw[pos:])
    index.extend(range(pos, len(raw)))
    index.append(len(raw))
    return "".join(parts), tuple(index)


def offset_segments(raw: str) -> tuple[str, list[int], list[int]]:
    """normalize() in a compact form: the text, and where each stretch copied unchanged from raw starts in
    the text and in raw. Within a stretch offsets differ by a constant, so a look-up is a bisection, and
    building the map costs a few entries a line instead of one a character."""
    parts: list[str] = []
    norm_starts, src_starts = [0], [0]
    pos = length = 0
    for m in _SPACE.finditer(raw):
        part = raw[pos : m.start()]
        parts.append(part)
        length += len(part)
        if not (raw[m.start() - 1 : m.start()] == "-" and "\n" in m[0]):
            parts.append(" ")  # stands at m.start() in raw: the stretch goes on through it
            length += 1
        pos = m.end()
        norm_starts.append(length)
        src_starts.append(pos)
    parts.append(raw[pos:])
    return "".join(parts), norm_starts, src_starts


def sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    start = 0
    for m in _END.finditer(text):
        end = m.end()
        if text[max(0, end - 6) : end].lower().endswith(_ABBREVIATIONS) or _LIST_MARKER.search(text[max(0, end - 4) : end]):
            continue
        _add(out, text, start, end)
        start = end
    _add(out, text, start, len(text))
    return out


# A "sentence" longer than this has no sentence ends in it: a table, a long list, OCR text without full stops.
# It is read in pieces cut at line breaks, because recognizers look back over a mention's sentence: with no
# bound a record without full stops would take time quadratic in its length. (The longest sentence in the
# development letters' case summaries has 826 characters.)
MAX_SENTENCE = 2000


def _add(out: list[Sentence], text: str, start: int, end: int) -> None:
    while end - start > MAX_SENTENCE:
        cut = _cut(text, start, start + MAX_SENTENCE)
        _add_one(out, text, start, cut)
        start = cut
    _add_one(out, text, start, end)


def _cut(text: str, start: int, limit: int) -> int:
    """Where a stretch too long for one sentence is cut: at its last line break past the middle that is not
    a hyphen's wrap ("non-\ncertified"), else at its last space, else at the limit."""
    middle = start + MAX_SENTENCE // 2
    at = text.rfind("\n", middle, limit)
    while at > middle and text[max(middle, at - 20) : at].rstrip().endswith("-"):
        at = text.rfind("\n", middle, at)
    if at > middle:
        return at
    at = text.rfind(" ", middle, limit)
    return at if at > middle else limit


def _add_one(out: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        raw = text[start:end]
        out.append(Sentence(start, end, normalized(raw), raw))
