"""The AFIB application identification sheet (.docx, ``templates/fiche.docx``), pre-filled from a vendor's
answers for the retained vendor."""

from __future__ import annotations

from itertools import zip_longest
from pathlib import Path
from typing import Any

from tenderkit.parse.response import Answer, Response
from tenderkit.render.docx_template import clean_context, render_docx
from tenderkit.render.tender_context import tender_context
from tenderkit.tender.selection import Selection
from tenderkit.text import french_date
from tenderkit.vocabulary import Status, shown_value
from tenderkit.wording import phrase


def _shown(answer: Answer | None, answer_type: str = "") -> str | None:
    """The answer as the sheet says it: « oui, avec réserves », a date as « 14/02/2019 »."""
    if answer is None or answer.status != Status.ANSWERED:
        return None
    shown = shown_value(answer.value, answer_type, "prose")
    return None if shown is None else str(shown)


def fiche_context(selection: Selection, response: Response, today) -> dict[str, Any]:
    """The AFIB sheet's fields under the poster's headings, each item of a field under its short label (never
    the vendor-facing question); the repeated groups (other workstations, servers…) likewise; and the blank
    fields the buyer fills at installation."""
    library = selection.library
    labels: dict[str, str] = {}
    fields = []
    for field in library.afib.identification_sheet:
        lines = []
        for qid, label in field.items():
            question = library.questions.get(qid)
            shown = _shown(response.answers.get(qid), question.answer_type if question else "")
            labels[qid] = label or field.label
            if shown:
                lines.append(f"{label} : {shown}" if label else shown)
        fields.append({"label": field.label, "text": "\n".join(lines) or "à compléter"})
    groups = []
    for group_id, items in response.groups.items():
        group = library.groups.get(group_id)
        if not group or not items:
            continue
        described = []
        for number, item in enumerate(items, start=2):
            parts = [f"{labels[q]} : {_shown(a, library.questions[q].answer_type)}"
                     for q, a in item.items() if q in labels and _shown(a)]
            if parts:
                described.append(f"{group.label} n° {number} — " + " ; ".join(parts))
        if described:
            groups.append({"title": f"{group.plural} supplémentaires", "entries": described})
    responsibilities = library.afib.responsibilities
    rows = [{"biomedical": b or "", "it": i or ""}
            for b, i in zip_longest(responsibilities.get("biomedical", []), responsibilities.get("it", []))]
    context = tender_context(selection)
    context.update({
        "date": french_date(today),
        "vendor": {"name": response.vendor},
        "fields": fields,
        "groups": groups,
        "installation": list(library.afib.installation_fields),
        "responsibilities": {"rows": rows, "perimeter": list(responsibilities.get("perimeter_biomedical", [])),
                             "note": str(responsibilities.get("perimeter_note", ""))},
    })
    return context


def write_fiche(selection: Selection, response: Response, today, template: Path, target: Path) -> Path:
    return render_docx(template, clean_context(fiche_context(selection, response, today)), target,
                       title=phrase("titles.fiche", vendor=response.vendor))
