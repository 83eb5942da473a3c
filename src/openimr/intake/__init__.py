"""Intake: case files (JSON or YAML) and their documents (text or PDF) become a validated Case."""

from openimr.intake.casefile import case_from_mapping, load_case, parse_case_text, read_case
from openimr.intake.documents import (
           TextTooLarge,
           UnsupportedFileType,
           document_text,
           read_pdf_text,
           uploaded_text,
)

__all__ = ["TextTooLarge", "UnsupportedFileType", "case_from_mapping", "document_text", "load_case",
           "parse_case_text", "read_case", "read_pdf_text", "uploaded_text"]
