"""The table of every rule with its citation, for docs/knowledge-base.md.

`python -m openimr.guidelines.catalog docs/knowledge-base.md` rewrites the table between the markers;
tests/test_kb_docs.py fails when the committed table is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from openimr.guidelines.loader import KnowledgeBase, load_knowledge_base

BEGIN = "<!-- topic-table:begin -->"
END = "<!-- topic-table:end -->"


def topic_table(kb: KnowledgeBase) -> str:
    rows = ["| Rule | File | Topics | Applies to | Status | Citation |", "|---|---|---|---|---|---|"]
    for rule in sorted(kb.rules, key=lambda r: (kb.files[r.id], r.id)):
        a = rule.applies_to
        scope = ", ".join(filter(None, [
            "regions: " + "/".join(a.regions) if a.regions else "",
            "phases: " + "/".join(a.phases) if a.phases else "",
            ("post-surgical" if a.post_surgical else "not post-surgical") if a.post_surgical is not None else "",
            f"when {a.when}" if a.when else "",
        ])) or "any"
        src = kb.source(rule.citation)
        where = rule.citation.section or ""
        if rule.citation.pages:
            where += f" (pp. {rule.citation.pages})"
        cite = f"{src.name}{'' if src.mtus else ' (Non-MTUS)'}: {where}".rstrip(": ")
        rows.append(f"| `{rule.id}` | {kb.files[rule.id]} | {', '.join(a.topics)} | {scope} | {rule.status} | {cite} |")
    return "\n".join(rows)


def render_into(text: str, kb: KnowledgeBase) -> str:
    """text with the part between the markers replaced by the current table."""
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{topic_table(kb)}\n{END}{tail}"


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else Path("docs/knowledge-base.md")
    path.write_text(render_into(path.read_text(encoding="utf-8"), load_knowledge_base()), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
