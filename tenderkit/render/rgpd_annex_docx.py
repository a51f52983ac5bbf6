"""The RGPD annex (.docx, ``templates/rgpd_annex.docx``): the processing clauses of article 28 of the RGPD the
candidate signs, written when the solution processes personal health data. Its wording is the template's; the
buyer's values (delays, purpose, categories of data…) come from clause_library/variables.yaml and tender.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tenderkit.library.variables import buyer_values
from tenderkit.render.docx_template import clean_context, render_docx
from tenderkit.render.tender_context import tender_context
from tenderkit.tender.selection import Selection
from tenderkit.wording import phrase


def needs_rgpd_annex(selection: Selection) -> bool:
    """The annex is part of the DCE when the solution processes personal health data."""
    return bool(selection.facts.get("patient_data"))


def rgpd_annex_context(selection: Selection) -> dict[str, Any]:
    context = tender_context(selection)
    context.update({
        "v": buyer_values(selection.tender, selection.library),
        "hosting": bool(selection.facts.get("external_hosting")),
        "title": phrase("titles.rgpd_annex"),
    })
    return context


def write_rgpd_annex(selection: Selection, template: Path, target: Path) -> Path:
    return render_docx(template, clean_context(rgpd_annex_context(selection)), target,
                       title=phrase("titles.rgpd_annex"))
