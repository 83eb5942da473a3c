"""The engine against real decisions: for each published letter, the case its reviewer had before
deciding (and nothing of the decision), the engine's determination, and the comparison.

What the built case holds: case number, dates, priority, ONE clinical_summary document with the
letter's case summary, and per item its words and the Claims Administrator's guideline. The summary
sometimes mentions the UR outcome; the reviewer had that too, so it stays. For a modified request the
item decided is the remaining IMR-eligible portion; the original and authorized parts ride along as
extra request fields.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openimr.corpus.guideline_ref import (
    GuidelineRef,
    last_comma_part,
    mtus_family,
    non_mtus_family,
    normalize_section,
    primary,
)
from openimr.corpus.metrics import (
    BOOTSTRAP_RESAMPLES,
    BOOTSTRAP_SEED,
    INTERVAL_METRICS,
    bootstrap_intervals,
    disposition_scores,
    scores,
)
from openimr.corpus.record import LetterRecord
from openimr.corpus.split import letter_part
from openimr.corpus.store import case_key
from openimr.errors import InputError
from openimr.model import Case, Citation, CriterionResult, Determination, Document, Request


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def build_case(record: LetterRecord) -> Case:
    """The case as the reviewer had it before deciding. Pure; the test suite proves it leaks nothing."""
    requests = []
    for position, item in enumerate(record.items, start=1):
        extra: dict[str, Any] = {"original": item.original, "authorized": item.authorized} if item.modified else {}
        requests.append(Request(id=str(position), item=item.decided_item, ur_guideline=item.ur_guideline, **extra))
    return Case(
        case_number=record.case_number or case_key(record),
        date_of_injury=_date(record.date_of_injury),
        ur_denial_date=_date(record.ur_denial_date),
        received_date=_date(record.received_date),
        priority="expedited" if (record.priority or "").lower() == "expedited" else "standard",
        documents=[Document(kind="clinical_summary", title="Clinical case summary", text=record.clinical_summary)],
        requests=requests,
    )


def engine_ref(citation: Citation) -> GuidelineRef:
    """The engine's citation in the terms the reviewer's guideline string is read in."""
    family = mtus_family(citation.guideline) if citation.mtus else None
    section = citation.section
    if not citation.mtus and section and "," in section:
        # a Non-MTUS citation reads "ODG Low Back, Preoperative lab testing": chapter, then section. The
        # reviewer's is read as its last comma-separated part (guideline_ref._section); read the engine's alike
        section = last_comma_part(section)
    return GuidelineRef(family or non_mtus_family(citation.guideline), normalize_section(section),
                        citation.mtus and family is not None, section)


@dataclass
class ItemResult:
    case: str
    item_id: str
    item: str
    family: str
    truth: str
    predicted: str
    reviewer: GuidelineRef
    engine: GuidelineRef | None
    disposition: str = "refer"
    confidence: float = 0.5
    family_agrees: bool | None = None  # None: excluded (the reviewer cited no evidence)
    section_agrees: bool | None = None


def compare(record: LetterRecord, determination: Determination) -> list[ItemResult]:
    from openimr.services import normalize

    results = []
    for position, (item, decision) in enumerate(zip(record.items, determination.decisions, strict=True), start=1):
        reviewer = primary(item.reviewer_guideline)
        engine = engine_ref(decision.citations[0]) if decision.citations else None
        result = ItemResult(case=determination.case_number, item_id=str(position), item=item.decided_item,
                            family=normalize(item.decided_item).family, truth=item.decision,
                            predicted=decision.outcome, reviewer=reviewer, engine=engine,
                            disposition=decision.disposition, confidence=decision.confidence)
        if reviewer.family != "none":
            result.family_agrees = engine is not None and engine.family == reviewer.family
            result.section_agrees = bool(result.family_agrees and engine is not None and engine.section
                                         and engine.section in reviewer.section_names())
        results.append(result)
    return results


def _share(flags: list[bool | None]) -> dict[str, Any]:
    counted = [f for f in flags if f is not None]
    return {"items": len(counted), "agree": sum(counted), "rate": sum(counted) / len(counted) if counted else 0.0}


@dataclass
class Scoreboard:
    split: str = "all"
    by_letter: list[list[ItemResult]] = field(default_factory=list)
    failed: int = 0
    other_part: int = 0  # letters left out because they belong to the other part of the split

    @property
    def letters(self) -> int:
        return len(self.by_letter)

    @property
    def results(self) -> list[ItemResult]:
        return [r for letter in self.by_letter for r in letter]

    def add(self, record: LetterRecord, decide: Callable[[Case], Determination], report: Path | None) -> None:
        """Decide one letter's case and add its comparison (and its disagreements to report)."""
        if self.split != "all" and letter_part(record) != self.split:
            self.other_part += 1
            return
        try:
            determination = decide(build_case(record))
        except Exception as exc:  # one letter the engine cannot take must not stop the run
            print(f"openimr: error: {record.source or record.case_number}: engine failed ({exc})", file=sys.stderr)
            self.failed += 1
            return
        results = compare(record, determination)
        self.by_letter.append(results)
        if report is not None:
            for position, result in enumerate(results, start=1):
                if result.truth != result.predicted:
                    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{result.case}-item{position}") + ".md"
                    (report / "disagreements" / name).write_text(
                        disagreement_markdown(record, position, result, determination), encoding="utf-8")

    def metrics(self) -> dict[str, Any]:
        results = self.results
        truth = [r.truth for r in results]
        engine = scores(truth, [r.predicted for r in results])
        intervals = bootstrap_intervals([[(r.truth, r.predicted) for r in letter] for letter in self.by_letter])
        baseline = scores(truth, ["Upheld"] * len(truth))
        families: dict[str, list[ItemResult]] = {}
        for r in results:
            families.setdefault(r.family, []).append(r)
        per_family = {
            name: {"items": len(rs), "overturned": sum(r.truth == "Overturned" for r in rs),
                   "engine_overturned": sum(r.predicted == "Overturned" for r in rs),
                   "accuracy": sum(r.truth == r.predicted for r in rs) / len(rs),
                   "baseline_accuracy": sum(r.truth == "Upheld" for r in rs) / len(rs)}
            for name, rs in sorted(families.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        }
        excluded = sum(r.family_agrees is None for r in results)
        return {
            "split": self.split, "letters": self.letters, "items": len(results),
            "overturned": truth.count("Overturned"), "failed_letters": self.failed,
            "other_part_letters": self.other_part,
            "engine": engine, "always_upheld_baseline": baseline,
            "intervals": {"level": 0.95, "method": "percentile bootstrap over letters",
                          "resamples": BOOTSTRAP_RESAMPLES, "seed": BOOTSTRAP_SEED,
                          **{name: list(bounds) for name, bounds in intervals.items()}},
            "disposition": disposition_scores(truth, [r.predicted for r in results],
                                              [r.disposition for r in results], [r.confidence for r in results]),
            "citation_agreement": {
                "family": _share([r.family_agrees for r in results]),
                "section": _share([r.section_agrees for r in results]),
                "excluded_no_reviewer_evidence": excluded,
            },
            "per_family": per_family,
        }


SPLIT_WORDS = {"all": "all letters", "study": "study letters only", "check": "check letters only"}


def summary_markdown(m: dict[str, Any]) -> str:
    e, b, c, d, ci = (m["engine"], m["always_upheld_baseline"], m["citation_agreement"], m["disposition"],
                      m["intervals"])
    keys = ["accuracy", "overturn_precision", "overturn_recall", "overturn_f1", "balanced_accuracy", "cohen_kappa"]

    def interval(key: str) -> str:
        return f"{ci[key][0]:.3f} – {ci[key][1]:.3f}" if key in INTERVAL_METRICS else "—"

    other = f"; {m['other_part_letters']} letters of the other part left out" if m["other_part_letters"] else ""
    lines = [
        "# Engine against published decisions", "",
        f"Split: {m['split']} ({SPLIT_WORDS[m['split']]}{other}). {m['letters']} letters, {m['items']} items, "
        f"{m['overturned']} overturned ({m['failed_letters']} letters failed).", "",
        "| metric | engine | 95% interval | always Upheld |", "| --- | ---: | :---: | ---: |",
        *(f"| {k.replace('_', ' ')} | {e[k]:.3f} | {interval(k)} | {b[k]:.3f} |" for k in keys), "",
        f"Intervals: percentile bootstrap over letters ({ci['resamples']} resamples, seed {ci['seed']}). With few "
        "overturns read the interval, not the point.", "",
        "Confusion matrix (rows: real decision, columns: engine):", "",
        "| real \\ engine | Overturned | Upheld |", "| --- | ---: | ---: |",
        *(f"| {t} | {e['confusion'][t]['Overturned']} | {e['confusion'][t]['Upheld']} |" for t in ("Overturned", "Upheld")),
        "",
        "Disposition (the engine's own mark: clear, or refer to a physician) and confidence:", "",
        "| disposition | items | share | accuracy |", "| --- | ---: | ---: | ---: |",
        f"| clear | {d['clear_items']} | {d['clear_share']:.1%} | {d['clear_accuracy']:.3f} |",
        f"| refer | {d['refer_items']} | {1 - d['clear_share'] if m['items'] else 0:.1%} | {d['refer_accuracy']:.3f} |",
        "",
        f"Mean confidence {d['mean_confidence']:.3f}; Brier score of confidence against agreement with the "
        f"reviewer {d['brier']:.3f} (lower is better; always answering the observed accuracy scores "
        f"{d['brier_constant']:.3f}).", "",
        "Citation agreement (engine's first citation against the reviewer's first guideline): "
        f"family {c['family']['agree']}/{c['family']['items']} ({c['family']['rate']:.1%}), "
        f"section {c['section']['agree']}/{c['section']['items']} ({c['section']['rate']:.1%}); "
        f"{c['excluded_no_reviewer_evidence']} items where the reviewer cited no evidence are excluded.", "",
        "| treatment family | items | real overturned | engine overturned | accuracy | always-Upheld accuracy |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        *(f"| {name} | {f['items']} | {f['overturned']} | {f['engine_overturned']} | {f['accuracy']:.3f} | "
          f"{f['baseline_accuracy']:.3f} |" for name, f in m["per_family"].items()),
    ]
    return "\n".join(lines) + "\n"


def _criterion_lines(criterion: CriterionResult) -> list[str]:
    line = f"- {criterion.id}: {criterion.status}" + (f" ({'; '.join(criterion.evidence)})" if criterion.evidence else "")
    # the words of the case file the criterion was read from, so a wrong reading shows at a glance
    sources = [f"  - source (document {s.document}, {s.start}-{s.end}): \"{_one_line(s.text)}\""
               for s in criterion.sources]
    return [line, *(sources or ["  - source: none"])]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def disagreement_markdown(record: LetterRecord, position: int, result: ItemResult, determination: Determination) -> str:
    item = record.items[position - 1]
    decision = determination.decisions[position - 1]
    facts = [line for c in decision.criteria for line in _criterion_lines(c)]
    cited = ", ".join(x.label() for x in decision.citations) or "none"
    refer = f" ({decision.refer_reason})" if decision.refer_reason else ""
    return "\n".join([
        f"# {result.case} item {position}: engine {result.predicted}, reviewer {result.truth}", "",
        f"**Item:** {item.decided_item}", "",
        f"**Treatment family:** {result.family}", "",
        f"**Disposition:** {decision.disposition}{refer}; confidence {decision.confidence:.2f}", "",
        "## Facts used (criteria, their evidence and sources)", "", *(facts or ["- no criteria: no rule applied"]), "",
        "## Engine", "", f"Citations: {cited}", "", decision.rationale, "",
        "## Reviewer", "", f"Guideline: {item.reviewer_guideline or 'none'}", "", item.rationale or "", "",
    ])


def evaluate_paths(paths: list[str], jobs: int | None, report_dir: str | None, split: str = "all",
                   log: str | None = None, note: str = "") -> int:
    """`openimr corpus evaluate`: parse (or read) letters, score the engine, print and write the report;
    with log, append the run's row to the evaluation log."""
    from openimr.corpus.sources import each_record
    from openimr.decide import decide_case
    from openimr.guidelines import load_knowledge_base

    report = Path(report_dir) if report_dir else None
    if report is not None:
        try:
            (report / "disagreements").mkdir(parents=True, exist_ok=True)
            # the folder describes this run only: a disagreement an earlier run wrote may since be resolved
            for stale in (report / "disagreements").glob("*.md"):
                stale.unlink()
        except OSError as exc:
            raise InputError(f"{report}: cannot create the report folder ({exc.strerror})") from None
    if log is not None and not Path(log).parent.is_dir():
        raise InputError(f"{log}: the folder of the evaluation log does not exist")
    kb = load_knowledge_base()
    board = Scoreboard(split=split)
    _, failed = each_record(paths, jobs, lambda r: board.add(r, lambda case: decide_case(case, kb), report))
    board.failed += failed
    metrics = board.metrics()
    summary = summary_markdown(metrics)
    if report is not None:
        (report / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
        (report / "summary.md").write_text(summary, encoding="utf-8")
    print(summary, end="")
    if log is not None:
        from openimr.corpus.evaluation_log import append_entry, engine_commit, log_row

        append_entry(Path(log), log_row(metrics, dt.datetime.now(dt.UTC), engine_commit(), note))
        print(f"logged to {log}", file=sys.stderr)
    return 1 if board.failed else 0
