"""The « Extrait du règlement de la consultation » (.docx, ``templates/rc_extract.docx``): what the RC must say
of the security sub-criterion — the offer's content, the minimum requirements, regularity, the scoring method
with the parts' weights, the weight of completeness and what one point is worth (R. 2152-11, R. 2152-12; CE,
18 juin 2010, Commune de Saint-Pal-de-Mons). Written by ``tenderkit publish``; the buyer pastes it into the RC.
The method it states is the one review/scoring.py applies, from the same functions and weights."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from tenderkit.render.cctp_docx import cctp_context
from tenderkit.render.docx_template import clean_context, render_docx
from tenderkit.render.tender_context import tender_context
from tenderkit.review.regularity import minimum_clauses
from tenderkit.review.scoring import item_weights, part_weights, point_values, shares
from tenderkit.tender.selection import Selection
from tenderkit.text import french_date, french_number, french_percent
from tenderkit.wording import phrase


def method_context(selection: Selection) -> dict[str, Any]:
    """The published method's figures, from tender.yaml's weights (shared with the committee report)."""
    weights = selection.tender.weights
    parts, items = part_weights(selection), item_weights(selection)
    conformity, completeness = shares(parts, weights.completeness)
    defaults = {qid: q.weight for qid, q in selection.questions.items()}
    return {
        "part_weights": [{"label": f"Partie {p.part} – {p.title}", "weight": french_number(parts[p.part], 2)}
                         for p in selection.parts],
        "clause_weights": [{"title": c.title, "factor": french_number(weights.clauses[c.id], 2)}
                           for c in selection.clauses if c.id in weights.clauses],
        "question_weights": [{"number": selection.numbers[qid], "text": question.text,
                              "weight": french_number(weights.questions[qid], 2)}
                             for qid, question in selection.questions.items()
                             if qid in weights.questions and weights.questions[qid] != defaults[qid]],
        "shares": {"conformity": french_percent(conformity), "completeness": french_percent(completeness)},
        "point_values": [{"part": f"Partie {v['part']}", "weight": french_number(v["weight"], 2),
                          "count": v["count"], "worth": french_number(v["worth"], 2)}
                         for v in point_values(selection, parts, items, weights.completeness)],
    }


def rc_extract_context(selection: Selection, published: dt.date, amendments: list[dt.date]) -> dict[str, Any]:
    cctp = cctp_context(selection)
    context = tender_context(selection)
    context.update(method_context(selection))
    context.update({
        "published_on": french_date(published),
        "amended": (", modifié le " + ", ".join(french_date(d) for d in amendments)) if amendments else "",
        "deliverables": [{"number": d["number"], "title": d["title"],
                          "required_by": d["required_by"].replace("art. ", "annexe au CCTP, art. ")}
                         for d in cctp["deliverables"]],
        "minimum": [{"title": c.title, "questions": ", ".join(selection.numbers[q] for q in c.questions
                                                             if q in selection.numbers
                                                             and selection.questions[q].expected) or "—"}
                    for c in minimum_clauses(selection)],
        "clarification": phrase(f"rc.clarification.{selection.tender.procedure}"),
    })
    return context


def write_rc_extract(selection: Selection, template: Path, target: Path, published: dt.date,
                     amendments: list[dt.date]) -> Path:
    return render_docx(template, clean_context(rc_extract_context(selection, published, amendments)), target,
                       title=phrase("titles.rc_extract"))
