"""Scoring a parsed response against the library's expected answers and the buyer's weights.

Rules (also printed in the committee report):
- Only applicable yes/no items with a favourable answer (``expected``) are scored. An item is applicable
  when the flowchart opens it: its ``show_if`` parent was answered with the opening value.
- Favourable answer: 1 point; « partiel » (a qualified oui): ½ point; unfavourable: 0.
- « Sans objet » where the questionnaire offers it: the item leaves the score (neither earned nor due).
  Where it is not offered, it is treated as unanswered: 0 point, and asked again in the letter.
- Unanswered or unreadable (invalid) items: 0 point, listed for the clarification letter.
- Item weight = library weight (or ``weights.questions``) × the largest ``weights.clauses`` multiplier
  of the clauses it verifies. Conformity = weighted mean over the scored items, each item weighing its weight
  × its part's weight (``weights.parts``): Σ points × weight ÷ Σ maximum × weight × 100. An item the buyer
  weighted higher thus always counts more than an unweighted one, whatever the number of items of its part
  (a mean of part scores would neutralise the published weighting). Part scores (weighted points ÷ weighted
  maximum of the part × 100; None where nothing is scored for this vendor) are shown for information.
- Completeness = share of what the tender asks that the offer supplies, 0–100: the mean of two shares, the
  required deliverables announced as provided ÷ those the offer owes (a deliverable asked only by an item of
  the questionnaire is owed when the vendor's answers opened that item), and the applicable required questions of every
  type (yes/no, text, number, date, choice, list) answered readably ÷ those due (a share with nothing asked
  is left out). Documents and answers weigh alike, so 15 missing documents are not drowned by 160 answers.
- Ranking score (``total``) = weighted mean of conformity and completeness: conformity weighs the sum of the
  parts' weights, completeness ``weights.completeness`` (default 1, like one part; 0 leaves it out). The
  shares are fixed for the tender and published (RC extract), the same for every candidate.
- Regularity comes before ranking (review/regularity.py): irregular offers get no rank; ranks are given among
  regular offers and those invited to regularise (provisional).
- Precision: scores are kept at full precision and rounded once, for display, to one decimal, half up as a
  spreadsheet rounds (text.round_half_up): console, JSON, grid, report and chart show the same figures.
- Ranks: competition ranking (1, 2, 2, 4) among ranked offers on the total *as shown*, rounded to one
  decimal: two offers shown with the same total share a rank, as the grid's rank formula does. Tied offers
  are listed in French alphabetical order (accents folded: text.french_sort_key).
- Flags inform the committee; they never eliminate.
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
    GridEdits,
    ItemScore,
    Review,
    VendorReview,
)
from tenderkit.review.regularity import irregularities, rankable, regularity
from tenderkit.tender.selection import Selection
from tenderkit.text import french_sort_key, round_half_up
from tenderkit.vocabulary import FAVOURABLE_POINTS, PARTIAL_POINTS, Answer, Issue, Status
from tenderkit.wording import agreeing, counted, phrase

SHOWN_DECIMALS = 1   # scores are shown, compared for ranking and given in JSON at this precision
PRECISION = 12       # decimals kept in computations: only floating-point noise (99.99999999999999) goes


def _clean(value: float) -> float:
    return round(value, PRECISION)


def shown(value: float) -> float:
    """A score as every document shows it: one decimal, half up."""
    return round_half_up(value, SHOWN_DECIMALS)


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
        if condition.equals == Answer.OUI and parent is not None and parent.value == Answer.PARTIEL:
            opened = True  # a qualified oui still opens the questions that follow a oui
        result[qid] = result.get(condition.question, False) and opened
    return result


def score_response(selection: Selection, response: Response, weights: dict[str, float],
                   points_edited: dict[str, float] | None = None) -> VendorReview:
    """Score one response; ``points_edited`` (question id → points) are the committee's own points."""
    points_edited = points_edited or {}
    review = VendorReview(vendor=response.vendor, response=response)
    applicable = _applicable(selection, response)
    for qid, question in selection.questions.items():
        answer = response.answers.get(qid)
        value = answer.value if answer else None
        status = answer.status if answer else Status.EMPTY
        is_yes_no = question.answer_type in ("yes_no", "yes_no_na")
        scored = applicable[qid] and question.expected is not None and is_yes_no
        issue = None
        points = max_points = computed = 0.0
        altered = answer.altered if answer else None
        if applicable[qid] and altered and status == Status.ANSWERED:
            issue, scored = Issue.ALTERED, False  # the vendor answered its own question: the committee decides
        elif applicable[qid]:
            if status == Status.EMPTY and question.required:
                issue = Issue.UNANSWERED
            elif status == Status.INVALID:
                issue = Issue.INVALID
            elif value == Answer.PARTIEL:
                issue = Issue.PARTIEL
            elif value == Answer.NA and question.answer_type == "yes_no":
                issue = Issue.NA_NOT_OFFERED
        if scored:
            if value == Answer.NA and question.answer_type == "yes_no_na":
                scored = False  # « sans objet », where offered: out of the score
            else:
                max_points = FAVOURABLE_POINTS
                if value == question.expected:
                    points = FAVOURABLE_POINTS
                elif value == Answer.PARTIEL:
                    points = PARTIAL_POINTS
                computed = points
                if qid in points_edited:
                    points = min(max(points_edited[qid], 0.0), max_points)
        review.items[qid] = ItemScore(
            question_id=qid, part=question.part, applicable=applicable[qid], scored=scored, points=points,
            max_points=max_points, weight=weights[qid], status=status, value=value,
            raw=answer.raw if answer else None, location=answer.location if answer else None,
            comment=answer.comment if answer else None, issue=issue, altered=altered,
            how=answer.how if answer else None, computed_points=computed)
        unfavourable = value in (Answer.OUI, Answer.NON, Answer.PARTIEL) and value != question.expected
        if question.flag and scored and unfavourable:
            reason = question.flag_reason or question.text
            ansm, enisa = selection.references_of(qid)
            review.flags.append(Flag(
                question_id=qid, question=question.text, answer=answer.raw if answer else None, value=value,
                reason=reason + (phrase("clauses.partial_flag") if value == Answer.PARTIEL else ""),
                clauses=[c.title for c in selection.clauses_of.get(qid, [])], ansm=ansm, enisa=enisa,
                location=answer.location if answer else None))
    review.parts = part_scores(review, selection)
    review.documents_asked = due_deliverables(selection, review)
    review.missing_deliverables = [d for d in review.documents_asked if not response.supplied(d)]
    review.clauses = [_clause_result(clause, review, selection.numbers) for clause in selection.clauses]
    review.completeness = completeness(selection, review)
    return review


def due_deliverables(selection: Selection, review: VendorReview) -> list[str]:
    """The tender's deliverables this offer owes: those a selected clause asks for, and those asked only by a
    questionnaire item whose branch the vendor's answers opened (no proof of a centre abroad is owed by a
    vendor who answered that it has none)."""
    by_clause = {ref for clause in selection.clauses for ref in clause.deliverables}
    by_item: dict[str, list[str]] = {}
    for qid, question in selection.questions.items():
        if question.deliverable:
            by_item.setdefault(question.deliverable, []).append(qid)
    return [deliverable.id for deliverable, _ in selection.deliverables
            if deliverable.id in by_clause or any(review.items[q].applicable for q in by_item.get(deliverable.id, [])
                                                  if q in review.items)]


def completeness(selection: Selection, review: VendorReview) -> float:
    """Mean of the shares of answers and of documents supplied (0–100); sets the vendor's counts."""
    questions = selection.questions
    asked = [i for i in review.items.values() if i.applicable and questions[i.question_id].required]
    review.answers_due = len(asked)
    review.answers_given = sum(i.status == Status.ANSWERED for i in asked)
    review.documents_due = len(review.documents_asked)
    review.documents_given = review.documents_due - len(review.missing_deliverables)
    shares = [given / due for given, due in ((review.answers_given, review.answers_due),
                                             (review.documents_given, review.documents_due)) if due]
    return _clean(100 * sum(shares) / len(shares)) if shares else 100.0


def part_scores(review: VendorReview, selection: Selection) -> dict[int, float | None]:
    """Score of each part, 0–100; None where nothing is scored for this vendor (no weighted maximum)."""
    scores: dict[int, float | None] = {}
    for part in selection.parts:
        items = [i for i in review.items.values() if i.part == part.part]
        due = sum(i.max_points * i.weight for i in items)
        earned = sum(i.points * i.weight for i in items)
        scores[part.part] = _clean(100 * earned / due) if due else None
    return scores


def conformity_score(review: VendorReview, part_weights: dict[int, float]) -> float:
    """Weighted mean over the scored items, each weighing item weight × part weight, 0–100 (0 when nothing is
    scored for this vendor)."""
    due = sum(i.max_points * i.weight * part_weights.get(i.part, 1.0) for i in review.items.values())
    earned = sum(i.points * i.weight * part_weights.get(i.part, 1.0) for i in review.items.values())
    return _clean(100 * earned / due) if due else 0.0


def conformity_weight(part_weights: dict[int, float]) -> float:
    """The weight of conformity beside completeness in the total: the sum of the parts' weights."""
    return sum(part_weights.values())


def total_score(conformity: float, completeness: float, part_weights: dict[int, float],
                completeness_weight: float) -> float:
    """Weighted mean of conformity and completeness (the grid's formulas compute the same); 0 when nothing
    weighs."""
    weight = conformity_weight(part_weights)
    total_weight = weight + completeness_weight
    return _clean((conformity * weight + completeness * completeness_weight) / total_weight) if total_weight else 0.0


def shares(part_weights: dict[int, float], completeness_weight: float) -> tuple[float, float]:
    """The shares (0–1) of conformity and completeness in the total, as published."""
    weight = conformity_weight(part_weights)
    total_weight = weight + completeness_weight
    return (weight / total_weight, completeness_weight / total_weight) if total_weight else (0.0, 0.0)


def _clause_result(clause, review: VendorReview, numbers: dict[str, str]) -> ClauseResult:
    items = [review.items[q] for q in clause.questions if q in review.items and review.items[q].scored]
    missing = [d for d in clause.deliverables if d in review.missing_deliverables]
    answered = [i for i in items if i.status == Status.ANSWERED]
    if not items and not clause.deliverables:
        return ClauseResult(clause.id, clause.title, NON_RENSEIGNE, phrase("clauses.not_assessed"))
    unfavourable = [i for i in items if i.points == 0 and i.status == Status.ANSWERED]
    if unfavourable:
        bad = [numbers.get(i.question_id, i.question_id) for i in unfavourable]
        return ClauseResult(clause.id, clause.title, NON_CONFORME,
                            agreeing(len(bad), "clauses.unfavourable") + " : " + ", ".join(bad))
    if items and not answered and (missing or not clause.deliverables):
        return ClauseResult(clause.id, clause.title, NON_RENSEIGNE, phrase("clauses.unanswered"))
    if len(answered) < len(items) or any(0 < i.points < i.max_points for i in items) or missing:
        parts = []
        if len(answered) < len(items):
            parts.append(counted(len(items) - len(answered), "clauses.unusable"))
        if any(0 < i.points < i.max_points for i in items):
            parts.append(phrase("clauses.partial"))
        if missing:
            parts.append(counted(len(missing), "clauses.missing"))
        return ClauseResult(clause.id, clause.title, PARTIEL, ", ".join(parts))
    return ClauseResult(clause.id, clause.title, CONFORME,
                        phrase("clauses.conforming_documents" if clause.deliverables else "clauses.conforming"))


def rank(vendors: list[VendorReview]) -> None:
    """Competition ranking (1, 2, 2, 4) of the ranked offers (regularity.rankable) by the total as shown (one
    decimal, half up), as the grid's rank formula: three offers shown at 99,9 all rank first. Irregular
    offers get no rank (None)."""
    ranked = [v for v in vendors if rankable(v)]
    for vendor in vendors:
        vendor.rank = (1 + sum(shown(other.total) > shown(vendor.total) for other in ranked)
                       if rankable(vendor) else None)


def ranking_order(vendor: VendorReview) -> tuple:
    """Ranked offers first, by rank then French order; unranked ones after them, by total then name."""
    if vendor.rank is not None:
        return (0, vendor.rank, 0.0, french_sort_key(vendor.vendor))
    return (1, 0, -shown(vendor.total), french_sort_key(vendor.vendor))


def review_responses(selection: Selection, responses: list[Response], today: dt.date | None = None,
                     edits: GridEdits | None = None) -> Review:
    """Score every readable response; returns claiming the same vendor are all reviewed and shown as a conflict
    (« Échographie Sud (Zeta.xlsx) »): none is dropped in favour of another.

    ``edits`` (weights and points the committee changed in its grid) replace tender.yaml's weights and the
    computed points where given.
    """
    weights = item_weights(selection)
    parts = part_weights(selection)
    completeness_weight = selection.tender.weights.completeness
    if edits:
        weights.update({q: w for q, w in edits.item_weights.items() if q in weights})
        parts.update({p: w for p, w in edits.part_weights.items() if p in parts})
        if edits.completeness_weight is not None:
            completeness_weight = edits.completeness_weight
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
    for label, response in sorted(chosen.items(), key=lambda item: french_sort_key(item[0])):
        points = {q: p for (v, q), p in edits.points.items() if v == label} if edits else {}
        review = score_response(selection, response, weights, points)
        review.vendor, review.conflicts = label, conflicts[label]
        review.conformity = conformity_score(review, parts)
        review.total = total_score(review.conformity, review.completeness, parts, completeness_weight)
        review.irregularities = irregularities(selection, review)
        review.regularity = regularity(review.irregularities, selection.tender.letters.regularisation)
        vendors.append(review)
    rank(vendors)
    vendors.sort(key=ranking_order)
    return Review(selection=selection, part_weights=parts, item_weights=weights,
                  completeness_weight=completeness_weight, vendors=vendors, failed=failed, duplicates=duplicates,
                  date=today or dt.date.today())


def point_values(selection: Selection, part_weights: dict[int, float], weights: dict[str, float],
                 completeness_weight: float) -> list[dict]:
    """What one point of each kind of scored item is worth in the total (0–100), when every scored item of the
    selection applies (the flowchart closing some makes each remaining point worth more, in the same
    proportions): one row per part and effective item weight, with the number of such items."""
    scored = [q for q in selection.questions.values()
              if q.expected is not None and q.answer_type in ("yes_no", "yes_no_na")]
    due = sum(weights[q.id] * part_weights.get(q.part, 1.0) for q in scored)
    share, _ = shares(part_weights, completeness_weight)
    kinds: dict[tuple[int, float], int] = {}
    for question in scored:
        key = (question.part, weights[question.id])
        kinds[key] = kinds.get(key, 0) + 1
    return [{"part": part, "weight": weight, "count": count,
             "worth": 100 * share * weight * part_weights.get(part, 1.0) / due if due else 0.0}
            for (part, weight), count in sorted(kinds.items())]
