"""The criterion expression language: safe, and three-valued (None = not documented)."""

from __future__ import annotations

import pytest

from openimr.guidelines.expr import ExpressionError, evaluate

NAMES = {"x": 3, "none": None, "f": lambda a: a * 2, "obj": {"count": 4}}


@pytest.mark.parametrize(("source", "expected"), [
    ("x + 1 <= 4", True),
    ("none <= 4", None),
    ("none and False", False),
    ("none or True", True),
    ("none and True", None),
    ("not none", None),
    ("obj.count == 4", True),
    ("none.count", None),
    ("f(x) == 6", True),
    ("x in [1, 2, 3]", True),
    ("none is None", True),
    ("1 if x > 2 else 0", 1),
])
def test_three_valued_logic(source: str, expected: object) -> None:
    assert evaluate(source, NAMES) == expected


@pytest.mark.parametrize("source", ["__import__('os')", "x.__class__", "[y for y in x]", "lambda: 1", "open('f')"])
def test_unsafe_expressions_are_refused(source: str) -> None:
    with pytest.raises(ExpressionError):
        evaluate(source, NAMES)
