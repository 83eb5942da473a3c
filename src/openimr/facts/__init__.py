"""Clinical facts with source spans, read from a case's documents."""

from openimr.facts.extract import FactSet, extract_case_facts, extract_text_facts

__all__ = ["FactSet", "extract_case_facts", "extract_text_facts"]
