"""On every development letter, every met criterion quotes the record: its sources are the case document's own
characters, and nothing outside the facts layer reads the records' words."""

from __future__ import annotations

import re
from pathlib import Path

from openimr.corpus.evaluate import build_case
from openimr.corpus.sources import each_record
from openimr.decide import decide_case
from openimr.guidelines import load_knowledge_base
from tests.conftest import DEV_CORPUS, ROOT, needs_dev_corpus


@needs_dev_corpus()
def test_every_met_criterion_on_the_dev_letters_quotes_its_record() -> None:
    kb = load_knowledge_base()
    records: list = []
    each_record([str(DEV_CORPUS)], 1, records.append)
    met = 0
    for record in records:
        case = build_case(record)
        for decision in decide_case(case, kb).decisions:
            assert 0 <= decision.confidence <= 1 and decision.disposition in ("clear", "refer")
            assert decision.disposition == "clear" or decision.refer_reason
            for c in decision.criteria:
                if c.status == "met":
                    met += 1
                    assert c.sources, (case.case_number, decision.item, c.id)
                for s in c.sources:
                    assert (case.documents[s.document].text or "")[s.start:s.end] == s.text
    assert met > 20  # the check is not vacuous


def test_no_module_outside_the_facts_layer_matches_patterns_against_record_text() -> None:
    pattern = re.compile(r"\.text\b.*re\.(search|finditer|findall|match)\(|re\.(search|finditer|findall|match)\([^)]*\.text\b")
    offenders = [str(p.relative_to(ROOT)) for folder in ("decide", "guidelines")
                 for p in Path(ROOT / "src" / "openimr" / folder).rglob("*.py") if pattern.search(p.read_text())]
    assert not offenders
    assert not (ROOT / "src" / "openimr" / "decide" / "signals.py").exists()
