"""The Word templates tenderkit renders, and sample contexts to check a restyled template against.

It sits above the pipeline stages: a sample context is made by simulating vendors (vendor_sim), scoring them
(review) and building each renderer's context (render)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tenderkit.errors import TenderkitError
from tenderkit.i18n import _
from tenderkit.parse.response import Answer, Deliverable, Response
from tenderkit.render.cctp_docx import cctp_context
from tenderkit.render.checklist_docx import checklist_context
from tenderkit.render.docx_template import clean_context
from tenderkit.render.fiche_docx import fiche_context
from tenderkit.render.letters_docx import letter_context
from tenderkit.render.rc_extract_docx import rc_extract_context
from tenderkit.render.report_docx import report_context
from tenderkit.render.rgpd_annex_docx import rgpd_annex_context
from tenderkit.review.model import Review
from tenderkit.review.scoring import review_responses
from tenderkit.tender.selection import Selection
from tenderkit.vendor_sim import make_plan


def _sample_responses(selection: Selection) -> list[Response]:
    """Two simulated vendors (one favourable, one risky), as parsed responses."""
    responses = []
    deliverables = [d.id for d, _ in selection.deliverables]
    for name, style in (("Candidat A", "favourable"), ("Candidat B", "risky")):
        plan = make_plan(name, selection.questions, style, seed=1, deliverables=deliverables)
        answers = {qid: Answer(value=typed.expected, raw=str(typed.raw), location="exemple",
                               status="answered" if typed.expected is not None else "invalid")
                   for qid, typed in plan.answers.items()}
        provided = {d: Deliverable(provided=v[0] == "Oui", file=v[1], attachment=v[1] if v[0] == "Oui" else None)
                    for d, v in plan.deliverables.items()}
        responses.append(Response(file=f"{name}.xlsx", vendor=name, format="xlsx", answers=answers,
                                  deliverables=provided))
    return responses


_REVIEWS: dict[int, tuple[Selection, Review]] = {}


def _sample_review(selection: Selection) -> Review:
    """The sample review of ``selection``, computed once per selection."""
    if id(selection) not in _REVIEWS:
        _REVIEWS[id(selection)] = (selection, review_responses(selection, _sample_responses(selection)))
    return _REVIEWS[id(selection)][1]


def _report(selection: Selection) -> dict[str, Any]:
    return {**clean_context(report_context(_sample_review(selection))), "chart": ""}


KINDS: dict[str, Callable[[Selection], dict[str, Any]]] = {
    "cctp": lambda selection: clean_context(cctp_context(selection)),
    "checklist": lambda selection: clean_context(checklist_context(selection)),
    "report": _report,
    "letter": lambda selection: clean_context(letter_context(_sample_review(selection),
                                                             _sample_review(selection).vendors[-1])),
    "rc_extract": lambda selection: clean_context(rc_extract_context(selection, dt.date.today(), [])),
    "fiche": lambda selection: clean_context(fiche_context(selection, _sample_responses(selection)[0],
                                                           dt.date.today())),
    "rgpd_annex": lambda selection: clean_context(rgpd_annex_context(selection)),
}


def guess_kind(path: Path) -> str:
    for kind in KINDS:
        if kind in path.stem.lower():
            return kind
    raise TenderkitError(_("{path}: cannot tell which document this template is for; give --kind ({items}).")
                         .format(path=path, items=', '.join(sorted(KINDS))))
