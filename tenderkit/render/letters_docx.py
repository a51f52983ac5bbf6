"""Letters to the candidates (.docx, ``templates/letter.docx``): one per vendor, with that vendor's data only.

French public-procurement practice (code de la commande publique):
- a « demande de précisions » asks the candidate to clarify named answers of its offer; it may neither modify
  the offer nor its essential characteristics, and the letter says so;
- questions left unanswered and missing documents are listed for information only, unless the consultation
  allows regularisation (``letters.regularisation`` in tender.yaml): then, under article R. 2152-2, the
  letter invites the candidate to regularise its irregular offer within the deadline, an invitation made to
  every candidate whose offer is irregular, without changing the offer's substantial characteristics;
- the letter is signed by the contracting authority's signatory (``buyer.signatory``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tenderkit.grammar import de
from tenderkit.library.variables import clause_blocks
from tenderkit.render.docx_template import clean_context, render_docx
from tenderkit.render.tender_context import tender_context
from tenderkit.review.model import Review, VendorReview
from tenderkit.text import french_date
from tenderkit.vocabulary import Issue
from tenderkit.wording import counted, phrase

WHY = (Issue.PARTIEL, Issue.NA_NOT_OFFERED, Issue.INVALID, Issue.ALTERED)  # « Précision attendue »: letters.why


def letter_context(review: Review, vendor: VendorReview) -> dict[str, Any]:
    selection = review.selection
    library = selection.library
    tender = selection.tender
    designation = tender.buyer.designation
    numbers = selection.numbers
    concerned: dict[str, Any] = {}

    def row(item, **extra) -> dict[str, Any]:
        question = selection.questions[item.question_id]
        clauses = selection.clauses_of.get(item.question_id, [])
        for clause in clauses:
            concerned[clause.id] = clause
        return {"id": item.question_id, "number": numbers[item.question_id], "section": question.section,
                "text": question.text, "clauses": ", ".join(c.title for c in clauses) or "—", **extra}

    missing = []
    for deliverable_id in vendor.missing_deliverables:
        deliverable = library.deliverables[deliverable_id]
        missing.append({"title": deliverable.title, "description": deliverable.description})
        for clause in selection.clauses:
            if deliverable_id in clause.deliverables:
                concerned[clause.id] = clause
    to_clarify = [row(i, raw=i.raw or "", why=phrase(f"letters.why.{i.issue.value}", altered=(i.altered or "")[:300]))
                  for i in vendor.items.values() if i.issue in WHY]
    unanswered = [row(i) for i in vendor.issues(Issue.UNANSWERED)]
    signatory = tender.buyer.signatory.model_dump()
    if not signatory["name"] and not signatory["title"]:
        signatory = {"name": "", "title": phrase("default_signatory")}
    contact = tender.buyer.contact
    context = tender_context(selection)
    days = tender.letters.reply_days
    context.update({
        "date": french_date(review.date),
        "vendor": {"name": vendor.vendor, "attention": "À l’attention " + de(vendor.vendor)},
        "contact_line": " — ".join(x for x in (contact.name, contact.email, contact.phone) if x),
        "signatory": signatory,
        "deadline": f"{days} jours" if days > 1 else "1 jour",
        "to_clarify": to_clarify,
        "unanswered": unanswered,
        "missing": missing,
        "missing_summary": ", ".join(x for x in (counted(len(unanswered), "letters.unanswered") if unanswered else "",
                                                 counted(len(missing), "letters.missing") if missing else "") if x),
        "regularisation": tender.letters.regularisation and bool(unanswered or missing),
        "clauses": [{"title": c.title, "blocks": clause_blocks(c, designation)}
                    for c in selection.clauses if c.id in concerned],
    })
    return context


def needs_letter(vendor: VendorReview) -> bool:
    """A letter asks to clarify the answers of WHY and lists what is missing."""
    return bool(vendor.unanswered or vendor.missing_deliverables or any(vendor.issues(kind) for kind in WHY))


def write_letter(review: Review, vendor: VendorReview, template: Path, target: Path) -> Path:
    return render_docx(template, clean_context(letter_context(review, vendor)), target,
                       title=phrase("titles.letter", vendor=vendor.vendor))
