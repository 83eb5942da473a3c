"""Document text: inline, read from a .txt or .pdf file next to the case file, or from an uploaded file."""

from __future__ import annotations

import threading
from pathlib import Path

from openimr.errors import InputError
from openimr.model import Document

# pdfium is not thread-safe, and the service extracts uploads on worker threads: one extraction at a time
_PDFIUM = threading.Lock()


def read_pdf_text(path: Path) -> str:
    """Text layer of a PDF, pages joined by form feeds. Encrypted PDFs with an empty password open as is."""
    return _pdf_text(str(path), str(path))


class TextTooLarge(InputError):
    """A document whose text is longer than the caller allows (pages of a PDF can share one content stream,
    so a small file can hold megabytes of text)."""


def pdf_bytes_text(data: bytes, label: str, max_chars: int | None = None) -> str:
    """read_pdf_text for a PDF held in memory (an upload); label names it in error messages. Extraction stops
    with TextTooLarge as soon as the text passes max_chars."""
    return _pdf_text(data, label, max_chars)


def _pdf_text(source: str | bytes, label: str, max_chars: int | None = None) -> str:
    import pypdfium2 as pdfium  # imported here: only PDF inputs pay for it

    with _PDFIUM:
        try:
            pdf = pdfium.PdfDocument(source)
        except Exception as exc:  # pdfium raises its own error types; all mean "cannot read"
            raise InputError(f"{label}: not a readable PDF ({exc})") from None
        try:
            pages = []
            size = 0
            for page in pdf:
                textpage = page.get_textpage()
                pages.append(textpage.get_text_range())
                textpage.close()
                page.close()
                size += len(pages[-1]) + 1
                if max_chars is not None and size > max_chars:
                    raise TextTooLarge(f"{label}: its text is longer than the limit of {max_chars} characters "
                                       f"(reached on page {len(pages)})")
            return "\f".join(pages).replace("\r\n", "\n").replace("\r", "\n")
        finally:
            pdf.close()


class UnsupportedFileType(InputError):
    """An uploaded file that is neither a PDF nor plain text."""


def uploaded_text(data: bytes, filename: str, content_type: str | None, max_chars: int | None = None) -> str:
    """The text of an uploaded PDF or UTF-8 text file, or one InputError naming what is wrong with it.

    A PDF is known by its signature (the bytes, not the name, decide); text by a .txt name or a text/plain type.
    """
    label = filename or "the upload"
    declared = (content_type or "").split(";")[0].strip().lower()
    named_pdf = filename.lower().endswith(".pdf") or declared == "application/pdf"
    if not data:
        raise InputError(f"{label}: the file is empty")
    if data.lstrip()[:5] == b"%PDF-":
        text = pdf_bytes_text(data, label, max_chars)
        if not text.replace("\f", "").strip():
            raise InputError(f"{label}: the PDF has no text layer (a scanned image?); only PDFs with text "
                             "can be read")
        return text
    if named_pdf:
        raise InputError(f"{label}: not a readable PDF (it does not start with the %PDF- signature)")
    if not (filename.lower().endswith(".txt") or declared == "text/plain"):
        raise UnsupportedFileType(f"{label}: only PDF or UTF-8 text (.txt) files can be uploaded, not "
                                  f"{declared or 'this file type'}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{label}: not UTF-8 text") from None
    if max_chars is not None and len(text) > max_chars:
        raise TextTooLarge(f"{label}: its text is longer than the limit of {max_chars} characters")
    if not text.strip():
        raise InputError(f"{label}: the file has no text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


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
