"""A sentence's offset map (stretches and bisection) gives the same source offsets as the per-character map."""

from __future__ import annotations

import random

from openimr.facts.text import Sentence, normalize


def test_offsets_agree_with_the_per_character_map() -> None:
    rng = random.Random(1)
    pieces = ["a", "b", "-", " ", "\n", "\t", "  ", "-\n", "x-\n  y", "\r\n", "10/", "é"]
    checked = 0
    for _ in range(5000):
        raw = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 30)))
        norm, index = normalize(raw)
        if norm == raw:
            continue
        s = Sentence(0, len(raw), norm, raw)
        assert [s.src(i) for i in range(len(norm) + 1)] == list(index), raw
        assert [s.src_end(i) for i in range(1, len(norm) + 1)] == [index[i - 1] + 1 for i in range(1, len(norm) + 1)]
        checked += 1
    assert checked > 3000


def test_a_text_without_sentence_ends_is_read_in_bounded_pieces_cut_at_line_breaks() -> None:
    from openimr.facts.text import MAX_SENTENCE, sentences

    line = "lumbar pain radiating to the left leg with numbness, physical therapy 6 sessions, non-\ncertified"
    text = "\n".join(f"{line} {i}" for i in range(400))  # no full stop anywhere: one sentence by the usual rules
    pieces = sentences(text)
    assert len(pieces) > len(text) // MAX_SENTENCE
    assert all(len(s.source) <= MAX_SENTENCE and s.source == text[s.start : s.end] for s in pieces)
    assert all(text[s.end] == "\n" for s in pieces[:-1])  # cut at line breaks
    assert not any(s.source.endswith("-") for s in pieces)  # never inside a hyphen's wrap
    assert "".join(text[s.start : s.end] for s in pieces).replace("\n", "") == text.replace("\n", "")
