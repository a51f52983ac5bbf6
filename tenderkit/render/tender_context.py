"""What every tender document shows of the buyer and the tender (CCTP, checklist, report, letters, fiche)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tenderkit.library.models import Clause
from tenderkit.library.variables import buyer_values, clause_blocks
from tenderkit.tender.selection import Selection
from tenderkit.text import french_date


def tender_context(selection: Selection) -> dict[str, Any]:
    """What every tender document shows of the buyer and the tender."""
    tender = selection.tender
    types = {t.id: t.title for t in selection.library.enisa.procurement_types}
    return {
        "buyer": {"name": tender.buyer.name, "designation": tender.buyer.designation,
                  "address": tender.buyer.address, "contact": tender.buyer.contact.model_dump(),
                  "signatory": tender.buyer.signatory.model_dump()},
        "tender": {"reference": tender.reference, "title": tender.title,
                   "lots": [lot.model_dump() for lot in tender.lots],
                   "procurement_type": types[tender.procurement_type],
                   "deadline": french_date(tender.deadline) if tender.deadline else ""},
        "date": french_date(tender.date or date.today()),
    }


def tender_blocks(selection: Selection, clause: Clause) -> list[dict]:
    """A clause's text for this tender: its designation and variables, the blocks its profile keeps."""
    return clause_blocks(clause, selection.tender.buyer.designation,
                         buyer_values(selection.tender, selection.library), selection.conditions)
