"""Letters to the candidates (.docx, ``templates/letter.docx``): one per vendor, with that vendor's data only.

French public-procurement practice (code de la commande publique):
- a « demande de précisions » asks the candidate to clarify what its offer already says — an ambiguous or
  unreadable answer, a reservation, a question it reworded — and nothing else: R. 2161-5 in an appel d'offres
  ouvert, R. 2161-11 in an appel d'offres restreint (``procedure`` in tender.yaml); it may not lead to a
  modification of the offer, and it never says how gaps are assessed;
- an « invitation à régulariser » (R. 2152-2) is sent only where the buyer allows regularisation
  (``letters.regularisation``) and only to an offer all of whose irregularities may be regularised without
  modifying it (regularity ``to_regularise``): it lists the missing documents and the blank descriptive answers,
  never a scored question;
- an irregular offer (eliminated, R. 2152-1) gets no letter: the report gives the reasons;
- each letter gives its reply deadline as a date and an hour, and the channel: the buyer's profile (L. 2132-2);
- it is signed by the buyer's signatory, « Pour le directeur et par délégation » when the signatory is not the
  legal representative (``buyer.signatory.delegation``);
- a letter is titled by what it does — subject, footer, document title and file name (templates/wording.yaml,
  ``letters.kinds``); dated before the deadline for offers, it is marked « Projet ».
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from tenderkit.grammar import de
from tenderkit.render.docx_template import clean_context, render_docx
from tenderkit.render.tender_context import tender_context
from tenderkit.review.model import Review, VendorReview
from tenderkit.review.regularity import (
    DECLARED_NOT_ATTACHED,
    IRREGULAR,
    MISSING_DOCUMENT,
    TO_REGULARISE,
    UNANSWERED_DESCRIPTIVE,
    deliverable_numbers,
)
from tenderkit.text import french_date
from tenderkit.vocabulary import Issue
from tenderkit.wording import counted, file_name, phrase

WHY = (Issue.PARTIEL, Issue.NA_NOT_OFFERED, Issue.INVALID, Issue.ALTERED)  # « Précision attendue »: letters.why
CLARIFICATION, REGULARISATION, BOTH = "clarification", "regularisation", "both"   # letters.kinds in wording.yaml
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
FILE_KINDS = {CLARIFICATION: "letter", REGULARISATION: "letter_regularisation", BOTH: "letter_both"}


def letter_kind(vendor: VendorReview, regularisation: bool) -> str | None:
    """What a letter to ``vendor`` does: clarify answers (CLARIFICATION), invite to regularise the offer
    (REGULARISATION: only an offer ``to_regularise``, which requires the buyer's leave, R. 2152-2), both (BOTH),
    or nothing (None: no letter — an irregular offer, or nothing to ask)."""
    if vendor.regularity == IRREGULAR:
        return None
    clarify = any(vendor.issues(kind) for kind in WHY)
    regularise = regularisation and vendor.regularity == TO_REGULARISE
    if clarify and regularise:
        return BOTH
    if clarify:
        return CLARIFICATION
    return REGULARISATION if regularise else None


def reply_deadline(review_date: dt.date, days: int, hour: str) -> str:
    """« lundi 21 décembre 2026 à 12 h 00 »: ``days`` after ``review_date``, moved to the next Monday when it
    falls on a weekend."""
    day = review_date + dt.timedelta(days=days)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    hours, minutes = hour.split(":")
    return f"{WEEKDAYS[day.weekday()]} {french_date(day)} à {int(hours)}\u00a0h\u00a0{minutes}"


def signatory_context(signatory) -> dict[str, Any]:
    """Who signs, with « Pour le directeur et par délégation » when signing for the legal representative."""
    data = signatory.model_dump()
    if not data["name"] and not data["title"]:
        data.update(name="", title=phrase("default_signatory"))
    data["delegation_line"] = phrase("letters.delegation") if signatory.delegation else ""
    return data


def letter_title(kind: str) -> str:
    """« Demande de précisions », « Invitation à régulariser l’offre »…"""
    return phrase(f"letters.kinds.{kind}.title")


def letter_file_name(kind: str, reference: str, vendor: str) -> str:
    return file_name(FILE_KINDS[kind], reference, vendor)


def letter_context(review: Review, vendor: VendorReview) -> dict[str, Any]:
    selection = review.selection
    tender = selection.tender
    numbers = selection.numbers

    def row(item, **extra) -> dict[str, Any]:
        question = selection.questions[item.question_id]
        return {"id": item.question_id, "number": numbers[item.question_id], "section": question.section,
                "text": question.text, **extra}

    kind = letter_kind(vendor, tender.letters.regularisation) or CLARIFICATION
    to_clarify = [row(i, raw=i.raw or "", why=phrase(f"letters.why.{i.issue.value}", altered=(i.altered or "")[:300]))
                  for i in vendor.items.values() if i.issue in WHY]
    regularise = kind in (REGULARISATION, BOTH)
    documents = deliverable_numbers(selection)
    missing = [{"number": documents.get(i.item, ""), "title": selection.library.deliverables[i.item].title,
                "finding": phrase(f"letters.finding.{i.kind}")}
               for i in vendor.irregularities if regularise and i.kind in (MISSING_DOCUMENT, DECLARED_NOT_ATTACHED)]
    descriptive = [row(vendor.items[i.item]) for i in vendor.irregularities
                   if regularise and i.kind == UNANSWERED_DESCRIPTIVE]
    contact = tender.buyer.contact
    context = tender_context(selection)
    profile = tender.buyer.profile_url
    context.update({
        "letter_title": letter_title(kind),
        "letter_subject": phrase(f"letters.kinds.{kind}.subject"),
        "date": french_date(review.date),
        "draft": draft_note(review),
        "vendor": {"name": vendor.vendor, "attention": "À l’attention " + de(vendor.vendor)},
        "contact_line": " — ".join(x for x in (contact.name, contact.email, contact.phone) if x),
        "signatory": signatory_context(tender.buyer.signatory),
        "basis": phrase(f"letters.basis.{tender.procedure}"),
        "reply_by": reply_deadline(review.date, tender.letters.reply_days, tender.letters.reply_hour),
        "channel": phrase("letters.channel_url", url=profile) if profile else phrase("letters.channel"),
        "to_clarify": to_clarify,
        "regularise": regularise and bool(missing or descriptive),
        "missing": missing,
        "descriptive": descriptive,
        "missing_summary": ", ".join(x for x in (
            counted(len(missing), "letters.missing") if missing else "",
            counted(len(descriptive), "letters.descriptive") if descriptive else "") if x),
    })
    return context


def draft_note(review: Review) -> str:
    """The « Projet » mark of a committee document dated before the deadline for offers ("" after it)."""
    deadline = review.selection.tender.deadline
    if deadline is not None and review.date < deadline:
        return phrase("draft", deadline=french_date(deadline))
    return ""


def needs_letter(vendor: VendorReview, regularisation: bool) -> bool:
    """A letter is sent only when it asks something: answers of WHY to clarify, or, where regularisation is
    allowed, unanswered questions and missing documents to supply."""
    return letter_kind(vendor, regularisation) is not None


def write_letter(review: Review, vendor: VendorReview, template: Path, target: Path) -> Path:
    context = letter_context(review, vendor)
    return render_docx(template, clean_context(context), target,
                       title=phrase("titles.letter", kind=context["letter_title"], vendor=vendor.vendor))
