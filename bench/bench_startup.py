"""Benchmark: start-up and the cost of one return (targets of the « fast to start » issue).

    .venv/bin/python bench/bench_startup.py [REPEATS]

Whole-process medians of `python -c pass`, `tenderkit --help`, `tenderkit library list` (with its library
snapshot current, then with no usable snapshot: the full validated load) and `tenderkit parse` of one xlsx
return, each also given as a ratio to the bare interpreter; then the median in-process time of parsing that
return (`parse_file`). Targets: `--help` and `library list` under 0.15 s, one return read in-process under
30 ms. The runs use a cache folder of their own (TENDERKIT_CACHE_DIR), never the user's.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tenderkit.generate import build_documents
from tenderkit.parse.parser import Expectation, parse_file
from tenderkit.paths import samples_dir
from tenderkit.tender.loaded import load_tender
from tenderkit.vendor_sim import fill_xlsx, make_plan

BIN = Path(sys.executable).parent


def median_run(command: list[str], repeats: int, env: dict[str, str] | None = None) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env)
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
        cached = {**os.environ, "TENDERKIT_CACHE_DIR": str(Path(scratch) / "cache")}
        (Path(scratch) / "afile").write_text("")  # a cache folder under a file: never written, always cold
        cold = {**os.environ, "TENDERKIT_CACHE_DIR": str(Path(scratch) / "afile" / "cache")}
        subprocess.run([tenderkit, "library", "list"], check=True, capture_output=True, env=cached)  # snapshot
        bare = median_run([sys.executable, "-c", "pass"], repeats)
        print(f"{'python -c pass':36} {bare * 1000:7.0f} ms")
        for label, command, env in (("tenderkit --help", [tenderkit, "--help"], cached),
                                    ("tenderkit library list", [tenderkit, "library", "list"], cached),
                                    ("tenderkit library list (no snapshot)", [tenderkit, "library", "list"], cold),
                                    ("tenderkit parse one.xlsx", [tenderkit, "parse", str(one)], cached)):
            elapsed = median_run(command, repeats, env)
            print(f"{label:36} {elapsed * 1000:7.0f} ms  ({elapsed / bare:5.1f}× bare python)")

        parse_file(one, expect)  # warm: imports and library already loaded, as in a batch
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            parse_file(one, expect)
            times.append(time.perf_counter() - start)
        print(f"{'parse_file(one.xlsx), in-process':36} {statistics.median(times) * 1000:7.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
