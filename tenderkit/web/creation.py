"""The home page's « Nouvelle consultation » form: its values, and its problems said in French, each naming the
field by its label. The tender is validated by the core's own model (tender.yaml as `tenderkit new` writes it);
only the wording of the problems is the page's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from tenderkit.grammar import join_and
from tenderkit.library.models import Library
from tenderkit.output import safe_name
from tenderkit.tender.create import tender_yaml
from tenderkit.tender.workspace import MAX_REFERENCE, TENDER_FILE, ReferenceProblem, Tender
from tenderkit.text import NBSP, french_typography

REQUIRED = {"reference": "Référence", "title": "Objet", "buyer_name": "Acheteur"}
OPTIONAL = {"signatory_name": "Signataire (nom)", "signatory_title": "Qualité du signataire", "contact_name": "Contact"}
LABELS = {**REQUIRED, **OPTIONAL, "procurement_type": "Type d’achat (ENISA)"}
# where tender.yaml keeps each field of the form
LOCATIONS = {("reference",): "reference", ("title",): "title", ("buyer", "name"): "buyer_name",
             ("buyer", "signatory", "name"): "signatory_name", ("buyer", "signatory", "title"): "signatory_title",
             ("buyer", "contact", "name"): "contact_name", ("procurement_type",): "procurement_type"}
MAX_FOLDER = 80


def quoted(text: str) -> str:
    return f"«{NBSP}{text}{NBSP}»"


def form_values(form: Any, library: Library) -> dict[str, Any]:
    """What the form sent, as the values of tender.yaml's template (stripped text, ticked facts)."""
    values: dict[str, Any] = {k: str(form.get(k) or "").strip() for k in (*REQUIRED, *OPTIONAL)}
    values["procurement_type"] = str(form.get("procurement_type") or "medical_device")
    values["profile"] = {f.id: form.get(f"fact_{f.id}") == "on" for f in library.facts}
    return values


def folder_name(reference: str) -> str:
    """The tender's folder under FOLDER: the reference made safe; empty when nothing of it is left (« .. »)."""
    return safe_name(reference, MAX_FOLDER, fallback="")


def _model_problem(item: dict[str, Any]) -> str:
    field = LOCATIONS.get(tuple(str(p) for p in item["loc"]))
    label = LABELS.get(field or "", "Un champ")
    error = (item.get("ctx") or {}).get("error")
    if isinstance(error, ReferenceProblem):
        if error.kind == "characters":
            return (f"{label} : retirez les caractères / \\ : * ? \" < > |, les tabulations et les retours à la "
                    "ligne (la référence sert à nommer les fichiers).")
        if error.kind == "length":
            return f"{label} : {MAX_REFERENCE} caractères au plus (la référence sert à nommer les fichiers)."
    if item["type"] in ("string_too_short", "missing"):
        return f"{label} : ce champ est obligatoire."
    return f"{label} : cette valeur n’est pas acceptée."


def problems(values: dict[str, Any], library: Library, root: Path) -> list[str]:
    """The form's problems in French (empty when the tender can be created)."""
    missing = [label for key, label in REQUIRED.items() if not values.get(key)]
    if missing:
        fields = join_and([quoted(m) for m in missing])
        return [french_typography(f"Renseignez le champ {fields} : il est obligatoire." if len(missing) == 1 else
                                  f"Renseignez les champs {fields} : ils sont obligatoires.")]
    if values["procurement_type"] not in {t.id for t in library.enisa.procurement_types}:
        return [french_typography(f"{LABELS['procurement_type']} : choisissez l’un des types de la liste.")]
    try:
        Tender.model_validate(yaml.safe_load(tender_yaml(values, library, root)))
    except ValidationError as error:
        return [french_typography(_model_problem(item)) for item in error.errors()]
    name = folder_name(values["reference"])
    if not name:
        return [french_typography(f"Référence : {quoted(values['reference'])} ne donne aucun nom de dossier ; "
                                  "utilisez des lettres ou des chiffres, par exemple 2026-BIO-017.")]
    folder = root / name
    if (folder / TENDER_FILE).exists():
        return [french_typography(f"Une consultation existe déjà dans le dossier {quoted(name)} : choisissez une "
                                  "autre référence.")]
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        return [french_typography(f"Le dossier {quoted(name)} existe déjà et ne contient pas de consultation : "
                                  "choisissez une autre référence.")]
    return []
