"""Benchmark: OCR of scanned returns — seconds per page and accuracy per scan resolution.

    .venv/bin/python bench/bench_ocr.py [PAGES]      (default: 1,3,6 of the printed lean-profile return)

A risky vendor's return is filled, printed by LibreOffice, scanned with pdftoppm at 150 and 300 dpi (grey)
into PDFs of images, and read back by OCR. Accuracy is measured on the answers the vendor typed on the
scanned pages (located through the text PDF): rows found, values exact, yes/no exact, and the mean character
similarity of free texts. Target: under 10 s per page on one core; every row found; yes/no answers exact.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import yaml
from scans import scan, similarity_report

from tenderkit.generate import build_documents
from tenderkit.parse.parser import Expectation, parse_file
from tenderkit.paths import samples_dir
from tenderkit.tender.loaded import load_tender
from tenderkit.vendor_sim import fill_xlsx, make_plan, print_to_pdf


def main(pages: list[int]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        folder = work / "tender"
        folder.mkdir()
        data = yaml.safe_load((samples_dir() / "demo" / "tender.yaml").read_text(encoding="utf-8"))
        data["profile"].update(network_connected=False, servers=False, telemaintenance=False, patient_data=False)
        (folder / "tender.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        loaded = load_tender(folder)
        expect = Expectation(loaded.library, loaded.selection.questions, loaded.tender.reference, {})
        plan = make_plan("Scan Médical", loaded.selection.questions, "risky", seed=1)
        filled = fill_xlsx(build_documents(loaded)["questionnaire"], plan, work / "filled.xlsx")
        printed = print_to_pdf(filled, work / "printed.pdf")
        text = parse_file(printed, expect)
        where = {f"page {p}" for p in pages}
        expected = {q: plan.answers[q].expected for q, a in text.answers.items()
                    if a.location in where and q in plan.answers}
        yes_no = [q for q in expected if loaded.selection.questions[q].answer_type.startswith("yes_no")]
        print(f"pages {pages} of the printed return: {len(expected)} answers typed ({len(yes_no)} yes/no)")
        for dpi in (150, 300):
            scanned = scan(printed, work / f"scan-{dpi}.pdf", dpi, pages)
            start = time.perf_counter()
            response = parse_file(scanned, expect)
            elapsed = time.perf_counter() - start
            values = {q: a.value for q, a in response.answers.items()}
            report = similarity_report(expected, values)
            found = sum(1 for q in expected if response.answers[q].status != "empty")
            yes_no_ok = sum(1 for q in yes_no if values[q] == expected[q])
            print(f"{dpi} dpi: {elapsed / len(pages):5.1f} s/page; rows found {found}/{len(expected)}; values exact "
                  f"{report['exact']:.0%}; yes/no exact {yes_no_ok}/{len(yes_no)}; free-text similarity "
                  f"{report['text_similarity']:.1f} %" + (f"; errors {response.errors}" if response.errors else ""))
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main([int(p) for p in sys.argv[1].split(",")] if len(sys.argv) > 1 else [1, 3, 6])
