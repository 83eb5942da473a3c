"""Recognizers, one small module per family of facts; importing this package registers them all."""

from openimr.facts.recognizers import admin, demographics, findings, treatment

__all__ = ["admin", "demographics", "findings", "treatment"]
