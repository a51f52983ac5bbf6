"""Letters to the candidates (.docx, ``templates/letter.docx``): one per vendor, with that vendor's data only.

French public-procurement practice (code de la commande publique):
- a « demande de précisions » asks the candidate to clarify named answers of its offer (practice of articles
  R. 2152-1 to R. 2152-2: a request for clarification may not lead to a modification of the offer); it may
  neither modify the offer nor its essential characteristics, and the letter says so;
- questions left unanswered and missing documents are listed for information only, unless the consultation
  allows regularisation (``letters.regularisation`` in tender.yaml): then, under article R. 2152-2, the
  letter invites the candidate to regularise its irregular offer within the deadline, an invitation made to
  every candidate whose offer is irregular, without changing the offer's substantial characteristics;
- a letter is sent only when it asks for something (:func:`letter_kind`): answers to clarify, or, where
  regularisation is allowed, missing elements to supply; an offer with only missing elements and no
  regularisation gets no letter (the report notes the gaps). Each letter is titled by what it does — subject,
  footer, document title and file name: « Demande de précisions », « Invitation à régulariser l’offre » or
  « Demande de précisions et invitation à régulariser l’offre » (templates/wording.yaml, ``letters.kinds``);
- the letter is signed by the contracting authority's signatory (``buyer.signatory``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tenderkit.grammar import de
from tenderkit.render.docx_template import clean_context, render_docx
from tenderkit.render.tender_context import tender_blocks, tender_context
from tenderkit.review.model import Review, VendorReview
from tenderkit.text import french_date
from tenderkit.vocabulary import Issue
from tenderkit.wording import counted, file_name, phrase

WHY = (Issue.PARTIEL, Issue.NA_NOT_OFFERED, Issue.INVALID, Issue.ALTERED)  # « Précision attendue »: letters.why
CLARIFICATION, REGULARISATION, BOTH = "clarification", "regularisation", "both"   # letters.kinds in wording.yaml
FILE_KINDS = {CLARIFICATION: "letter", REGULARISATION: "letter_regularisation", BOTH: "letter_both"}


def letter_kind(vendor: VendorReview, regularisation: bool) -> str | None:
    """What a letter to ``vendor`` does: clarify answers (CLARIFICATION), invite to regularise the offer
    (REGULARISATION, only where the consultation allows it: R. 2152-2), both (BOTH), or nothing (None: no
    letter)."""
    clarify = any(vendor.issues(kind) for kind in WHY)
    regularise = regularisation and bool(vendor.unanswered or vendor.missing_deliverables)
    if clarify and regularise:
        return BOTH
    if clarify:
        return CLARIFICATION
    return REGULARISATION if regularise else None


def letter_title(kind: str) -> str:
    """« Demande de précisions », « Invitation à régulariser l’offre »…"""
    return phrase(f"letters.kinds.{kind}.title")


def letter_file_name(kind: str, reference: str, vendor: str) -> str:
    return file_name(FILE_KINDS[kind], reference, vendor)


def letter_context(review: Review, vendor: VendorReview) -> dict[str, Any]:
    selection = review.selection
    library = selection.library
    tender = selection.tender
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
    kind = letter_kind(vendor, tender.letters.regularisation) or CLARIFICATION
    context.update({
        "letter_title": letter_title(kind),
        "letter_subject": phrase(f"letters.kinds.{kind}.subject"),
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
        "clauses": [{"title": c.title, "blocks": tender_blocks(selection, c)}
                    for c in selection.clauses if c.id in concerned],
    })
    return context


def needs_letter(vendor: VendorReview, regularisation: bool) -> bool:
    """A letter is sent only when it asks something: answers of WHY to clarify, or, where regularisation is
    allowed, unanswered questions and missing documents to supply."""
    return letter_kind(vendor, regularisation) is not None


def write_letter(review: Review, vendor: VendorReview, template: Path, target: Path) -> Path:
    context = letter_context(review, vendor)
    return render_docx(template, clean_context(context), target,
                       title=phrase("titles.letter", kind=context["letter_title"], vendor=vendor.vendor))
