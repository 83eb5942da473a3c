"""What a valid case file can still get wrong: impossible values (refused) and likely slips (warned).

Refused, with one line naming the field:
- a date of injury after the UR denial date (or after the IMR application or decision dates): the injury comes
  first, so one of the dates is wrong and every deadline computed from them would be too;
- a negative quantity in a request ("#-90", "-12 sessions", "x -4"): no one asks for minus twelve visits.
Warned about (refused under --strict):
- fields the contract does not name: kept as given (contract v1), but often a misspelling ("ur_guidline");
- a YAML comment that cuts a request item short: in `item: Norco 10/325 mg #90` the "#90" is a comment.
"""

from __future__ import annotations

import re

from openimr.errors import InputError
from openimr.model import IDENTIFYING_FIELDS, LETTER_FIELDS, Case

# extra fields the pipeline reads although the contract does not name them
CASE_EXTRAS_USED = frozenset({*LETTER_FIELDS, *IDENTIFYING_FIELDS})  # see openimr.model
REQUEST_EXTRAS_USED = frozenset({"original", "authorized", "remaining"})  # a modified request, in parts
# parties: any extra key is a further role (manufacturer, facility...), read by the conflict check

_MINUS = r"[-\u2212]"
_UNITS = (r"sessions?|visits?|treatments?|tablets?|tabs?|capsules?|caps?|units?|patch(?:es)?|pills?|refills?|"
          r"days?|weeks?|months?|hours?|x\s*\d")
_NUMBER = r"\d+(?:\.\d+)?"
NEGATIVE_QUANTITY = re.compile(
    rf"#\s*{_MINUS}\s*{_NUMBER}"  # Norco #-90
    rf"|\b(?:qty|quantity)\s*:?\s*{_MINUS}\s*{_NUMBER}"  # QTY: -8
    rf"|(?:^|(?<=[\s(,;:])){_MINUS}{_NUMBER}\s*(?:{_UNITS})"  # -12 sessions, -2x4
    rf"|\b(?:x|times)\s*{_MINUS}\s*{_NUMBER}",  # x -4
    re.I)

# `item: words #comment` in block style, the value unquoted: YAML reads "words" and drops the rest
_ITEM_LINE = re.compile(r"^\s*(?:-\s+)?item\s*:\s+(?P<value>[^\s'\"|>#&*!{\[][^#]*?)\s+#(?P<comment>.*)$")


def check_plausible(case: Case, where: str) -> None:
    """InputError for a case that validates but cannot be true."""
    if case.date_of_injury is not None:
        for field in ("ur_denial_date", "received_date", "decision_date"):
            later = getattr(case, field)
            if later is not None and case.date_of_injury > later:
                raise InputError(f"{where}: field 'date_of_injury' ({case.date_of_injury}) is after '{field}' "
                                 f"({later}); the injury comes first, so one of the dates is wrong")
    for i, request in enumerate(case.requests):
        m = NEGATIVE_QUANTITY.search(request.item)
        if m:
            raise InputError(f"{where}: field 'requests.{i}.item': a negative quantity ({m[0].strip()!r} in "
                             f"{request.item!r})")


def unknown_fields(case: Case) -> list[str]:
    """Dotted paths of the fields the contract does not name and nothing reads."""
    found = [k for k in (case.model_extra or {}) if k not in CASE_EXTRAS_USED]
    for i, doc in enumerate(case.documents):
        found += [f"documents.{i}.{k}" for k in (doc.model_extra or {})]
    for i, request in enumerate(case.requests):
        found += [f"requests.{i}.{k}" for k in (request.model_extra or {}) if k not in REQUEST_EXTRAS_USED]
    return found


def yaml_comment_cuts(text: str) -> list[tuple[int, str, str]]:
    """(line number, what YAML reads, what it drops) for each request item cut short by a '#' comment."""
    cuts = []
    for number, line in enumerate(text.splitlines(), start=1):
        m = _ITEM_LINE.match(line)
        if m:
            cuts.append((number, m["value"], "#" + m["comment"]))
    return cuts


def case_warnings(case: Case, where: str, yaml_text: str | None) -> list[str]:
    """One line per likely slip; yaml_text is the file's text when it was read as YAML."""
    warnings = []
    unknown = unknown_fields(case)
    if unknown:
        warnings.append(f"{where}: unknown field{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} "
                        "(the contract keeps them; check the spelling)")
    for number, value, dropped in yaml_comment_cuts(yaml_text or ""):
        warnings.append(f"{where}: line {number}: YAML reads '{dropped}' as a comment, so the item is "
                        f"{value!r}; put the item in quotes to keep it whole")
    return warnings
