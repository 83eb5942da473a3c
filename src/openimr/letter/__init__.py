"""The Final Determination Letter: templates per format, rendered from a case and its determination."""

from __future__ import annotations

from typing import TYPE_CHECKING

from openimr.letter.formats import FORMATS

if TYPE_CHECKING:
    from openimr.model import Case, Determination

__all__ = ["FORMATS", "render_letter"]


def render_letter(case: Case, determination: Determination, fmt: str = "text") -> str:
    # imported on first use: Jinja and the model cost start-up time that `openimr --help` need not pay
    from openimr.letter.render import render_letter as render

    return render(case, determination, fmt)
