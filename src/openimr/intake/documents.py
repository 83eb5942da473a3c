"""Document text: inline, read from a .txt or .pdf file next to the case file, or from an uploaded file."""

from __future__ import annotations

import os
import stat
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


def contained_path(given: str, base: Path) -> Path:
    """The file a case file names, which must lie inside the case file's folder (base), symlinks resolved,
    and be a regular file. A case file comes from outside; it must not make the tool read /etc/passwd, a
    neighbour's records, or a FIFO that would block forever."""
    raw = Path(given)
    if raw.is_absolute():
        raise InputError(f"{given}: an absolute path; a document path is relative to the case file's folder")
    folder = base.resolve()
    try:
        resolved = (folder / raw).resolve(strict=True)
    except FileNotFoundError:
        raise InputError(f"{given}: no such file") from None
    except (OSError, RuntimeError, ValueError) as exc:  # a symlink loop, a name too long, a NUL byte
        raise InputError(f"{given}: cannot be read ({getattr(exc, 'strerror', None) or exc})") from None
    if not resolved.is_relative_to(folder):
        raise InputError(f"{given}: outside the case file's folder; documents are read only from inside it")
    try:
        mode = os.stat(resolved).st_mode
    except OSError as exc:
        raise InputError(f"{given}: cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(mode):
        raise InputError(f"{given}: is a folder, not a file")
    if not stat.S_ISREG(mode):
        raise InputError(f"{given}: not a regular file (a pipe, socket or device is never read)")
    return resolved


def document_text(doc: Document, base: Path | None) -> str:
    """The document's text, reading its file when it is given by path. base is the folder of the case file;
    without one (a case that came over the network), no path is read at all."""
    if doc.text is not None:
        return doc.text
    assert doc.path is not None  # the model guarantees text or path
    if base is None:
        raise InputError("the case came without a folder: it takes document text, not a server path")
    path = contained_path(doc.path, base)
    if path.suffix.lower() == ".pdf":
        return read_pdf_text(path)
    return _read_regular_utf8(path, doc.path)


def _read_regular_utf8(path: Path, label: str) -> str:
    """Read a file found to be regular; O_NONBLOCK and a second fstat close the gap in which it could be
    swapped for a FIFO after the check."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputError(f"{label}: cannot be read ({exc.strerror or exc})") from None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise InputError(f"{label}: not a regular file (a pipe, socket or device is never read)")
        data = fh.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{label}: not UTF-8 text") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")  # as text mode reads it
