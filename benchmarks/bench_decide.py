"""The decision stage alone, in one process: items decided per second with the facts already extracted.

Not the issue's speed goal: that one (at least 1,000 items a second) counts the whole command, start-up
and fact extraction included, and is measured by bench_decide_jsonl.py. This script only shows how the
time divides: synthetic cases (no real records), each with a clinical summary and a mix of disputed items
across the service families; `--with-extraction` times extraction as well. Its synthetic cases also stand
in for the dev letters in bench_decide_jsonl.py when ../shared is absent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from openimr.decide import decide_case
from openimr.facts import extract_case_facts
from openimr.guidelines import load_knowledge_base
from openimr.model import Case

SUMMARY = (
    "The patient is a 52-year-old female injured on {doi}. She complains of low back pain radiating to the "
    "left leg with numbness, and right shoulder pain. Straight leg raise is positive on the left. Sensation "
    "is decreased in the L5 dermatome. MRI of the lumbar spine dated 03/02/2016 showed an L4-L5 disc "
    "protrusion. She has received 6 sessions of physical therapy with functional improvement and no "
    "acupuncture. Medications include naproxen and Norco. She rates her pain 7/10. Urine drug screen was "
    "consistent. She has hypertension. The utilization review denied the requests.")
ITEMS = [
    "Physical therapy 2 times a week for 2 weeks lumbar", "Acupuncture 6 sessions lumbar", "MRI of the right shoulder",
    "EMG/NCS bilateral lower extremities", "Norco 10/325mg #60", "Naproxen 550mg #60", "Prilosec 20mg #30",
    "Cyclobenzaprine 7.5mg #60", "Ketoprofen 20% cream 120g", "Lumbar epidural steroid injection L4-5",
    "TENS unit 30 day rental", "Chiropractic 2x3 lumbar", "Follow up office visit times 2",
    "Right shoulder arthroscopy with rotator cuff repair", "Associated surgical service: Cold therapy for 7 days",
    "Pre-op labs: CBC", "Functional capacity evaluation", "Gabapentin 300mg #90", "Urine drug testing",
    "Massage therapy 6 sessions",
]


def make_cases(count: int) -> list[Case]:
    cases = []
    for i in range(count):
        doi = dt.date(2015, 1, 1) + dt.timedelta(days=i % 500)
        cases.append(Case(
            case_number=f"BENCH-{i:05d}", date_of_injury=doi, ur_denial_date=doi + dt.timedelta(days=120 + i % 300),
            documents=[{"kind": "clinical_summary", "text": SUMMARY.format(doi=doi.strftime("%m/%d/%Y"))}],
            requests=[{"id": str(j + 1), "item": item} for j, item in enumerate(ITEMS)]))
    return cases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--with-extraction", action="store_true")
    args = parser.parse_args()
    kb = load_knowledge_base()
    cases = make_cases(args.cases)
    facts = [extract_case_facts(c) for c in cases]
    decide_case(cases[0], kb, facts[0])  # warm the caches
    start = time.perf_counter()
    items = 0
    for case, case_facts in zip(cases, facts, strict=True):
        det = decide_case(case, kb, None if args.with_extraction else case_facts)
        items += len(det.decisions)
    elapsed = time.perf_counter() - start
    rate = items / elapsed
    print(f"decided {items} items in {elapsed:.2f}s in one process: {rate:,.0f} items/s "
          f"({'with' if args.with_extraction else 'without'} fact extraction, start-up excluded; "
          "for the whole-process goal see bench_decide_jsonl.py)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
