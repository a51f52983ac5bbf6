"""« Reprendre la grille du comité »: the committee's edited grid, uploaded from the page, is checked as
`tenderkit review --grid FILE` reads it, then kept in the tender folder (``grilles-comite/``, dated) for the
review to take its weights and points over. Nothing is kept when it is refused."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import IO

from tenderkit.errors import TenderkitError
from tenderkit.output import ensure_dir
from tenderkit.parse.safety import MAX_FILE_BYTES
from tenderkit.review.grid_edits import read_grid_edits
from tenderkit.tender.loaded import LoadedTender
from tenderkit.text import french_typography
from tenderkit.web.paths import inside
from tenderkit.web.uploads import COPY_CHUNK, safe_filename

GRIDS = "grilles-comite"


def store_grid(source: IO[bytes], filename: str | None, loaded: LoadedTender, today: dt.date | None = None) -> Path:
    """Keep the uploaded grid as ``grilles-comite/DATE NAME.xlsx`` once it reads as this tender's grid."""
    folder = ensure_dir(loaded.workspace.root / GRIDS)
    if not inside(folder, loaded.workspace.root):
        raise TenderkitError(french_typography(f"{GRIDS}/ est un lien hors du dossier de la consultation : "
                                               "remplacez-le par un vrai dossier."))
    name = safe_filename(filename)
    temp = folder / f".upload-{os.urandom(8).hex()}.xlsx"   # openpyxl reads by extension
    try:
        written = 0
        with temp.open("xb") as handle:
            while chunk := source.read(COPY_CHUNK):
                written += len(chunk)
                if written > MAX_FILE_BYTES:
                    raise TenderkitError(french_typography(
                        f"{name} : le fichier dépasse les {MAX_FILE_BYTES // (1024 * 1024)} Mo acceptés."))
                handle.write(chunk)
        try:
            read_grid_edits(temp, loaded.selection)
        except TenderkitError as error:   # the CLI's sentence, naming the file as the buyer sent it
            raise TenderkitError(str(error).replace(str(temp), name)) from None
        day = (today or dt.date.today()).isoformat()
        stem = Path(name).stem
        for number in range(1, 1000):
            target = folder / (f"{day} {stem}.xlsx" if number == 1 else f"{day} {stem} ({number}).xlsx")
            try:
                os.link(temp, target)     # never over another grid
                return target
            except FileExistsError:
                continue
        raise TenderkitError(french_typography(f"{name} : trop de grilles du même nom ce jour."))
    finally:
        temp.unlink(missing_ok=True)
