"""Scoring a parsed response against the library's expected answers and the buyer's weights.

Rules (also printed in the committee report):
- Only applicable yes/no items with a favourable answer (``expected``) are scored. An item is applicable
  when the flowchart opens it: its ``show_if`` parent was answered with the opening value.
- Favourable answer: 1 point; « partiel » (a qualified oui): ½ point; unfavourable: 0.
- « Sans objet » where the questionnaire offers it: the item leaves the score (neither earned nor due).
  Where it is not offered, it is treated as unanswered: 0 point, and asked again in the letter.
- Unanswered or unreadable (invalid) items: 0 point, listed for the clarification letter.
- Item weight = library weight (or ``weights.questions``) × the largest ``weights.clauses`` multiplier
  of the clauses it verifies. Part score = weighted points ÷ weighted maximum × 100; total = weighted
  mean of the part scores by ``weights.parts``. Flags inform the committee; they never eliminate.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tenderkit.parse.response import Response
from tenderkit.review.model import (
    CONFORME,
    NON_CONFORME,
    NON_RENSEIGNE,
    PARTIEL,
    ClauseResult,
    Flag,
    ItemScore,
    Review,
    VendorReview,
)
from tenderkit.tender.selection import Selection

POINTS = {"oui": 1.0, "non": 0.0, "partiel": 0.5}


def item_weights(selection: Selection) -> dict[str, float]:
    """Effective weight of every selected item."""
    weights = selection.tender.weights

    def multiplier(question_id: str) -> float:
        factors = [weights.clauses[c.id] for c in selection.clauses_of.get(question_id, []) if c.id in weights.clauses]
        return max(factors, default=1.0)
    return {qid: weights.questions.get(qid, q.weight) * multiplier(qid) for qid, q in selection.questions.items()}


def part_weights(selection: Selection) -> dict[int, float]:
    weights = selection.tender.weights.parts
    return {part.part: float(weights.get(part.part, 1.0)) for part in selection.parts}


def _applicable(selection: Selection, response: Response) -> dict[str, bool]:
    result: dict[str, bool] = {}
    for qid, question in selection.questions.items():
        condition = question.show_if
        if condition is None:
            result[qid] = True
            continue
        parent = response.answers.get(condition.question)
        opened = parent is not None and parent.value == condition.equals
        if condition.equals == "oui" and parent is not None and parent.value == "partiel":
            opened = True  # a qualified oui still opens the questions that follow a oui
        result[qid] = result.get(condition.question, False) and opened
    return result


def score_response(selection: Selection, response: Response, weights: dict[str, float]) -> VendorReview:
    review = VendorReview(vendor=response.vendor, response=response)
    applicable = _applicable(selection, response)
    for qid, question in selection.questions.items():
        answer = response.answers.get(qid)
        value = answer.value if answer else None
        status = answer.status if answer else "empty"
        is_yes_no = question.answer_type in ("yes_no", "yes_no_na")
        scored = applicable[qid] and question.expected is not None and is_yes_no
        issue = None
        points = max_points = 0.0
        altered = answer.altered if answer else None
        if applicable[qid] and altered and status == "answered":
            issue, scored = "altered", False  # the vendor answered its own question: the committee decides
        elif applicable[qid]:
            if status == "empty" and question.required:
                issue = "unanswered"
            elif status == "invalid":
                issue = "invalid"
            elif value == "partiel":
                issue = "partiel"
            elif value == "na" and question.answer_type == "yes_no":
                issue = "na-not-offered"
        if scored:
            if value == "na" and question.answer_type == "yes_no_na":
                scored = False  # « sans objet », where offered: out of the score
            else:
                max_points = 1.0
                expected = question.expected
                if value == expected:
                    points = 1.0
                elif value == "partiel":
                    points = 0.5
        review.items[qid] = ItemScore(
            question_id=qid, part=question.part, applicable=applicable[qid], scored=scored, points=points,
            max_points=max_points, weight=weights[qid], status=status, value=value,
            raw=answer.raw if answer else None, location=answer.location if answer else None,
            comment=answer.comment if answer else None, issue=issue, altered=altered,
            how=answer.how if answer else None)
        unfavourable = value in ("oui", "non", "partiel") and value != question.expected
        if question.flag and scored and unfavourable:
            reason = question.flag_reason or question.text
            ansm, enisa = selection.references_of(qid)
            review.flags.append(Flag(
                question_id=qid, question=question.text, answer=answer.raw if answer else None, value=value,
                reason=reason + (" (réponse partielle)" if value == "partiel" else ""),
                clauses=[c.title for c in selection.clauses_of.get(qid, [])], ansm=ansm, enisa=enisa,
                location=answer.location if answer else None))
    review.parts = part_scores(review, selection)
    review.missing_deliverables = [d.id for d, _ in selection.deliverables if not response.supplied(d.id)]
    review.clauses = [_clause_result(clause, review) for clause in selection.clauses]
    return review


def part_scores(review: VendorReview, selection: Selection) -> dict[int, float]:
    scores = {}
    for part in selection.parts:
        items = [i for i in review.items.values() if i.part == part.part]
        due = sum(i.max_points * i.weight for i in items)
        earned = sum(i.points * i.weight for i in items)
        scores[part.part] = round(100 * earned / due, 2) if due else 0.0
    return scores


def total_score(parts: dict[int, float], weights: dict[int, float]) -> float:
    """Weighted mean of the part scores (the grid's formula computes the same)."""
    total_weight = sum(weights[p] for p in parts)
    return round(sum(parts[p] * weights[p] for p in parts) / total_weight, 2) if total_weight else 0.0


def _clause_result(clause, review: VendorReview) -> ClauseResult:
    items = [review.items[q] for q in clause.questions if q in review.items and review.items[q].scored]
    missing = [d for d in clause.deliverables if d in review.missing_deliverables]
    answered = [i for i in items if i.status == "answered"]
    if not items and not clause.deliverables:
        return ClauseResult(clause.id, clause.title, NON_RENSEIGNE, "aucune question évaluée ne s’y rapporte")
    if any(i.points == 0 and i.status == "answered" for i in items):
        bad = [i.question_id for i in items if i.points == 0 and i.status == "answered"]
        return ClauseResult(clause.id, clause.title, NON_CONFORME, "réponse défavorable : " + ", ".join(bad))
    if items and not answered and (missing or not clause.deliverables):
        return ClauseResult(clause.id, clause.title, NON_RENSEIGNE, "questions sans réponse")
    if len(answered) < len(items) or any(i.points == 0.5 for i in items) or missing:
        parts = []
        if len(answered) < len(items):
            parts.append(f"{len(items) - len(answered)} question(s) sans réponse exploitable")
        if any(i.points == 0.5 for i in items):
            parts.append("réponse partielle")
        if missing:
            parts.append(f"{len(missing)} pièce(s) manquante(s)")
        return ClauseResult(clause.id, clause.title, PARTIEL, ", ".join(parts))
    return ClauseResult(clause.id, clause.title, CONFORME, "réponses favorables" + (", pièces fournies"
                                                                                 if clause.deliverables else ""))


def rank(vendors: list[VendorReview]) -> None:
    """Competition ranking (1, 2, 2, 4) by total, as the grid's RANK() formula."""
    for vendor in vendors:
        vendor.rank = 1 + sum(other.total > vendor.total for other in vendors)


def review_responses(selection: Selection, responses: list[Response], today: dt.date | None = None) -> Review:
    """Score every readable response; returns claiming the same vendor are all reviewed and shown as a conflict
    (« Échographie Sud (Zeta.xlsx) »): none is dropped in favour of another."""
    weights = item_weights(selection)
    parts = part_weights(selection)
    failed = [r for r in responses if r.errors]
    readable = [r for r in responses if not r.errors]
    claims: dict[str, list[Response]] = {}
    for response in readable:
        claims.setdefault(response.vendor.casefold(), []).append(response)
    chosen: dict[str, Response] = {}
    conflicts: dict[str, list[str]] = {}
    duplicates: list[Response] = []
    for same in claims.values():
        for response in same:  # several files naming one candidate: all kept, each under its file's name
            label = response.vendor if len(same) == 1 else f"{response.vendor} ({Path(response.file).name})"
            chosen[label] = response
            conflicts[label] = [Path(r.file).name for r in same if r is not response]
    vendors = []
    for label, response in sorted(chosen.items(), key=lambda item: item[0].lower()):
        review = score_response(selection, response, weights)
        review.vendor, review.conflicts = label, conflicts[label]
        review.total = total_score(review.parts, parts)
        vendors.append(review)
    rank(vendors)
    vendors.sort(key=lambda v: (v.rank, v.vendor.lower()))
    return Review(selection=selection, part_weights=parts, item_weights=weights, vendors=vendors, failed=failed,
                  duplicates=duplicates, date=today or dt.date.today())
