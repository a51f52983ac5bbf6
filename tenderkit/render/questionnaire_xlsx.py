"""The vendor questionnaire (.xlsx), built with openpyxl from the selected questionnaire items.

Sheets: Instructions · one sheet per AFIB part · one table sheet per repeatable group (postes, serveurs,
logiciels) · Pièces à joindre · Synthèse (formulas counting what is still empty) · Listes and tenderkit
(hidden: dropdown values, questionnaire identity).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font
from openpyxl.utils import column_index_from_string, get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from tenderkit import __version__, layout
from tenderkit.grammar import join_and
from tenderkit.library.models import Question
from tenderkit.render.xlsx_common import (
    ANSWER_FILL,
    BODY_FONT,
    BORDER,
    FONT,
    GREY_FILL,
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
from tenderkit.review.regularity import minimum_questions
from tenderkit.tender.selection import Selection
from tenderkit.text import french_date, french_typography, xml_safe
from tenderkit.vocabulary import Answer, answer_label
from tenderkit.wording import phrase
from tenderkit.xlsx_rows import row_height

HEADER_ROW = 5
FIRST_ROW = HEADER_ROW + 1
GROUP_ROWS = 15            # empty rows offered per repeatable group
PAGE_WIDTH = 170           # column-width units printed legibly on one landscape A4 page
TITLE_FONT = Font(name=FONT, bold=True, size=14, color=NAVY)
STAMP_FONT = Font(name=FONT, size=9, italic=True, color="595959")
TYPE_HINT = {
    "yes_no": "Oui / Non",
    "yes_no_na": "Oui / Non / Sans objet",
    "text": "Texte libre",
    "list": "Une ligne par élément (Alt+Entrée)",
    "number": "Nombre",
    "date": "Date (jj/mm/aaaa)",
}


@dataclass
class _Placed:
    sheet: Worksheet
    row: int


class _Validations:
    """One data validation per kind of answer, shared by all cells of that kind in a sheet."""

    def __init__(self, book: Workbook, sheet: Worksheet):
        self.book, self.sheet, self.by_key = book, sheet, {}

    def _list_source(self, options: list[str]) -> str:
        inline = ",".join(options)
        if len(inline) <= 250 and not any("," in o or '"' in o for o in options):
            return f'"{inline}"'
        lists = self.book[layout.LISTS_SHEET]  # long lists live in a hidden sheet (255-character limit)
        column = lists.max_column + 1 if lists.max_row > 1 or lists["A1"].value else 1
        for row, option in enumerate(options, start=1):
            put(lists.cell(row=row, column=column), option)
        letter = get_column_letter(column)
        return f"{quote_sheetname(layout.LISTS_SHEET)}!${letter}$1:${letter}${len(options)}"

    def add(self, question: Question, cell: str) -> None:
        kind = question.answer_type
        if kind in ("text", "list"):
            return
        key = (kind, tuple(question.options))
        if key not in self.by_key:
            if kind in ("yes_no", "yes_no_na", "choice"):
                values = {"yes_no": [layout.YES, layout.NO],
                          "yes_no_na": [layout.YES, layout.NO, layout.NOT_APPLICABLE]}.get(kind, question.options)
                validation = DataValidation(type="list", formula1=self._list_source(list(values)), allow_blank=True)
                validation.prompt = "Choisissez dans la liste ; précisez si besoin dans « Commentaire »."
            elif kind == "number":
                validation = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                                            allow_blank=True)
                validation.prompt = "Indiquez un nombre."
            else:
                validation = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
                validation.prompt = "Indiquez une date (jj/mm/aaaa)."
            validation.errorStyle = "warning"  # a typed answer is accepted after a warning, never lost
            validation.error = "Valeur inattendue : utilisez la liste ou précisez dans « Commentaire »."
            validation.errorTitle = "Réponse"
            validation.showErrorMessage = True
            validation.showInputMessage = True
            self.sheet.add_data_validation(validation)
            self.by_key[key] = validation
        self.by_key[key].add(cell)


def _help_text(question: Question, selection: Selection) -> str:
    parts = []
    minimum = minimum_questions(selection).get(question.id)
    if minimum is not None:   # an unfavourable answer makes the offer irregular: said first, where it is read
        parts.append(phrase("minimum.questionnaire", clause=minimum.title))
    if question.help:
        parts.append(question.help)
    if question.answer_type == "choice":
        parts.append(" / ".join(question.options))
    else:
        parts.append(TYPE_HINT[question.answer_type] + (f" ({question.unit})" if question.unit else ""))
    if question.show_if:
        parts.append(f"Si « {answer_label(question.show_if.equals, 'form')} » "
                     f"à la {selection.label(question.show_if.question)}")
    return french_typography(". ".join(p.rstrip(".") for p in parts))


def _opening_test(answer: str, equals: str) -> str:
    """A spreadsheet test that the folded ``answer`` opens the questions shown on ``equals``, as the review
    reads it (parse/normalize.py) for the answers vendors type most: « Oui », « OUI. », « Oui – cf. doc. »,
    « Yes », « Oui sous réserve » (a qualified oui opens them too), « Non », « Non, cf. annexe » — but not
    « Non applicable » nor « Non concerné », which the review reads as « sans objet »."""
    if equals == Answer.OUI:
        return f'OR(LEFT({answer},3)="oui",LEFT({answer},3)="yes")'
    if equals == Answer.NON:
        return (f'AND(LEFT({answer},3)="non",ISERROR(SEARCH("applicable",{answer})),'
                f'ISERROR(SEARCH("concern",{answer})))')
    label = answer_label(equals, "form").lower().replace('"', '""')
    return f'{answer}="{label}"'


def _guidance_text(guidance: str) -> str:
    """The seed's guidance with its line structure: one line per paragraph, « • » for list items."""
    lines = [line.strip() for line in guidance.splitlines() if line.strip()]
    return "\n".join("• " + line[2:] if line.startswith("- ") else line for line in lines)


def _title_block(sheet: Worksheet, title: str, stamp_text: str, last_column: str, note: str = "") -> None:
    """Title, stamp and a note merged from B to ``last_column`` (set the column widths first: the note's row
    is as high as its wrapped text over them, since a merged cell is never sized by Excel or LibreOffice)."""
    put(sheet["B1"], french_typography(title), font=TITLE_FONT)
    put(sheet["B2"], stamp_text, font=STAMP_FONT)
    if note:
        note = french_typography(note)
        put(sheet["B3"], note, font=Font(name=FONT, size=9, italic=True),
            alignment=Alignment(wrap_text=True, vertical="top"))
        sheet.merge_cells(f"B3:{last_column}3")
        width = sum(sheet.column_dimensions[get_column_letter(c)].width or 8.43
                    for c in range(2, column_index_from_string(last_column) + 1))
        sheet.row_dimensions[3].height = max(30, row_height((note, width, 9)))


class QuestionnaireBuilder:
    def __init__(self, selection: Selection):
        self.selection = selection
        self.library = selection.library
        meta = self.library.meta
        self.stamp = layout.stamp(selection.tender.reference, meta.id, meta.version)
        self.book = Workbook()
        register_styles(self.book)
        self.placed: dict[str, _Placed] = {}
        self.part_ranges: dict[int, tuple[str, int, int]] = {}  # part → (sheet, first row, last row)
        self.deliverables_range: tuple[str, int, int] = ("", 0, 0)
        self.vendor_cell = ""
        self.extra_row_sheets: list[str] = []   # the repeatable groups' sheets, blank until a vendor fills them

    def build(self) -> Workbook:
        book = self.book
        book.remove(book.active)
        self._instructions(book.create_sheet(layout.INSTRUCTIONS_SHEET))
        lists = book.create_sheet(layout.LISTS_SHEET)
        lists.sheet_state = "hidden"
        for part in self.selection.parts:
            self._part(part)
        for group in self.library.groups.values():
            self._group(group)
        self._deliverables(book.create_sheet(layout.DELIVERABLES_SHEET))
        self._summary(book.create_sheet(layout.SUMMARY_SHEET, 1))
        self._meta(book.create_sheet(layout.META_SHEET))
        book.move_sheet(layout.LISTS_SHEET, offset=len(book.sheetnames))
        book.active = 0
        tender = self.selection.tender
        book.properties.title = xml_safe(f"Questionnaire de sécurité numérique – {tender.title}")
        book.properties.subject = self.stamp
        book.properties.keywords = self.stamp
        book.properties.creator = f"tenderkit {__version__}"
        book.properties.language = "fr-FR"
        return book

    # -- sheets -------------------------------------------------------------------------------------
    def _instructions(self, sheet: Worksheet) -> None:
        tender, meta = self.selection.tender, self.library.meta
        widths(sheet, {"A": 2, "B": 30, "C": 90})
        _title_block(sheet, "Questionnaire de sécurité numérique", self.stamp, "C")
        contact = tender.buyer.contact
        rows = [
            ("Acheteur", tender.buyer.name),
            ("Objet du marché", tender.title),
            ("Référence", tender.reference),
            ("Lots", "; ".join(f"Lot {lot.number} : {lot.title}" for lot in tender.lots) or "Lot unique"),
            ("Date limite de remise", french_date(tender.deadline) if tender.deadline else "Voir le règlement "
                                                                                          "de la consultation"),
            ("Contact", ", ".join(v for v in (contact.name, contact.email, contact.phone) if v) or "—"),
            ("Questionnaire", f"{meta.title}, version {meta.version}"),
        ]
        row = 4
        for label, value in rows:
            put(sheet.cell(row=row, column=2), french_typography(label), font=Font(name=FONT, bold=True))
            put(sheet.cell(row=row, column=3), french_typography(value), font=BODY_FONT, alignment=WRAP)
            row += 1
        put(sheet.cell(row=row, column=2), layout.HEADER_VENDOR, font=Font(name=FONT, bold=True, color="C00000"))
        put(sheet.cell(row=row, column=3), None, fill=ANSWER_FILL, border=BORDER, protection=UNLOCKED)
        self.vendor_cell = f"C{row}"
        row += 2
        put(sheet.cell(row=row, column=2), "Comment répondre", font=Font(name=FONT, bold=True, size=12, color=NAVY))
        row += 1
        for line in self._instruction_lines(meta.instructions):
            put(sheet.cell(row=row, column=2), "•", alignment=Alignment(horizontal="right", vertical="top"))
            put(sheet.cell(row=row, column=3), french_typography(line), font=BODY_FONT, alignment=WRAP)
            sheet.row_dimensions[row].height = 28 if len(line) > 95 else 15
            row += 1
        row += 1
        put(sheet.cell(row=row, column=2), "Valeurs attendues", font=Font(name=FONT, bold=True, size=12, color=NAVY))
        row += 1
        for label, text in meta.answer_kinds.items():
            put(sheet.cell(row=row, column=2), french_typography(label), font=Font(name=FONT, bold=True))
            put(sheet.cell(row=row, column=3), french_typography(text), font=BODY_FONT, alignment=WRAP)
            row += 1
        row += 1
        put(sheet.cell(row=row, column=2), "Avertissement", font=Font(name=FONT, bold=True, size=12, color=NAVY))
        put(sheet.cell(row=row + 1, column=3), french_typography(meta.foreword), font=BODY_FONT, alignment=WRAP)
        sheet.row_dimensions[row + 1].height = 60
        put(sheet.cell(row=row + 3, column=3), french_typography(f"Source : {meta.source}"), font=STAMP_FONT,
            alignment=WRAP)
        sheet.row_dimensions[row + 3].height = 40
        protect(sheet)
        print_setup(sheet, None, self.stamp, landscape=False)

    def _instruction_lines(self, lines: list[str]) -> list[str]:
        """The instructions, with {groups} and {sheets} naming the extra-rows sheets this questionnaire has;
        a line naming them is left out when it has none (no server part: no « Serveurs » sheet)."""
        present = [g for g in self.library.groups.values()
                   if any(q.group == g.id for q in self.selection.questions.values())]
        plurals = [g.plural.lower() for g in present]
        groups = " ou ".join([", ".join(plurals[:-1]), plurals[-1]] if len(plurals) > 1 else plurals)
        names = [f"« {g.plural[:31]} »" for g in present]
        sheets = f"des feuilles {join_and(names)}" if len(names) > 1 else f"de la feuille {''.join(names)}"
        return [line.format(groups=groups, sheets=sheets) for line in lines
                if present or ("{groups}" not in line and "{sheets}" not in line)]

    def _part(self, part) -> None:
        sheet = self.book.create_sheet(f"{part.part} {part.sheet}"[:31])
        columns = layout.PART
        first_shown, last_shown = columns.shown
        widths(sheet, {columns.letter(c.key): c.width for c in columns})
        _title_block(sheet, f"Partie {part.part} – {part.title}", self.stamp, last_shown,
                     self.library.meta.part_hint)
        header_row(sheet, HEADER_ROW, columns.headers)
        sheet.row_dimensions[HEADER_ROW].height = 30
        validations = _Validations(self.book, sheet)
        row = FIRST_ROW
        questions = [q for q in self.selection.questions.values() if q.part == part.part]
        sections = [s for s in part.sections if any(q.section_id == s.id for q in questions)]
        for section in sections:
            items = [q for q in questions if q.section_id == section.id]
            number = self.selection.section_number(items[0].id)
            put(sheet.cell(row=row, column=columns.number("number")), number, font=Font(name=FONT, bold=True),
                fill=SECTION_FILL)
            title_column = columns.number("section")
            put(sheet.cell(row=row, column=title_column), french_typography(section.title),
                font=Font(name=FONT, bold=True), fill=SECTION_FILL, alignment=Alignment(vertical="center"))
            sheet.merge_cells(start_row=row, start_column=title_column, end_row=row,
                              end_column=columns.number("comment"))
            row += 1
            if section.guidance:
                guidance = french_typography(_guidance_text(section.guidance))
                put(sheet.cell(row=row, column=title_column), guidance,
                    font=Font(name=FONT, size=9, italic=True, color="404040"), alignment=WRAP)
                sheet.merge_cells(start_row=row, start_column=title_column, end_row=row,
                                  end_column=columns.number("comment"))
                sheet.row_dimensions[row].height = row_height((guidance, 150, 9))  # merged: never auto-fitted
                row += 1
            for question in items:
                self._question_row(sheet, row, self.selection.numbers[question.id], question, validations)
                row += 1
        last = row - 1
        visible = columns.letter("visible")
        sheet.conditional_formatting.add(
            f"{first_shown}{FIRST_ROW}:{last_shown}{last}",
            FormulaRule(formula=[f"AND(ISNUMBER(${visible}{FIRST_ROW}),${visible}{FIRST_ROW}=0)"], fill=GREY_FILL,
                        font=Font(color="808080")))
        for column in columns:
            sheet.column_dimensions[columns.letter(column.key)].hidden = column.hidden
        sheet.freeze_panes = f"A{FIRST_ROW}"
        sheet.auto_filter.ref = f"{first_shown}{HEADER_ROW}:{last_shown}{last}"
        protect(sheet)
        print_setup(sheet, f"{HEADER_ROW}:{HEADER_ROW}", self.stamp)
        sheet.print_area = f"{first_shown}1:{last_shown}{last}"
        self.part_ranges[part.part] = (sheet.title, FIRST_ROW, last)

    def _question_row(self, sheet: Worksheet, row: int, number: str, question: Question,
                      validations: _Validations) -> None:
        columns = layout.PART
        help_text = _help_text(question, self.selection)
        texts = {"id": question.id, "number": number, "section": french_typography(question.section),
                 "question": french_typography(question.text), "help": help_text, "answer": None, "comment": None}
        for key, text in texts.items():
            cell = put(sheet.cell(row=row, column=columns.number(key)), text, columns[key].style)
            if key == "comment":
                cell.protection = UNLOCKED
        answer = sheet.cell(row=row, column=columns.number("answer"))
        if question.answer_type == "date":
            answer.number_format = "DD/MM/YYYY"
        validations.add(question, answer.coordinate)
        self.placed[question.id] = _Placed(sheet, row)
        condition = question.show_if
        visible = sheet.cell(row=row, column=columns.number("visible"))
        if condition is None:
            formula(visible, "=1")
        else:
            parent = self.placed[condition.question]
            prefix = "" if parent.sheet is sheet else f"{quote_sheetname(parent.sheet.title)}!"
            shown, answered = columns.letter("visible"), columns.letter("answer")
            opens = _opening_test(f"LOWER(TRIM({prefix}${answered}${parent.row}))", condition.equals)
            formula(visible, f'=IF(AND({prefix}${shown}${parent.row}=1,{opens}),1,0)')
        put(sheet.cell(row=row, column=columns.number("required")), 1 if question.required else 0)
        # An automatic height (save_workbook drops customHeight): LibreOffice, which never sizes rows of an
        # xlsx on opening, shows the question whole; Excel and LibreOffice still grow it with the answer.
        sheet.row_dimensions[row].height = row_height(*(
            (text, columns[key].width, columns[key].size) for key, text in texts.items()
            if key in ("section", "question", "help")))

    def _group(self, group) -> None:
        questions = [q for q in self.selection.questions.values() if q.group == group.id]
        if not questions:
            return
        sheet = self.book.create_sheet(group.plural[:31])
        repeat = self.library.questions[group.repeat_question]
        labels = [f"{group.label} n° {index + 2}" for index in range(GROUP_ROWS)]
        # the row labels, repeated on every printed page, are read whole (bold)
        sheet.column_dimensions["A"].width = max(20, max(len(label) for label in labels) * 1.2 + 2)
        widths_of = {}
        for column, question in enumerate(questions, start=2):
            # wide enough for the longest word of the header (bold): a header never breaks mid-word
            longest = max(len(word) for word in question.text.split())
            widths_of[column] = max(24 if question.answer_type in ("text", "list") else 17, longest * 1.25 + 2)
            sheet.column_dimensions[get_column_letter(column)].width = widths_of[column]
        # the note spans the columns of the first printed page only: it is read there whole
        first_page, used = 2, sheet.column_dimensions["A"].width
        for column, width in widths_of.items():
            if used + width > PAGE_WIDTH and column > 2:
                break
            first_page, used = column, used + width
        _title_block(sheet, f"{group.plural} supplémentaires", self.stamp, get_column_letter(first_page),
                     f"À remplir si vous avez répondu « Oui » à la {self.selection.label(repeat.id)} "
                     f"« {repeat.text} » : une ligne par "
                     f"{group.label.lower()} supplémentaire. Le premier est décrit dans la feuille de la partie "
                     f"{repeat.part}.")
        put(sheet.cell(row=HEADER_ROW - 1, column=1), layout.HEADER_ID)
        for column, question in enumerate(questions, start=2):
            put(sheet.cell(row=HEADER_ROW - 1, column=column), question.id)
        sheet.row_dimensions[HEADER_ROW - 1].hidden = True
        header_row(sheet, HEADER_ROW, [group.label, *[french_typography(q.text) for q in questions]])
        validations = _Validations(self.book, sheet)
        headers = []
        for column, question in enumerate(questions, start=2):
            letter = get_column_letter(column)
            headers.append((french_typography(question.text), widths_of[column] * 0.85, 10))
            validations.add(question, f"{letter}{FIRST_ROW}:{letter}{FIRST_ROW + GROUP_ROWS - 1}")
        sheet.row_dimensions[HEADER_ROW].height = max(45, row_height(*headers) + 6)  # the whole header shows
        for index, label in enumerate(labels):
            row = FIRST_ROW + index
            put(sheet.cell(row=row, column=1), label, font=Font(name=FONT, bold=True), border=BORDER)
            for column in range(2, len(questions) + 2):
                put(sheet.cell(row=row, column=column), None, fill=ANSWER_FILL, border=BORDER,
                    protection=UNLOCKED, alignment=WRAP, font=BODY_FONT)
        sheet.freeze_panes = f"B{FIRST_ROW}"
        protect(sheet)
        print_setup(sheet, f"{HEADER_ROW}:{HEADER_ROW}", self.stamp)
        total_width = sum(sheet.column_dimensions[get_column_letter(c)].width for c in range(1, len(questions) + 2))
        sheet.page_setup.fitToWidth = max(1, round(total_width / PAGE_WIDTH))  # a wide table: several pages
        sheet.page_setup.fitToHeight = 1   # the blank rows print on one page, never more
        sheet.print_title_cols = "A:A"
        self.extra_row_sheets.append(sheet.title)

    def _deliverables(self, sheet: Worksheet) -> None:
        columns = layout.DELIVERABLES
        first_shown, last_shown = columns.shown
        widths(sheet, {columns.letter(c.key): c.width for c in columns})
        _title_block(sheet, "Pièces à joindre à l’offre", self.stamp, last_shown,
                     "Indiquez pour chaque pièce si elle est fournie (« Oui » / « Non ») et le nom du fichier joint.")
        header_row(sheet, HEADER_ROW, columns.headers)
        validation = DataValidation(type="list", formula1=f'"{layout.YES},{layout.NO}"', allow_blank=True)
        validation.errorStyle = "warning"
        sheet.add_data_validation(validation)
        row = FIRST_ROW
        for number, (deliverable, asked_by) in enumerate(self.selection.deliverables, start=1):
            texts = {"piece": deliverable.title, "content": deliverable.description, "asked_by": "; ".join(asked_by)}
            put(sheet.cell(row=row, column=columns.number("id")), deliverable.id,
                font=Font(name=FONT, size=columns["id"].size, color="808080"))
            put(sheet.cell(row=row, column=columns.number("number")), number, border=BORDER, font=BODY_FONT,
                alignment=Alignment(horizontal="center", vertical="top"))
            for key, text in texts.items():
                put(sheet.cell(row=row, column=columns.number(key)), french_typography(text), border=BORDER,
                    alignment=WRAP, font=Font(name=FONT, size=columns[key].size))
            for key in ("delivered", "filename"):
                put(sheet.cell(row=row, column=columns.number(key)), None, fill=ANSWER_FILL, border=BORDER,
                    protection=UNLOCKED, alignment=WRAP, font=BODY_FONT)
            formula(sheet.cell(row=row, column=columns.number("due")), self._due(deliverable.id))
            validation.add(f"{columns.letter('delivered')}{row}")
            sheet.row_dimensions[row].height = row_height(*(  # automatic height, see _question_row
                (text, columns[key].width, columns[key].size) for key, text in texts.items()))
            row += 1
        for column in columns:
            sheet.column_dimensions[columns.letter(column.key)].hidden = column.hidden
        sheet.freeze_panes = f"A{FIRST_ROW}"
        protect(sheet)
        print_setup(sheet, f"{HEADER_ROW}:{HEADER_ROW}", self.stamp)
        sheet.print_area = f"{first_shown}1:{last_shown}{row - 1}"
        self.deliverables_range = (sheet.title, FIRST_ROW, row - 1)

    def _due(self, deliverable_id: str) -> str:
        """1 when the offer owes the deliverable: always when a selected clause asks for it, else when the
        flowchart opens one of the questionnaire items that ask for it (as review/scoring.due_deliverables)."""
        if any(deliverable_id in clause.deliverables for clause in self.selection.clauses):
            return "=1"
        visible = layout.PART.letter("visible")
        cells = [f"{quote_sheetname(placed.sheet.title)}!${visible}${placed.row}=1"
                 for qid, placed in self.placed.items()
                 if self.selection.questions[qid].deliverable == deliverable_id]
        return f"=IF(OR({','.join(cells)}),1,0)" if cells else "=0"

    def _summary(self, sheet: Worksheet) -> None:
        widths(sheet, {"A": 2, "B": 55, "C": 18, "D": 18, "E": 18})
        _title_block(sheet, "Synthèse des réponses", self.stamp, "E",
                     "Cette feuille se met à jour automatiquement : elle indique, par partie, les réponses "
                     "obligatoires restant à saisir.")
        header_row(sheet, HEADER_ROW, ("Partie", "Réponses attendues", "Réponses saisies", "Restant à saisir"),
                   start_column=2)
        row = FIRST_ROW
        for part in self.selection.parts:
            title, first, last = self.part_ranges[part.part]
            ref = quote_sheetname(title)
            visible, required, answer = (f"{ref}!${c}${first}:${c}${last}" for c in (
                layout.PART.letter("visible"), layout.PART.letter("required"), layout.PART.letter("answer")))
            put(sheet.cell(row=row, column=2), french_typography(f"Partie {part.part} – {part.title}"),
                border=BORDER, alignment=WRAP, font=BODY_FONT)
            formula(sheet.cell(row=row, column=3), f"=COUNTIFS({visible},1,{required},1)", border=BORDER)
            formula(sheet.cell(row=row, column=4), f'=COUNTIFS({visible},1,{required},1,{answer},"<>")',
                    border=BORDER)
            formula(sheet.cell(row=row, column=5), f"=C{row}-D{row}", border=BORDER,
                    font=Font(name=FONT, bold=True))
            sheet.row_dimensions[row].height = 28
            row += 1
        title, first, last = self.deliverables_range
        delivered, due = (f"{quote_sheetname(title)}!${c}${first}:${c}${last}" for c in (
            layout.DELIVERABLES.letter("delivered"), layout.DELIVERABLES.letter("due")))
        put(sheet.cell(row=row, column=2), french_typography("Pièces à joindre (« Oui » dans la colonne « Fournie », "
                                                             "chaque pièce jointe à l’offre)"), border=BORDER,
            font=BODY_FONT, alignment=WRAP)
        formula(sheet.cell(row=row, column=3), f"=SUM({due})", border=BORDER)
        formula(sheet.cell(row=row, column=4), f'=COUNTIFS({due},1,{delivered},"{layout.YES}")', border=BORDER)
        sheet.row_dimensions[row].height = 28
        formula(sheet.cell(row=row, column=5), f"=C{row}-D{row}", border=BORDER, font=Font(name=FONT, bold=True))
        row += 1
        put(sheet.cell(row=row, column=2), "Total", font=Font(name=FONT, bold=True), border=BORDER)
        for column in (3, 4, 5):
            letter = get_column_letter(column)
            formula(sheet.cell(row=row, column=column), f"=SUM({letter}{FIRST_ROW}:{letter}{row - 1})",
                    font=Font(name=FONT, bold=True), border=BORDER)
        sheet.conditional_formatting.add(f"E{FIRST_ROW}:E{row}", FormulaRule(
            formula=[f"E{FIRST_ROW}>0"], font=Font(color="C00000", bold=True)))
        protect(sheet)
        print_setup(sheet, None, self.stamp, landscape=False)

    def _meta(self, sheet: Worksheet) -> None:
        tender, meta = self.selection.tender, self.library.meta
        values = [("reference", tender.reference), ("questionnaire", meta.id), ("version", meta.version),
                  ("generated", date.today().isoformat()), ("questions", len(self.selection.questions)),
                  ("tenderkit", __version__), ("vendor_cell", f"{layout.INSTRUCTIONS_SHEET}!{self.vendor_cell}"),
                  ("extra_row_sheets", layout.SHEET_SEPARATOR.join(self.extra_row_sheets))]
        for row, (key, value) in enumerate(values, start=1):
            put(sheet.cell(row=row, column=1), key)
            put(sheet.cell(row=row, column=2), value)
        sheet.sheet_state = "hidden"
        self.book.defined_names["tenderkit_reference"] = DefinedName(
            "tenderkit_reference", attr_text=f"{quote_sheetname(sheet.title)}!$B$1")


def write_questionnaire(selection: Selection, target: Path) -> Path:
    return save_workbook(QuestionnaireBuilder(selection).build(), target)


def without_blank_sheets(questionnaire: Path, target: Path) -> Path:
    """A copy of the questionnaire for its published PDF: the extra-row sheets (blank until a vendor describes
    another workstation, server or software) are hidden, so that the PDF carries no page of empty grids."""
    import openpyxl

    book = openpyxl.load_workbook(questionnaire)
    meta = book[layout.META_SHEET]
    names = next((str(row[1] or "") for row in meta.iter_rows(values_only=True) if row[0] == "extra_row_sheets"), "")
    for name in filter(None, names.split(layout.SHEET_SEPARATOR)):
        if name in book.sheetnames:
            book[name].sheet_state = "hidden"
    book.save(target)
    return target
