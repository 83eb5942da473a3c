"""The letter as PDF: the paged HTML laid out by WeasyPrint (Pango, HarfBuzz and fontconfig from the
system), fonts embedded as subsets, a text layer, PDF/UA tags.

WeasyPrint is imported here only: it needs the system's Pango, and everything else in the project
works without it. A missing library is one clear InputError-like message, not a traceback."""

from __future__ import annotations

from typing import Any

from openimr.letter.content import LetterContent
from openimr.letter.render import render_content


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it loads (Pango) are not installed."""


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: the Python package is there but libpango is not
        raise PdfUnavailable(f"PDF letters need WeasyPrint and the system's Pango library "
                             f"(scripts/ci-system-packages.sh installs them): {exc}") from None
    return weasyprint


def render_pdf(letter: LetterContent) -> bytes:
    weasyprint = _weasyprint()
    html = render_content(letter, "pdf", paged=True)
    title = f"IMR Final Determination {letter.case_number}" + (" (public copy)" if letter.public else "")
    document = weasyprint.HTML(string=html).render()
    document.metadata.title = title
    document.metadata.authors = ["openimr"]
    pdf: bytes = document.write_pdf(pdf_tags=True)
    return pdf
