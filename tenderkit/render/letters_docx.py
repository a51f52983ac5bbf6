"""Clarification letters (.docx, ``templates/letter.docx``): one per vendor, with that vendor's data only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tenderkit.library.variables import clause_blocks
from tenderkit.render.docx_template import clean_context, render_docx
from tenderkit.render.tender_context import tender_context
from tenderkit.review.model import Review, VendorReview
from tenderkit.text import french_date

WHY = {"partiel": "Préciser les réserves ou la partie non couverte",
       "na-not-offered": "« Sans objet » n’est pas prévu : répondre par oui ou non",
       "altered": "Question reformulée dans votre réponse (« {altered} ») : répondre à la question posée"}


def letter_context(review: Review, vendor: VendorReview) -> dict[str, Any]:
    selection = review.selection
    library = selection.library
    designation = selection.tender.buyer.designation
    concerned: dict[str, Any] = {}

    def row(item, **extra) -> dict[str, Any]:
        question = selection.questions[item.question_id]
        clauses = selection.clauses_of.get(item.question_id, [])
        for clause in clauses:
            concerned[clause.id] = clause
        return {"id": item.question_id, "section": question.section, "text": question.text,
                "clauses": ", ".join(c.title for c in clauses) or "—", **extra}

    missing = []
    for deliverable_id in vendor.missing_deliverables:
        deliverable = library.deliverables[deliverable_id]
        missing.append({"title": deliverable.title, "description": deliverable.description})
        for clause in selection.clauses:
            if deliverable_id in clause.deliverables:
                concerned[clause.id] = clause
    context = tender_context(selection)
    context.update({
        "date": french_date(review.date),
        "vendor": {"name": vendor.vendor},
        "unanswered": [row(i) for i in vendor.issues("unanswered")],
        "invalid": [row(i, raw=i.raw or "") for i in vendor.issues("invalid")],
        "ambiguous": [row(i, raw=i.raw or "", why=WHY[i.issue].format(altered=(i.altered or "")[:300]))
                      for i in vendor.items.values() if i.issue in WHY],
        "missing": missing,
        "clauses": [{"title": c.title, "blocks": clause_blocks(c, designation)}
                    for c in selection.clauses if c.id in concerned],
    })
    return context


def needs_letter(vendor: VendorReview) -> bool:
    return bool(vendor.unanswered or vendor.issues("invalid") or vendor.issues("partiel")
                or vendor.issues("na-not-offered") or vendor.issues("altered") or vendor.missing_deliverables)


def write_letter(review: Review, vendor: VendorReview, template: Path, target: Path) -> Path:
    return render_docx(template, clean_context(letter_context(review, vendor)), target)
