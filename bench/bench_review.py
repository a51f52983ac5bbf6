"""Benchmark: review of 20 vendors end to end (target: under 5 s).

    .venv/bin/python bench/bench_review.py [N_VENDORS]

Builds the sample tender, fills N questionnaires (xlsx) as N vendors, then times `run_review`: parsing
every return, scoring, and writing the grid, the report and the letters. A second run shows the cost
when the parsed responses are reused; then `tenderkit review` as a process with nothing changed (it answers
from out/.tenderkit-review.json) and with one return changed (only that one parsed, unchanged letters kept).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tenderkit.evaluate import run_review
from tenderkit.generate import build_documents
from tenderkit.parse.batch import default_jobs
from tenderkit.paths import samples_dir
from tenderkit.tender.loaded import load_tender
from tenderkit.vendor_sim import fill_xlsx, make_plan


def main(vendors: int = 20) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "tender"
        (folder / "returns").mkdir(parents=True)
        shutil.copyfile(samples_dir() / "demo" / "tender.yaml", folder / "tender.yaml")
        loaded = load_tender(folder)
        questionnaire = build_documents(loaded)["questionnaire"]
        deliverables = [d.id for d, _ in loaded.selection.deliverables]
        for index in range(vendors):
            plan = make_plan(f"Fournisseur {index:02d}", loaded.selection.questions,
                             "favourable" if index == 0 else "risky", seed=index, deliverables=deliverables)
            fill_xlsx(questionnaire, plan, folder / "returns" / f"fournisseur-{index:02d}.xlsx")
        for label in ("first review (parse all)", "second review (reuse parsed)"):
            start = time.perf_counter()
            run = run_review(load_tender(folder), jobs=default_jobs())
            elapsed = time.perf_counter() - start
            print(f"{label:30} {vendors} vendors, jobs={default_jobs()}: {elapsed:.2f} s "
                  f"({run.parsed} parsed, {len(run.letters)} letters)")
        cli = [str(Path(sys.executable).parent / "tenderkit"), "review", str(folder)]
        subprocess.run([*cli, "--force"], check=True, capture_output=True)   # leaves the record of a review
        for label in ("tenderkit review, unchanged", "tenderkit review, 1 changed"):
            if label.endswith("1 changed"):
                plan = make_plan("Fournisseur 03", loaded.selection.questions, "favourable", seed=103,
                                 deliverables=deliverables)
                fill_xlsx(questionnaire, plan, folder / "returns" / "fournisseur-03.xlsx")
            start = time.perf_counter()
            result = subprocess.run(cli, check=True, capture_output=True, text=True)
            kept = result.stdout.count("up to date")
            print(f"{label:30} {vendors} vendors (whole process): {time.perf_counter() - start:.2f} s "
                  f"({kept} outputs left as they were)")
        shutil.rmtree(folder / "responses")
        start = time.perf_counter()
        run_review(load_tender(folder), jobs=1)
        print(f"{'first review, serial':30} {vendors} vendors, jobs=1: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
