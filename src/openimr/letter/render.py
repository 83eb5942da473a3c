"""Renders the letter from Jinja templates; the template decides the layout, content.py the values."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape

from openimr.letter.content import LetterContent
from openimr.letter.formats import FORMATS

HOW_MADE = (
    "The complete case file was sent to an expert reviewer. He/she has no affiliation with the employer, "
    "employee, providers or the claims administrator. He/she has been in active clinical practice for more "
    "than five years and is currently working at least 24 hours a week in active practice. The expert "
    "reviewer was selected based on his/her clinical experience, education, background, and expertise in "
    "the same or similar specialties that evaluate and/or treat the medical condition and disputed "
    "items/Service. He/she is familiar with governing laws and regulations, including the strength of "
    "evidence hierarchy that applies to Independent Medical Review determinations.")
DRAFT_MARK = "DRAFT \u2013 NOT SIGNED: this letter is not a Final Determination until the expert reviewer signs it."
NO_REVIEWER = ("No expert reviewer has been assigned to this case yet; the reviewer's licensure and specialty "
               "appear here once one is.")


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(loader=PackageLoader("openimr", "letter/templates"),
                       autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def signature_text(letter: LetterContent) -> str:
    """The signature block: who signed (credentials, never the name) and the determination date."""
    sig, rev = letter.signature, letter.reviewer
    if sig is None or rev is None:
        return ("Not signed. This draft becomes the Final Determination when the assigned expert reviewer, "
                "a physician, signs it; the date of determination is the date of signature.")
    degree = f", {sig.degree}" if sig.degree else ""
    licensed = f", licensed in {', '.join(rev.licensure)}" if rev.licensure else ""
    specialty = f", {', '.join(rev.specialty)}" if rev.specialty else ""
    return (f"Electronically signed by the Expert Reviewer{degree}{specialty}{licensed}. "
            f"Date of determination: {sig.date.strftime('%m/%d/%Y')}.")


def render_content(letter: LetterContent, fmt: str, paged: bool = False) -> str:
    """The letter in a text format (text, md, html); paged=True lays the HTML out for print."""
    template = _env().get_template(FORMATS[fmt])
    return template.render(letter=letter, how_made=HOW_MADE, draft_mark=DRAFT_MARK, no_reviewer=NO_REVIEWER,
                           signature_text=signature_text(letter), paged=paged)
