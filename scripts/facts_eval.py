"""Precision and recall of `openimr extract` against the hand-labeled gold set (tests/gold/facts.jsonl).

Usage: python scripts/facts_eval.py [--gold tests/gold/facts.jsonl] [--json] [--show-errors]

Each summary is cut from its dev letter (scripts/summaries.py) and read as one document. Per case and fact
name, extracted and gold facts are reduced to their keys (the value fields a rule would test, see KEYS);
an extracted key counts as found when the gold set has the same key AND one of the extracted facts with
that key overlaps the gold quote in the text. Duplicates of a key within a case count once. Only the names
the gold set labels are scored; other names are not judged here.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from summaries import REPO, summary_of  # noqa: E402

from openimr.decide.context import NEURO_TESTS  # noqa: E402  (the nerve tests a neurologic-deficit criterion reads)
from openimr.facts import extract_text_facts  # noqa: E402

GOLD = REPO / "tests" / "gold" / "facts.jsonl"


def _num(x: Any) -> Any:
    return float(x) if isinstance(x, int | float) and not isinstance(x, bool) else x


def _score(v: dict[str, Any]) -> Any:
    s = v.get("score") if isinstance(v, dict) else v
    return tuple(_num(x) for x in s) if isinstance(s, list | tuple) else _num(s)


# the fields that make two facts "the same fact" for each labeled name
KEYS: dict[str, Callable[[Any, bool], Any]] = {
    "age": lambda v, n: _num(v),
    "sex": lambda v, n: v,
    "date_of_injury": lambda v, n: v,
    "prior_treatment": lambda v, n: (v["modality"], 0.0 if n else _num(v.get("count")), n),
    "pain_score": lambda v, n: _score(v),
    "imaging": lambda v, n: (v["modality"], v.get("region")),
    "exam_finding": lambda v, n: (v["test"], v["result"]),
    "surgery": lambda v, n: v.get("status"),
    "injection": lambda v, n: v.get("region"),
    "ur_decision": lambda v, n: v.get("date"),
    "functional_improvement": lambda v, n: bool(v) and not n,
    # names scored only on rows that list them in "labeled" (split fresh2)
    "red_flag": lambda v, n: (v, n),
    "work_status": lambda v, n: v,
    "neuro_exam": lambda v, n: (v["test"], v["result"]),
    "prior_response": lambda v, n: (v["modality"], v.get("response")),
}

LABELED_ONLY = {"red_flag", "work_status", "neuro_exam", "prior_response"}


# the gold set labels named provocative tests only, not tenderness, range of motion, strength or sensation
SCORED_EXAM_TESTS = {"straight leg raise", "spurling", "hawkins", "neer", "drop arm", "tinel", "phalen", "mcmurray",
                     "lachman", "finkelstein", "faber"}


def _scored(name: str, value: Any) -> bool:
    """Names and values the gold set labels: named exam tests, surgery and injections done (not planned),
    dated UR decisions."""
    if name == "exam_finding":
        return value.get("test") in SCORED_EXAM_TESTS
    if name == "surgery":
        return value.get("status") == "done"
    if name == "injection":
        return not value.get("planned")
    if name == "ur_decision":
        return bool(value.get("date"))
    return name in KEYS and name not in LABELED_ONLY


def _labeled_as(name: str, value: Any, negated: bool, labeled: list[str]) -> str | None:
    """The label a fact is scored under on a row that lists its labeled names (None: not scored there).
    Such rows score surgery planned or done, every nerve test as `neuro_exam`, and prior treatment
    responses as `prior_response`."""
    if name == "exam_finding":
        label = "neuro_exam" if value.get("test") in NEURO_TESTS else None
    elif name == "prior_treatment":
        label = "prior_response" if value.get("response") and not negated else None
    else:
        label = name
    return label if label in labeled else None


def _quote_spans(text: str, quote: str) -> list[tuple[int, int]]:
    pattern = r"\s+".join(re.escape(w) for w in quote.split())
    return [(m.start(), m.end()) for m in re.finditer(pattern, text, re.I)]


def load_gold(path: Path = GOLD) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate(gold: list[dict[str, Any]]) -> dict[str, Any]:
    """Per-name and overall precision/recall, plus the misses and false alarms for inspection."""
    tp: dict[str, int] = defaultdict(int)
    n_gold: dict[str, int] = defaultdict(int)
    n_pred: dict[str, int] = defaultdict(int)
    errors: list[dict[str, Any]] = []
    for row in gold:
        text = summary_of(row["case"])
        if text is None:
            continue
        labeled = row.get("labeled")
        pred: dict[tuple[str, Any], list[tuple[int, int]]] = defaultdict(list)
        for f in extract_text_facts(text):
            name = _labeled_as(f.name, f.value, f.negated, labeled) if labeled else (
                f.name if _scored(f.name, f.value) else None)
            if name is not None:
                pred[(name, KEYS[name](f.value, f.negated))].append((f.span[1], f.span[2]))
        wanted: dict[tuple[str, Any], list[tuple[int, int]]] = defaultdict(list)
        for g in row["facts"]:
            name = _labeled_as(g["name"], g["value"], g["negated"], labeled) if labeled else g["name"]
            if name is None:
                name = g["name"]
            wanted[(name, KEYS[name](g["value"], g["negated"]))].extend(_quote_spans(text, g["text"]))
        for key, spans in wanted.items():
            n_gold[key[0]] += 1
            hit = key in pred and any(a < d and c < b for a, b in pred[key] for c, d in spans)
            if hit:
                tp[key[0]] += 1
            else:
                errors.append({"case": row["case"], "kind": "missed", "name": key[0], "key": repr(key[1])})
        for key, spans in pred.items():
            n_pred[key[0]] += 1
            if key not in wanted:
                errors.append({"case": row["case"], "kind": "spurious", "name": key[0], "key": repr(key[1]),
                               "text": text[spans[0][0]:spans[0][1]]})
    # precision counts an extracted key as right when it is a gold key with overlapping evidence
    per_name = {}
    for name in sorted(set(n_gold) | set(n_pred)):
        p = tp[name] / n_pred[name] if n_pred[name] else 1.0
        r = tp[name] / n_gold[name] if n_gold[name] else 1.0
        per_name[name] = {"precision": round(p, 3), "recall": round(r, 3), "gold": n_gold[name],
                          "extracted": n_pred[name], "correct": tp[name]}
    all_tp, all_gold, all_pred = sum(tp.values()), sum(n_gold.values()), sum(n_pred.values())
    overall = {"precision": round(all_tp / all_pred, 3) if all_pred else 1.0,
               "recall": round(all_tp / all_gold, 3) if all_gold else 1.0,
               "gold": all_gold, "extracted": all_pred, "correct": all_tp}
    return {"cases": len(gold), "per_name": per_name, "overall": overall, "errors": errors}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    ap.add_argument("--show-errors", action="store_true", help="list missed and spurious facts")
    ap.add_argument("--split", choices=["tuned", "fresh", "fresh2"],
                    help="only one part of the gold set: 'tuned' (the 42 summaries the patterns were developed "
                         "against) or 'fresh' (labeled afterwards, before the extractor was run on them)")
    args = ap.parse_args(argv)
    gold = [row for row in load_gold(args.gold) if args.split is None or row.get("split") == args.split]
    report = evaluate(gold)
    if args.json:
        print(json.dumps(report if args.show_errors else {k: v for k, v in report.items() if k != "errors"}, indent=2))
        return 0
    print(f"{report['cases']} cases")
    print(f"{'name':24} {'prec':>6} {'recall':>6} {'gold':>5} {'extr':>5}")
    for name, m in report["per_name"].items():
        print(f"{name:24} {m['precision']:6.3f} {m['recall']:6.3f} {m['gold']:5d} {m['extracted']:5d}")
    o = report["overall"]
    print(f"{'OVERALL':24} {o['precision']:6.3f} {o['recall']:6.3f} {o['gold']:5d} {o['extracted']:5d}")
    if args.show_errors:
        for e in report["errors"]:
            print(json.dumps(e))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
