"""The committee's evaluation grid (.xlsx): vendors side by side, editable weights, live totals and ranks.

Sheets: « Synthèse » (part scores, completeness, conformity, total and rank as formulas; counts),
« Graphique » (the bar chart, printed on a page of its own without the summary's repeated header),
« Pondérations » (one editable weight per scored item), and one sheet per vendor with every answer, its points
(editable), the clause and references behind it and where it was found. A very hidden sheet « tenderkit-calcul » keeps
the weights and points as computed from tender.yaml and the answers, so that a later review tells the
committee's edits from the computed values (review/grid_edits.py). Editable cells are
validated (points 0..max, weights ≥ 0), everything else is locked; sheets are protected without a password.
Hidden keys (see tenderkit/grid_layout.py) let `tenderkit review --grid` read the committee's edits back.
Vendor text is always written as text.
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties
from openpyxl.formatting.rule import CellIsRule, ColorScaleRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from tenderkit import __version__
from tenderkit.grid_layout import (
    BASELINE,
    BASELINE_FIRST,
    CHART,
    COMPLETENESS_KEY,
    FIRST,
    HIDDEN_VENDOR_COLUMNS,
    KIND_CELL,
    SUMMARY,
    SUMMARY_WEIGHT_COLUMN,
    VENDOR,
    VENDOR_CELL,
    VENDOR_COLUMN,
    VENDOR_COLUMNS,
    WEIGHT_COLUMN,
    WEIGHT_COLUMNS,
    WEIGHTS,
    part_key,
)
from tenderkit.i18n import language
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
    protect,
    put,
    register_styles,
    save_workbook,
    widths,
)
from tenderkit.review.model import CONFORME, NON_CONFORME, NON_RENSEIGNE, PARTIEL, Review, VendorReview
from tenderkit.review.scoring import item_weights, part_weights
from tenderkit.text import french_date, french_number, french_typography
from tenderkit.vocabulary import STATUS_LABELS, Issue, answer_label, shown_value
from tenderkit.wording import phrase
from tenderkit.xlsx_rows import row_height

TITLE = Font(name=FONT, bold=True, size=14, color=NAVY)
BOLD = Font(name=FONT, bold=True, size=10)
FLAG_FILL = PatternFill("solid", fgColor="F8D7DA")
GOOD_FILL = PatternFill("solid", fgColor="D4EDDA")
TOP = Alignment(vertical="top")
RIGHT = Alignment(horizontal="right")
COMPLETENESS_LABEL = "Complétude : pièces et réponses fournies (%)"
CHART_TITLE = "Note par partie et complétude, par candidat"
READER_REMARKS = "Remarques du lecteur de fichiers"
# the font size of the named style of each vendor-sheet column (xlsx_common.NAMED_STYLES), for row heights
VENDOR_SIZES = {"flag": 9.9, "clauses": 9, "refs": 9, "location": 9}   # bold 9 pt is about as wide as 9.9 pt


FROZEN_NOTE = ("Pondérations publiées dans le règlement de la consultation : elles sont figées et ne peuvent être "
               "modifiées après la remise des offres.")


def _received(response) -> str:
    """« Fichier : x.xlsx (xlsx) », or for an offer « Offre : x (dossier), questionnaire q.xlsx »."""
    if response.offer:
        kind = "archive zip" if response.offer.get("kind") == "zip" else "dossier"
        return f"Offre : {Path(response.file).name} ({kind}), questionnaire {response.offer.get('questionnaire')}"
    return f"Fichier : {Path(response.file).name} ({response.format})"


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name for a vendor (≤ 31 characters, no []:*?/\\)."""
    base = re.sub(r"[\[\]:*?/\\']", " ", name).strip()[:28] or "Candidat"
    title, number = base, 2
    while title.lower() in taken:
        title = f"{base[:25]} ({number})"
        number += 1
    taken.add(title.lower())
    return title


def _letter(key: str) -> str:
    return get_column_letter(VENDOR_COLUMN[key])


def _validation(sheet: Worksheet, kind: str, cells: list[str], maximum: float | None = None) -> None:
    """Points between 0 and ``maximum``, or a weight ≥ 0, with a message saying so."""
    if not cells:
        return
    if maximum is None:
        rule = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=False)
        rule.error = "Une pondération est un nombre positif ou nul."
    else:
        rule = DataValidation(type="decimal", operator="between", formula1="0", formula2=f"{maximum:g}",
                              allow_blank=False)
        rule.error = f"Les points de cette question vont de 0 à {french_number(maximum, 2)}."
    rule.errorTitle = kind
    rule.showErrorMessage = True
    rule.sqref = MultiCellRange(" ".join(cells))
    sheet.add_data_validation(rule)


class GridBuilder:
    def __init__(self, review: Review):
        self.review = review
        self.selection = review.selection
        self.book = Workbook()
        register_styles(self.book)
        self.taken = {"synthèse", "graphique", "pondérations", "tenderkit-calcul"}
        self.weight_rows: dict[str, int] = {}
        self.vendor_sheets: dict[str, tuple[str, int]] = {}  # vendor → (sheet title, last row)
        self.frozen = bool(review.published)   # published weights: shown, never editable (R. 2152-11)
        self.reasons = {(c["vendor"], c["id"]): c["reason"] for c in review.corrections}
        self.editable = {} if self.frozen else {"fill": ANSWER_FILL, "protection": UNLOCKED}

    def build(self) -> Workbook:
        summary = self.book.active
        summary.title = "Synthèse"
        chart = self.book.create_sheet("Graphique")
        weights = self.book.create_sheet("Pondérations")
        self._weights(weights)
        for vendor in self.review.vendors:
            self._vendor(vendor)
        self._summary(summary)
        self._chart_sheet(chart, summary)
        self._baseline(self.book.create_sheet("tenderkit-calcul"))
        for sheet in self.book.worksheets:
            protect(sheet)
        self.book.properties.creator = f"tenderkit {__version__}"
        self.book.properties.title = f"Grille d’évaluation – {self.selection.tender.title}"
        return self.book

    def _title(self, sheet: Worksheet, kind: str, title: str, note: str, column: str = "B") -> None:
        """Title, tender line and note in rows 1–3 of ``column``: the first visible column of the sheet."""
        tender = self.selection.tender
        put(sheet[KIND_CELL], kind)
        put(sheet[f"{column}1"], french_typography(title), font=TITLE)
        put(sheet[f"{column}2"], f"{tender.reference} – {tender.title} – {tender.buyer.name}",
            font=Font(name=FONT, size=9, italic=True, color="595959"))
        put(sheet[f"{column}3"], french_typography(note), font=Font(name=FONT, size=9, italic=True))

    def _weights(self, sheet: Worksheet) -> None:
        self._title(sheet, WEIGHTS, "Pondération des questions évaluées",
                    FROZEN_NOTE if self.frozen else "Modifiez les pondérations (cellules jaunes, nombres positifs ou "
                                                    "nuls) : notes et rangs se recalculent.")
        widths(sheet, {get_column_letter(i): w for i, (_, w, _) in enumerate(WEIGHT_COLUMNS, start=1)})
        sheet.column_dimensions["A"].hidden = True
        header_row(sheet, FIRST - 1, [h for h, _, _ in WEIGHT_COLUMNS])
        row = FIRST
        weights = self.review.item_weights
        numbers = self.selection.numbers
        weight_cells = []
        for qid, question in self.selection.questions.items():
            if question.expected is None:
                continue
            clauses = ", ".join(c.title for c in self.selection.clauses_of.get(qid, []))
            values = {"id": qid, "number": numbers[qid], "part": question.part, "section": question.section,
                      "question": question.text, "clauses": clauses}
            for key, value in values.items():
                put(sheet.cell(row=row, column=WEIGHT_COLUMN[key]), value, "tk text")
            weight = put(sheet.cell(row=row, column=WEIGHT_COLUMN["weight"]), weights[qid],
                         "tk number" if self.frozen else "tk answer")
            weight_cells.append(weight.coordinate)
            sheet.row_dimensions[row].height = row_height((question.section, 24, 10), (question.text, 60, 10),
                                                          (clauses, 34, 10))
            self.weight_rows[qid] = row
            row += 1
        _validation(sheet, "Pondération", weight_cells)
        last = get_column_letter(len(WEIGHT_COLUMNS))
        sheet.freeze_panes = f"B{FIRST}"
        sheet.auto_filter.ref = f"A{FIRST - 1}:{last}{row - 1}"
        print_setup(sheet, f"{FIRST - 1}:{FIRST - 1}", self.selection.tender.reference)

    def _vendor(self, vendor: VendorReview) -> None:
        title = sheet_title(vendor.vendor, self.taken)
        sheet = self.book.create_sheet(title)
        response = vendor.response
        first_visible = get_column_letter(next(index for index, (_, _, key) in enumerate(VENDOR_COLUMNS, start=1)
                                               if key not in HIDDEN_VENDOR_COLUMNS))
        self._title(sheet, VENDOR, f"{vendor.vendor} – réponses et points",
                    f"{_received(response)}. Les points sont modifiables "
                    "(cellules jaunes, de 0 au maximum de la question), chaque correction motivée dans la colonne "
                    "« Motif de correction » ; pondérations dans la feuille « Pondérations ».", column=first_visible)
        put(sheet[VENDOR_CELL], vendor.vendor)
        widths(sheet, {get_column_letter(i): w for i, (_, w, _) in enumerate(VENDOR_COLUMNS, start=1)})
        for key in HIDDEN_VENDOR_COLUMNS:
            sheet.column_dimensions[_letter(key)].hidden = True
        header_row(sheet, FIRST - 1, [h for h, _, _ in VENDOR_COLUMNS])
        sheet.row_dimensions[FIRST - 1].height = 28
        flags = {f.question_id: f for f in vendor.flags}
        weights_sheet = quote_sheetname("Pondérations")
        weight_letter = get_column_letter(WEIGHT_COLUMN["weight"])
        points_l, max_l, weight_l = _letter("points"), _letter("max"), _letter("weight")
        numbers = self.selection.numbers
        points_cells: dict[float, list[str]] = {}
        row = FIRST
        for qid, item in vendor.items.items():
            question = self.selection.questions[qid]
            clauses = ", ".join(c.title for c in self.selection.clauses_of.get(qid, []))
            ansm, enisa = self.selection.references_of(qid)
            flag = flags.get(qid)
            value = shown_value(item.value, question.answer_type, "grid")
            if value is not None and str(value) == (item.raw or "").strip():
                value = None  # the value read is shown only where it differs from what the vendor wrote
            status = STATUS_LABELS.get(item.status, item.status)
            if not item.applicable:
                status = "non applicable"
            elif item.issue == Issue.ALTERED:
                status = "à confirmer"
            texts = {"id": qid, "part": item.part, "number": numbers[qid], "section": question.section,
                     "question": question.text, "raw": item.raw, "value": value,
                     "status": status,
                     "expected": answer_label(question.expected, "grid") if question.expected else ""}
            for key, content in texts.items():
                put(sheet.cell(row=row, column=VENDOR_COLUMN[key]), content, "tk text")
            cell = sheet.cell(row=row, column=VENDOR_COLUMN["points"])
            if item.scored:
                put(cell, item.points, "tk answer")
                put(sheet.cell(row=row, column=VENDOR_COLUMN["reason"]), self.reasons.get((vendor.vendor, qid)),
                    "tk answer")
                points_cells.setdefault(item.max_points, []).append(cell.coordinate)
                put(sheet.cell(row=row, column=VENDOR_COLUMN["max"]), item.max_points, "tk number", alignment=TOP)
                formula(sheet.cell(row=row, column=VENDOR_COLUMN["weight"]),
                        f"={weights_sheet}!${weight_letter}${self.weight_rows[qid]}", "tk number", alignment=TOP)
            else:
                for key in ("points", "max", "weight"):
                    put(sheet.cell(row=row, column=VENDOR_COLUMN[key]), 0, "tk muted", alignment=TOP)
            formula(sheet.cell(row=row, column=VENDOR_COLUMN["weighted"]), f"={points_l}{row}*{weight_l}{row}",
                    "tk number", alignment=TOP)
            formula(sheet.cell(row=row, column=VENDOR_COLUMN["weighted_max"]), f"={max_l}{row}*{weight_l}{row}",
                    "tk number", alignment=TOP)
            alert = flag.reason if flag else None
            if item.issue == Issue.ALTERED:  # not scored until the committee confirms the vendor's wording
                alert = french_typography(f"Question reformulée par le candidat, non notée (à confirmer) : "
                                          f"« {item.altered} »")
            put(sheet.cell(row=row, column=VENDOR_COLUMN["flag"]), alert, "tk flag")
            put(sheet.cell(row=row, column=VENDOR_COLUMN["clauses"]), clauses, "tk small")
            put(sheet.cell(row=row, column=VENDOR_COLUMN["refs"]), ", ".join(ansm + enisa), "tk small")
            put(sheet.cell(row=row, column=VENDOR_COLUMN["location"]), item.location, "tk small")
            if item.how == "ocr" and item.raw is not None:  # read from a scan: the committee checks it
                put(sheet.cell(row=row, column=VENDOR_COLUMN["location"]), f"{item.location} — à vérifier (lu par OCR)",
                    "tk flag")
            sheet.row_dimensions[row].height = row_height(*(
                (None if cell.value is None else str(cell.value), width, VENDOR_SIZES.get(key, 10))
                for cell, (_, width, key) in zip(sheet[row], VENDOR_COLUMNS, strict=False)
                if key not in HIDDEN_VENDOR_COLUMNS and not str(cell.value).startswith("=")))
            row += 1
        last = row - 1
        for maximum, cells in points_cells.items():
            _validation(sheet, "Points", cells, maximum)
        end = get_column_letter(len(VENDOR_COLUMNS))
        flag_l, status_l = _letter("flag"), _letter("status")
        sheet.conditional_formatting.add(f"A{FIRST}:{end}{last}", FormulaRule(formula=[f'LEN(${flag_l}{FIRST})>0'],
                                                                              fill=FLAG_FILL))
        sheet.conditional_formatting.add(f"A{FIRST}:{end}{last}", FormulaRule(
            formula=[f'${status_l}{FIRST}="non applicable"'], font=Font(color="999999")))
        row += 1
        put(sheet.cell(row=row, column=4), "Pièces manquantes", font=BOLD)
        deliverables = self.selection.library.deliverables
        for deliverable_id in vendor.missing_deliverables or []:
            row += 1
            put(sheet.cell(row=row, column=5), deliverables[deliverable_id].title, font=BODY_FONT)
        if not vendor.missing_deliverables:
            put(sheet.cell(row=row + 1, column=5), "Aucune", font=BODY_FONT)
            row += 1
        row += 2
        # the parser's remarks are in the messages' language (French unless --lang en, which the label then says)
        english = response.warnings and language() == "en"
        put(sheet.cell(row=row, column=4), READER_REMARKS + (" (en anglais)" if english else ""), font=BOLD)
        for warning in response.warnings or ["Aucune"]:
            row += 1
            put(sheet.cell(row=row, column=5), self.selection.with_numbers(warning), font=Font(name=FONT, size=9))
        sheet.freeze_panes = f"{_letter('raw')}{FIRST}"
        sheet.auto_filter.ref = f"A{FIRST - 1}:{end}{last}"
        print_setup(sheet, f"{FIRST - 1}:{FIRST - 1}", f"{self.selection.tender.reference} – {vendor.vendor}")
        self.vendor_sheets[vendor.vendor] = (title, last)

    def _summary(self, sheet: Worksheet) -> None:
        review, selection = self.review, self.selection
        put(sheet[VENDOR_CELL], selection.tender.reference)
        self._title(sheet, SUMMARY, "Grille d’évaluation – sécurité numérique",
                    f"Établie le {french_date(review.date)}. "
                    + (f"{review.published} Points corrigeables dans les feuilles des candidats, chaque correction "
                       "motivée." if self.frozen else "Pondérations modifiables (cellules jaunes) : notes et rangs "
                                                      "se recalculent.")
                    + " Les offres irrégulières ne sont pas classées. Les alertes informent le comité ; elles "
                      "n’éliminent pas.")
        vendors = review.vendors
        widths(sheet, {"A": 12, "B": 48, "C": 13, **{get_column_letter(4 + i): 20 for i in range(len(vendors))}})
        sheet.column_dimensions["A"].hidden = True
        header_row(sheet, 5, ["Critère", "Pondération", *[v.vendor for v in vendors]], start_column=2)
        sheet.row_dimensions[5].height = 32
        parts = selection.parts
        first = FIRST
        last_part = first + len(parts) - 1
        completeness_row = last_part + 1
        weight_cells = []
        pts_l, max_l = _letter("weighted"), _letter("weighted_max")
        part_l = _letter("part")
        for offset, part in enumerate(parts):
            row = first + offset
            put(sheet.cell(row=row, column=1), part_key(part.part))
            put(sheet.cell(row=row, column=2), f"Partie {part.part} – {part.sheet}", font=BODY_FONT, alignment=WRAP,
                border=BORDER)
            weight_cells.append(put(sheet.cell(row=row, column=SUMMARY_WEIGHT_COLUMN), review.part_weights[part.part],
                                    **self.editable, border=BORDER, font=BOLD).coordinate)
            for index, vendor in enumerate(vendors):
                title, last = self.vendor_sheets[vendor.vendor]
                ref = quote_sheetname(title)
                parts_range = f"{ref}!${part_l}${FIRST}:${part_l}${last}"
                # a part where nothing is scored for this vendor has no score (empty), as in the review
                formula(sheet.cell(row=row, column=4 + index),
                        f"=IFERROR(SUMIFS({ref}!${pts_l}${FIRST}:${pts_l}${last},{parts_range},{part.part})/"
                        f"SUMIFS({ref}!${max_l}${FIRST}:${max_l}${last},{parts_range},{part.part})*100,\"\")",
                        number_format="0.0", border=BORDER, font=BODY_FONT, alignment=RIGHT)
        put(sheet.cell(row=completeness_row, column=1), COMPLETENESS_KEY)
        put(sheet.cell(row=completeness_row, column=2), french_typography(COMPLETENESS_LABEL), font=BODY_FONT,
            alignment=WRAP,
            border=BORDER)
        weight_cells.append(put(sheet.cell(row=completeness_row, column=SUMMARY_WEIGHT_COLUMN),
                                review.completeness_weight, **self.editable, border=BORDER,
                                font=BOLD).coordinate)
        for index, vendor in enumerate(vendors):
            put(sheet.cell(row=completeness_row, column=4 + index), vendor.completeness, number_format="0.0",
                border=BORDER, font=BODY_FONT)
        _validation(sheet, "Pondération", weight_cells)
        conformity_row, total_row = completeness_row + 1, completeness_row + 2
        regularity_row, rank_row = completeness_row + 3, completeness_row + 4
        put(sheet.cell(row=conformity_row, column=2), "Note de conformité (questions pondérées, sur 100)",
            font=BODY_FONT, border=BORDER)
        put(sheet.cell(row=total_row, column=2), "Note globale (sur 100)", font=BOLD, border=BORDER, fill=SECTION_FILL)
        formula(sheet.cell(row=total_row, column=3), f"=SUM(C{first}:C{completeness_row})", border=BORDER,
                fill=SECTION_FILL)
        put(sheet.cell(row=regularity_row, column=2), "Régularité de l’offre", font=BOLD, border=BORDER)
        put(sheet.cell(row=rank_row, column=2), "Rang (offres régulières)", font=BOLD, border=BORDER)
        last_vendor = get_column_letter(3 + max(len(vendors), 1))
        part_weights = f"$C${first}:$C${last_part}"
        for index, vendor in enumerate(vendors):
            letter = get_column_letter(4 + index)
            title, last = self.vendor_sheets[vendor.vendor]
            ref = quote_sheetname(title)
            parts_range = f"{ref}!${part_l}${FIRST}:${part_l}${last}"

            def weighted(column: str, ref: str = ref, last: int = last, parts_range: str = parts_range) -> str:
                return "+".join(f"$C${first + offset}*SUMIFS({ref}!${column}${FIRST}:${column}${last},{parts_range},"
                                f"{part.part})" for offset, part in enumerate(parts)) or "0"
            # every scored item weighs its weight × its part's weight, as scoring.conformity_score
            formula(sheet.cell(row=conformity_row, column=4 + index),
                    f"=IFERROR(({weighted(pts_l)})/({weighted(max_l)})*100,0)",
                    number_format="0.0", font=BODY_FONT, border=BORDER)
            # conformity weighs the sum of the parts' weights beside completeness, as scoring.total_score
            formula(sheet.cell(row=total_row, column=4 + index),
                    f"=IFERROR(({letter}{conformity_row}*SUM({part_weights})+{letter}{completeness_row}"
                    f"*$C${completeness_row})/(SUM({part_weights})+$C${completeness_row}),0)",
                    number_format="0.0", font=BOLD, border=BORDER, fill=SECTION_FILL)
            put(sheet.cell(row=regularity_row, column=4 + index), phrase(f"regularity.status.{vendor.regularity}"),
                font=BOLD, border=BORDER, alignment=Alignment(horizontal="center"))
            # ranked among the regular offers (and those invited to regularise) on the total as shown (one
            # decimal, half up as ROUND does), as scoring.rank; an irregular offer has no rank
            totals = f"$D${total_row}:${last_vendor}${total_row}"
            statuses = f"$D${regularity_row}:${last_vendor}${regularity_row}"
            irregular = phrase("regularity.status.irregular")
            formula(sheet.cell(row=rank_row, column=4 + index),
                    f"=IF({letter}{regularity_row}=\"{irregular}\",\"—\",1+SUMPRODUCT(--(ROUND({totals},1)>"
                    f"ROUND({letter}{total_row},1)),--({statuses}<>\"{irregular}\")))", font=BOLD,
                    border=BORDER, alignment=Alignment(horizontal="center"))

        def clauses(status: str) -> list[int]:
            return [sum(c.status == status for c in v.clauses) for v in vendors]
        rows = [
            ("Alertes à examiner", [len(v.flags) for v in vendors]),
            ("Réponses obligatoires données / attendues", [f"{v.answers_given} / {v.answers_due}" for v in vendors]),
            ("Pièces fournies / demandées", [f"{v.documents_given} / {v.documents_due}" for v in vendors]),
            ("Questions obligatoires sans réponse", [len(v.unanswered) for v in vendors]),
            ("Réponses illisibles", [len(v.issues(Issue.INVALID)) for v in vendors]),
            ("Réponses partielles ou « sans objet » non prévu", [len(v.issues(Issue.PARTIEL)) + len(v.issues(
                Issue.NA_NOT_OFFERED)) for v in vendors]),
            ("Pièces manquantes", [len(v.missing_deliverables) for v in vendors]),
            ("Clauses conformes", clauses(CONFORME)),
            ("Clauses partiellement conformes", clauses(PARTIEL)),
            ("Clauses non conformes", clauses(NON_CONFORME)),
            ("Clauses non renseignées", clauses(NON_RENSEIGNE)),
            ("Fichier reçu", [Path(v.response.file).name for v in vendors]),
            ("Questions reformulées (à confirmer)", [len(v.issues(Issue.ALTERED)) for v in vendors]),
            ("Autre fichier au nom du même candidat", [", ".join(v.conflicts) or "—" for v in vendors]),
        ]
        row = rank_row + 1
        counters = {}
        texts = ("Fichier reçu", "Autre fichier au nom du même candidat")  # wrapped, the row sized to fit
        for label, values in rows:
            put(sheet.cell(row=row, column=2), french_typography(label), font=BODY_FONT, border=BORDER,
                alignment=Alignment(vertical="top"))
            for index, value in enumerate(values):
                align = WRAP if label in texts else Alignment(horizontal="right", vertical="top")
                put(sheet.cell(row=row, column=4 + index), value, font=BODY_FONT, border=BORDER, alignment=align)
            if label in texts:
                sheet.row_dimensions[row].height = row_height(*(
                    (str(value), sheet.column_dimensions[get_column_letter(4 + index)].width or 10, 10)
                    for index, value in enumerate(values)))
            counters[label] = row
            row += 1
        if vendors:
            span = f"D{first}:{last_vendor}{completeness_row}"
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
            put(sheet.cell(row=row + 1, column=2), french_typography("Graphique des notes par partie : feuille "
                                                                     "« Graphique »."),
                font=Font(name=FONT, size=9, italic=True))
            row += 2
        irregular = [v for v in vendors if v.irregularities]
        if irregular:
            row += 1
            put(sheet.cell(row=row, column=2), "Offres irrégulières ou à régulariser (non classées si irrégulières)",
                font=BOLD)
            for vendor in irregular:
                for found in vendor.irregularities:
                    row += 1
                    status = phrase(f"regularity.status.{vendor.regularity}")
                    put(sheet.cell(row=row, column=2), f"{vendor.vendor} ({status}) : {found.text}", font=BODY_FONT)
            row += 1
        if review.failed or review.duplicates:
            row += 1
            put(sheet.cell(row=row, column=2), "Fichiers non évalués", font=BOLD)
            for response in review.failed:
                row += 1
                put(sheet.cell(row=row, column=2), "; ".join(response.errors), font=BODY_FONT)
            for response in review.duplicates:
                row += 1
                put(sheet.cell(row=row, column=2), f"{Path(response.file).name} : autre envoi de {response.vendor}, "
                                                   "le plus complet a été retenu", font=BODY_FONT)
        sheet.freeze_panes = "D6"
        print_setup(sheet, "5:5", selection.tender.reference)
        self.summary_rows = {"first": first, "last_part": last_part, "completeness": completeness_row,
                             "total": total_row, "rank": rank_row}

    def _chart_sheet(self, sheet: Worksheet, summary: Worksheet) -> None:
        """The chart on a sheet of its own: it prints on one page, without the summary's repeated header."""
        self._title(sheet, CHART, CHART_TITLE, "Notes sur 100 de la feuille « Synthèse », recalculées avec elle.")
        sheet.column_dimensions["A"].hidden = True
        widths(sheet, {"A": 2, "B": 12})
        if self.review.vendors:
            rows = self.summary_rows
            sheet.add_chart(self._chart(summary, rows["first"], rows["completeness"]), "B5")
        print_setup(sheet, None, self.selection.tender.reference)
        sheet.page_setup.fitToHeight = 1   # one page, whatever the chart's size

    def _baseline(self, sheet: Worksheet) -> None:
        """The weights and points as computed without the committee's edits (see grid_layout.BASELINE)."""
        selection = self.selection
        put(sheet[KIND_CELL], BASELINE)
        put(sheet["B1"], "Valeurs calculées par tenderkit (tender.yaml et réponses), pour reconnaître les "
                         "modifications du comité. Ne pas modifier.")
        rows: list[tuple[str, str, str, float]] = [("part", str(p), "", w) for p, w in part_weights(selection).items()]
        rows.append(("completeness", "", "", float(selection.tender.weights.completeness)))
        weights = item_weights(selection)
        rows += [("item", qid, "", weights[qid]) for qid, q in selection.questions.items() if q.expected is not None]
        for vendor in self.review.vendors:
            rows += [("points", qid, vendor.vendor, item.computed_points) for qid, item in vendor.items.items()
                     if item.scored]
        for offset, entry in enumerate(rows):
            for column, value in enumerate(entry, start=1):
                put(sheet.cell(row=BASELINE_FIRST + offset, column=column), value)
        sheet.sheet_state = "veryHidden"

    def _chart(self, sheet: Worksheet, first: int, last: int) -> BarChart:
        vendors = self.review.vendors
        chart = BarChart()
        chart.type = "col"
        chart.title = "Note par partie et complétude (sur 100)"
        chart.y_axis.title = "Note"
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 100
        chart.y_axis.majorUnit = 20
        chart.y_axis.number_format = "0"
        chart.x_axis.delete = False   # openpyxl ≥ 3.1 hides both axes (and so the part labels) unless told
        chart.y_axis.delete = False
        chart.legend.position = "b"
        chart.height, chart.width = 14, min(26, 18 + 2 * len(vendors))
        chart.add_data(Reference(sheet, min_col=4, max_col=3 + len(vendors), min_row=5, max_row=last),
                       titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=2, min_row=first, max_row=last))
        chart.dataLabels = DataLabelList(showVal=True, showSerName=False, showCatName=False, showLegendKey=False,
                                         showPercent=False)
        chart.dataLabels.numFmt = "0.0"   # one decimal, as the table (the reader's decimal separator)
        chart.dataLabels.txPr = RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=CharacterProperties(
            sz=700 if len(vendors) > 3 else 800)), endParaRPr=CharacterProperties())])
        return chart


def write_grid(review: Review, target: Path) -> Path:
    return save_workbook(GridBuilder(review).build(), target)
