"""Where the shared development letters are, for the corpus tests (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
DEV = SHARED / "corpus" / "dwc-imr-2016" / "dev"
SEED = SHARED / "seed" / "000_8ce731e17db22104.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "letters"

needs_dev = pytest.mark.skipif(not DEV.is_dir(), reason="shared development letters not present")
needs_seed = pytest.mark.skipif(not SEED.is_file(), reason="shared seed letter not present")
