"""Helpers shared by the tests (importable as ``helpers``; pytest puts tests/ on sys.path)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import yaml

from tenderkit.paths import samples_dir

TESTS = Path(__file__).resolve().parent
SEEDS = TESTS / "seeds"


def python_code(code: str, *args: str) -> list[str]:
    """A command running ``code`` in this interpreter as a user's process runs it: ``python -c`` puts the
    current folder first on ``sys.path``, so from a source checkout it would import the checkout's
    ``tenderkit`` instead of the installed one; the command therefore goes with :data:`OUTSIDE` as cwd."""
    return [sys.executable, "-c", code, *args]


OUTSIDE = tempfile.gettempdir()  # cwd for :func:`python_code`: never a source checkout


def demo_data() -> dict:
    return yaml.safe_load((samples_dir() / "demo" / "tender.yaml").read_text(encoding="utf-8"))


def make_tender(folder: Path, **changes) -> Path:
    """A workspace from the demo tender with top-level keys replaced (``profile=…``, ``buyer=…``)."""
    data = demo_data()
    data.update(changes)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tender.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


def docx_text(path: Path) -> str:
    """A .docx's text, paragraphs then table cells, French non-breaking spaces read as plain spaces."""
    from docx import Document

    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts).replace("\u00a0", " ").replace("\u202f", " ")
