"""The buyer's checklist (.docx): the procurement to-dos, ticked by what tenderkit already did; the ENISA good
practices for this procurement type and profile, each once, worded for the tender's procedure; and the AFIB
notes meant for the buyer (never shown to vendors)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tenderkit.library.variables import text_lines
from tenderkit.render.docx_template import clean_context, render_docx
from tenderkit.render.tender_context import tender_context
from tenderkit.tender.selection import Selection
from tenderkit.text import french_date
from tenderkit.wording import entry, file_name, phrase

PUBLICATION_RECORD = "publication.json"   # written by `tenderkit publish` in the tender folder


def _todo(key: str, state: str, **values: Any) -> dict[str, str]:
    """One to-do: ``state`` is done, todo or na (or done_yes / done_no), worded by wording.yaml checklist.todos."""
    wording = entry(f"checklist.todos.{key}")
    mark = {"todo": "☐", "na": "—"}.get(state, "☑")
    return {"mark": mark, "title": wording["title"], "state": wording[state].format(**values)}


def procurement_todos(selection: Selection, folder: Path | None) -> list[dict[str, str]]:
    """What the buyer must do for the procedure, each ticked when ``folder`` (the tender's) or tender.yaml
    shows it done: the RC extract and the RGPD annex by their files in out/, published weights by the
    publication record, the minimum requirements, the regularisation decision and the deadline by tender.yaml."""
    tender = selection.tender

    def written(name: str) -> bool:
        return folder is not None and (folder / name).is_file()

    todos = []
    rc_extract = file_name("rc_extract", tender.reference)
    todos.append(_todo("rc_extract", "done" if written(f"out/{rc_extract}") else "todo", file=rc_extract))
    annex = file_name("rgpd_annex", tender.reference)
    if not selection.facts.get("patient_data"):
        todos.append(_todo("rgpd_annex", "na"))
    else:
        todos.append(_todo("rgpd_annex", "done" if written(f"out/{annex}") else "todo", file=annex))
    minimum = [c.title for c in selection.clauses if c.id in tender.clauses.minimum]
    todos.append(_todo("minimum", "done" if minimum else "todo", items=" ; ".join(minimum)))
    todos.append(_todo("weights", "done" if written(PUBLICATION_RECORD) else "todo"))
    decided = "letters" in tender.model_fields_set and "regularisation" in tender.letters.model_fields_set
    state = ("done_yes" if tender.letters.regularisation else "done_no") if decided else "todo"
    todos.append(_todo("regularisation", state))
    deadline = french_date(tender.deadline) if tender.deadline else ""
    todos.append(_todo("deadline", "done" if tender.deadline else "todo", date=deadline))
    return todos


def checklist_context(selection: Selection, folder: Path | None = None) -> dict[str, Any]:
    """To-dos (``folder``: the tender's, None when there is none on disk); practices grouped by the first phase
    they concern (« Phases » lists all of them); buyer notes."""
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
        description = phase.description if isinstance(phase.description, str) else " ".join(
            text_lines(phase.description, selection.tender.buyer.designation, conditions=selection.conditions))
        if practices:
            phases.append({"id": phase.id, "title": phase.title, "description": description,
                           "practices": practices})
    notes = []
    for part, section, decision in selection.section_decisions:
        asked = [q for q in selection.questions.values() if q.section_id == section.id]
        if decision.selected and section.buyer_notes and asked:
            notes.append({"section": f"{selection.section_number(asked[0].id)} {section.title}",
                          "sheet": f"Partie {part.part}", "notes": list(section.buyer_notes)})
    context = tender_context(selection)
    context["procedure"] = entry("checklist.procedures")[selection.tender.procedure]
    context["todos"] = procurement_todos(selection, folder)
    context["phases"] = phases
    context["buyer_notes"] = notes
    return context


def write_checklist(selection: Selection, template: Path, target: Path, folder: Path | None = None) -> Path:
    """``folder``: the tender's (default: the parent of ``target``'s folder, out/)."""
    context = checklist_context(selection, folder or target.parent.parent)
    return render_docx(template, clean_context(context), target, title=phrase("titles.checklist"))
