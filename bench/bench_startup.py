"""Benchmark: start-up and the cost of one return (targets of the « fast to start » issue).

    .venv/bin/python bench/bench_startup.py [REPEATS]

Whole-process medians of `python -c pass`, `tenderkit --help`, `tenderkit library list` and `tenderkit parse`
of one xlsx return, each also given as a ratio to the bare interpreter; then the median in-process time of
parsing that return (`parse_file`). Targets: `--help` and `library list` under 0.15 s, one return read
in-process under 30 ms.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tenderkit.generate import build_documents, load_tender
from tenderkit.parse.parser import Expectation, parse_file
from tenderkit.paths import samples_dir
from tenderkit.vendor_sim import fill_xlsx, make_plan

BIN = Path(sys.executable).parent


def median_run(command: list[str], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(repeats: int = 7) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "tender"
        folder.mkdir()
        shutil.copyfile(samples_dir() / "demo" / "tender.yaml", folder / "tender.yaml")
        loaded = load_tender(folder)
        questionnaire = build_documents(loaded)["questionnaire"]
        expect = Expectation(loaded.library, loaded.selection.questions, loaded.tender.reference, {})
        plan = make_plan("Fournisseur", expect.questions, "risky", seed=1)
        one = fill_xlsx(questionnaire, plan, Path(scratch) / "fournisseur.xlsx")

        tenderkit = str(BIN / "tenderkit")
        bare = median_run([sys.executable, "-c", "pass"], repeats)
        print(f"{'python -c pass':34} {bare * 1000:7.0f} ms")
        for label, command in (("tenderkit --help", [tenderkit, "--help"]),
                               ("tenderkit library list", [tenderkit, "library", "list"]),
                               ("tenderkit parse one.xlsx", [tenderkit, "parse", str(one)])):
            elapsed = median_run(command, repeats)
            print(f"{label:34} {elapsed * 1000:7.0f} ms  ({elapsed / bare:5.1f}× bare python)")

        parse_file(one, expect)  # warm: imports and library already loaded, as in a batch
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            parse_file(one, expect)
            times.append(time.perf_counter() - start)
        print(f"{'parse_file(one.xlsx), in-process':34} {statistics.median(times) * 1000:7.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
