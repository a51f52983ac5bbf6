"""Putting meaning on a vendor's grids: which row answers which question, where the answer cell is.

Rows are tied to questions by their id when the id column survived (wherever it moved), else by their
question text (rapidfuzz ``ratio`` — never ``partial_ratio``, which scores a short « Oui » 100 against any
question — with a cut-off, the row's section, and the questionnaire order to separate the many AFIB
questions worded alike: « Nom », « Processeur », « Nature des données transmises »…).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from tenderkit import layout
from tenderkit.errors import TenderkitError
from tenderkit.i18n import _, ngettext
from tenderkit.library.models import Deliverable, Question
from tenderkit.parse.grid import Cell, Extracted
from tenderkit.parse.normalize import fold_answer
from tenderkit.paths import library_dir
from tenderkit.text import fold

TEXT_CUTOFF = 80         # below this similarity a row is not that question
TIE_MARGIN = 3           # candidates this close to the best are a tie, to be separated by section or order
SECTION_MATCH = 85

PARSER_ROLES = ("id", "number", "section", "question", "help", "answer", "comment", "delivered", "filename", "piece")


@lru_cache(maxsize=4)
def header_roles(path: Path | None = None) -> dict[str, str]:
    """Folded header name → column role: the names of ``clause_library/parsing/headers.yaml`` and the headers
    tenderkit writes (tenderkit/layout.py) for those roles."""
    path = path or library_dir() / "parsing" / "headers.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or set(data) - set(PARSER_ROLES):
            raise TypeError(_("the roles are {roles}").format(roles=", ".join(PARSER_ROLES)))
        roles = {fold_answer(str(name)): role for role, names in data.items() for name in names or []}
    except (OSError, TypeError, yaml.YAMLError) as error:
        raise TenderkitError(_("{file}: header names cannot be loaded ({error}).").format(file=path, error=error)) \
            from None
    for column in (*layout.PART, *layout.DELIVERABLES):
        if column.key in PARSER_ROLES:
            roles[fold_answer(column.header)] = column.key
    return roles


@dataclass
class Found:
    question_id: str
    answer: Cell
    comment: str | None
    how: str                 # id | text
    seen_text: str           # the question text as the vendor's file shows it
    altered: bool = False    # its words differ from the library's (beyond case, accents, spaces, punctuation)


@dataclass
class Matched:
    answers: dict[str, Found] = field(default_factory=dict)
    groups: dict[str, list[dict[str, Cell]]] = field(default_factory=dict)
    group_labels: dict[str, dict[str, int]] = field(default_factory=dict)  # row label → index in groups
    unused: list[str] = field(default_factory=list)   # grids holding text but no table tenderkit could read
    deliverables: dict[str, tuple[Cell | None, Cell | None]] = field(default_factory=dict)
    vendor: str | None = None
    stamp: dict[str, str] | None = None
    references: list[str] = field(default_factory=list)  # every stamp's reference and the hidden sheet's, distinct
    versions: list[str] = field(default_factory=list)    # every stamp's questionnaire version, distinct
    warnings: list[str] = field(default_factory=list)


REWORDING_CHARS = 4000   # of a question cell compared word by word with the library's text


def words(text: str) -> list[str]:
    """The words of ``text`` after typography folding (NFC, case, accents, apostrophes, spaces, punctuation)."""
    return re.findall(r"\w+", fold(text[:REWORDING_CHARS]))


def reworded(seen: str, ours: str) -> bool:
    """Whether the vendor's wording of a question differs from ours by any word: « ne garantit pas », « refuse
    que », an added « non » are rewordings however similar the two texts are."""
    return words(seen) != words(ours)


def _role(cell: Cell) -> str | None:
    if not cell.text or len(cell.text) > 40:
        return None
    folded = fold_answer(cell.text)
    roles = header_roles()
    if folded in roles:
        return roles[folded]
    return "answer" if folded.startswith("reponse") else None


def _layout(row: list[Cell]) -> dict[str, int] | None:
    """Column of each role if ``row`` is a header row (it must name an answer or a « Fournie » column)."""
    roles: dict[str, int] = {}
    for index, cell in enumerate(row):
        role = _role(cell)
        if role and role not in roles:
            roles[role] = index
    return roles if ("answer" in roles or "delivered" in roles) and len(roles) >= 2 else None


class QuestionIndex:
    """Fuzzy lookup of questions by text, disambiguated by section and questionnaire order."""

    def __init__(self, questions: dict[str, Question]):
        self.ids = list(questions)
        self.questions = questions
        self.texts = [fold(q.text) for q in questions.values()]
        self.sections = [fold(q.section) for q in questions.values()]
        self.position = {qid: i for i, qid in enumerate(self.ids)}
        self.section_titles = sorted(set(self.sections))
        self.group_members: dict[str, dict[str, str]] = {}  # group → {question id: folded text}
        for qid, question in questions.items():
            if question.group:
                self.group_members.setdefault(question.group, {})[qid] = fold(question.text)

    def is_section(self, text: str) -> bool:
        folded = fold(text)
        return any(fuzz.ratio(folded, title) >= 92 for title in self.section_titles)

    def match(self, text: str, section: str | None, after: int) -> tuple[str | None, float, list[str]]:
        """(question id or None, similarity, tied candidates when ambiguous)."""
        folded = fold(text)
        if len(folded) < 2:
            return None, 0, []
        hits = process.extract(folded, self.texts, scorer=fuzz.ratio, score_cutoff=TEXT_CUTOFF, limit=25)
        if not hits:
            return None, 0, []
        best = hits[0][1]
        tied = [index for _, score, index in hits if score >= best - TIE_MARGIN]
        if len(tied) > 1 and section:
            in_section = [i for i in tied if fuzz.ratio(fold(section), self.sections[i]) >= SECTION_MATCH]
            tied = in_section or tied
        if len(tied) > 1:
            following = sorted(i for i in tied if i > after)
            if following:
                tied = following[:1]
        if len(tied) > 1:
            return None, best, [self.ids[i] for i in tied]
        return self.ids[tied[0]], max(score for _, score, index in hits if index == tied[0]), []


def _find_vendor(extracted: Extracted) -> str | None:
    label = fold(layout.HEADER_VENDOR)
    for grid in extracted.grids:
        for row in grid.rows:
            for index, cell in enumerate(row):
                if cell.text and len(cell.text) < 40 and fold_answer(cell.text) == label:
                    after = [c.text for c in row[index + 1:] if c.text]
                    if after:
                        return after[0]
    pattern = re.compile(rf"{re.escape(layout.HEADER_VENDOR)}\s*:?\s*(\S.*)")
    for text in extracted.texts:
        for line in text.splitlines():
            match = pattern.search(line)
            if match:
                return match.group(1).strip()
    return None


STAMP_SEARCH_CHARS = 200_000   # of each text: a stamp sits in a title, a footer or a page header


def _find_stamps(extracted: Extracted) -> tuple[dict[str, str] | None, list[str], list[str]]:
    """The first stamp found, and the distinct references of every stamp (document properties, print
    headers and footers, page texts, title cells) and of the hidden sheet."""
    candidates = list(extracted.texts)
    for grid in extracted.grids:
        candidates += [cell.text for row in grid.rows[:4] for cell in row if "·" in cell.text]
    first = None
    references: list[str] = []
    versions: list[str] = []
    for text in candidates:
        for match in layout.STAMP_PATTERN.finditer((text or "")[:STAMP_SEARCH_CHARS]):
            first = first or match.groupdict()
            if match["reference"] not in references:
                references.append(match["reference"])
            if match["version"] not in versions:
                versions.append(match["version"])
    for grid in extracted.grids:
        if grid.name == layout.META_SHEET:
            for row in grid.rows:
                if len(row) >= 2 and row[0].text == "reference" and row[1].text[:80] not in references:
                    references.append(row[1].text[:80])
    return first, references, versions


def _group_columns(row: list[Cell], index: QuestionIndex) -> tuple[str, dict[int, str]] | None:
    """If ``row`` heads a repeatable-group table (by ids or by question texts): the group and its columns."""
    texts = [(i, c.text) for i, c in enumerate(row) if c.text]
    if len(texts) < 3:
        return None
    for group_id, members in index.group_members.items():
        by_id = {i: text for i, text in texts if text in members}
        if len(by_id) >= 2:
            return group_id, by_id
        by_text = {}
        for i, text in texts:
            best = process.extractOne(fold(text), members, scorer=fuzz.ratio, score_cutoff=92)
            if best:
                by_text[i] = best[2]
        if len(by_text) >= 3:
            return group_id, by_text
    return None


def match_answers(extracted: Extracted, questions: dict[str, Question],
                  deliverables: dict[str, Deliverable]) -> Matched:
    """Tie the vendor's rows to questions, group items and deliverables; warn about what cannot be tied."""
    stamp, references, versions = _find_stamps(extracted)
    result = Matched(vendor=_find_vendor(extracted), stamp=stamp, references=references, versions=versions)
    index = QuestionIndex(questions)
    after = -1
    carried: tuple[dict[str, int], int] | None = None  # the last header's roles and width
    unmatched: list[str] = []
    ambiguous: list[str] = []
    for grid in extracted.grids:
        group = None
        roles: dict[str, int] | None = None
        current_section: str | None = None
        used = False
        for row in grid.rows:
            header = _layout(row)
            if header:
                roles, group, carried = header, None, (header, len(row))
                used = True
                continue
            if roles is None:  # not (yet) in a question table: a group table, a continued table, or neither
                new_group = _group_columns(row, index)
                if new_group:
                    group, used = new_group, True
                    continue
                if group:
                    _read_group_row(row, group, result)
                    continue
                if carried and len(row) == carried[1]:
                    roles, used = carried[0], True  # a table continued on the next page, or split by the vendor
                else:
                    continue
            if "delivered" in roles:
                _read_deliverable_row(row, roles, deliverables, result)
                continue
            after, current_section = _read_question_row(row, roles, index, questions, after, current_section,
                                                        result, unmatched, ambiguous)
        if not used and sum(1 for row in grid.rows for cell in row if cell.text) > 3:
            result.unused.append(grid.name)
    if unmatched:
        shown = "; ".join(unmatched[:5]) + (_("; and {n} more").format(n=len(unmatched) - 5)
                                            if len(unmatched) > 5 else "")
        result.warnings.append(ngettext("{n} answer could not be tied to a question and was not read: {shown}",
                                        "{n} answers could not be tied to a question and were not read: {shown}",
                                        len(unmatched)).format(n=len(unmatched), shown=shown))
    if ambiguous:
        result.warnings.append(_("question text matches several questions, answer not read: {rows}")
                               .format(rows="; ".join(ambiguous[:5])))
    return result


def _cell(row: list[Cell], roles: dict[str, int], role: str) -> Cell | None:
    column = roles.get(role)
    return row[column] if column is not None and column < len(row) else None


def _read_question_row(row, roles, index: QuestionIndex, questions, after: int, current_section: str | None,
                       result: Matched, unmatched: list[str], ambiguous: list[str]) -> tuple[int, str | None]:
    answer = _cell(row, roles, "answer")
    if answer is None:
        return after, current_section
    comment_cell = _cell(row, roles, "comment")
    id_cell = _cell(row, roles, "id")
    question_cell = _cell(row, roles, "question")
    section_cell = _cell(row, roles, "section")
    skip = {roles.get("answer"), roles.get("comment"), roles.get("help")}
    texts = [(i, c) for i, c in enumerate(row) if i not in skip and c.text]
    seen_text = question_cell.text if question_cell and question_cell.text else max(
        (c.text for _, c in texts), key=len, default="")

    question_id = id_cell.text if id_cell and id_cell.text in questions else None
    if question_id is None:
        question_id = next((c.text for _, c in texts if c.text in questions), None)
    how = "id"
    number = _cell(row, roles, "number")
    numbering = number.text.count(".") if number and re.fullmatch(r"\d+(\.\d+)+", number.text) else None
    if question_id is None:
        if not answer.text and (numbering == 1 or (numbering is None and index.is_section(seen_text))):
            return after, seen_text  # a section heading row
        section = section_cell.text if section_cell and section_cell.text else current_section
        question_id, _score, tied = index.match(seen_text, section, after)
        how = "text"
        if question_id is None:
            if answer.text:
                (ambiguous if tied else unmatched).append(
                    f"{answer.location} « {seen_text[:60]} »" + (f" ({', '.join(tied)})" if tied else ""))
            return after, current_section
    compared = question_cell.text if question_cell and question_cell.text else (seen_text if how == "text" else "")
    altered = bool(compared) and reworded(compared, questions[question_id].text)
    if altered:
        result.warnings.append(_("{question} ({location}): the question text was altered by the vendor (« {text} »); "
                                 "its answer is not scored until the committee confirms it")
                               .format(question=question_id, location=answer.location, text=compared[:80]))
    if question_id in result.answers:
        first = result.answers[question_id]
        if answer.text and not first.answer.text:
            result.answers[question_id] = Found(question_id, answer, comment_cell.text if comment_cell else None,
                                                how, compared or seen_text, altered)
        elif answer.text and answer.text != first.answer.text:
            result.warnings.append(_("{question}: answered twice ({first} and {second}); the first answer is kept")
                                   .format(question=question_id, first=first.answer.location,
                                           second=answer.location))
        return index.position[question_id], current_section
    result.answers[question_id] = Found(question_id, answer, comment_cell.text if comment_cell and comment_cell.text
                                        else None, how, compared or seen_text, altered)
    return index.position[question_id], questions[question_id].section


def _read_group_row(row: list[Cell], group: tuple[str, dict[int, str]], result: Matched) -> None:
    """One item of a repeatable group; a row whose label (« Serveur n° 2 ») was already seen continues that
    item, as when a wide table is printed over several pages."""
    group_id, columns = group
    item = {qid: row[i] for i, qid in columns.items() if i < len(row) and row[i].text}
    if not item:
        return
    label = next((c.text for i, c in enumerate(row) if c.text and i not in columns), None)
    items = result.groups.setdefault(group_id, [])
    labels = result.group_labels.setdefault(group_id, {})
    if label and label in labels:
        items[labels[label]].update(item)
    else:
        if label:
            labels[label] = len(items)
        items.append(item)


def _read_deliverable_row(row, roles, deliverables: dict[str, Deliverable], result: Matched) -> None:
    ids = [c.text for c in row if c.text in deliverables]
    deliverable_id = ids[0] if ids else None
    if deliverable_id is None:
        title = _cell(row, roles, "piece")
        if title is None or not title.text:
            return
        titles = {d.id: fold(d.title) for d in deliverables.values()}
        best = process.extractOne(fold(title.text), titles, scorer=fuzz.ratio, score_cutoff=85)
        if not best:
            return
        deliverable_id = best[2]
    result.deliverables[deliverable_id] = (_cell(row, roles, "delivered"), _cell(row, roles, "filename"))
