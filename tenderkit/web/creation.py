"""The home page's « Nouvelle consultation » form: the tender form (:mod:`tenderkit.web.tender_form`) plus
the tender's folder, named from its reference. tender.yaml is written as `tenderkit new` writes it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tenderkit.library.models import Library
from tenderkit.output import safe_name
from tenderkit.tender.create import profile_values, tender_yaml
from tenderkit.tender.workspace import TENDER_FILE
from tenderkit.text import french_typography
from tenderkit.web.tender_form import applied, problems, quoted

MAX_FOLDER = 80


def folder_name(reference: str) -> str:
    """The tender's folder under FOLDER: the reference made safe; empty when nothing of it is left (« .. »)."""
    return safe_name(reference, MAX_FOLDER, fallback="")


def new_tender_data(values: dict[tuple[str, ...], Any], library: Library) -> dict[str, Any]:
    """tender.yaml's data for a new tender with the form's values (the template's defaults elsewhere)."""
    data = {"procurement_type": "medical_device", "buyer": {}, **applied({}, values)}
    text = tender_yaml({k: v for k, v in profile_values(data).items() if v is not None}, library, Path("."))
    return yaml.safe_load(text)


def creation_problems(data: dict[str, Any], library: Library, root: Path) -> list[str]:
    """The form's problems in French (empty when the tender can be created in FOLDER)."""
    found = problems(data, library)
    if found:
        return found
    reference = str(data["reference"]).strip()
    name = folder_name(reference)
    if not name:
        return [french_typography(f"Référence : {quoted(reference)} ne donne aucun nom de dossier ; "
                                  "utilisez des lettres ou des chiffres, par exemple 2026-BIO-017.")]
    folder = root / name
    if (folder / TENDER_FILE).exists():
        return [french_typography(f"Une consultation existe déjà dans le dossier {quoted(name)} : choisissez une "
                                  "autre référence.")]
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        return [french_typography(f"Le dossier {quoted(name)} existe déjà et ne contient pas de consultation : "
                                  "choisissez une autre référence.")]
    return []
