"""The CCTP security annex (.docx), rendered with docxtpl from ``templates/cctp.docx``.

A tender divided into lots has one annex for all its lots: each article that does not apply to every lot says
which it applies to (« Lot 1 uniquement »), and the deliverables table and the traceability annex name each
lot's questionnaire questions (each lot's questionnaire numbers its own).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tenderkit.grammar import join_and
from tenderkit.library.models import Clause, Deliverable
from tenderkit.render.docx_template import clean_context, render_docx
from tenderkit.render.tender_context import tender_blocks, tender_context
from tenderkit.review.regularity import minimum_clauses
from tenderkit.tender.selection import Selection
from tenderkit.wording import entry, phrase


def _number_key(number: str) -> tuple[int, ...]:
    return tuple(int(n) for n in number.split("."))


def _lot_numbers(selections: Sequence[Selection]) -> list[int | None]:
    return [s.lot.number if s.lot else None for s in selections]


def lots_label(lots: Sequence[int], every: Sequence[int | None]) -> str:
    """« Lot 1 uniquement », « Lots 1 et 3 uniquement »; empty when ``lots`` are all the tender's lots (or the
    tender has none)."""
    if None in every or set(lots) == set(every):
        return ""
    numbers = sorted(lots)
    return (f"Lot {numbers[0]}" if len(numbers) == 1 else f"Lots {join_and([str(n) for n in numbers])}") \
        + " uniquement"


def _by_lots(values: dict[int | None, str], every: Sequence[int | None]) -> str:
    """Per-lot texts (question numbers of each lot's questionnaire) as one text: the text alone without lots or
    when every lot has the same, else one line per lot (« lot 1 : 1.2.1, 1.3.2 »)."""
    if None in values or (set(values) == set(every) and len(set(values.values())) == 1):
        return next(iter(values.values()))
    return "\n".join(f"lot {lot} : {text}" for lot, text in values.items())


def cctp_context(selections: Selection | Sequence[Selection]) -> dict[str, Any]:
    """The plain data the CCTP template reads (see templates/cctp.docx): of one selection, or of each lot's
    selection of a tender divided into lots (one annex for all lots)."""
    selections = [selections] if isinstance(selections, Selection) else list(selections)
    first = selections[0]
    library = first.library
    lots = _lot_numbers(selections)
    applies: dict[str, list[Selection]] = {}   # clause id → the selections (lots) that select it
    for selection in selections:
        for clause in selection.clauses:
            applies.setdefault(clause.id, []).append(selection)
    order = {t.id: i for i, t in enumerate(library.themes)}
    position = {c.id: i for i, c in enumerate(library.clauses)}
    clauses: list[Clause] = sorted({c.id: c for s in selections for c in s.clauses}.values(),
                                   key=lambda c: (order[c.theme], position[c.id]))
    themes, trace, numbers = [], [], {}
    minimum = {c.id for s in selections for c in minimum_clauses(s)}   # of any lot
    for theme in library.themes:
        in_theme = [c for c in clauses if c.theme == theme.id]
        if not in_theme:
            continue
        theme_number = len(themes) + 1
        entries = []
        for index, clause in enumerate(in_theme, start=1):
            number = f"{theme_number}.{index}"
            numbers[clause.id] = number
            chosen = applies[clause.id]
            applicable = {d for s in chosen for d in s.applicable_deliverables}
            entries.append({
                "id": clause.id, "number": number, "title": clause.title, "anchor": f"[[ANCRE:{clause.id}]]",
                "lots": lots_label([s.lot.number for s in chosen if s.lot], lots),
                "minimum": phrase("minimum.cctp") if clause.id in minimum else "",
                "blocks": _blocks(clause, chosen),
                "deliverables": ", ".join(library.deliverables[d].title for d in clause.deliverables
                                          if d in applicable),
            })
            asked = {s.lot.number if s.lot else None:
                     ", ".join(sorted((s.numbers[q] for q in clause.questions if q in s.numbers), key=_number_key))
                     or "—" for s in chosen}
            trace.append({"number": number, "ref": _mention(clause.id, number), "title": clause.title,
                          "ansm": ", ".join(clause.references.ansm) or "—",
                          "enisa": ", ".join(clause.references.enisa) or "—",
                          "questions": _by_lots(asked, lots)})
        themes.append({"number": theme_number, "title": theme.title, "clauses": entries})

    context = tender_context(first)
    subjects = entry("subjects")
    kinds = {s.tender.procurement_type for s in selections}
    kind = kinds.pop() if len(kinds) == 1 else "default"
    cited_ansm = {r for c in clauses for r in c.references.ansm}
    cited_enisa = {r for c in clauses for r in c.references.enisa}
    context.update({
        "subject": subjects.get(kind, subjects["default"]),
        "themes": themes,
        "deliverables": _deliverables(selections, numbers, lots),
        "deliverables_number": len(themes) + 1,
        "trace": trace,
        "ansm": [{"id": r.id, "title": r.title, "objectives": "".join(r.objectives)}
                 for r in library.ansm.recommendations if r.id in cited_ansm],
        "enisa": [{"id": bp.id, "title": bp.title} for bp in library.enisa.good_practices if bp.id in cited_enisa],
    })
    return context


def _blocks(clause: Clause, chosen: Sequence[Selection]) -> list[dict]:
    """The clause's text for the lots that select it: the same text for all, or each lot's version after a line
    naming its lots (« Pour le lot 2 : »), when the lots' profiles keep different blocks of the clause."""
    versions: dict[str, tuple[list[dict], list[int]]] = {}
    for selection in chosen:
        blocks = tender_blocks(selection, clause)
        key = json.dumps(blocks, ensure_ascii=False, sort_keys=True)
        versions.setdefault(key, (blocks, []))[1].append(selection.lot.number if selection.lot else 0)
    if len(versions) == 1:
        return next(iter(versions.values()))[0]
    merged: list[dict] = []
    for blocks, numbers in versions.values():
        lots = f"le lot {numbers[0]}" if len(numbers) == 1 else f"les lots {join_and([str(n) for n in numbers])}"
        merged += [{"kind": "lots", "text": f"Pour {lots} :"}, *blocks]
    return merged


def _deliverables(selections: list[Selection], numbers: dict[str, str], lots: list[int | None]) -> list[dict]:
    """The deliverables table: each document asked in any lot, who asks for it, and for which lots."""
    library = selections[0].library
    asked: dict[str, tuple[Deliverable, list[Selection]]] = {}
    for selection in selections:
        for deliverable, _ in selection.deliverables:
            asked.setdefault(deliverable.id, (deliverable, []))[1].append(selection)
    order = list(library.deliverables)
    rows = []
    for number, deliverable_id in enumerate(sorted(asked, key=order.index), start=1):
        deliverable, chosen = asked[deliverable_id]
        clause_ids = [c.id for c in library.clauses if deliverable.id in c.deliverables and c.id in numbers
                      and any(c in s.clauses for s in chosen)]
        by_clauses = [f"art. {_mention(c, numbers[c])}" for c in clause_ids]
        items: dict[str, list[int | None]] = {}   # « question 4.6.3 » → the lots whose questionnaire asks it so
        for selection in chosen:
            for question in selection.questions.values():
                if question.deliverable == deliverable.id:
                    text = selection.asked_by_item(question).replace("Question", "question", 1)
                    items.setdefault(text, []).append(selection.lot.number if selection.lot else None)
        by_items = [f"{_questionnaires(item_lots, lots)}, {text}" for text, item_lots in items.items()]
        label = lots_label([s.lot.number for s in chosen if s.lot], lots)
        rows.append({"number": number, "id": deliverable.id, "title": deliverable.title,
                     "description": deliverable.description, "lots": label,
                     "required_by": "\n".join(([label] if label else []) + by_clauses + by_items)})
    return rows


def _questionnaires(item_lots: list[int | None], lots: list[int | None]) -> str:
    """« questionnaire », or « questionnaire du lot 1 » / « questionnaires des lots 1 et 2 » in a tender in
    lots (each lot's questionnaire numbers its questions)."""
    if None in lots:
        return "questionnaire"
    numbers = [str(n) for n in sorted(n for n in item_lots if n is not None)]
    return f"questionnaire du lot {numbers[0]}" if len(numbers) == 1 else \
        f"questionnaires des lots {join_and(numbers)}"


def _mention(clause_id: str, number: str) -> str:
    """An article named by its number, as a live cross-reference to its heading (render.cross_refs)."""
    return f"[[ART:{clause_id}|{number}]]"


def write_cctp(selections: Selection | Sequence[Selection], template: Path, target: Path) -> Path:
    return render_docx(template, clean_context(cctp_context(selections)), target, title=phrase("titles.cctp"))
