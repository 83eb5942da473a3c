"""The guideline knowledge base: rule files (data/), their schema, the loader and the hierarchy."""

from openimr.guidelines.loader import KnowledgeBase, load_knowledge_base

__all__ = ["KnowledgeBase", "load_knowledge_base"]
