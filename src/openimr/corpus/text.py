"""Letter text: read a PDF or .txt file and normalize what text extraction leaves behind.

pypdfium2 and pypdf differ in small ways: CRLF against LF, soft-hyphen marks (U+FFFE) against a
hyphen at the end of a line, blank lines or none. Both are brought to one form here so that a PDF
and its text layer give the same record.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path


class LetterError(Exception):
    """A letter that cannot be read or parsed; the message names the problem (not the file)."""


def read_pdf(path: Path) -> str:
    import pypdfium2 as pdfium  # only PDF inputs pay for it

    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception as exc:  # pdfium's error types all mean "cannot read"
        raise LetterError(f"not a readable PDF ({exc})") from None
    try:
        pages = []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\f".join(pages)
    finally:
        pdf.close()


def read_letter_text(path: Path) -> str:
    """The raw text of a letter file (.pdf, or any other file read as UTF-8 text)."""
    if path.suffix.lower() == ".pdf":
        return read_pdf(path)
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise LetterError("not UTF-8 text") from None
    except OSError as exc:
        raise LetterError(exc.strerror or "cannot read") from None


_WRAP_HYPHEN = re.compile(r"(?<=\w)-\n(?=\w)")
# the running lines openimr's own PDF letters print on every page (openimr.letter): the footer
# "Case Number: X Page n of m", the draft mark and its watermark. Published letters have none.
_RUNNING = re.compile(r"(?m)^[ \t]*(?:Case Number: \S+ +Page \d+ of \d+|DRAFT(?: \u2013 NOT SIGNED)?)[ \t]*(?:\n|$)")


def normalize(raw: str) -> str:
    """One text form for every extractor: LF line ends, page breaks as line breaks, hyphenated wraps
    joined ("guide-\\nlines" and pdfium's "guide\\ufffelines" both become "guide-lines": the hyphen is
    kept because most wrapped hyphens in these letters are real, as in "x-rays" or "non-certified")."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = text.replace("\ufffe", "-").replace("\u00ad", "-").replace("\u00a0", " ")
    text = _RUNNING.sub("", text)
    text = _WRAP_HYPHEN.sub("-", text)
    return text


def clean(text: str) -> str:
    """Runs of whitespace as one space, ends stripped."""
    return " ".join(text.split())


_DATE = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{2,4})")


def iso_date(text: str | None) -> str | None:
    """"11/09/2016" -> "2016-11-09"; None when there is no valid date."""
    if not text:
        return None
    m = _DATE.search(text)
    if not m:
        return None
    month, day, year = int(m[1]), int(m[2]), int(m[3])
    if year < 100:
        year += 2000
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def split_list(text: str | None) -> list[str]:
    """"California,North Carolina" -> ["California", "North Carolina"]."""
    if not text:
        return []
    return [p.strip() for p in re.split(r"\s*[,;]\s*", clean(text)) if p.strip()]
