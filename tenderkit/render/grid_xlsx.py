"""The committee's evaluation grid (.xlsx): vendors side by side, editable weights, live totals and ranks.

Sheets: « Synthèse » (part scores, total, rank as formulas; a bar chart), « Pondérations » (one editable
weight per scored item), and one sheet per vendor with every answer, its points (editable), the clause
and references behind it and where it was found. Vendor text is always written as text.
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import CellIsRule, ColorScaleRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.worksheet import Worksheet

from tenderkit import __version__
from tenderkit.render.xlsx_common import (
    ANSWER_FILL,
    BODY_FONT,
    BORDER,
    FONT,
    NAVY,
    SECTION_FILL,
    UNLOCKED,
    WRAP,
    formula,
    header_row,
    print_setup,
    put,
    register_styles,
    row_height,
    save_workbook,
    widths,
)
from tenderkit.review.model import Review, VendorReview
from tenderkit.text import french_date

TITLE = Font(name=FONT, bold=True, size=14, color=NAVY)
BOLD = Font(name=FONT, bold=True, size=10)
FLAG_FILL = PatternFill("solid", fgColor="F8D7DA")
GOOD_FILL = PatternFill("solid", fgColor="D4EDDA")
STATUS_FR = {"answered": "répondu", "empty": "sans réponse", "invalid": "illisible"}
VALUE_FR = {"oui": "Oui", "non": "Non", "na": "Sans objet", "partiel": "Partiel"}
VENDOR_COLUMNS = ("Id", "Partie", "Section", "Question", "Réponse du candidat", "Valeur lue", "Statut", "Attendu",
                  "Points", "Max", "Pondération", "Points pondérés", "Max pondéré", "Alerte", "Clauses",
                  "ANSM", "ENISA", "Emplacement dans le fichier")
FIRST = 6  # first data row of the vendor and weight sheets


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name for a vendor (≤ 31 characters, no []:*?/\\)."""
    base = re.sub(r"[\[\]:*?/\\']", " ", name).strip()[:28] or "Candidat"
    title, number = base, 2
    while title.lower() in taken:
        title = f"{base[:25]} ({number})"
        number += 1
    taken.add(title.lower())
    return title


class GridBuilder:
    def __init__(self, review: Review):
        self.review = review
        self.selection = review.selection
        self.book = Workbook()
        register_styles(self.book)
        self.taken = {"synthèse", "pondérations"}
        self.weight_rows: dict[str, int] = {}
        self.vendor_sheets: dict[str, tuple[str, int]] = {}  # vendor → (sheet title, last row)

    def build(self) -> Workbook:
        summary = self.book.active
        summary.title = "Synthèse"
        weights = self.book.create_sheet("Pondérations")
        self._weights(weights)
        for vendor in self.review.vendors:
            self._vendor(vendor)
        self._summary(summary)
        self.book.properties.creator = f"tenderkit {__version__}"
        self.book.properties.title = f"Grille d’évaluation – {self.selection.tender.title}"
        return self.book

    def _title(self, sheet: Worksheet, title: str, note: str) -> None:
        tender = self.selection.tender
        put(sheet["B1"], title, font=TITLE)
        put(sheet["B2"], f"{tender.reference} – {tender.title} – {tender.buyer.name}",
            font=Font(name=FONT, size=9, italic=True, color="595959"))
        put(sheet["B3"], note, font=Font(name=FONT, size=9, italic=True))

    def _weights(self, sheet: Worksheet) -> None:
        self._title(sheet, "Pondération des questions évaluées",
                    "Modifiez les pondérations (cellules jaunes) : notes et rangs se recalculent.")
        widths(sheet, {"A": 26, "B": 7, "C": 28, "D": 60, "E": 34, "F": 13})
        header_row(sheet, FIRST - 1, ("Id", "Partie", "Section", "Question", "Clauses vérifiées", "Pondération"))
        row = FIRST
        weights = self.review.item_weights
        for qid, question in self.selection.questions.items():
            if question.expected is None:
                continue
            clauses = ", ".join(c.title for c in self.selection.clauses_of.get(qid, []))
            for column, value in enumerate((qid, question.part, question.section, question.text, clauses), start=1):
                put(sheet.cell(row=row, column=column), value, "tk text")
            put(sheet.cell(row=row, column=6), weights[qid], "tk answer")
            sheet.row_dimensions[row].height = row_height((question.section, 28, 10), (question.text, 60, 10),
                                                          (clauses, 34, 10))
            self.weight_rows[qid] = row
            row += 1
        sheet.freeze_panes = f"A{FIRST}"
        sheet.auto_filter.ref = f"A{FIRST - 1}:F{row - 1}"
        print_setup(sheet, f"{FIRST - 1}:{FIRST - 1}", self.selection.tender.reference)

    def _vendor(self, vendor: VendorReview) -> None:
        title = sheet_title(vendor.vendor, self.taken)
        sheet = self.book.create_sheet(title)
        response = vendor.response
        self._title(sheet, f"{vendor.vendor} – réponses et points",
                    f"Fichier : {Path(response.file).name} ({response.format}). Les points sont modifiables "
                    "(cellules jaunes) ; pondérations dans la feuille « Pondérations ».")
        widths(sheet, {"A": 24, "B": 6, "C": 22, "D": 48, "E": 30, "F": 11, "G": 11, "H": 8, "I": 7, "J": 5,
                       "K": 9, "L": 9, "M": 9, "N": 34, "O": 26, "P": 12, "Q": 12, "R": 22})
        header_row(sheet, FIRST - 1, VENDOR_COLUMNS)
        flags = {f.question_id: f for f in vendor.flags}
        weights_sheet = quote_sheetname("Pondérations")
        row = FIRST
        for qid, item in vendor.items.items():
            question = self.selection.questions[qid]
            clauses = ", ".join(c.title for c in self.selection.clauses_of.get(qid, []))
            ansm, enisa = self.selection.references_of(qid)
            flag = flags.get(qid)
            value = VALUE_FR.get(item.value, item.value) if isinstance(item.value, str) else item.value
            status = STATUS_FR.get(item.status, item.status) if item.applicable else "non applicable"
            cells = (qid, item.part, question.section, question.text, item.raw, value,
                     "à confirmer" if item.issue == "altered" else status,
                     VALUE_FR.get(question.expected, "") if question.expected else "")
            for column, content in enumerate(cells, start=1):
                put(sheet.cell(row=row, column=column), content, "tk text")
            if item.scored:
                put(sheet.cell(row=row, column=9), item.points, "tk answer")
                put(sheet.cell(row=row, column=10), item.max_points, "tk number")
                formula(sheet.cell(row=row, column=11), f"={weights_sheet}!$F${self.weight_rows[qid]}", "tk number")
            else:
                for column in (9, 10, 11):
                    put(sheet.cell(row=row, column=column), 0, "tk muted")
            formula(sheet.cell(row=row, column=12), f"=I{row}*K{row}", "tk number")
            formula(sheet.cell(row=row, column=13), f"=J{row}*K{row}", "tk number")
            alert = flag.reason if flag else None
            if item.issue == "altered":  # not scored until the committee confirms the vendor's wording
                alert = f"Question reformulée par le candidat, non notée (à confirmer) : « {item.altered} »"
            put(sheet.cell(row=row, column=14), alert, "tk flag")
            put(sheet.cell(row=row, column=15), clauses, "tk small")
            put(sheet.cell(row=row, column=16), ", ".join(ansm), "tk small")
            put(sheet.cell(row=row, column=17), ", ".join(enisa), "tk small")
            put(sheet.cell(row=row, column=18), item.location, "tk small")
            if item.how == "ocr" and item.raw is not None:  # read from a scan: the committee checks it
                put(sheet.cell(row=row, column=18), f"{item.location} — à vérifier (lu par OCR)", "tk flag")
            sheet.row_dimensions[row].height = row_height(
                (question.section, 22, 10), (question.text, 48, 10), (item.raw, 30, 10),
                (flag.reason if flag else None, 34, 9), (clauses, 26, 9))
            row += 1
        last = row - 1
        sheet.conditional_formatting.add(f"A{FIRST}:R{last}", FormulaRule(formula=[f'LEN($N{FIRST})>0'],
                                                                          fill=FLAG_FILL))
        sheet.conditional_formatting.add(f"A{FIRST}:R{last}", FormulaRule(
            formula=[f'$G{FIRST}="non applicable"'], font=Font(color="999999")))
        row += 1
        put(sheet.cell(row=row, column=2), "Pièces manquantes", font=BOLD)
        deliverables = self.selection.library.deliverables
        for deliverable_id in vendor.missing_deliverables or []:
            row += 1
            put(sheet.cell(row=row, column=3), deliverables[deliverable_id].title, font=BODY_FONT)
        if not vendor.missing_deliverables:
            put(sheet.cell(row=row + 1, column=3), "Aucune", font=BODY_FONT)
            row += 1
        row += 2
        put(sheet.cell(row=row, column=2), "Remarques de lecture du fichier", font=BOLD)
        for warning in response.warnings or ["Aucune"]:
            row += 1
            put(sheet.cell(row=row, column=3), warning, font=Font(name=FONT, size=9))
        sheet.freeze_panes = f"E{FIRST}"
        sheet.auto_filter.ref = f"A{FIRST - 1}:R{last}"
        print_setup(sheet, f"{FIRST - 1}:{FIRST - 1}", f"{self.selection.tender.reference} – {vendor.vendor}")
        self.vendor_sheets[vendor.vendor] = (title, last)

    def _summary(self, sheet: Worksheet) -> None:
        review, selection = self.review, self.selection
        self._title(sheet, "Grille d’évaluation – sécurité numérique",
                    f"Établie le {french_date(review.date)}. Pondérations modifiables (cellules jaunes) : notes "
                    "et rangs se recalculent. Les alertes informent le comité ; elles n’éliminent pas.")
        vendors = review.vendors
        widths(sheet, {"A": 2, "B": 46, "C": 13, **{get_column_letter(4 + i): 20 for i in range(len(vendors))}})
        header_row(sheet, 5, ["Critère", "Pondération", *[v.vendor for v in vendors]], start_column=2)
        sheet.row_dimensions[5].height = 32
        parts = selection.parts
        first = 6
        last_part = first + len(parts) - 1
        for offset, part in enumerate(parts):
            row = first + offset
            put(sheet.cell(row=row, column=2), f"Partie {part.part} – {part.sheet}", font=BODY_FONT, alignment=WRAP,
                border=BORDER)
            put(sheet.cell(row=row, column=3), review.part_weights[part.part], fill=ANSWER_FILL, protection=UNLOCKED,
                border=BORDER, font=BOLD)
            for index, vendor in enumerate(vendors):
                title, last = self.vendor_sheets[vendor.vendor]
                ref = quote_sheetname(title)
                parts_range = f"{ref}!$B${FIRST}:$B${last}"
                formula(sheet.cell(row=row, column=4 + index),
                        f"=IFERROR(SUMIFS({ref}!$L${FIRST}:$L${last},{parts_range},{part.part})/"
                        f"SUMIFS({ref}!$M${FIRST}:$M${last},{parts_range},{part.part})*100,0)",
                        number_format="0.0", border=BORDER, font=BODY_FONT)
        total_row, rank_row = last_part + 1, last_part + 2
        put(sheet.cell(row=total_row, column=2), "Note globale (sur 100)", font=BOLD, border=BORDER, fill=SECTION_FILL)
        formula(sheet.cell(row=total_row, column=3), f"=SUM(C{first}:C{last_part})", border=BORDER, fill=SECTION_FILL)
        put(sheet.cell(row=rank_row, column=2), "Rang", font=BOLD, border=BORDER)
        last_vendor = get_column_letter(3 + max(len(vendors), 1))
        for index in range(len(vendors)):
            letter = get_column_letter(4 + index)
            formula(sheet.cell(row=total_row, column=4 + index),
                    f"=IFERROR(SUMPRODUCT($C${first}:$C${last_part},{letter}{first}:{letter}{last_part})"
                    f"/SUM($C${first}:$C${last_part}),0)", number_format="0.0", font=BOLD, border=BORDER,
                    fill=SECTION_FILL)
            formula(sheet.cell(row=rank_row, column=4 + index),
                    f"=RANK({letter}{total_row},$D${total_row}:${last_vendor}${total_row},0)", font=BOLD,
                    border=BORDER, alignment=Alignment(horizontal="center"))
        rows = [
            ("Alertes à examiner", [len(v.flags) for v in vendors]),
            ("Questions obligatoires sans réponse", [len(v.unanswered) for v in vendors]),
            ("Réponses illisibles", [len(v.issues("invalid")) for v in vendors]),
            ("Réponses partielles ou « sans objet » non prévu", [len(v.issues("partiel")) + len(v.issues(
                "na-not-offered")) for v in vendors]),
            ("Pièces manquantes", [len(v.missing_deliverables) for v in vendors]),
            ("Clauses conformes", [sum(c.status == "conforme" for c in v.clauses) for v in vendors]),
            ("Clauses non conformes", [sum(c.status == "non conforme" for c in v.clauses) for v in vendors]),
            ("Fichier reçu", [Path(v.response.file).name for v in vendors]),
            ("Questions reformulées (à confirmer)", [len(v.issues("altered")) for v in vendors]),
            ("Autre fichier au nom du même candidat", [", ".join(v.conflicts) or "—" for v in vendors]),
        ]
        row = rank_row + 1
        counters = {}
        for label, values in rows:
            put(sheet.cell(row=row, column=2), label, font=BODY_FONT, border=BORDER)
            for index, value in enumerate(values):
                put(sheet.cell(row=row, column=4 + index), value, font=BODY_FONT, border=BORDER, alignment=WRAP)
            counters[label] = row
            row += 1
        if vendors:
            span = f"D{first}:{last_vendor}{last_part}"
            sheet.conditional_formatting.add(span, ColorScaleRule(start_type="num", start_value=0, start_color="F8D7DA",
                                                                  mid_type="num", mid_value=50, mid_color="FFF3CD",
                                                                  end_type="num", end_value=100, end_color="D4EDDA"))
            sheet.conditional_formatting.add(f"D{rank_row}:{last_vendor}{rank_row}",
                                             CellIsRule(operator="equal", formula=["1"], fill=GOOD_FILL))
            for label in ("Alertes à examiner", "Questions obligatoires sans réponse", "Pièces manquantes",
                          "Clauses non conformes", "Questions reformulées (à confirmer)"):
                line = counters[label]
                sheet.conditional_formatting.add(f"D{line}:{last_vendor}{line}",
                                                 CellIsRule(operator="greaterThan", formula=["0"], fill=FLAG_FILL))
            line = counters["Autre fichier au nom du même candidat"]
            sheet.conditional_formatting.add(f"D{line}:{last_vendor}{line}",
                                             CellIsRule(operator="notEqual", formula=['"—"'], fill=FLAG_FILL))
            chart = BarChart()
            chart.type = "col"
            chart.title = "Note par partie (sur 100)"
            chart.y_axis.title = "Note"
            chart.y_axis.scaling.min = 0
            chart.y_axis.scaling.max = 100
            chart.height, chart.width = 9, 14 + 2 * len(vendors)
            data = Reference(sheet, min_col=4, max_col=3 + len(vendors), min_row=5, max_row=last_part)
            chart.add_data(data, titles_from_data=True)
            chart.set_categories(Reference(sheet, min_col=2, min_row=first, max_row=last_part))
            sheet.add_chart(chart, f"B{row + 2}")
        if review.failed or review.duplicates:
            row += 21
            put(sheet.cell(row=row, column=2), "Fichiers non évalués", font=BOLD)
            for response in review.failed:
                row += 1
                put(sheet.cell(row=row, column=2), "; ".join(response.errors), font=BODY_FONT)
            for response in review.duplicates:
                row += 1
                put(sheet.cell(row=row, column=2), f"{Path(response.file).name} : autre envoi de {response.vendor}, "
                                                   "le plus complet a été retenu", font=BODY_FONT)
        sheet.freeze_panes = "D6"
        print_setup(sheet, None, selection.tender.reference)
        self.summary_rows = {"first": first, "last_part": last_part, "total": total_row, "rank": rank_row}


def write_grid(review: Review, target: Path) -> Path:
    return save_workbook(GridBuilder(review).build(), target)
