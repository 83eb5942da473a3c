"""The decision engine: each disputed item decided against the guideline rules, with criteria and a rationale.

- `signals`: patterns read from the documents' words where the extractor gives no fact;
- `context`: the names a criterion's expression may use, with the facts each look-up touches;
- `hierarchy`: which rule applies and which the strength-of-evidence hierarchy puts first;
- `rationale`: the words of a decision;
- `engine`: decide_item and decide_case.
"""

from openimr.decide.context import CaseContext, CriterionContext
from openimr.decide.engine import decide_case, decide_item
from openimr.decide.hierarchy import select_rule
from openimr.decide.signals import affirmed

__all__ = ["CaseContext", "CriterionContext", "affirmed", "decide_case", "decide_item", "select_rule"]
