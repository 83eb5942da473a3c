"""Recognizers, one small module per family of facts; importing this package registers them all."""

from openimr.facts.recognizers import admin, concepts, demographics, findings, treatment

__all__ = ["admin", "concepts", "demographics", "findings", "treatment"]
