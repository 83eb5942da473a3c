"""Proof that a speed change changed no output: save the decisions and facts once, compare after each change.

    python benchmarks/check_same_output.py save DIR     # before
    python benchmarks/check_same_output.py check DIR    # after: exit 1 and name the first difference

What is compared, byte for byte:
- `openimr decide --jsonl` (the CLI, as a subprocess) on the dev letters' cases (when ../shared is
  present), on the synthetic cases of bench_decide.py, and on synthetic long records (bench_large_record);
- the facts of each of those cases as `openimr extract` prints them (every fact with its span).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _cases import dev_cases, synthetic_cases, write_jsonl  # noqa: E402
from bench_large_record import large_case  # noqa: E402


def case_sets() -> dict[str, list[dict]]:
    sets = {"dev": dev_cases(), "synthetic": synthetic_cases(40)}
    sets["long"] = [large_case(size, seed) for size, seed in ((20_000, 1), (200_000, 2), (600_000, 3))]
    return {name: cases for name, cases in sets.items() if cases}


def decide_output(cases: list[dict]) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cases.jsonl"
        write_jsonl(cases, path)
        done = subprocess.run([sys.executable, "-m", "openimr.cli", "decide", "--jsonl", str(path)],
                              capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"openimr decide failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def facts_output(cases: list[dict]) -> str:
    from openimr.facts import extract_case_facts
    from openimr.intake import case_from_mapping

    lines = []
    for data in cases:
        facts = extract_case_facts(case_from_mapping(data)).facts
        lines.append(json.dumps([f.model_dump(mode="json") for f in facts]) + "\n")
    return "".join(lines)


def outputs() -> dict[str, str]:
    out = {}
    for name, cases in case_sets().items():
        out[f"{name}.decide.jsonl"] = decide_output(cases)
        out[f"{name}.facts.jsonl"] = facts_output(cases)
    return out


def first_difference(a: str, b: str) -> str:
    for number, (x, y) in enumerate(zip(a.splitlines(), b.splitlines(), strict=False), start=1):
        if x != y:
            at = next(i for i, (p, q) in enumerate(zip(x, y, strict=False)) if p != q) if x[:len(y)] != y[:len(x)] \
                else min(len(x), len(y))
            return f"line {number}, column {at}: saved {x[max(0, at - 60):at + 60]!r}\n   now  {y[max(0, at - 60):at + 60]!r}"
    return f"saved {len(a.splitlines())} lines, now {len(b.splitlines())}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("action", choices=["save", "check"])
    ap.add_argument("folder")
    args = ap.parse_args()
    folder = Path(args.folder)
    now = outputs()
    if args.action == "save":
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in now.items():
            (folder / name).write_text(text, encoding="utf-8")
        print(f"saved {len(now)} outputs in {folder}")
        return 0
    bad = 0
    for name, text in now.items():
        saved_path = folder / name
        if not saved_path.is_file():
            print(f"{name}: not saved before")
            bad += 1
            continue
        saved = saved_path.read_text(encoding="utf-8")
        if saved != text:
            print(f"{name}: DIFFERENT at {first_difference(saved, text)}")
            bad += 1
        else:
            print(f"{name}: same ({len(text.splitlines())} lines)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
