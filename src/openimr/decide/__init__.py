"""The decision engine: each disputed item decided against the guideline rules, with criteria and a rationale.

- `context`: the names a criterion's expression may use; each reads facts (never text) and records them;
- `hierarchy`: which rule applies and which the strength-of-evidence hierarchy puts first;
- `rationale`: the words of a decision;
- `disposition`: the engine's confidence, and whether a physician should look closer;
- `engine`: gates, request checks and criteria, decide_item and decide_case.
"""

from openimr.decide.context import CaseContext, CriterionContext
from openimr.decide.engine import decide_case, decide_item
from openimr.decide.hierarchy import select_rule

__all__ = ["CaseContext", "CriterionContext", "decide_case", "decide_item", "select_rule"]
