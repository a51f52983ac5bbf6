"""The committee report (.docx, ``templates/report.docx``): method, weights, regularity, ranking, chart, per
vendor, conclusion, the committee's corrections, its opinion and signatures.

Regularity comes before the ranking (review/regularity.py): irregular offers are shown apart with their reasons,
eliminated and not ranked (L. 2152-2, R. 2152-1). What the report says is asked of a vendor is what its letter
asks (render/letters_docx.py): answers to clarify (R. 2161-5 / R. 2161-11), the documents and descriptive
answers of an offer invited to regularise (R. 2152-2)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from tenderkit.grammar import capitalize_first, de, join_and
from tenderkit.render.chart_png import PALETTE, bar_chart
from tenderkit.render.docx_template import clean_context, render_docx
from tenderkit.render.letters_docx import WHY, draft_note, letter_kind, signatory_context
from tenderkit.render.tender_context import tender_context
from tenderkit.review.model import CONFORME, NON_CONFORME, NON_RENSEIGNE, PARTIEL, Review, VendorReview
from tenderkit.review.regularity import IRREGULAR, REGULAR, TO_REGULARISE, minimum_clauses, summary
from tenderkit.review.scoring import item_weights, point_values, shares
from tenderkit.text import french_date, french_number, french_percent
from tenderkit.wording import counted, phrase

CHART_VENDORS = 30   # the chart shows the first offers of the ranking table; its caption says so beyond


def _attention(vendor: VendorReview) -> str:
    """The points of attention of one vendor, as one French phrase (empty when there is none)."""
    non_conforming = [c.title for c in vendor.clauses if c.status == NON_CONFORME]
    points = [
        counted(len(vendor.flags), "report.attention.flags") if vendor.flags else "",
        counted(len(vendor.missing_deliverables), "report.attention.missing") if vendor.missing_deliverables else "",
        counted(len(vendor.unanswered), "report.attention.unanswered") if vendor.unanswered else "",
        (counted(len(non_conforming), "report.attention.non_conforming") + " (" + ", ".join(non_conforming) + ")"
         if non_conforming else ""),
    ]
    return join_and([p for p in points if p])


def _follow_up(vendor: VendorReview, regularisation: bool) -> list[str]:
    """What the vendor's letter asks: the clarifications (demande de précisions) and, for an offer invited to
    regularise, the elements to supply; an irregular offer is eliminated and asked nothing."""
    if vendor.regularity == IRREGULAR:
        return [phrase("report.eliminated")]
    to_clarify = [counted(len(vendor.issues(kind)), f"report.to_clarify.{kind.value}") for kind in WHY
                  if vendor.issues(kind)]
    sentences = [phrase("report.to_clarify.lead", items=join_and(to_clarify)) if to_clarify
                 else phrase("report.to_clarify.none")]
    if vendor.regularity == TO_REGULARISE and regularisation:
        sentences.append(phrase("report.to_regularise", items=counted(len(vendor.irregularities),
                                                                      "report.regularisable")))
    return sentences


def _part_score(score: float | None) -> str:
    return phrase("report.part_not_scored") if score is None else french_number(score)


def _vendor_context(review: Review, vendor: VendorReview) -> dict[str, Any]:
    library = review.selection.library
    numbers = review.selection.numbers
    questions = review.selection.questions
    regularisation = review.selection.tender.letters.regularisation
    status = phrase(f"regularity.status.{vendor.regularity}")
    if vendor.rank is None:
        heading = phrase("report.heading_unranked", status=status, total=french_number(vendor.total))
    else:
        heading = phrase("report.heading_ranked" if vendor.regularity == REGULAR else "report.heading_provisional",
                         rank=vendor.rank, total=french_number(vendor.total))
    return {
        "name": vendor.vendor,
        "rank": vendor.rank,
        "rank_shown": "—" if vendor.rank is None else str(vendor.rank),
        "heading": heading,
        "regularity": status,
        "irregularities": [i.text for i in vendor.irregularities],
        "reasons": summary(vendor.irregularities),
        "tie": vendor.rank is not None and sum(v.rank == vendor.rank for v in review.vendors) > 1,
        "total": french_number(vendor.total),
        "conformity": french_number(vendor.conformity),
        "completeness": french_number(vendor.completeness),
        "answers": f"{vendor.answers_given} / {vendor.answers_due}",
        "documents": f"{vendor.documents_given} / {vendor.documents_due}",
        "parts": " · ".join(f"P{p} {_part_score(s)}" for p, s in vendor.parts.items()),
        "flag_count": len(vendor.flags),
        "unanswered_count": len(vendor.unanswered),
        "missing_count": len(vendor.missing_deliverables),
        "strengths": [c.title for c in vendor.clauses if c.status == CONFORME],
        "partial": [f"{c.title} ({c.detail})" for c in vendor.clauses if c.status == PARTIEL],
        "non_conforming": [f"{c.title} ({c.detail})" for c in vendor.clauses if c.status == NON_CONFORME],
        "not_filled": [f"{c.title} ({c.detail})" for c in vendor.clauses if c.status == NON_RENSEIGNE],
        "flags": [{"question": f"{numbers[f.question_id]} — {questions[f.question_id].text}", "answer": f.answer or "",
                   "reason": f.reason,
                   "refs": ", ".join(f.ansm + f.enisa) or "—"} for f in vendor.flags],
        "missing": [library.deliverables[d].title for d in vendor.missing_deliverables],
        "follow_up": _follow_up(vendor, regularisation),
        "letter": letter_kind(vendor, regularisation),
        "attention": _attention(vendor),
    }


def _letters_note(review: Review) -> list[str]:
    """The conclusion's account of the letters, as they are sent (render/letters_docx.letter_kind)."""
    regularisation = review.selection.tender.letters.regularisation
    ranked = [v for v in review.vendors if v.regularity != IRREGULAR]
    clarified = [v.vendor for v in ranked if any(v.issues(kind) for kind in WHY)]
    invited = [v.vendor for v in ranked if regularisation and v.regularity == TO_REGULARISE]
    sentences = []
    if clarified:
        sentences.append(phrase(f"report.letters.clarification.{'many' if len(clarified) > 1 else 'one'}",
                                vendors=join_and([f"à {name}" for name in clarified])))
    if invited:
        sentences.append(phrase(f"report.letters.regularisation.{'many' if len(invited) > 1 else 'one'}",
                                of_vendors=join_and([de(name) for name in invited])))
    eliminated = [v.vendor for v in review.vendors if v.regularity == IRREGULAR]
    if eliminated:
        sentences.append(phrase(f"report.letters.eliminated.{'many' if len(eliminated) > 1 else 'one'}",
                                of_vendors=join_and([de(name) for name in eliminated])))
    return sentences


def _method(review: Review) -> dict[str, Any]:
    """The published method as the report restates it: regularisation rule, minimum requirements, the shares
    of conformity and completeness, what one point is worth."""
    selection = review.selection
    tender = selection.tender
    allowed = "allowed" if tender.letters.regularisation else "not_allowed"
    conformity, completeness = shares(review.part_weights, review.completeness_weight)
    values = point_values(selection, review.part_weights, review.item_weights, review.completeness_weight)
    return {
        "regularisation_rule": phrase(f"report.regularisation_rule.{allowed}"),
        "minimum": [c.title for c in minimum_clauses(selection)],
        "shares": {"conformity": french_percent(conformity), "completeness": french_percent(completeness)},
        "point_values": [{"part": f"Partie {v['part']}", "weight": french_number(v["weight"], 2),
                          "count": v["count"], "worth": french_number(v["worth"], 2)} for v in values],
    }


def _question_weights(review: Review) -> list[dict[str, str]]:
    """The questions whose weight is not the default one: set in tender.yaml (``weights.questions``) or edited
    in the committee's grid, named by displayed number and text, never by id."""
    selection = review.selection
    defaults = item_weights(selection)
    overridden = selection.tender.weights.questions
    return [{"number": selection.numbers[qid], "text": question.text,
             "weight": french_number(review.item_weights[qid], 2)}
            for qid, question in selection.questions.items()
            if question.expected is not None
            and (qid in overridden or review.item_weights.get(qid, defaults[qid]) != defaults[qid])]


def report_context(review: Review) -> dict[str, Any]:
    selection = review.selection
    weights = selection.tender.weights
    context = tender_context(selection)
    signatory = selection.tender.buyer.signatory
    vendors = [_vendor_context(review, v) for v in review.vendors]
    ranked = [v for v in vendors if v["rank"] is not None]
    provisional = [v.vendor for v in review.vendors if v.regularity == TO_REGULARISE]
    context.update(_method(review))
    context.update({
        "draft": draft_note(review),
        "published": review.published or "",
        "corrections": review.corrections,
        "irregular": [v for v in vendors if v["rank"] is None],
        "provisional": phrase("report.provisional", of_vendors=join_and([de(n) for n in provisional]))
                       if provisional else "",
        "review_date": french_date(review.date),
        "buyer_subject": capitalize_first(selection.tender.buyer.designation),
        "offer_count": counted(len(review.vendors), "report.offers"),
        "chart_caption": chart_caption(review),
        "part_weights": [{"label": f"Partie {p.part} – {p.title}", "weight": french_number(review.part_weights[p.part],
                                                                                              2)}
                         for p in selection.parts],
        "completeness_weight": french_number(review.completeness_weight, 2),
        "clause_weights": [{"title": c.title, "factor": french_number(weights.clauses[c.id], 2)}
                           for c in selection.clauses if c.id in weights.clauses],
        "question_weights": _question_weights(review),
        "letters_note": _letters_note(review),
        "edited_grid": Path(review.edited_grid).name if review.edited_grid else "",
        "vendors": vendors,
        "ranking": [{"rank": v["rank"], "name": v["name"], "total": v["total"], "tie": v["tie"],
                     "provisional": v["regularity"] == phrase("regularity.status.to_regularise"),
                     "detail": phrase("report.ranking_detail", conformity=v["conformity"],
                                      completeness=v["completeness"])} for v in ranked],
        "attention": [{"name": v["name"], "text": v["attention"]} for v in vendors if v["attention"]],
        "signatory": signatory_context(signatory),
        "failed": [e for r in review.failed for e in r.errors]
                  + [phrase("report.duplicate", file=Path(r.file).name, vendor=r.vendor) for r in review.duplicates],
    })
    return context


def write_report(review: Review, template: Path, target: Path) -> Path:
    with tempfile.TemporaryDirectory(prefix="tk-chart-") as scratch:
        chart = bar_chart(*chart_data(review), Path(scratch) / "chart.png")
        return render_docx(template, clean_context(report_context(review)), target, images={"chart": (chart, 160)},
                           title=phrase("titles.report"))


def chart_data(review: Review) -> tuple[list[str], dict[str, list[float | None]]]:
    """The chart's categories and series: the first CHART_VENDORS offers of the ranking table; grouped by part,
    one colour per vendor, while there are colours enough, else grouped by vendor, one colour per part."""
    parts = review.selection.parts
    labels = [phrase("report.chart_part", part=p.part) for p in parts] + [phrase("report.chart_completeness")]
    vendors = review.vendors[:CHART_VENDORS]
    scores = {v.vendor: [v.parts[p.part] for p in parts] + [v.completeness] for v in vendors}
    if len(vendors) <= len(PALETTE):
        return labels, scores
    return list(scores), {label: [values[index] for values in scores.values()] for index, label in enumerate(labels)}


def chart_caption(review: Review) -> str:
    """The sentence under the chart, saying which offers it shows."""
    if len(review.vendors) <= CHART_VENDORS:
        return phrase("report.chart_caption")
    return phrase("report.chart_caption_first", shown=CHART_VENDORS, count=len(review.vendors))
