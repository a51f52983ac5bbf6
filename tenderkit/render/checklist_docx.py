"""The buyer's checklist (.docx): ENISA good practices for this procurement type and profile, each once,
and the AFIB notes meant for the buyer (never shown to vendors)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tenderkit.render.docx_template import clean_context, render_docx
from tenderkit.render.tender_context import tender_context
from tenderkit.tender.selection import Selection
from tenderkit.wording import phrase


def checklist_context(selection: Selection) -> dict[str, Any]:
    """Practices grouped by the first phase they concern (« Phases » lists all of them); buyer notes."""
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
                     for bp in selection.good_practices if min(bp.phases, key=order.index) == phase.id]
        if practices:
            phases.append({"id": phase.id, "title": phase.title, "description": phase.description,
                           "practices": practices})
    notes = []
    for part, section, decision in selection.section_decisions:
        asked = [q for q in selection.questions.values() if q.section_id == section.id]
        if decision.selected and section.buyer_notes and asked:
            notes.append({"section": f"{selection.section_number(asked[0].id)} {section.title}",
                          "sheet": f"Partie {part.part}", "notes": list(section.buyer_notes)})
    context = tender_context(selection)
    context["phases"] = phases
    context["buyer_notes"] = notes
    return context


def write_checklist(selection: Selection, template: Path, target: Path) -> Path:
    return render_docx(template, clean_context(checklist_context(selection)), target, title=phrase("titles.checklist"))
