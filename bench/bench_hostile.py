"""Benchmark: a review of 22 returns of which 7 are hostile (issues 11 and 19).

    .venv/bin/python bench/bench_hostile.py [JOBS]

The 15 honest returns (14 filled workbooks, one PDF printout) must all be reviewed and the 5 hostile
ones (a PDF inflating to 1.5 GB, a 200,000-page PDF, a workbook whose hidden reference names another
tender, a macro-enabled Word file, a FIFO, a 20 GB sparse « .xlsx », a zip holding two questionnaires under one
name) must each get one sentence; the whole review (parse, score,
grid, report, letters) must finish within BOUND seconds. Corpus from tests/hostile_corpus.py; LibreOffice
is required for the PDF printout. Prints the figures and exits 1 if a target is missed.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from helpers import make_tender
from hostile_corpus import (
    duplicate_members,
    hidden_reference,
    inflating_pdf,
    macro_docx,
    many_pages_pdf,
    sparse_return,
)

from tenderkit.evaluate import run_review
from tenderkit.generate import build_documents
from tenderkit.tender.loaded import load_tender
from tenderkit.vendor_sim import fill_xlsx, make_plan, paste_into_word, print_to_pdf

BOUND = 90.0    # seconds, on the 2-core machine of the project (measured 40 s; one file may take 60 s)
HONEST, HOSTILE = 15, 7


def main(jobs: int | None) -> int:
    with tempfile.TemporaryDirectory() as temp:
        root = make_tender(Path(temp) / "tender")
        loaded = load_tender(root)
        questions = loaded.selection.questions
        questionnaire = build_documents(loaded)["questionnaire"]
        returns = root / "returns"
        returns.mkdir()
        work = Path(temp) / "work"
        work.mkdir()
        for index in range(HONEST - 1):
            fill_xlsx(questionnaire, make_plan(f"Vendeur {index + 1:02d}", questions, "risky", seed=index),
                      returns / f"vendeur-{index + 1:02d}.xlsx")
        printed = fill_xlsx(questionnaire, make_plan("Vendeur PDF", questions, "favourable", plain=True),
                            work / "pdf.xlsx")
        print_to_pdf(printed, returns / "vendeur-pdf.pdf")
        inflating_pdf(returns / "inflating.pdf", megabytes=1500)
        many_pages_pdf(returns / "many-pages.pdf", pages=200_000)
        hidden_reference(returns / "vendeur-01.xlsx", returns / "other-tender.xlsx", "2025-AUTRE-001")
        macro_docx(paste_into_word(returns / "vendeur-02.xlsx", work / "w.docx"), returns / "macro.docx")
        os.mkfifo(returns / "fifo.xlsx")
        sparse_return(returns / "sparse.xlsx", 20 * 1024 ** 3)     # refused before it is hashed (issue 19)
        duplicate_members(returns / "duplicate.zip", "Questionnaire.xlsx",
                          [(returns / "vendeur-03.xlsx").read_bytes(), (returns / "vendeur-04.xlsx").read_bytes()])

        start = time.perf_counter()
        run = run_review(load_tender(root), jobs=jobs)
        elapsed = time.perf_counter() - start

    review = run.review
    errors = [e for r in review.failed for e in r.errors]
    print(f"review of {HONEST + HOSTILE} returns ({HOSTILE} hostile), jobs={jobs or os.cpu_count()}: "
          f"{elapsed:.1f} s (bound {BOUND:.0f} s); {len(review.vendors)} vendors reviewed, "
          f"{len(errors)} one-sentence errors, {len(run.letters)} letters")
    for error in errors:
        print(f"  ✗ {error}")
    ok = (elapsed <= BOUND and len(review.vendors) == HONEST and len(errors) == HOSTILE
          and all("\n" not in e for e in errors))
    print("OK" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else None))
