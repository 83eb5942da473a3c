"""The Final Determination Letter: templates per format, rendered from a case and its determination."""

from __future__ import annotations

from typing import Any

from openimr.letter.formats import FORMATS

__all__ = ["FORMATS", "render_letter"]


def render_letter(*args: Any, **kwargs: Any) -> str:
    # imported on first use: Jinja and the model cost start-up time that `openimr --help` need not pay
    from openimr.letter.render import render_letter as render

    return render(*args, **kwargs)
