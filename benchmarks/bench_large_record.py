"""A long record decides in seconds, and the time grows linearly with its length (issue 9, part 8).

Synthetic records (no real patient data) of 1 MB, 2.5 MB and 5 MB, made of varied clinical sentences
with dates, doses, negations and headings, each decided by the whole command `openimr decide CASE` as a
subprocess (start-up, intake, fact extraction, decision). Prints the seconds and the seconds per MB of
each; exits 1 when 5 MB takes over the budget (10 s) or the time per MB at 5 MB exceeds that at 1 MB by
more than half (superlinear growth). The verdict uses the command's CPU time (user + system), which other
jobs on a shared machine do not inflate; the wall clock is printed beside it.

Then the worst case for anything that looks back over a sentence: the same kind of record with no sentence
end at all (full stops made commas, blank lines removed), at 0.25, 0.5 and 1 MB; only its growth is judged.

    python benchmarks/bench_large_record.py [--budget 10] [--sizes 1,2.5,5]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_decide import ITEMS, SUMMARY  # noqa: E402
from bench_extract import _PARAGRAPHS  # noqa: E402

_MORE = [
    "PROGRESS REPORT dated {date}\nSubjective: The patient returns for follow-up of neck pain radiating to the right "
    "arm. She denies bowel or bladder dysfunction. No history of diabetes.",
    "Objective: Cervical range of motion is decreased by {p}0 percent. Spurling's test is positive on the right. "
    "Grip strength is 4/5 on the right. Reflexes are 2+ and symmetric.",
    "Assessment: 1. Cervical radiculopathy. 2. Right shoulder impingement syndrome. 3. Chronic pain syndrome. "
    "4. Depression secondary to chronic pain.",
    "Plan: Continue home exercise program. Request authorization for {n} sessions of physical therapy and a TENS "
    "unit. Refill Tramadol 50mg #90 and Omeprazole 20mg #30. Return in {m} weeks.",
    "The patient underwent a right shoulder arthroscopic subacromial decompression on {date}. Post-operative "
    "physical therapy was completed with {p}0% improvement in function and decreased pain.",
    "Psychological evaluation on {date} noted anxiety and depression. Cognitive behavioral therapy {n} sessions "
    "was recommended. The patient has not had a functional restoration program.",
    "X-rays of the lumbar spine dated {date} showed mild degenerative changes at L5-S1. A CT scan was not done. "
    "The patient has failed conservative care including NSAIDs, activity modification and injections.",
    "Work status: temporarily totally disabled until {date}. The patient is not working. Opioid agreement signed "
    "on {date}; CURES report reviewed; no aberrant behavior. Morphine equivalent dose is {n}0 mg a day.",
]
SENTENCES = _PARAGRAPHS + _MORE + [SUMMARY]


def synthetic_text(size: int, seed: int) -> str:
    """About size characters of wrapped progress-note paragraphs; the same seed gives the same text."""
    rng = random.Random(seed)
    out: list[str] = []
    total = 0
    while total < size:
        date = f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/20{rng.randint(10, 16)}"
        para = rng.choice(SENTENCES).format(
            age=rng.randint(25, 65), sex=rng.choice(["male", "female"]), n=rng.randint(1, 24), m=rng.randint(1, 12),
            p=rng.randint(1, 9), date=date, doi=date)
        wrapped = textwrap.fill(para, 95, replace_whitespace=False) + "\n\n"
        out.append(wrapped)
        total += len(wrapped)
    return "".join(out)


def large_case(size: int, seed: int = 5) -> dict:
    """A case with one document of about size characters and eight disputed items, as a JSON mapping."""
    return {"case_number": f"LARGE-{size}", "date_of_injury": "2014-03-02", "ur_denial_date": "2016-05-01",
            "documents": [{"kind": "medical_record", "title": "Progress notes", "text": synthetic_text(size, seed)}],
            "requests": [{"id": str(i + 1), "item": item} for i, item in enumerate(ITEMS[:8])]}


def run_timed(command: list[str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of a command run to its end; CPU counts every process it waited for."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, wall


def time_decide(path: Path) -> tuple[float, float]:
    return run_timed([sys.executable, "-m", "openimr.cli", "decide", str(path), "--out", "/dev/null"])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--budget", type=float, default=10.0, help="seconds allowed for the largest record")
    ap.add_argument("--sizes", default="1,2.5,5", help="record sizes in MB, comma-separated")
    ap.add_argument("--unbroken-sizes", default="0.25,0.5,1",
                    help="sizes in MB of the record without sentence ends ('' to skip)")
    args = ap.parse_args()
    ok = True
    for label, sizes, unbroken, budget in (("record", args.sizes, False, args.budget),
                                           ("record without sentence ends", args.unbroken_sizes, True, None)):
        if sizes:
            ok &= measure(label, [float(x) for x in sizes.split(",")], unbroken, budget)
    return 0 if ok else 1


def measure(label: str, sizes: list[float], unbroken: bool, budget: float | None) -> bool:
    times: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for mb in sizes:
            case = large_case(int(mb * 1_000_000))
            if unbroken:
                doc = case["documents"][0]
                doc["text"] = doc["text"].replace(".", ",").replace("\n\n", "\n")
            path = Path(tmp) / f"case-{mb}.json"
            path.write_text(json.dumps(case), encoding="utf-8")
            cpu, wall = time_decide(path)
            times.append(cpu)
            print(f"{mb:>4} MB {label}: {cpu:6.2f} s CPU  ({cpu / mb:.2f} s per MB; wall {wall:.2f} s)", flush=True)
    growth = (times[-1] / sizes[-1]) / (times[0] / sizes[0])
    print(f"CPU time per MB at {sizes[-1]} MB / at {sizes[0]} MB: {growth:.2f} (linear: about 1, or below from start-up)")
    ok = growth <= 1.5 and (budget is None or times[-1] <= budget)
    goal = f"{sizes[-1]} MB in at most {budget:.0f} s CPU, " if budget is not None else ""
    print(f"goal: {goal}linear growth: {'OK' if ok else 'FAILED'}")
    return ok

if __name__ == "__main__":
    sys.exit(main())
