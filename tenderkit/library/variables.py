"""The variables a clause text may hold: ``{{ etablissement }}`` / ``{{ Etablissement }}`` (the buyer's
designation) and the buyer's values of ``clause_library/variables.yaml`` (delays, thresholds…), set in
tender.yaml ``variables:`` or left at their defaults.

They are replaced by plain string substitution — clause text is data, never evaluated as a template. A block
or list item with its own ``applies_if`` is kept only when its condition holds (the text differs by profile).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from tenderkit.library.models import Bullets, Clause, Library, Text, line_text

if TYPE_CHECKING:
    from tenderkit.tender.workspace import Tender

_VARIABLE = re.compile(r"\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}")


def shown_number(value: object) -> str:
    """A value typed in tender.yaml as the documents print it: 7.0 → « 7,0 », 24 → « 24 »."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",") if value.is_integer() else str(value).replace(".", ",")
    return str(value)


def buyer_values(tender: Tender, library: Library) -> dict[str, str]:
    """Every variable of the library with the tender's value, else its default."""
    return {v.id: shown_number(tender.variables.get(v.id, v.default)) for v in library.variables.values()}


def substitute(text: str, designation: str, values: Mapping[str, str] | None = None) -> str:
    """Put the buyer's designation (« le CHU de Nantes ») and values in place of the variables."""
    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name == "Etablissement":
            return designation[:1].upper() + designation[1:]
        if name == "etablissement":
            return designation
        return (values or {}).get(name, match.group(0))
    return _VARIABLE.sub(replace, text)


def _kept(item: object, conditions: Mapping | None) -> bool:
    from tenderkit.tender.selection import applies

    condition = getattr(item, "applies_if", None)
    return not condition or conditions is None or applies(condition, conditions)


def text_lines(lines: list, designation: str, values: Mapping[str, str] | None = None,
               conditions: Mapping | None = None) -> list[str]:
    """Strings and Text items whose condition holds, with the variables replaced."""
    return [substitute(line_text(line), designation, values) for line in lines
            if not isinstance(line, Text) or _kept(line, conditions)]


def clause_blocks(clause: Clause, designation: str, values: Mapping[str, str] | None = None,
                  conditions: Mapping | None = None) -> list[dict]:
    """The clause text as ``{"kind": "paragraph", "text"}`` / ``{"kind": "bullets", "bullets"}`` blocks, for
    ``conditions`` (the tender's facts and attributes; None keeps every block)."""
    blocks = []
    for block in clause.text:
        if not _kept(block, conditions):
            continue
        if isinstance(block, Bullets):
            bullets = text_lines(block.bullets, designation, values, conditions)
            if bullets:
                blocks.append({"kind": "bullets", "bullets": bullets})
        else:
            blocks.append({"kind": "paragraph", "text": substitute(line_text(block), designation, values)})
    return blocks
