"""Shared test fixtures: paths to the repository, its examples and the shared corpus beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
DEV_CORPUS = SHARED / "corpus" / "dwc-imr-2016" / "dev"


@pytest.fixture
def seed_case_path() -> Path:
    return EXAMPLES / "seed-case.yaml"


def needs_dev_corpus() -> pytest.MarkDecorator:
    return pytest.mark.skipif(not DEV_CORPUS.is_dir(), reason="shared dev corpus not present beside the repo")
