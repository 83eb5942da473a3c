"""The Final Determination Letter: one content model rendered as text, Markdown, HTML or PDF."""

from __future__ import annotations

from typing import TYPE_CHECKING

from openimr.letter.formats import FORMATS

if TYPE_CHECKING:
    from openimr.letter.content import LetterContent
    from openimr.letter.redact import Redaction
    from openimr.model import Case, Determination

__all__ = ["FORMATS", "render_letter", "render_letter_bytes"]


def render_letter(case: Case, determination: Determination, fmt: str = "text", public: bool = False) -> str:
    """The letter in a text format (text, md, html)."""
    letter, _ = _content(case, determination, public)
    from openimr.letter.render import render_content

    return render_content(letter, fmt)


def render_letter_bytes(case: Case, determination: Determination, fmt: str = "text",
                        public: bool = False) -> tuple[bytes, list[Redaction]]:
    """The letter in any format as bytes (PDF, or UTF-8 text), and what the public copy removed."""
    letter, removed = _content(case, determination, public)
    if fmt == "pdf":
        from openimr.letter.pdf import render_pdf

        return render_pdf(letter), removed
    from openimr.letter.render import render_content

    return render_content(letter, fmt).encode("utf-8"), removed


def _content(case: Case, determination: Determination, public: bool) -> tuple[LetterContent, list[Redaction]]:
    # imported on first use: Jinja and the model cost start-up time that `openimr --help` need not pay
    from openimr.letter.content import letter_content

    letter = letter_content(case, determination)
    if not public:
        return letter, []
    from openimr.letter.redact import redact_letter

    return redact_letter(letter, case)
