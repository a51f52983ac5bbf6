"""The CCTP security annex (.docx), rendered with docxtpl from ``templates/cctp.docx``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tenderkit.render.docx_template import clean_context, render_docx
from tenderkit.render.tender_context import tender_blocks, tender_context
from tenderkit.review.regularity import minimum_clauses
from tenderkit.tender.selection import Selection
from tenderkit.wording import entry, phrase


def _number_key(number: str) -> tuple[int, ...]:
    return tuple(int(n) for n in number.split("."))


def cctp_context(selection: Selection) -> dict[str, Any]:
    """The plain data the CCTP template reads (see templates/cctp.docx)."""
    library = selection.library
    themes, trace, numbers = [], [], {}
    minimum = {c.id for c in minimum_clauses(selection)}
    for theme in library.themes:
        clauses = [c for c in selection.clauses if c.theme == theme.id]
        if not clauses:
            continue
        theme_number = len(themes) + 1
        entries = []
        for index, clause in enumerate(clauses, start=1):
            number = f"{theme_number}.{index}"
            numbers[clause.id] = number
            entries.append({
                "id": clause.id, "number": number, "title": clause.title, "anchor": f"[[ANCRE:{clause.id}]]",
                "minimum": phrase("minimum.cctp") if clause.id in minimum else "",
                "blocks": tender_blocks(selection, clause),
                "deliverables": ", ".join(library.deliverables[d].title for d in clause.deliverables
                                          if d in selection.applicable_deliverables),
            })
            asked = [selection.numbers[q] for q in clause.questions if q in selection.numbers]
            trace.append({"number": number, "ref": _mention(clause.id, number), "title": clause.title,
                          "ansm": ", ".join(clause.references.ansm) or "—",
                          "enisa": ", ".join(clause.references.enisa) or "—",
                          "questions": ", ".join(sorted(asked, key=_number_key)) or "—"})
        themes.append({"number": theme_number, "title": theme.title, "clauses": entries})

    deliverables = []
    for number, (deliverable, _) in enumerate(selection.deliverables, start=1):
        by_clauses = [f"art. {_mention(c.id, numbers[c.id])}" for c in selection.clauses
                      if deliverable.id in c.deliverables]
        by_items = [selection.asked_by_item(q).replace("Question", "question", 1)
                    for q in selection.questions.values() if q.deliverable == deliverable.id]
        required_by = "\n".join(by_clauses + [f"questionnaire, {item}" for item in by_items])
        deliverables.append({"number": number, "id": deliverable.id, "title": deliverable.title,
                             "description": deliverable.description, "required_by": required_by})

    cited_ansm = {r for c in selection.clauses for r in c.references.ansm}
    cited_enisa = {r for c in selection.clauses for r in c.references.enisa}
    context = tender_context(selection)
    subjects = entry("subjects")
    context.update({
        "subject": subjects.get(selection.tender.procurement_type, subjects["default"]),
        "themes": themes,
        "deliverables": deliverables,
        "deliverables_number": len(themes) + 1,
        "trace": trace,
        "ansm": [{"id": r.id, "title": r.title, "objectives": "".join(r.objectives)}
                 for r in library.ansm.recommendations if r.id in cited_ansm],
        "enisa": [{"id": bp.id, "title": bp.title} for bp in library.enisa.good_practices if bp.id in cited_enisa],
    })
    return context


def _mention(clause_id: str, number: str) -> str:
    """An article named by its number, as a live cross-reference to its heading (render.cross_refs)."""
    return f"[[ART:{clause_id}|{number}]]"


def write_cctp(selection: Selection, template: Path, target: Path) -> Path:
    return render_docx(template, clean_context(cctp_context(selection)), target, title=phrase("titles.cctp"))
