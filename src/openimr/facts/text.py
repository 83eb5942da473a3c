"""Sentences with their offsets, so that every fact can point back to its words.

Recognizers read a normalized sentence: every run of whitespace is one space, and a line wrap after a hyphen
("non-\\ncertified", "10-30-\\n2016", "x-\\nrays") is closed up. Each sentence keeps a map from its
normalized offsets to offsets in the original text, so a fact's span and quote are the original characters.
"""

from __future__ import annotations

import re

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

    __slots__ = ("start", "end", "text", "source", "lower", "_index")

    def __init__(self, start: int, end: int, text: str, source: str = "") -> None:
        self.start, self.end, self.text, self.source = start, end, text, source or text
        self.lower = text.lower()  # for the cheap keyword gates recognizers use before their patterns
        self._index: tuple[int, ...] | None = None  # built on first use: most sentences yield no fact

    def _map(self) -> tuple[int, ...]:
        if self._index is None:
            norm, self._index = normalize(self.source)
            assert norm == self.text, "normalized text and offset map disagree"
        return self._index

    def src(self, i: int) -> int:
        """Offset into source of normalized offset i (i may equal len(text))."""
        return i if self.text is self.source else self._map()[i]

    def src_end(self, i: int) -> int:
        """Offset into source just after normalized character i-1: an end offset."""
        if self.text is self.source or i == 0:
            return i
        return self._map()[i - 1] + 1


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


def _add(out: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        raw = text[start:end]
        out.append(Sentence(start, end, normalized(raw), raw))
