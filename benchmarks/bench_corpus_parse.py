"""Parse throughput: `openimr corpus parse FOLDER` against bare pypdfium2 text extraction of the same
PDFs, each timed as a whole process (Python start-up and imports included), best of N runs.

    python benchmarks/bench_corpus_parse.py [FOLDER] [--runs N] [--jobs N]

The goal (issue 3) is a ratio of at most 1.30. FOLDER defaults to the shared development letters.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "dwc-imr-2016" / "dev"
GOAL = 1.30

BARE = """
import sys, pathlib, pypdfium2 as pdfium
chars = 0
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.pdf")):
    pdf = pdfium.PdfDocument(str(path))
    for i in range(len(pdf)):
        page = pdf[i]
        textpage = page.get_textpage()
        chars += len(textpage.get_text_range())
        textpage.close()
        page.close()
    pdf.close()
print(chars)
"""


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default=str(DEFAULT))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=None, help="passed to openimr corpus parse (default: its own)")
    args = ap.parse_args()
    folder = Path(args.folder)
    pdfs = sorted(folder.rglob("*.pdf"))
    if not pdfs:
        print(f"no PDF letters under {folder}", file=sys.stderr)
        return 2
    bin_dir = Path(sys.executable).parent
    openimr = [str(bin_dir / "openimr")] if (bin_dir / "openimr").exists() else [sys.executable, "-m", "openimr.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "records.jsonl")
        parse_cmd = [*openimr, "corpus", "parse", str(folder), "--out", out]
        if args.jobs:
            parse_cmd += ["--jobs", str(args.jobs)]
        bare_cmd = [sys.executable, "-c", BARE, str(folder)]
        timed(bare_cmd), timed(parse_cmd)  # warm the file cache
        bare, ours = [], []
        for _ in range(args.runs):  # interleaved, so drift in machine load hits both alike
            bare.append(timed(bare_cmd))
            ours.append(timed(parse_cmd))
        records = sum(1 for _ in open(out, encoding="utf-8"))
    ratio = min(ours) / min(bare)
    print(f"letters: {len(pdfs)} PDFs, {records} records; CPUs: {os.cpu_count()}; runs: {args.runs}")
    print(f"bare pypdfium2 extraction: best {min(bare):.3f} s, median {statistics.median(bare):.3f} s")
    print(f"openimr corpus parse:      best {min(ours):.3f} s, median {statistics.median(ours):.3f} s")
    print(f"ratio (best/best): {ratio:.2f}  (goal <= {GOAL:.2f}: {'met' if ratio <= GOAL else 'NOT met'}); "
          f"median/median: {statistics.median(ours) / statistics.median(bare):.2f}")
    print(f"throughput: {len(pdfs) / min(ours):.0f} letters/s parsed, {len(pdfs) / min(bare):.0f} letters/s bare")
    return 0


if __name__ == "__main__":
    sys.exit(main())
