"""Regularity of an offer, decided before any ranking (code de la commande publique).

- An offer that does not meet the requirements of the consultation documents — in particular an incomplete
  one — is irregular (art. L. 2152-2): a required document missing, a required question left blank, a minimum
  requirement of the CCTP (tender.yaml ``clauses.minimum``) refused.
- In an appel d'offres irregular offers are eliminated (R. 2152-1), unless the buyer lets every candidate
  concerned regularise its offer (R. 2152-2, ``letters.regularisation``), which may not modify the offer:
  supplying a missing document or a descriptive answer may be asked, answering a scored question may not.
- Status: ``regular``; ``to_regularise`` when regularisation is allowed and every irregularity may be
  regularised; ``irregular`` otherwise. Irregular offers are not ranked; their scores are still computed.
"""

from __future__ import annotations

from dataclasses import dataclass

from tenderkit.grammar import capitalize_first
from tenderkit.review.model import VendorReview
from tenderkit.tender.selection import Selection
from tenderkit.vocabulary import Answer, Status
from tenderkit.wording import counted, phrase

REGULAR, IRREGULAR, TO_REGULARISE = "regular", "irregular", "to_regularise"

# Kinds of irregularity (``review --json`` ``irregularities[].kind``) and whether each may be regularised.
MISSING_DOCUMENT = "missing_document"          # a required document no file of the offer holds
DECLARED_NOT_ATTACHED = "declared_not_attached"  # declared « Oui » but not in the analysed file (lone questionnaire)
UNANSWERED_SCORED = "unanswered_scored"        # a scored question left blank: answering it would modify the offer
UNANSWERED_DESCRIPTIVE = "unanswered_descriptive"  # a required descriptive answer left blank
MINIMUM_REFUSED = "minimum_refused"            # an unfavourable answer to a question of a minimum requirement
REGULARISABLE = {MISSING_DOCUMENT: True, DECLARED_NOT_ATTACHED: True, UNANSWERED_SCORED: False,
                 UNANSWERED_DESCRIPTIVE: True, MINIMUM_REFUSED: False}


@dataclass(frozen=True)
class Irregularity:
    kind: str
    item: str           # deliverable id, question id
    number: str         # as the candidate knows it: « 4.3.2 », « pièce 7 »
    text: str           # one French sentence for the committee
    clause: str | None = None   # the minimum requirement concerned (MINIMUM_REFUSED)

    @property
    def regularisable(self) -> bool:
        return REGULARISABLE[self.kind]

    def as_dict(self) -> dict:
        return {"kind": self.kind, "item": self.item, "number": self.number, "text": self.text}


def minimum_clauses(selection: Selection) -> list:
    """The selected clauses the buyer made minimum requirements, in the annex's order."""
    wanted = set(selection.tender.clauses.minimum)
    return [c for c in selection.clauses if c.id in wanted]


def minimum_questions(selection: Selection) -> dict[str, object]:
    """Question id → the minimum requirement (clause) it verifies, for the scored items of those clauses."""
    found: dict[str, object] = {}
    for clause in minimum_clauses(selection):
        for qid in clause.questions:
            question = selection.questions.get(qid)
            if question is not None and question.expected is not None and qid not in found:
                found[qid] = clause
    return found


def deliverable_numbers(selection: Selection) -> dict[str, int]:
    """The number of each deliverable in the annex's table « Pièces à joindre à l'offre »."""
    return {d.id: n for n, (d, _) in enumerate(selection.deliverables, start=1)}


def irregularities(selection: Selection, vendor: VendorReview) -> list[Irregularity]:
    """What makes ``vendor``'s offer irregular, documents first, then answers in the questionnaire's order."""
    library, numbers = selection.library, selection.numbers
    found: list[Irregularity] = []
    document_numbers = deliverable_numbers(selection)
    for deliverable_id in vendor.missing_deliverables:
        title = library.deliverables[deliverable_id].title
        declared = vendor.response.deliverables.get(deliverable_id)
        kind = DECLARED_NOT_ATTACHED if declared is not None and declared.provided else MISSING_DOCUMENT
        found.append(Irregularity(kind, deliverable_id, phrase("regularity.document_number",
                                                               number=document_numbers.get(deliverable_id, "")),
                                  phrase(f"regularity.{kind}", title=title)))
    minimum = minimum_questions(selection)
    for qid, item in vendor.items.items():
        question = selection.questions[qid]
        if not item.applicable:
            continue
        number = numbers[qid]
        if item.status == Status.EMPTY and question.required:
            kind = UNANSWERED_SCORED if item.scored else UNANSWERED_DESCRIPTIVE
            found.append(Irregularity(kind, qid, number, phrase(f"regularity.{kind}", number=number)))
        elif qid in minimum and item.scored and item.value in (Answer.OUI, Answer.NON) \
                and item.value != question.expected and item.status == Status.ANSWERED:
            clause = minimum[qid]
            found.append(Irregularity(MINIMUM_REFUSED, qid, number,
                                      phrase("regularity.minimum_refused", number=number, clause=clause.title),
                                      clause=clause.id))
    return found


def summary(found: list[Irregularity]) -> str:
    """The irregularities of one offer in one French sentence, grouped by kind with the items' numbers:
    « 14 pièces exigées absentes de l’offre (n° 1, 2…) ; 2 questions notées sans réponse (questions 1.10.5,
    4.6.7). »"""
    parts = summary_parts(found)
    return capitalize_first(" ; ".join(parts)) + "." if parts else ""


def summary_parts(found: list[Irregularity]) -> list[str]:
    """One phrase per kind of irregularity, with the items' numbers, documents first."""
    groups: dict[str, list[str]] = {}
    for irregularity in found:
        number = irregularity.number.removeprefix("pièce ")
        groups.setdefault(irregularity.kind, []).append(number)
    parts = []
    for kind in REGULARISABLE:   # documents first, then answers, as irregularities() lists them
        if kind in groups:
            numbers = groups[kind]
            prefix = "n° " if kind in (MISSING_DOCUMENT, DECLARED_NOT_ATTACHED) else "question " if len(
                numbers) == 1 else "questions "
            parts.append(f"{counted(len(numbers), f'regularity.summary.{kind}')} ({prefix}{', '.join(numbers)})")
    return parts


def regularity(found: list[Irregularity], regularisation: bool) -> str:
    """The offer's status given its irregularities and the buyer's decision on regularisation."""
    if not found:
        return REGULAR
    if regularisation and all(i.regularisable for i in found):
        return TO_REGULARISE
    return IRREGULAR


def rankable(vendor: VendorReview) -> bool:
    """Ranked offers: regular ones, and those invited to regularise (their rank is provisional)."""
    return vendor.regularity in (REGULAR, TO_REGULARISE)
