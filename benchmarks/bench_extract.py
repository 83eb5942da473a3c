"""Benchmark: extracting the facts of a synthetic 100-page record must take under a second.

The record is made here from synthetic progress-note paragraphs (no real patient data), about 3,000
characters a page, with line wraps as in the letters. Prints the time and exits 1 when over the budget.
Usage: python benchmarks/bench_extract.py [--pages 100] [--budget 1.0]
"""

from __future__ import annotations

import argparse
import random
import sys
import textwrap
import time

from openimr.facts import extract_case_facts
from openimr.model import Case, Document, Request

_PARAGRAPHS = [
    "The injured worker is a {age} year old {sex} who sustained an industrial injury on {date}. The mechanism of "
    "injury was lifting a box. Diagnoses include lumbar radiculopathy, lumbar sprain and myofascial pain.",
    "Treatment to date has included {n} sessions of physical therapy, {m} sessions of acupuncture and no chiropractic "
    "care. She reports minimal relief with therapy. Pain is rated {p}/10 with medications and 8/10 without.",
    "On examination there is tenderness to palpation over the lumbar paraspinal muscles. Straight leg raise is "
    "negative bilaterally. Sensation is intact to light touch. Motor strength is 5/5. Spurling's test is negative.",
    "An MRI of the lumbar spine dated {date} showed L4-L5 facet hypertrophy and a broad-based disc protrusion. "
    "EMG/NCS of the bilateral lower extremities on {date} was normal.",
    "Current medications include Norco 10/325mg every 6 hours, Ibuprofen 800mg twice a day and Flexeril 10mg #60. "
    "A urine drug screen on {date} was consistent. The patient remains on modified duty.",
    "The request for authorization included chiropractic therapy 2x4 and an MRI of the cervical spine. "
    "Utilization review dated {date} non-certified the request. There was no documentation of functional improvement.",
]


def synthetic_record(pages: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    out: list[str] = []
    size = 0
    while size < pages * 3000:
        para = rng.choice(_PARAGRAPHS).format(
            age=rng.randint(25, 65), sex=rng.choice(["male", "female"]), n=rng.randint(1, 24), m=rng.randint(1, 12),
            p=rng.randint(1, 10), date=f"{rng.randint(1, 12)}/{rng.randint(1, 28)}/20{rng.randint(10, 16)}")
        wrapped = textwrap.fill(para, 95) + "\n\n"
        out.append(wrapped)
        size += len(wrapped)
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--pages", type=int, default=100)
    ap.add_argument("--budget", type=float, default=1.0, help="seconds")
    args = ap.parse_args(argv)
    text = synthetic_record(args.pages)
    case = Case(case_number="BENCH-0001", documents=[Document(text=text)], requests=[Request(id="1", item="x")])
    extract_case_facts(case)  # warm the compiled patterns and the ICD table
    # best of 5, CPU time of this process: other jobs on a shared machine do not count against it
    best_cpu = best_wall = float("inf")
    for _ in range(5):
        c0, w0 = time.process_time(), time.perf_counter()
        facts = extract_case_facts(case)
        best_cpu, best_wall = min(best_cpu, time.process_time() - c0), min(best_wall, time.perf_counter() - w0)
    ok = best_cpu < args.budget
    print(f"extract: {args.pages} pages, {len(text):,} chars, {len(facts.facts):,} facts in {best_cpu:.3f} s CPU "
          f"({best_wall:.3f} s wall; budget {args.budget:.1f} s) {'OK' if ok else 'OVER BUDGET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
