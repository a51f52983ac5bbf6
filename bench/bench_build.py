"""Benchmark: building the full-profile DCE documents in-process (target: well under a second per tender).

    .venv/bin/python bench/bench_build.py [ROUNDS]

Prints the median and best time of: loading the library, selecting, and writing the CCTP annex, the
questionnaire and the checklist for the sample tender (all clauses, all 182 questions).
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tenderkit.generate import build_documents
from tenderkit.paths import samples_dir
from tenderkit.tender.loaded import load_tender


def main(rounds: int = 10) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "tender"
        folder.mkdir()
        shutil.copyfile(samples_dir() / "demo" / "tender.yaml", folder / "tender.yaml")
        load_tender(folder)  # warm-up: imports, first library load
        load, build = [], []
        for _ in range(rounds):
            start = time.perf_counter()
            loaded = load_tender(folder)
            middle = time.perf_counter()
            build_documents(loaded)
            end = time.perf_counter()
            load.append(middle - start)
            build.append(end - middle)
    total = [a + b for a, b in zip(load, build, strict=True)]
    print(f"rounds: {rounds}")
    print(f"load library + tender + select: median {statistics.median(load) * 1000:.0f} ms")
    print(f"write cctp + questionnaire + checklist: median {statistics.median(build) * 1000:.0f} ms")
    print(f"total per tender: median {statistics.median(total) * 1000:.0f} ms, best {min(total) * 1000:.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
