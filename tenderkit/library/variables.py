"""The two variables a clause text may hold: ``{{ etablissement }}`` and ``{{ Etablissement }}``.

They are replaced by plain string substitution — clause text is data, never evaluated as a template.
"""

from __future__ import annotations

import re

from tenderkit.library.models import Bullets, Clause

_VARIABLE = re.compile(r"\{\{\s*(etablissement|Etablissement)\s*\}\}")


def substitute(text: str, designation: str) -> str:
    """Put the buyer's designation (« le CHU de Nantes ») in place of the variables."""
    def replace(match: re.Match) -> str:
        if match.group(1) == "Etablissement":
            return designation[:1].upper() + designation[1:]
        return designation
    return _VARIABLE.sub(replace, text)


def clause_blocks(clause: Clause, designation: str) -> list[dict]:
    """The clause text as ``{"kind": "paragraph", "text"}`` / ``{"kind": "bullets", "bullets"}`` blocks."""
    blocks = []
    for block in clause.text:
        if isinstance(block, Bullets):
            blocks.append({"kind": "bullets", "bullets": [substitute(i, designation) for i in block.bullets]})
        else:
            blocks.append({"kind": "paragraph", "text": substitute(block, designation)})
    return blocks
