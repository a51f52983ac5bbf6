"""Benchmark: parsing throughput on a batch of generated vendor returns, serial and in parallel.

    .venv/bin/python bench/bench_parse.py [N_XLSX] [N_PDF]

Targets: under 0.1 s per xlsx return, under 0.5 s per PDF page. The returns are made like the tests'
(filled questionnaire; PDF printed by LibreOffice), in a temporary folder; LibreOffice is required.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from tenderkit.generate import build_documents
from tenderkit.parse.batch import default_jobs, parse_many
from tenderkit.parse.parser import Expectation
from tenderkit.paths import samples_dir
from tenderkit.tender.loaded import load_tender
from tenderkit.vendor_sim import fill_xlsx, make_plan, print_to_pdf


def timed(label: str, paths: list[Path], expect: Expectation, jobs: int, unit: int, unit_name: str) -> None:
    start = time.perf_counter()
    responses = parse_many(paths, expect, jobs)
    elapsed = time.perf_counter() - start
    failed = sum(bool(r.errors) for r in responses)
    print(f"{label:28} jobs={jobs}: {elapsed:6.2f} s for {len(paths)} files = {elapsed / len(paths):.3f} s/file, "
          f"{elapsed / unit:.3f} s/{unit_name}" + (f" ({failed} failed)" if failed else ""))


def main(n_xlsx: int = 20, n_pdf: int = 4) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        folder = work / "tender"
        folder.mkdir()
        shutil.copyfile(samples_dir() / "demo" / "tender.yaml", folder / "tender.yaml")
        loaded = load_tender(folder)
        questionnaire = build_documents(loaded)["questionnaire"]
        expect = Expectation(loaded.library, loaded.selection.questions, loaded.tender.reference, {})
        xlsx = [fill_xlsx(questionnaire, make_plan(f"Vendor {i}", expect.questions, "risky", seed=i),
                          work / f"v{i}.xlsx") for i in range(n_xlsx)]
        pdfs = [print_to_pdf(xlsx[i], work / f"v{i}.pdf") for i in range(n_pdf)]
        from pdfplumber import open as open_pdf
        pages = sum(len(open_pdf(p).pages) for p in pdfs)
        print(f"{n_xlsx} xlsx returns ({len(expect.questions)} questions each), {n_pdf} PDF returns ({pages} pages)")
        for jobs in sorted({1, default_jobs()}):
            timed("xlsx", xlsx, expect, jobs, len(xlsx), "return")
            timed("pdf", pdfs, expect, jobs, pages, "page")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
