"""Document text: inline, or read from a .txt or .pdf file next to the case file."""

from __future__ import annotations

from pathlib import Path

from openimr.errors import InputError
from openimr.model import Document


def read_pdf_text(path: Path) -> str:
    """Text layer of a PDF, pages joined by form feeds. Encrypted PDFs with an empty password open as is."""
    import pypdfium2 as pdfium  # imported here: only PDF inputs pay for it

    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception as exc:  # pdfium raises its own error types; all mean "cannot read"
        raise InputError(f"{path}: not a readable PDF ({exc})") from None
    try:
        pages = []
        for page in pdf:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\f".join(pages).replace("\r\n", "\n").replace("\r", "\n")
    finally:
        pdf.close()


def _require_file(path: Path, kind: str) -> None:
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a {kind}")


def read_utf8(path: Path, kind: str = "file") -> str:
    """The text of a UTF-8 file, or one InputError saying why it cannot be had."""
    _require_file(path, kind)
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    except OSError as exc:  # unreadable (permissions, a device): a message, not a traceback
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def read_text_file(path: Path) -> str:
    if path.suffix.lower() == ".pdf":
        _require_file(path, "file")
        return read_pdf_text(path)
    return read_utf8(path)


def document_text(doc: Document, base: Path | None) -> str:
    """The document's text, reading its file when it is given by path."""
    if doc.text is not None:
        return doc.text
    assert doc.path is not None  # the model guarantees text or path
    path = Path(doc.path)
    if not path.is_absolute() and base is not None:
        path = base / path
    return read_text_file(path)
