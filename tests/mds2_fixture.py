"""MDS2-shaped workbooks for the tests, built from the form's STRUCTURE only (HN 1-2019: one sheet, a title,
a header row, section rows, item rows « id | question | answer | note | references », notes below).

The question wording is ours and neutral (« Test item DOC-10 »): NEMA's text is not reproduced.
"""

from __future__ import annotations

import random
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Border, Side

SECTIONS = {  # section code → item ids (the shape of the form: numbered items, some with sub-items)
    "DOC": ["DOC-1", "DOC-2", "DOC-3", "DOC-4", "DOC-5", "DOC-6", "DOC-7", "DOC-8", "DOC-9", "DOC-10", "DOC-11",
            "DOC-11.1", "DOC-11.2"],
    "MPII": ["MPII-1", "MPII-2", "MPII-2.1", "MPII-3", "MPII-3.5", "MPII-3.6", "MPII-3.7"],
    "ALOF": ["ALOF-1", "ALOF-2"],
    "AUDT": ["AUDT-1", "AUDT-2", "AUDT-2.1", "AUDT-2.2", "AUDT-3"],
    "AUTH": ["AUTH-1", "AUTH-1.1", "AUTH-2", "AUTH-3"],
    "MLDP": ["MLDP-1", "MLDP-2", "MLDP-2.1", "MLDP-2.2", "MLDP-2.3"],
    "CONN": ["CONN-1", "CONN-1.1", "CONN-1.1.1", "CONN-2", "CONN-3", "CONN-4"],
    "PAUT": ["PAUT-1", "PAUT-2", "PAUT-3", "PAUT-4", "PAUT-5"],
    "TXCF": ["TXCF-1", "TXCF-2", "TXCF-2.1"],
    "RMOT": ["RMOT-1", "RMOT-1.1", "RMOT-2"],
}
IDENTITY = {"DOC-1": "Médical Ouest Systèmes", "DOC-2": "Pousse-seringue connecté", "DOC-3": "PSX-200",
            "DOC-4": "MDS2-PSX-200-v3", "DOC-5": "securite@mos.example", "DOC-6": "Envoi des perfusions au DPI",
            "DOC-7": "2025-03-14"}


def write_mds2(target: Path, answers: dict[str, str], notes: dict[int, str] | None = None, seed: int = 0,
               title_rows: bool = True) -> Path:
    """An MDS2-shaped workbook: ``answers`` for the listed items, the others Yes/No/N/A at random; an answer
    « See Note N » puts N in the note column and ``notes[N]`` below the form."""
    rng = random.Random(seed)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "mds2-form"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    if title_rows:
        sheet.append(["Test worksheet shaped as a manufacturer disclosure statement"])
        sheet.append(["Manufacturer Disclosure Statement for Medical Device Security -- MDS2 (test fixture)"])
        sheet.append([])
    sheet.append(["Question ID", "Question", "Answer", "See note", "Reference A", "Reference B"])
    for section, items in SECTIONS.items():
        sheet.append([None, f"SECTION {section}", "Yes, No, N/A, or See Note", "Note #"])
        for item in items:
            answer = answers.get(item, IDENTITY.get(item) or rng.choice(["Yes", "No", "N/A"]))
            note = "__"
            if answer.lower().startswith("see note"):
                note = answer[len("See "):]
                answer = "See Note"
            sheet.append([item, f"Test item {item}: neutral wording for the tests", answer, note, "", ""])
    sheet.append([])
    sheet.append([None, "Notes:"])
    for number, text in (notes or {}).items():
        sheet.append([f"Note {number}", text])
    for row in sheet.iter_rows(min_row=4 if title_rows else 1):
        for cell in row:
            cell.border = border
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in zip("ABCDEF", (12, 48, 26, 10, 12, 12), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return target
