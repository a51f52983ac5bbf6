"""The Word templates tenderkit renders, and the context each one receives."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tenderkit.errors import TenderkitError
from tenderkit.render.cctp_docx import cctp_context
from tenderkit.render.checklist_docx import checklist_context
from tenderkit.render.docx_template import clean_context
from tenderkit.tender.selection import Selection

KINDS: dict[str, Callable[[Selection], dict[str, Any]]] = {
    "cctp": lambda selection: clean_context(cctp_context(selection)),
    "checklist": lambda selection: clean_context(checklist_context(selection)),
}


def guess_kind(path: Path) -> str:
    for kind in KINDS:
        if kind in path.stem.lower():
            return kind
    raise TenderkitError(f"{path}: cannot tell which document this template is for; give --kind "
                         f"({', '.join(sorted(KINDS))}).")
