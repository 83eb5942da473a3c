"""The packaged drug table (data/drugs.yaml): generic and brand names to one entry with its class.

One vocabulary serves both request normalization (what drug is asked for) and fact extraction (what drugs
the records say the patient takes), so that the two never disagree on a drug's class.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

from openimr import yamlload


@lru_cache(maxsize=1)
def drug_table() -> dict[str, dict[str, Any]]:
    """Every generic and brand name, lower-cased, to its drug entry ({name, class, topic?, brands, ...})."""
    text = resources.files("openimr").joinpath("data/drugs.yaml").read_text(encoding="utf-8")
    table: dict[str, dict[str, Any]] = {}
    for drug in yamlload.safe_load(text)["drugs"]:
        for name in [drug["name"], *drug.get("brands", [])]:
            table[str(name).lower()] = drug
    return table
