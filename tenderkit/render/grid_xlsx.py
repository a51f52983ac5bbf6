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

import math
import re
from pathlib import Path

from openpyxl.utils import get_column_letter, quote_sheetname

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
from tenderkit.render.xlsx_writer import (
    ANSWER,
    ANSWER_FILL,
    BODY,
    BOLD,
    BORDER,
    FLAG,
    FONT,
    MUTED,
    NAVY,
    NUMBER,
    RIGHT,
    SECTION_FILL,
    SMALL,
    SMALL_TEXT,
    TEXT,
    TOP,
    UNLOCKED,
    WRAP,
    Book,
    Sheet,
    Style,
    cm_to_pixels,
    fill,
    reference,
)
from tenderkit.review.model import CONFORME, NON_CONFORME, NON_RENSEIGNE, PARTIEL, Review, VendorReview
from tenderkit.review.regularity import summary_parts
from tenderkit.review.scoring import item_weights, part_weights
from tenderkit.text import french_date, french_typography
from tenderkit.vocabulary import STATUS_LABELS, Issue, answer_label, shown_value
from tenderkit.wording import phrase
from tenderkit.xlsx_rows import row_height

TITLE: Style = {"font_name": FONT, "bold": True, "font_size": 14, "font_color": NAVY}
TENDER_LINE: Style = {"font_name": FONT, "font_size": 9, "italic": True, "font_color": "#595959"}
NOTE: Style = {"font_name": FONT, "font_size": 9, "italic": True}
FLAG_FILL = fill("#F8D7DA")
GOOD_FILL = fill("#D4EDDA")
COMPLETENESS_LABEL = "Complétude : pièces et réponses fournies (%)"
CHART_TITLE = "Note par partie et complétude, par candidat"
READER_REMARKS = "Remarques du lecteur de fichiers"
# the font size of the style of each vendor-sheet column, for row heights
VENDOR_SIZES = {"flag": 9.9, "clauses": 9, "refs": 9, "location": 9}   # bold 9 pt is about as wide as 9.9 pt
CHART_VENDORS = 30         # the grid's chart shows at most the first vendors of the summary (Excel: ≤ 255 series)
CHART_LABELLED = 6         # beyond, the bars are too narrow for their values (the summary gives the figures)
NUMBER_TOP, MUTED_TOP = NUMBER | TOP, MUTED | TOP
SUMMARY_VENDORS_PER_PAGE = 6   # the summary prints so many vendor columns per page width, criteria repeated
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


class GridBuilder:
    """Writes the grid of a review, one method per sheet; sheets are filled in any order (XlsxWriter keeps them
    in memory until :meth:`save`), in the order created in :meth:`build`."""

    def __init__(self, review: Review):
        self.review = review
        self.selection = review.selection
        self.book = Book()
        self.taken = {"synthèse", "graphique", "pondérations", "tenderkit-calcul"}
        self.weight_rows: dict[str, int] = {}
        self.vendor_sheets: dict[str, tuple[str, int]] = {}  # vendor → (sheet title, last row)
        self.summary_rows: dict[str, int] = {}
        self.frozen = bool(review.published)   # published weights: shown, never editable (R. 2152-11)
        self.reasons = {(c["vendor"], c["id"]): c["reason"] for c in review.corrections}
        self.editable: Style = {} if self.frozen else ANSWER_FILL | UNLOCKED

    def build(self) -> Book:
        summary = self.book.sheet("Synthèse")
        chart = self.book.sheet("Graphique")
        weights = self.book.sheet("Pondérations")
        sheets = [summary, chart, weights]
        self._weights(weights)
        for vendor in self.review.vendors:
            sheets.append(self._vendor(vendor))
        self._summary(summary)
        self._chart_sheet(chart)
        sheets.append(self._baseline(self.book.sheet("tenderkit-calcul")))
        for sheet in sheets:
            sheet.protect()
        self.book.workbook.set_properties({"author": f"tenderkit {__version__}",
                                           "title": f"Grille d’évaluation – {self.selection.tender.title}"})
        return self.book

    def _title(self, sheet: Sheet, kind: str, title: str, note: str, column: int = 2) -> None:
        """Title, tender line and note in rows 1–3 of ``column``: the first visible column of the sheet."""
        tender = self.selection.tender
        sheet.put_at(KIND_CELL, kind)
        sheet.put(1, column, french_typography(title), TITLE)
        sheet.put(2, column, f"{tender.reference} – {tender.title} – {tender.buyer.name}", TENDER_LINE)
        sheet.put(3, column, french_typography(note), NOTE)

    def _weights(self, sheet: Sheet) -> None:
        self._title(sheet, WEIGHTS, "Pondération des questions évaluées",
                    FROZEN_NOTE if self.frozen else "Modifiez les pondérations (cellules jaunes, nombres positifs ou "
                                                    "nuls) : notes et rangs se recalculent.")
        sheet.widths((w for _, w, _ in WEIGHT_COLUMNS), hidden=[1])
        sheet.header_row(FIRST - 1, [h for h, _, _ in WEIGHT_COLUMNS])
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
                sheet.put(row, WEIGHT_COLUMN[key], value, TEXT)
            sheet.put(row, WEIGHT_COLUMN["weight"], weights[qid], NUMBER if self.frozen else ANSWER)
            weight_cells.append(reference(row, WEIGHT_COLUMN["weight"]))
            sheet.height(row, row_height((question.section, 24, 10), (question.text, 60, 10), (clauses, 34, 10)))
            self.weight_rows[qid] = row
            row += 1
        sheet.validation("Pondération", weight_cells)
        last = get_column_letter(len(WEIGHT_COLUMNS))
        sheet.worksheet.freeze_panes(f"B{FIRST}")
        sheet.worksheet.autofilter(f"A{FIRST - 1}:{last}{row - 1}")
        sheet.print_setup((FIRST - 1, FIRST - 1), self.selection.tender.reference)

    def _vendor_rows(self, vendor: VendorReview) -> list[dict[str, tuple[object, Style, bool]]]:
        """Per question of ``vendor``: column key → (value, style, is a formula)."""
        flags = {f.question_id: f for f in vendor.flags}
        weights_sheet = quote_sheetname("Pondérations")
        weight_letter = get_column_letter(WEIGHT_COLUMN["weight"])
        points_l, max_l, weight_l = _letter("points"), _letter("max"), _letter("weight")
        numbers = self.selection.numbers
        rows = []
        for row, (qid, item) in enumerate(vendor.items.items(), start=FIRST):
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
            cells: dict[str, tuple[object, Style, bool]] = {key: (content, TEXT, False) for key, content in {
                "id": qid, "part": item.part, "number": numbers[qid], "section": question.section,
                "question": question.text, "raw": item.raw, "value": value, "status": status,
                "expected": answer_label(question.expected, "grid") if question.expected else ""}.items()}
            if item.scored:
                cells["points"] = (item.points, ANSWER, False)
                cells["reason"] = (self.reasons.get((vendor.vendor, qid)), ANSWER, False)
                cells["max"] = (item.max_points, NUMBER_TOP, False)
                cells["weight"] = (f"={weights_sheet}!${weight_letter}${self.weight_rows[qid]}", NUMBER_TOP, True)
            else:
                cells.update({key: (0, MUTED_TOP, False) for key in ("points", "max", "weight")})
            cells["weighted"] = (f"={points_l}{row}*{weight_l}{row}", NUMBER_TOP, True)
            cells["weighted_max"] = (f"={max_l}{row}*{weight_l}{row}", NUMBER_TOP, True)
            alert = flag.reason if flag else None
            if item.issue == Issue.ALTERED:  # not scored until the committee confirms the vendor's wording
                alert = french_typography(f"Question reformulée par le candidat, non notée (à confirmer) : "
                                          f"« {item.altered} »")
            cells["flag"] = (alert, FLAG, False)
            cells["clauses"] = (clauses, SMALL_TEXT, False)
            cells["refs"] = (", ".join(ansm + enisa), SMALL_TEXT, False)
            cells["location"] = (item.location, SMALL_TEXT, False)
            if item.how == "ocr" and item.raw is not None:  # read from a scan: the committee checks it
                cells["location"] = (f"{item.location} — à vérifier (lu par OCR)", FLAG, False)
            rows.append(cells)
        return rows

    def _vendor(self, vendor: VendorReview) -> Sheet:
        title = sheet_title(vendor.vendor, self.taken)
        sheet = self.book.sheet(title)
        response = vendor.response
        hidden = [VENDOR_COLUMN[key] for key in HIDDEN_VENDOR_COLUMNS]
        first_visible = next(index for index in range(1, len(VENDOR_COLUMNS) + 1) if index not in hidden)
        self._title(sheet, VENDOR, f"{vendor.vendor} – réponses et points",
                    f"{_received(response)}. Les points sont modifiables "
                    "(cellules jaunes, de 0 au maximum de la question), chaque correction motivée dans la colonne "
                    "« Motif de correction » ; pondérations dans la feuille « Pondérations ».", column=first_visible)
        sheet.put_at(VENDOR_CELL, vendor.vendor)
        sheet.widths((w for _, w, _ in VENDOR_COLUMNS), hidden=hidden)
        sheet.header_row(FIRST - 1, [h for h, _, _ in VENDOR_COLUMNS])
        sheet.height(FIRST - 1, 28)
        points_cells: dict[float, list[str]] = {}
        row = FIRST
        for item, cells in zip(vendor.items.values(), self._vendor_rows(vendor), strict=True):
            for key, (content, style, is_formula) in cells.items():
                if is_formula:
                    sheet.formula(row, VENDOR_COLUMN[key], str(content), style)
                else:
                    sheet.put(row, VENDOR_COLUMN[key], content, style)
            if item.scored:
                points_cells.setdefault(item.max_points, []).append(f"{_letter('points')}{row}")
            sheet.height(row, row_height(*(
                (None if content is None else str(content), width, VENDOR_SIZES.get(key, 10))
                for _, width, key in VENDOR_COLUMNS if key not in HIDDEN_VENDOR_COLUMNS
                for content, _, is_formula in [cells.get(key, (None, None, False))] if not is_formula)))
            row += 1
        last = row - 1
        for maximum, cells_of in points_cells.items():
            sheet.validation("Points", cells_of, maximum)
        end = get_column_letter(len(VENDOR_COLUMNS))
        flag_l, status_l = _letter("flag"), _letter("status")
        sheet.conditional(f"A{FIRST}:{end}{last}", {"type": "formula", "criteria": f"=LEN(${flag_l}{FIRST})>0",
                                                    "format": FLAG_FILL})
        sheet.conditional(f"A{FIRST}:{end}{last}", {"type": "formula",
                                                    "criteria": f'=${status_l}{FIRST}="non applicable"',
                                                    "format": {"font_color": "#999999"}})
        row += 1
        sheet.put(row, 4, "Pièces manquantes", BOLD)
        deliverables = self.selection.library.deliverables
        for deliverable_id in vendor.missing_deliverables or []:
            row += 1
            sheet.put(row, 5, deliverables[deliverable_id].title, BODY)
        if not vendor.missing_deliverables:
            sheet.put(row + 1, 5, "Aucune", BODY)
            row += 1
        row += 2
        # the parser's remarks are in the messages' language (French unless --lang en, which the label then says)
        english = response.warnings and language() == "en"
        sheet.put(row, 4, READER_REMARKS + (" (en anglais)" if english else ""), BOLD)
        for warning in response.warnings or ["Aucune"]:
            row += 1
            sheet.put(row, 5, self.selection.with_numbers(warning), SMALL)
        sheet.worksheet.freeze_panes(f"{_letter('raw')}{FIRST}")
        sheet.worksheet.autofilter(f"A{FIRST - 1}:{end}{last}")
        sheet.print_setup((FIRST - 1, FIRST - 1), f"{self.selection.tender.reference} – {vendor.vendor}")
        self.vendor_sheets[vendor.vendor] = (title, last)
        return sheet

    def _summary(self, sheet: Sheet) -> None:
        review, selection = self.review, self.selection
        sheet.put_at(VENDOR_CELL, selection.tender.reference)
        self._title(sheet, SUMMARY, "Grille d’évaluation – sécurité numérique",
                    f"Établie le {french_date(review.date)}. "
                    + (f"{review.published} Points corrigeables dans les feuilles des candidats, chaque correction "
                       "motivée." if self.frozen else "Pondérations modifiables (cellules jaunes) : notes et rangs "
                                                      "se recalculent.")
                    + " Les offres irrégulières ne sont pas classées. Les alertes informent le comité ; elles "
                      "n’éliminent pas.")
        vendors = review.vendors
        column_widths = [12, 48, 13, *[20] * len(vendors)]
        sheet.widths(column_widths, hidden=[1])
        sheet.header_row(5, ["Critère", "Pondération", *[v.vendor for v in vendors]], start_column=2)
        sheet.height(5, 32)
        parts = selection.parts
        first = FIRST
        last_part = first + len(parts) - 1
        completeness_row = last_part + 1
        weight_cells = []
        pts_l, max_l = _letter("weighted"), _letter("weighted_max")
        part_l = _letter("part")
        weight_style = self.editable | BORDER | BOLD
        for offset, part in enumerate(parts):
            row = first + offset
            sheet.put(row, 1, part_key(part.part))
            sheet.put(row, 2, f"Partie {part.part} – {part.sheet}", BODY | WRAP | BORDER)
            sheet.put(row, SUMMARY_WEIGHT_COLUMN, review.part_weights[part.part], weight_style)
            weight_cells.append(reference(row, SUMMARY_WEIGHT_COLUMN))
            for index, vendor in enumerate(vendors):
                title, last = self.vendor_sheets[vendor.vendor]
                ref = quote_sheetname(title)
                parts_range = f"{ref}!${part_l}${FIRST}:${part_l}${last}"
                # a part where nothing is scored for this vendor has no score (empty), as in the review
                sheet.formula(row, 4 + index,
                              f"=IFERROR(SUMIFS({ref}!${pts_l}${FIRST}:${pts_l}${last},{parts_range},{part.part})/"
                              f"SUMIFS({ref}!${max_l}${FIRST}:${max_l}${last},{parts_range},{part.part})*100,\"\")",
                              {"num_format": "0.0"} | BORDER | BODY | RIGHT)
        sheet.put(completeness_row, 1, COMPLETENESS_KEY)
        sheet.put(completeness_row, 2, french_typography(COMPLETENESS_LABEL), BODY | WRAP | BORDER)
        sheet.put(completeness_row, SUMMARY_WEIGHT_COLUMN, review.completeness_weight, weight_style)
        weight_cells.append(reference(completeness_row, SUMMARY_WEIGHT_COLUMN))
        for index, vendor in enumerate(vendors):
            sheet.put(completeness_row, 4 + index, vendor.completeness, {"num_format": "0.0"} | BORDER | BODY)
        sheet.validation("Pondération", weight_cells)
        conformity_row, total_row = completeness_row + 1, completeness_row + 2
        regularity_row, rank_row = completeness_row + 3, completeness_row + 4
        sheet.put(conformity_row, 2, "Note de conformité (questions pondérées, sur 100)", BODY | BORDER)
        sheet.put(total_row, 2, "Note globale (sur 100)", BOLD | BORDER | SECTION_FILL)
        sheet.formula(total_row, 3, f"=SUM(C{first}:C{completeness_row})", BORDER | SECTION_FILL)
        sheet.put(regularity_row, 2, "Régularité de l’offre", BOLD | BORDER)
        sheet.put(rank_row, 2, "Rang (offres régulières)", BOLD | BORDER)
        last_vendor = get_column_letter(3 + max(len(vendors), 1))
        part_weights = f"$C${first}:$C${last_part}"
        totals = f"$D${total_row}:${last_vendor}${total_row}"
        statuses = f"$D${regularity_row}:${last_vendor}${regularity_row}"
        irregular = phrase("regularity.status.irregular")
        for index, vendor in enumerate(vendors):
            letter = get_column_letter(4 + index)
            title, last = self.vendor_sheets[vendor.vendor]
            ref = quote_sheetname(title)
            parts_range = f"{ref}!${part_l}${FIRST}:${part_l}${last}"

            def weighted(column: str, ref: str = ref, last: int = last, parts_range: str = parts_range) -> str:
                return "+".join(f"$C${first + offset}*SUMIFS({ref}!${column}${FIRST}:${column}${last},{parts_range},"
                                f"{part.part})" for offset, part in enumerate(parts)) or "0"
            # every scored item weighs its weight × its part's weight, as scoring.conformity_score
            sheet.formula(conformity_row, 4 + index, f"=IFERROR(({weighted(pts_l)})/({weighted(max_l)})*100,0)",
                          {"num_format": "0.0"} | BODY | BORDER)
            # conformity weighs the sum of the parts' weights beside completeness, as scoring.total_score
            sheet.formula(total_row, 4 + index,
                          f"=IFERROR(({letter}{conformity_row}*SUM({part_weights})+{letter}{completeness_row}"
                          f"*$C${completeness_row})/(SUM({part_weights})+$C${completeness_row}),0)",
                          {"num_format": "0.0"} | BOLD | BORDER | SECTION_FILL)
            sheet.put(regularity_row, 4 + index, phrase(f"regularity.status.{vendor.regularity}"),
                      BOLD | BORDER | {"align": "center"})
            # ranked among the regular offers (and those invited to regularise) on the total as shown (one
            # decimal, half up as ROUND does), as scoring.rank; an irregular offer has no rank
            sheet.formula(rank_row, 4 + index,
                          f"=IF({letter}{regularity_row}=\"{irregular}\",\"—\",1+SUMPRODUCT(--(ROUND({totals},1)>"
                          f"ROUND({letter}{total_row},1)),--({statuses}<>\"{irregular}\")))",
                          BOLD | BORDER | {"align": "center"})

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
            sheet.put(row, 2, french_typography(label), BODY | BORDER | TOP)
            align = WRAP if label in texts else RIGHT | TOP
            for index, value in enumerate(values):
                sheet.put(row, 4 + index, value, BODY | BORDER | align)
            if label in texts:
                sheet.height(row, row_height(*((str(value), column_widths[3 + index], 10)
                                               for index, value in enumerate(values))))
            counters[label] = row
            row += 1
        if vendors:
            span = f"D{first}:{last_vendor}{completeness_row}"
            sheet.conditional(span, {"type": "3_color_scale", "min_type": "num", "min_value": 0,
                                     "min_color": "#F8D7DA", "mid_type": "num", "mid_value": 50,
                                     "mid_color": "#FFF3CD", "max_type": "num", "max_value": 100,
                                     "max_color": "#D4EDDA"})
            sheet.conditional(f"D{rank_row}:{last_vendor}{rank_row}",
                              {"type": "cell", "criteria": "==", "value": 1, "format": GOOD_FILL})
            for label in ("Alertes à examiner", "Questions obligatoires sans réponse", "Pièces manquantes",
                          "Clauses non conformes", "Questions reformulées (à confirmer)"):
                line = counters[label]
                sheet.conditional(f"D{line}:{last_vendor}{line}",
                                  {"type": "cell", "criteria": ">", "value": 0, "format": FLAG_FILL})
            line = counters["Autre fichier au nom du même candidat"]
            sheet.conditional(f"D{line}:{last_vendor}{line}",
                              {"type": "cell", "criteria": "!=", "value": '"—"', "format": FLAG_FILL})
            sheet.put(row + 1, 2, french_typography("Graphique des notes par partie : feuille « Graphique »."), NOTE)
            row += 2
        irregular_offers = [v for v in vendors if v.irregularities]
        if irregular_offers:
            row += 1
            sheet.put(row, 2, "Offres irrégulières ou à régulariser (non classées si irrégulières)", BOLD)
            for vendor in irregular_offers:   # one line per kind of irregularity, numbers given (details: its sheet)
                status = phrase(f"regularity.status.{vendor.regularity}")
                for part in summary_parts(vendor.irregularities):
                    row += 1
                    sheet.put(row, 2, french_typography(f"{vendor.vendor} ({status}) : {part}"), BODY)
            row += 1
        if review.failed or review.duplicates:
            row += 1
            sheet.put(row, 2, "Fichiers non évalués", BOLD)
            for response in review.failed:
                row += 1
                sheet.put(row, 2, "; ".join(response.errors), BODY)
            for response in review.duplicates:
                row += 1
                sheet.put(row, 2, f"{Path(response.file).name} : autre envoi de {response.vendor}, "
                                  "le plus complet a été retenu", BODY)
        sheet.worksheet.freeze_panes("D6")
        # a few vendors per page across, the criteria and weights repeated on each
        sheet.print_setup((5, 5), selection.tender.reference,
                          pages_wide=max(1, math.ceil(len(vendors) / SUMMARY_VENDORS_PER_PAGE)),
                          title_columns="B:C" if len(vendors) > SUMMARY_VENDORS_PER_PAGE else None)
        self.summary_rows = {"first": first, "last_part": last_part, "completeness": completeness_row,
                             "total": total_row, "rank": rank_row}

    def _chart_sheet(self, sheet: Sheet) -> None:
        """The chart on a sheet of its own: it prints on one page, without the summary's repeated header."""
        shown = min(len(self.review.vendors), CHART_VENDORS)
        note = "Notes sur 100 de la feuille « Synthèse », recalculées avec elle."
        if shown < len(self.review.vendors):
            note += (f" Le graphique montre les {shown} premiers candidats du classement calculé par tenderkit "
                     f"(sur {len(self.review.vendors)}) ; la feuille « Synthèse » les montre tous.")
        self._title(sheet, CHART, CHART_TITLE, note)
        sheet.widths([2, 12], hidden=[1])
        if shown:
            sheet.worksheet.insert_chart("B5", self._chart(shown))
        sheet.print_setup(None, self.selection.tender.reference, pages_high=1)   # one page, whatever its size

    def _chart(self, shown: int):
        """Columns per part and completeness for the first ``shown`` vendors of the summary."""
        rows = self.summary_rows
        first, last = rows["first"] - 1, rows["completeness"] - 1   # from 0, as XlsxWriter counts
        chart = self.book.workbook.add_chart({"type": "column"})
        chart.set_title({"name": "Note par partie et complétude (sur 100)"})
        chart.set_y_axis({"name": "Note", "min": 0, "max": 100, "major_unit": 20, "num_format": "0",
                          "major_gridlines": {"visible": True}})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": cm_to_pixels(min(26, 18 + 2 * shown)), "height": cm_to_pixels(14)})
        labels = {"value": True, "num_format": "0.0", "font": {"size": 7 if shown > 3 else 8}}
        for index in range(shown):
            column = 3 + index
            chart.add_series({"name": ["Synthèse", 4, column], "categories": ["Synthèse", first, 1, last, 1],
                              "values": ["Synthèse", first, column, last, column],
                              **({"data_labels": labels} if shown <= CHART_LABELLED else {})})
        return chart

    def _baseline(self, sheet: Sheet) -> Sheet:
        """The weights and points as computed without the committee's edits (see grid_layout.BASELINE)."""
        selection = self.selection
        sheet.put_at(KIND_CELL, BASELINE)
        sheet.put_at("B1", "Valeurs calculées par tenderkit (tender.yaml et réponses), pour reconnaître les "
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
                sheet.put(BASELINE_FIRST + offset, column, value)
        sheet.worksheet.very_hidden()
        return sheet


def write_grid(review: Review, target: Path) -> Path:
    return GridBuilder(review).build().save(target)
