"""The buyer's checklist (.docx): ENISA good practices for this procurement type, by phase."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tenderkit.render.docx_template import clean_context, render_docx
from tenderkit.render.tender_context import tender_context
from tenderkit.tender.selection import Selection


def checklist_context(selection: Selection) -> dict[str, Any]:
    enisa = selection.library.enisa
    threats = {t.id: t.title for t in enisa.threats}
    phases = []
    for phase in enisa.phases:
        practices = [{"id": bp.id, "title": bp.title,
                      "threats": "Toutes" if set(bp.threats) == set(threats)
                      else ", ".join(threats[t] for t in bp.threats)}
                     for bp in selection.good_practices if phase.id in bp.phases]
        if practices:
            phases.append({"id": phase.id, "title": phase.title, "description": phase.description,
                           "practices": practices})
    context = tender_context(selection)
    context["phases"] = phases
    return context


def write_checklist(selection: Selection, template: Path, target: Path) -> Path:
    return render_docx(template, clean_context(checklist_context(selection)), target)
