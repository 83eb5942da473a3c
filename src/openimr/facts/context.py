"""What surrounds a mention: negated or not, history or plan, and the response it brought.

Plain regular expressions over the clause that holds the mention. The cues are the ones the records use
("no chiropractic", "has not received", "denies", "without", "negative for"; "treatment to date included",
"status post"; "request for", "treatment plan included", "to rule out").
"""

from __future__ import annotations

import re

from openimr.facts.fastmatch import FastGate

# a clause ends at these, so a cue before one does not reach a mention after it
_CLAUSE_BREAK = re.compile(r"[;:]|,\s*(?:but|however|although|while|and\s+(?:has|had|was|is|she|he|the))\b|"
                           r"\bbut\b|\bhowever\b|\balthough\b|\bwhereas\b", re.I)

_NEGATION = FastGate(re.compile(
    r"\b(?:no|not|never|without|denie[sd]|deny(?:ing)?|negative\s+for|none|free\s+of|absence\s+of|lack\s+of|"
    r"has\s+not\s+(?:had|received|tried|undergone|attended|completed)|have\s+not|had\s+not|did\s+not|"
    r"no\s+evidence\s+of|no\s+documentation\s+of|not\s+documented|failed\s+to\s+(?:show|document))\b", re.I))
# words between a cue and the mention that end the cue's reach: "not improved with physical therapy"
_BREAKERS = re.compile(r"\b(?:improv\w*|help\w*|benefit\w*|relie\w*|despite|with|after|from|since|until|"
                       r"respond\w*|tolerat\w*|but|although|pain|better|worse)\b", re.I)

PLAN_CUE = (
    r"(?:request\w*|plan\w*|recommend\w*|RFA|authorization)(?:\W+\w+){0,5}?\W+(?:includ\w*|consist\w*)\b|"
    r"(?:request\w*|plan\w*|recommend\w*|RFA|authorization)\W+(?:was|is|for)\b|"
    r"modif\w*\s+(?:\w+\s+){0,3}?(?:to|for)\b|"
    r"\b(?:request\w*|recommend\w*|plan(?:s|ned)?|authoriz\w*|non-?\s?certif\w*|noncertif\w*|certif\w*|denied|deny|"
    r"refer(?:red|ral)?|would|will|candidate|consider\w*|continu\w+|additional|further|sought|"
    r"order(?:ed)?|to\s+rule\s+out|rule\s+out|r/o|initial\s+set|appeal\w*|medically\s+necessary|approv\w*|"
    r"trial\s+of|should|proposed|scheduled|pending|awaiting|need\w*|requir\w*|evaluate|is\s+for|was\s+for)\b"
)
HISTORY_CUE = (
    r"\b(?:includ\w*|to\s+date|prior|previous(?:ly)?|past|received|completed|had|attended|tried|underwent|"
    r"undergone|started|status\s+post|s/p|post[- ]?op\w*|history\s+of|improv\w*\s+(?:\w+\s+){0,3}?with|helped|"
    r"despite|after|failed|rendered|was\s+given|were\s+given|treated\s+with|has\s+been\s+(?:in|doing|attending)|"
    r"performed|done|tolerat\w*|benefit\w*\s+from|relief\s+(?:\w+\s+){0,2}?(?:from|with))\b"
)
_CUES = FastGate(re.compile(r"(?P<plan>" + PLAN_CUE + r")|(?P<history>" + HISTORY_CUE + r")", re.I))
_AFTER_HISTORY = re.compile(r"^\W*(?:\w+\W+){0,4}?(?:has\s+helped|was\s+helping|helped|completed|were\s+completed|"
                            r"was\s+completed|provided|gave|given|with\s+(?:\w+\s+)?(?:relief|benefit|improvement)|"
                            r"to\s+date|so\s+far|in\s+the\s+past|previously|performed|done)\b", re.I)
_AFTER_PLAN = re.compile(r"^[ (]*(?:\w+ )?(?:referral|request\w*|consult\w*|evaluation|is\s+recommended|"
                         r"was\s+recommended|recommend\w*|authoriz\w*|prescription)\b", re.I)


def clause_prefix(text: str, pos: int) -> str:
    """The text of pos's clause before pos."""
    return _CLAUSE_BREAK.split(text[:pos])[-1]


def negation_cue(text: str, pos: int, max_words: int = 5) -> int | None:
    """Where the negation cue that governs the mention at pos starts, or None: in its clause, at most
    max_words before, nothing between that ends its reach ("no chiropractic", "has not received acupuncture
    or massage")."""
    prefix = clause_prefix(text, pos)
    cues = list(_NEGATION.finditer(prefix))
    if not cues:
        return None
    between = prefix[cues[-1].end():]
    words = re.findall(r"[A-Za-z0-9]+", between)
    if len(words) > max_words or _BREAKERS.search(between):
        return None
    return pos - len(prefix) + cues[-1].start()


def negated_before(text: str, pos: int, max_words: int = 5) -> bool:
    return negation_cue(text, pos, max_words) is not None


def temporality(text: str, start: int, end: int) -> str | None:
    """'history', 'plan', or None when the sentence does not say: the cue nearest before the mention
    decides; failing that, a short look after it ('physical therapy has helped', '... referral')."""
    last: str | None = None
    for m in _CUES.finditer(text, 0, start):  # as in text[:start], without the copy
        last = m.lastgroup  # the named alternative that matched: 'plan' or 'history'
    after = text[end : end + 60]
    if last == "history" and _AFTER_PLAN.match(after):
        return "plan"
    if last:
        return last
    if _AFTER_HISTORY.match(after):
        return "history"
    if _AFTER_PLAN.match(after):
        return "plan"
    return None


_MINIMAL = FastGate(re.compile(r"\b(?:no|minimal|without|little|limited|temporary|short[- ]term|mild|slight|minor)\s+"
                      r"(?:\w+\s+)?(?:relief|benefit|improvement|help)|did\s+not\s+(?:help|improve|provide)|"
                      r"not\s+(?:been\s+)?helpful|not\s+(?:\w+\s+){0,2}?improve|failed|no\s+change|unchanged|"
                      r"without\s+(?:\w+\s+){0,3}?(?:benefit|relief|improvement)", re.I))
_IMPROVED = FastGate(re.compile(r"\b(?:significant|good|excellent|moderate|great|vast|some|\d{2,3}\s?%|overall|marked)\s+"
                       r"(?:\w+\s+)?(?:relief|benefit|improvement|reduction)|\bhelpful\b|\bhelped\b|\bhelping\b|"
                       r"\bimproved\b|\bbetter\b|\bbenefit(?:ed|ted)\b", re.I))


def response(text: str) -> str | None:
    """'minimal' or 'improved' when the text says how a treatment worked, else None."""
    if _MINIMAL.search(text):
        return "minimal"
    if _IMPROVED.search(text):
        return "improved"
    return None
