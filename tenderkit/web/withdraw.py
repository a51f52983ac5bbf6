"""« Retirer »: a received file leaves returns/ for returns-retires/, its name prefixed with the day it was
withdrawn. Nothing is deleted; the review, which reads returns/ only, no longer sees it."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from tenderkit.errors import TenderkitError
from tenderkit.output import ensure_dir
from tenderkit.parse.store import return_files
from tenderkit.tender.workspace import Workspace
from tenderkit.text import french_typography
from tenderkit.web.paths import inside

WITHDRAWN = "returns-retires"


def withdraw(folder: Path, name: str, today: dt.date | None = None) -> Path:
    """Move the return ``name`` (a file or an offer folder of returns/) to ``returns-retires/``; its new path."""
    workspace = Workspace(folder)
    found = next((p for p in return_files(workspace) if p.name == name), None)
    if found is None or found.is_symlink() or not inside(found, folder):
        raise TenderkitError(french_typography(f"« {name} » n’est pas (ou plus) dans returns/ : rechargez la page."))
    target_folder = ensure_dir(folder / WITHDRAWN)
    if not inside(target_folder, folder):
        raise TenderkitError(french_typography(f"{WITHDRAWN}/ est un lien hors du dossier de la consultation : "
                                               "remplacez-le par un vrai dossier."))
    day = (today or dt.date.today()).isoformat()
    stem, suffix = (found.stem, found.suffix) if found.is_file() else (found.name, "")
    for number in range(1, 1000):
        target = target_folder / (f"{day} {stem}{suffix}" if number == 1 else f"{day} {stem} ({number}){suffix}")
        if target.exists() or target.is_symlink():
            continue
        os.rename(found, target)    # same file system: the file itself moves, nothing is copied or lost
        return target
    raise TenderkitError(french_typography(f"« {name} » : trop de fichiers du même nom déjà retirés."))
