"""The committee report (.docx, ``templates/report.docx``): method, weights, ranking, chart, per vendor."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from tenderkit.render.chart_png import bar_chart
from tenderkit.render.docx_template import clean_context, render_docx
from tenderkit.render.tender_context import tender_context
from tenderkit.review.model import CONFORME, Review, VendorReview
from tenderkit.text import french_date, french_number


def _vendor_context(review: Review, vendor: VendorReview) -> dict[str, Any]:
    library = review.selection.library
    questions = review.selection.questions
    to_clarify = []
    if vendor.unanswered:
        to_clarify.append(f"{len(vendor.unanswered)} question(s) obligatoire(s) sans réponse")
    for kind, label in (("invalid", "réponse(s) illisible(s)"), ("partiel", "réponse(s) partielle(s)"),
                        ("na-not-offered", "« sans objet » non prévu(s)")):
        if vendor.issues(kind):
            to_clarify.append(f"{len(vendor.issues(kind))} {label}")
    altered = len(vendor.issues("altered"))
    if altered:
        plural = "s" if altered > 1 else ""
        to_clarify.append(f"{altered} question{plural} reformulée{plural} par le candidat, non notée{plural} "
                          "en attente de confirmation")
    return {
        "name": vendor.vendor,
        "rank": vendor.rank,
        "total": french_number(vendor.total),
        "parts": " · ".join(f"P{p} {french_number(s)}" for p, s in vendor.parts.items()),
        "flag_count": len(vendor.flags),
        "unanswered_count": len(vendor.unanswered),
        "missing_count": len(vendor.missing_deliverables),
        "strengths": [c.title for c in vendor.clauses if c.status == CONFORME],
        "flags": [{"question": f"{f.question_id} — {questions[f.question_id].text}", "answer": f.answer or "",
                   "reason": f.reason,
                   "refs": ", ".join(f.ansm + f.enisa) or "—"} for f in vendor.flags],
        "missing": [library.deliverables[d].title for d in vendor.missing_deliverables],
        "to_clarify": ("À préciser par le candidat : " + ", ".join(to_clarify) + " (voir la demande de précisions)."
                       if to_clarify else "Aucune réponse à préciser."),
    }


def report_context(review: Review) -> dict[str, Any]:
    selection = review.selection
    weights = selection.tender.weights
    context = tender_context(selection)
    context.update({
        "review_date": french_date(review.date),
        "part_weights": [{"label": f"Partie {p.part} – {p.title}", "weight": french_number(review.part_weights[p.part],
                                                                                              2)}
                         for p in selection.parts],
        "clause_weights": [{"title": c.title, "factor": french_number(weights.clauses[c.id], 2)}
                           for c in selection.clauses if c.id in weights.clauses],
        "vendors": [_vendor_context(review, v) for v in review.vendors],
        "failed": [e for r in review.failed for e in r.errors]
                  + [f"{Path(r.file).name} : autre envoi de {r.vendor}, le plus complet a été retenu"
                     for r in review.duplicates],
    })
    return context


def write_report(review: Review, template: Path, target: Path) -> Path:
    selection = review.selection
    with tempfile.TemporaryDirectory(prefix="tk-chart-") as scratch:
        chart = bar_chart([f"Partie {p.part}" for p in selection.parts],
                          {v.vendor: [v.parts[p.part] for p in selection.parts] for v in review.vendors},
                          Path(scratch) / "chart.png")
        return render_docx(template, clean_context(report_context(review)), target, images={"chart": (chart, 160)})
