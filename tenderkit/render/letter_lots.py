"""One letter per vendor of a tender divided into lots, covering every lot it answered (each lot is a
separate offer, reviewed on its own): the items of each lot's letter, each naming its lot."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tenderkit.grammar import join_and
from tenderkit.render.docx_template import clean_context, render_docx
from tenderkit.render.letters_docx import BOTH, CLARIFICATION, REGULARISATION, letter_context, letter_kind
from tenderkit.review.model import Review, VendorReview
from tenderkit.tender.workspace import Lot
from tenderkit.wording import counted, phrase

LotVendor = tuple[Lot, Review, VendorReview]   # a lot, its review, and the vendor's review in it


def _lots(numbers: Sequence[int]) -> str:
    numbers = sorted(set(numbers))
    return f"lot {numbers[0]}" if len(numbers) == 1 else f"lots {join_and([str(n) for n in numbers])}"


def combined_kind(sections: Sequence[LotVendor]) -> str | None:
    """What the vendor's one letter does: what any of its lots' letters would do."""
    kinds = {letter_kind(vendor, review.selection.tender.letters.regularisation) for _, review, vendor in sections}
    clarify = bool(kinds & {CLARIFICATION, BOTH})
    regularise = bool(kinds & {REGULARISATION, BOTH})
    return BOTH if clarify and regularise else CLARIFICATION if clarify else REGULARISATION if regularise else None


def lots_letter_context(sections: Sequence[LotVendor]) -> dict[str, Any]:
    """The letter to a vendor of its lots' reviews: each question « Lot N – 1.4.1 », each document once with
    its lots; it clarifies or invites to regularise when any of its lots' letters would."""
    contexts = [(lot, letter_context(review, vendor)) for lot, review, vendor in sections]
    context = dict(contexts[0][1])
    for key in ("to_clarify", "descriptive"):
        context[key] = [{**row, "number": f"Lot {lot.number} – {row['number']}"}
                        for lot, c in contexts for row in c[key]]
    missing: dict[str, list[tuple[int, dict[str, Any]]]] = {}   # a document asked by several lots: once
    for lot, c in contexts:
        for row in c["missing"]:
            missing.setdefault(row["title"], []).append((lot.number, row))
    context["missing"] = [{**rows[0][1], "title": f"{title} ({_lots([n for n, _ in rows])})",
                           "number": "\n".join(f"Lot {n} – {row['number']}" for n, row in rows if row["number"])}
                          for title, rows in missing.items()]
    absent, descriptive = context["missing"], context["descriptive"]
    context["missing_summary"] = ", ".join(x for x in (
        counted(len(absent), "letters.missing") if absent else "",
        counted(len(descriptive), "letters.descriptive") if descriptive else "") if x)
    context["regularise"] = any(c["regularise"] for _, c in contexts)
    kind = combined_kind(sections) or CLARIFICATION
    context["letter_title"] = phrase(f"letters.kinds.{kind}.title")
    context["letter_subject"] = phrase(f"letters.kinds.{kind}.subject")
    numbers = [lot.number for lot, _ in contexts]
    context["lots_note"] = (f"Votre offre porte sur le {_lots(numbers)} ; chaque élément ci-dessous indique le lot "
                            "qu’il concerne." if len(numbers) == 1 else
                            f"Vos offres portent sur les {_lots(numbers)} ; chaque élément ci-dessous indique "
                            "le lot qu’il concerne.")
    return context


def write_lots_letter(sections: Sequence[LotVendor], template: Path, target: Path) -> Path:
    context = lots_letter_context(sections)
    return render_docx(template, clean_context(context), target,
                       title=phrase("titles.letter", kind=context["letter_title"], vendor=sections[0][2].vendor))
