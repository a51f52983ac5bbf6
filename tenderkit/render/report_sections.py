"""The committee report as sections: one for a tender, one per lot for a tender divided into lots (each lot is
evaluated and awarded on its own, art. L. 2113-10 CCP: its own ranking, analysis and conclusion), in one
document whose context, method, committee opinion and signatures are shared.

Each section is the :func:`report_context` of its lot's review; the template loops over ``lots`` and numbers
its headings from ``lot.n`` (« 3. Classement — lot 1 : … », « 6. Classement — lot 2 : … »).
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tenderkit.render.chart_png import bar_chart
from tenderkit.render.docx_template import Picture, clean_context, render_docx
from tenderkit.render.lots_method import merge_method
from tenderkit.render.report_docx import chart_data, report_context
from tenderkit.review.model import Review
from tenderkit.tender.workspace import Lot
from tenderkit.wording import phrase

SECTION_KEYS = ("vendors", "ranking", "attention", "letters_note", "failed", "offer_count", "irregular", "provisional",
                "corrections", "chart_caption")
FIRST_SECTION = 3   # sections 1 and 2 (context, method) come before the lots' sections

Section = tuple[Lot | None, Review]


def report_sections_context(sections: Sequence[Section], charts: Sequence[Path]) -> dict[str, Any]:
    """The report's context: the first section's for what is shared, and ``lots``: one entry per section."""
    contexts = [report_context(review) for _, review in sections]
    context = dict(contexts[0])
    lots, number = [], FIRST_SECTION
    for (lot, _), section, chart in zip(sections, contexts, charts, strict=True):
        lots.append({**{key: section[key] for key in SECTION_KEYS}, "chart": Picture(chart, 160),
                     "number": lot.number if lot else None, "title": lot.title if lot else "",
                     "suffix": f" — lot {lot.number} : {lot.title}" if lot else "",
                     "short": f" — lot {lot.number}" if lot else "",
                     "n": {"ranking": number, "analysis": number + 1, "conclusion": number + 2}})
        number += 3
    context["lots"] = lots
    context["n"] = {"opinion": number, "signatures": number + 1}
    if sections[0][0] is not None:
        context.update(merge_method([lot.number for lot, _ in sections if lot], contexts))
        grids = [c["edited_grid"] for c in contexts if c["edited_grid"]]
        context["edited_grid"] = "», « ".join(grids)
        context["offer_count"] = " ; ".join(f"lot {lot['number']} : {lot['offer_count']}" for lot in lots)
    return context


def _chart(review: Review, target: Path) -> Path:
    return bar_chart(*chart_data(review), target)


def write_sections_report(sections: Sequence[Section], template: Path, target: Path) -> Path:
    """The report of a tender (one section) or of the lots of a tender divided into lots."""
    with tempfile.TemporaryDirectory(prefix="tk-chart-") as scratch:
        charts = [_chart(review, Path(scratch) / f"chart-{index}.png") for index, (_, review) in enumerate(sections)]
        context = report_sections_context(sections, charts)
        return render_docx(template, clean_context(context), target, title=phrase("titles.report"))
