"""The Final Determination Letter: templates per format, rendered from a case and its determination."""

from openimr.letter.render import FORMATS, render_letter

__all__ = ["FORMATS", "render_letter"]
