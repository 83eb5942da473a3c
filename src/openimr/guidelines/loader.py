"""Loads and validates the rule files; resolves citations to the edition in force on a date."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import yaml
from pydantic import ValidationError

from openimr import yamlload
from openimr.errors import InputError
from openimr.guidelines.schema import CitationRef, Gate, GuidelineSource, Rule
from openimr.model import Citation

SOURCES_FILE = "_sources.yaml"
GATES_FILE = "_gates.yaml"


class KnowledgeBase:
    def __init__(self, sources: dict[str, GuidelineSource], rules: list[Rule], files: dict[str, str],
                 gates: list[Gate] | None = None):
        self.sources = sources
        self.rules = rules
        self.gates = gates or []
        self.files = files  # rule id -> file it came from
        self.by_topic: dict[str, list[Rule]] = {}
        for rule in rules:
            for topic in rule.applies_to.topics:
                self.by_topic.setdefault(topic, []).append(rule)

    def source(self, ref: CitationRef) -> GuidelineSource:
        return self.sources[ref.guideline]

    def is_mtus(self, rule: Rule) -> bool:
        return self.source(rule.citation).mtus

    def cite(self, ref: CitationRef, on: dt.date | None) -> Citation:
        """The citation as of date `on`: the latest edition already in force (the newest when undated)."""
        src = self.source(ref)
        edition = None
        if src.editions:
            in_force = [e for e in src.editions if on is None or e.effective <= on] or src.editions[:1]
            edition = max(in_force, key=lambda e: e.effective)
        name = edition.name if edition and edition.name else src.name
        return Citation(
            guideline=name,
            edition=edition.edition if edition else None,
            section=ref.section,
            pages=ref.pages,
            mtus=src.mtus,
            cite_by=edition.cite_by if edition else ("pages" if ref.pages and not ref.section else "section"),
        )


def _read_yaml(path: Traversable, where: str) -> Any:
    try:
        return yamlload.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(f"{where}: invalid YAML ({exc})") from None


def load_from(folder: Traversable) -> KnowledgeBase:
    """Load every rule file in folder (a Path or an importlib Traversable)."""
    raw_sources = _read_yaml(folder.joinpath(SOURCES_FILE), SOURCES_FILE)
    try:
        sources = {s["id"]: GuidelineSource.model_validate(s) for s in raw_sources["guidelines"]}
    except (ValidationError, KeyError, TypeError) as exc:
        raise InputError(f"{SOURCES_FILE}: {exc}") from None
    rules: list[Rule] = []
    files: dict[str, str] = {}
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".yaml") or entry.name.startswith("_"):
            continue
        data = _read_yaml(entry, entry.name)
        items: list[Any] = data["rules"] if isinstance(data, dict) and isinstance(data.get("rules"), list) else [data]
        for i, item in enumerate(items):
            try:
                rule = Rule.model_validate(item)
            except ValidationError as exc:
                err = exc.errors()[0]
                loc = ".".join(str(p) for p in err["loc"])
                raise InputError(f"{entry.name}: rule {i}: {loc}: {err['msg']}") from None
            for ref in [rule.citation, *rule.also_cite, *(c.citation for c in rule.criteria if c.citation)]:
                if ref.guideline not in sources:
                    raise InputError(f"{entry.name}: rule {rule.id}: unknown guideline {ref.guideline!r}")
            if rule.id in files:
                raise InputError(f"{entry.name}: rule id {rule.id!r} already defined in {files[rule.id]}")
            files[rule.id] = entry.name
            rules.append(rule)
    return KnowledgeBase(sources, rules, files, _load_gates(folder, sources))


def _load_gates(folder: Traversable, sources: dict[str, GuidelineSource]) -> list[Gate]:
    path = folder.joinpath(GATES_FILE)
    if not path.is_file():
        return []
    data = _read_yaml(path, GATES_FILE)
    gates = []
    for i, item in enumerate(data.get("gates", []) if isinstance(data, dict) else []):
        try:
            gate = Gate.model_validate(item)
        except ValidationError as exc:
            err = exc.errors()[0]
            raise InputError(f"{GATES_FILE}: gate {i}: {'.'.join(str(p) for p in err['loc'])}: {err['msg']}") from None
        if gate.citation.guideline not in sources:
            raise InputError(f"{GATES_FILE}: gate {gate.id}: unknown guideline {gate.citation.guideline!r}")
        gates.append(gate)
    return gates


@lru_cache(maxsize=1)
def load_knowledge_base() -> KnowledgeBase:
    """The packaged knowledge base, loaded once per process."""
    return load_from(resources.files("openimr").joinpath("guidelines/data"))
