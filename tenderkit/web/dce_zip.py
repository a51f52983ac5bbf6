"""« Télécharger le DCE (zip) »: the documents of a tender's out/ that are published to the candidates — the
CCTP annex, the RGPD annex when written, the questionnaire(s), their PDF copies and the extract of the
consultation rules — never the buyer's internal checklist nor the committee's documents."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from tenderkit.tender.workspace import Workspace
from tenderkit.web.paths import child_file
from tenderkit.wording import file_name

PUBLISHED_KINDS = ("cctp", "rgpd_annex", "questionnaire", "rc_extract")   # the RC extract: by `publish`
SUFFIXES = (".docx", ".xlsx", ".pdf")


def _stems(reference: str) -> list[str]:
    """What the published documents' names contain after the reference (« - Questionnaire securite numerique »);
    a questionnaire per lot keeps it too."""
    return [Path(file_name(kind, reference)).stem.removeprefix(reference) for kind in PUBLISHED_KINDS]


def dce_files(workspace: Workspace, reference: str) -> list[Path]:
    """The published documents present in out/, by name (the checklist is never one of them)."""
    if not workspace.out.is_dir():
        return []
    stems, internal = _stems(reference), Path(file_name("checklist", reference)).stem
    found = []
    for path in sorted(workspace.out.iterdir()):
        name = path.name
        if (name.startswith((".", "~$")) or path.suffix.lower() not in SUFFIXES or path.stem == internal
                or not any(stem in path.stem for stem in stems)):
            continue
        if child_file(workspace.out, name, workspace.root) is not None:
            found.append(path)
    return found


def dce_zip(files: list[Path]) -> bytes:
    """The zip of ``files`` (flat, by name), as the buyer uploads it to the buyer's profile."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.write(path, path.name)
    return buffer.getvalue()
