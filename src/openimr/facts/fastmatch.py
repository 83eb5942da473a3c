"""Exact shortcuts for the regular expressions that run on every sentence (see FastGate)."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Hashable, Iterator, Mapping
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)

# pattern syntax that lower-casing the literals could change: numeric and named character escapes (\x41 is
# "A", never "a"), inline flags, group names in capitals, and ranges that do not stay within one case ([A-z])
_UNSAFE_SYNTAX = re.compile(r"\\[0-9xuUN]|\(\?[aiLmsux-]+[:)]|\(\?P[<=][^>)]*[A-Z]")
_CLASS = re.compile(r"\[\^?\]?(?:\\.|[^\]\\])*\]")
_RANGE = re.compile(r"(?<!\\)(\w)-(\w)")
_ESCAPE_OR_CAPITALS = re.compile(r"\\.|\(\?P|[A-Z]+", re.S)


def _lowers_safely(pattern: str) -> bool:
    if _UNSAFE_SYNTAX.search(pattern):
        return False
    for cls in _CLASS.findall(pattern):
        for a, b in _RANGE.findall(cls):
            if not (a.islower() and b.islower() or a.isupper() and b.isupper() or a.isdigit() and b.isdigit()):
                return False
    return True


def _lowered_pattern(pattern: str) -> str:
    """The pattern with its literals lower-cased and its escapes (\\W, \\S, \\B) left as they are."""
    # escapes and "(?P" (named groups) stay as written
    return _ESCAPE_OR_CAPITALS.sub(lambda m: m[0] if m[0][0] in "\\(" else m[0].lower(), pattern)


def _required_starts(items: Any, limit: int = 64) -> tuple[set[str], bool] | None:
    """The literal strings one of which every match of the parsed pattern items starts with, and whether
    they spell the items out completely; None when no such strings are known. Zero-width items (\\b,
    look-arounds) consume nothing, so they are passed over."""
    starts = {""}
    for op, arg in items:
        name = str(op)
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue
        if name == "LITERAL":
            starts = {p + chr(arg) for p in starts}
            continue
        if name == "IN" and all(str(o) == "LITERAL" for o, _ in arg):
            options: set[str] | None = {chr(c) for _, c in arg}
            complete = True
        elif name == "BRANCH":
            options, complete = set(), True
            for branch in arg[1]:
                found = _required_starts(branch, limit)
                if found is None or "" in found[0]:
                    return (starts, False) if starts != {""} else None
                options |= found[0]
                complete = complete and found[1]
        elif name == "SUBPATTERN" and not arg[1] and not arg[2]:  # a group without its own flags
            found = _required_starts(arg[3], limit)
            options, complete = (found[0], found[1]) if found else (None, False)
        else:
            options, complete = None, False
        if options is None or "" in options or len(starts) * len(options) > limit:
            return (starts, False) if starts != {""} else None
        starts = {p + q for p in starts for q in options}
        if not complete:
            return starts, False
    return starts, True


def required_starts(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings one of which is in every text the pattern matches (lower-cased for IGNORECASE patterns),
    so that a text holding none of them need not be searched; None when the pattern gives none."""
    try:
        found = _required_starts(_parser.parse(pattern.pattern, pattern.flags).data)
    except Exception:  # the parser is private: without it there is no shortcut, never a wrong answer
        return None
    if not found or not all(found[0]) or not all(p.isascii() for p in found[0]):
        return None
    starts = sorted({p.lower() if pattern.flags & re.IGNORECASE else p for p in found[0]})
    # a text holding "motor strength" holds "motor": the shorter string alone tells as much
    return tuple(p for p in starts if not any(p != q and p.startswith(q) for q in starts))


# (text, its lower-cased form or None): one tuple, replaced whole, so that threads never see half of it
_last: tuple[str | None, str | None] = (None, None)


try:  # the pattern parser is private to the re module: without it there are no shortcuts, never wrong answers
    import re._constants as _constants
    import re._parser as _parser

    _LITERAL, _BRANCH, _SUBPATTERN = _constants.LITERAL, _constants.BRANCH, _constants.SUBPATTERN
    _REPEATS: tuple[Any, ...] = (_constants.MAX_REPEAT, _constants.MIN_REPEAT)
except ImportError:  # pragma: no cover
    _parser = None


def _required(items: list[tuple[Any, Any]]) -> set[str] | None:
    """Words (lower case) one of which any match of this sequence of the parsed pattern contains: its
    longest run of plain characters, else what a group it cannot skip requires; None when it cannot tell."""
    best = run = ""
    for op, arg in items:
        run = run + chr(arg).lower() if op is _LITERAL else ""
        best = max(best, run, key=len)
    if len(best) >= 3:
        return {best}
    for op, arg in items:
        if op is _BRANCH:  # a group without capture, (?:a|b), is parsed in line as a branch
            found = _alternatives([(op, arg)])
        else:
            inner = list(arg[-1]) if op is _SUBPATTERN else list(arg[2]) if op in _REPEATS and arg[0] >= 1 else None
            found = _alternatives(inner) if inner is not None else None
        if found:
            return found
    return None


def _alternatives(items: list[tuple[Any, Any]]) -> set[str] | None:
    branches = [list(b) for b in items[0][1][1]] if len(items) == 1 and items[0][0] is _BRANCH else [items]
    words: set[str] = set()
    for branch in branches:
        found = _required(branch)
        if found is None:
            return None
        words |= found
    return words


def required_words(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Words one of which every match contains anywhere (lower case), so that a text holding none of them is
    skipped without running the pattern; None when some alternative has no such word. Unlike
    required_starts, the words need not begin the match: "(?:no|without) relief" gives "relief"."""
    if _parser is None:
        return None
    found = _alternatives(list(_parser.parse(pattern.pattern, pattern.flags)))
    return tuple(sorted(found)) if found else None


def ascii_lowered(text: str) -> str | None:
    """text lower-cased when it is ASCII (offsets then stay put), else None. The last answer is kept:
    many gates in a row ask about the same sentence."""
    global _last
    last = _last
    if last[0] is text:
        return last[1]
    lowered = text.lower() if text.isascii() else None
    _last = (text, lowered)
    return lowered


def _contains_any(starts: tuple[str, ...]) -> Callable[[str], bool]:
    """A test of whether a text holds one of starts, as cheap as it gets: `in` for one string, one scan
    of an automaton for several."""
    if len(starts) == 1:
        only = starts[0]
        return lambda text: only in text
    # one pass of an Aho-Corasick automaton: a regular expression alternation tries each string at each place
    return AnchorIndex({0: starts}).holds_any


class FastGate:
    """A pattern's search, as fast as the text allows, finding exactly what the pattern finds.

    Two shortcuts, both exact: a text that holds none of the literal strings every match starts with
    (required_starts) is not searched; and Python's engine, several times slower on IGNORECASE patterns,
    searches the lower-cased ASCII text (the records, nearly always) with the lower-cased pattern, which
    matches at the same offsets. Patterns whose syntax lower-casing could change keep their own search.
    The match may hold lower-cased characters: use its offsets and group numbers, not its text."""

    __slots__ = ("pattern", "starts", "folded", "_lowered", "_may_match", "_folded")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self._folded = self.folded = bool(pattern.flags & re.IGNORECASE)
        plain = self._folded and pattern.pattern.isascii() and _lowers_safely(pattern.pattern)
        self._lowered = re.compile(_lowered_pattern(pattern.pattern), pattern.flags & ~re.IGNORECASE) if plain else None
        starts = self.starts = required_starts(pattern)  # lower-cased for IGNORECASE patterns
        self._may_match = _contains_any(starts) if starts else None

    def _text(self, text: str) -> tuple[str, re.Pattern[str]] | None:
        """The text and pattern to search, or None when the text cannot match."""
        if not self._folded:
            if self._may_match is not None and not self._may_match(text):
                return None
            return text, self.pattern
        lowered = ascii_lowered(text)
        if lowered is None:
            return text, self.pattern
        if self._may_match is not None and not self._may_match(lowered):
            return None
        return (lowered, self._lowered) if self._lowered is not None else (text, self.pattern)

    def may_match(self, text: str) -> bool:
        """False only when the text cannot match: it holds none of the required literal starts."""
        if self._may_match is None:
            return True
        if not self._folded:
            return self._may_match(text)
        lowered = ascii_lowered(text)
        return lowered is None or self._may_match(lowered)

    def finditer_gated(self, text: str, lowered: str | None) -> Iterator[re.Match[str]]:
        """finditer for a caller that has already tested the required words itself (an anchor index) and
        holds the text lower-cased (None when the text is not ASCII): no second test, no second lowering."""
        if lowered is not None and self._lowered is not None:
            return self._lowered.finditer(lowered)
        return self.pattern.finditer(text)

    def search(self, text: str) -> re.Match[str] | None:
        found = self._text(text)
        return found[1].search(found[0]) if found else None

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        found = self._text(text)
        return found[1].finditer(found[0], pos, endpos) if found else iter(())


class Alternatives:
    """`(a0)|(a1)|...`: a long alternation of phrases, each its own group, searched for which phrase matched.

    The full alternation tries every phrase at every position. Only phrases whose required literal starts
    occur in the text can match anywhere, so the search runs an alternation of those alone, in their order
    (compiled once per set of phrases present); dropping phrases that match nowhere changes no match of a
    leftmost-first search. The matches are the full pattern's, on the original text."""

    def __init__(self, phrases: list[str], flags: int = 0) -> None:
        self.pattern = re.compile("|".join(f"({p})" for p in phrases), flags)
        self._phrases = phrases
        self._flags = flags
        self._folded = bool(flags & re.IGNORECASE)
        compiled = [re.compile(p, flags) for p in phrases]
        # a phrase with groups of its own would shift the numbering: no shortcut then
        self._exact = all(c.groups == 0 for c in compiled)
        self._starts = [required_starts(c) for c in compiled]
        self._index = AnchorIndex(dict(enumerate(self._starts)))
        self._reduced: dict[tuple[int, ...], re.Pattern[str]] = {}

    def _present(self, text: str) -> tuple[int, ...] | None:
        """Indexes of the phrases that may match text; None when every phrase may."""
        lowered = ascii_lowered(text) if self._folded else text
        if lowered is None or not self._exact:
            return None
        return tuple(sorted(self._index.keys_in(lowered)))

    def finditer(self, text: str) -> Iterator[tuple[int, re.Match[str]]]:
        """(index of the phrase, match) for each match of the full pattern, in order."""
        present = self._present(text)
        if present is None or len(present) == len(self._phrases):
            for m in self.pattern.finditer(text):
                if m.lastindex:
                    yield m.lastindex - 1, m
            return
        if not present:
            return
        pattern = self._reduced.get(present)
        if pattern is None:
            if len(self._reduced) > 512:  # a bound on memory for texts of every mix of phrases
                self._reduced.clear()
            pattern = self._reduced[present] = re.compile(
                "|".join(f"({self._phrases[i]})" for i in present), self._flags)
        for m in pattern.finditer(text):
            if m.lastindex:
                yield present[m.lastindex - 1], m


class AnchorIndex(Generic[K]):
    """Which keys may match a lower-cased text, each key known by anchor words one of which any match of it
    contains (None: cannot tell, always a candidate): one pass over the text however many anchors there are
    (an Aho-Corasick automaton, pyahocorasick)."""

    def __init__(self, anchors_of: Mapping[K, tuple[str, ...] | None]) -> None:
        import ahocorasick

        self.always = frozenset(key for key, anchors in anchors_of.items() if anchors is None)
        keys_of: dict[str, list[K]] = {}
        for key, anchors in anchors_of.items():
            for anchor in anchors or ():
                keys_of.setdefault(anchor, []).append(key)
        self._keys_of = {anchor: tuple(keys) for anchor, keys in keys_of.items()}
        self._automaton = ahocorasick.Automaton()
        for anchor in keys_of:
            self._automaton.add_word(anchor, anchor)
        if keys_of:
            self._automaton.make_automaton()

    def holds_any(self, lower: str) -> bool:
        """Whether the text holds one of the anchors at all."""
        return bool(self._keys_of) and next(self._automaton.iter(lower), None) is not None

    def keys_in(self, lower: str) -> set[K]:
        """The keys without anchors, and those one of whose anchors the text holds."""
        found = set(self.always)
        if self._keys_of:
            keys_of = self._keys_of
            for _, anchor in self._automaton.iter(lower):
                found.update(keys_of[anchor])
        return found
