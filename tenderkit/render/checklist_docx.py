"""The buyer's checklist (.docx): ENISA good practices for this procurement type and profile, each once,
and the AFIB notes meant for the buyer (never shown to vendors). A tender divided into lots has one checklist:
the practices of every lot, and the notes of each lot's questionnaire sections (« Lot 2 – 4.1 … »)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tenderkit.render.docx_template import clean_context, render_docx
from tenderkit.render.tender_context import tender_context
from tenderkit.tender.selection import Selection
from tenderkit.wording import phrase


def checklist_context(selections: Selection | Sequence[Selection]) -> dict[str, Any]:
    """Practices grouped by the first phase they concern (« Phases » lists all of them); buyer notes. Of one
    selection, or of each lot's selection of a tender divided into lots."""
    selections = [selections] if isinstance(selections, Selection) else list(selections)
    selection = selections[0]
    practices_of_any = {bp.id for s in selections for bp in s.good_practices}
    enisa = selection.library.enisa
    threats = {t.id: t.title for t in enisa.threats}
    phase_titles = {p.id: p.title.removeprefix("Phase de ").capitalize() for p in enisa.phases}
    order = [p.id for p in enisa.phases]
    phases = []
    for phase in enisa.phases:
        practices = [{"id": bp.id, "title": bp.title,
                      "phases": ", ".join(phase_titles[p] for p in sorted(bp.phases, key=order.index)),
                      "threats": "Toutes" if set(bp.threats) == set(threats)
                      else ", ".join(threats[t] for t in bp.threats)}
                     for bp in enisa.good_practices
                     if bp.id in practices_of_any and min(bp.phases, key=order.index) == phase.id]
        if practices:
            phases.append({"id": phase.id, "title": phase.title, "description": phase.description,
                           "practices": practices})
    notes = []
    for each in selections:
        lot = f"Lot {each.lot.number} – " if each.lot and len(selections) > 1 else ""
        for part, section, decision in each.section_decisions:
            asked = [q for q in each.questions.values() if q.section_id == section.id]
            if decision.selected and section.buyer_notes and asked:
                notes.append({"section": f"{each.section_number(asked[0].id)} {section.title}",
                              "sheet": f"{lot}Partie {part.part}", "notes": list(section.buyer_notes)})
    context = tender_context(selection)
    context["phases"] = phases
    context["buyer_notes"] = notes
    return context


def write_checklist(selections: Selection | Sequence[Selection], template: Path, target: Path) -> Path:
    return render_docx(template, clean_context(checklist_context(selections)), target,
                       title=phrase("titles.checklist"))
