"""The tender form of the pages (« Nouvelle consultation » and « Modifier la consultation »): every field of
tender.yaml a buyer sets, where tender.yaml keeps it, what the form sent, and its problems said in French,
each naming the field by its label. Values are validated by the core's own model; only the wording is ours.

The labels shown next to the fields are in the template (tender_fields.html); the ones here name a field in
a problem and must read the same."""

from __future__ import annotations

import copy
import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from tenderkit.grammar import join_and
from tenderkit.library.models import Library
from tenderkit.tender.workspace import MAX_REFERENCE, ReferenceProblem, Tender
from tenderkit.text import NBSP, french_typography

MAX_WEIGHT = 100.0      # a weight of a part or of completeness: relative, 0 to 100 is plenty


@dataclass(frozen=True)
class Field:
    name: str                     # the form's field
    path: tuple[str, ...]         # where tender.yaml keeps it
    label: str                    # as the form labels it
    kind: str = "text"            # text | bool | date | choice | integer
    required: bool = False
    dce: bool = False             # changes the published DCE: read-only once published


FIELDS = [
    Field("reference", ("reference",), "Référence", required=True),
    Field("title", ("title",), "Objet", required=True),
    Field("buyer_name", ("buyer", "name"), "Acheteur", required=True),
    Field("designation", ("buyer", "designation"), "Désignation dans les clauses"),
    Field("address", ("buyer", "address"), "Adresse"),
    Field("contact_name", ("buyer", "contact", "name"), "Contact"),
    Field("contact_email", ("buyer", "contact", "email"), "Courriel"),
    Field("contact_phone", ("buyer", "contact", "phone"), "Téléphone"),
    Field("signatory_name", ("buyer", "signatory", "name"), "Signataire (nom)"),
    Field("signatory_title", ("buyer", "signatory", "title"), "Qualité du signataire"),
    Field("signatory_delegation", ("buyer", "signatory", "delegation"), "Signe par délégation", "bool"),
    Field("deadline", ("deadline",), "Date limite de remise des offres", "date"),
    Field("procedure", ("procedure",), "Procédure", "choice", dce=True),
    Field("procurement_type", ("procurement_type",), "Type d’achat (ENISA)", "choice", dce=True),
    Field("regularisation", ("letters", "regularisation"), "Régularisation des offres irrégulières autorisée",
          "bool"),
    Field("reply_days", ("letters", "reply_days"), "Délai de réponse des candidats aux courriers (jours)",
          "integer"),
    Field("reply_hour", ("letters", "reply_hour"), "Heure limite de réponse aux courriers"),
]
BY_NAME = {f.name: f for f in FIELDS}
BY_PATH = {f.path: f for f in FIELDS}
PROCEDURES = {"appel_offres_ouvert": "Appel d’offres ouvert", "appel_offres_restreint": "Appel d’offres restreint",
              "procedure_adaptee": "Procédure adaptée (MAPA)"}
# the other fields of the form, named by their place in tender.yaml (a lot's facts: the lots work, when merged)
DCE_PATHS = {("profile",), ("weights",), ("clauses", "minimum"), ("clauses", "include"), ("clauses", "exclude"),
             *(f.path for f in FIELDS if f.dce)}


def quoted(text: str) -> str:
    return f"«{NBSP}{text}{NBSP}»"


def locked(path: tuple[str, ...]) -> bool:
    """Whether the value at ``path`` is part of the published DCE (read-only once published)."""
    return any(path[:len(p)] == p for p in DCE_PATHS)


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", ".").replace(NBSP, "").replace(" ", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def form_changes(form: Any, library: Library, parts: list[int], creating: bool = False
                 ) -> tuple[dict[tuple[str, ...], Any], list[str]]:
    """What the form sent as tender.yaml values by key path, and the problems of values no model can judge
    (a date or a number that is not one). Fields absent from the form (read-only ones are not sent) are absent
    from the result; a box not ticked is false when its group was shown (a hidden « …_shown » field) or when
    ``creating`` (every field is on the creation form)."""
    values: dict[tuple[str, ...], Any] = {}
    problems: list[str] = []

    def shown(name: str) -> bool:
        return creating or form.get(f"{name}_shown") is not None

    for field in FIELDS:
        raw = form.get(field.name)
        if field.kind == "bool":
            if shown(field.name) or raw is not None:
                values[field.path] = raw == "on"
            continue
        if raw is None:
            continue
        text = str(raw).strip()
        if field.kind == "date":
            try:
                values[field.path] = dt.date.fromisoformat(text) if text else None
            except ValueError:
                problems.append(f"{field.label} : choisissez une date dans le calendrier (jj/mm/aaaa).")
        elif field.kind == "integer":
            number = _number(text)
            if number is None or not number.is_integer():
                problems.append(f"{field.label} : indiquez un nombre entier de jours.")
            else:
                values[field.path] = int(number)
        else:
            values[field.path] = text
    if shown("profile"):
        values[("profile",)] = {f.id: form.get(f"fact_{f.id}") == "on" for f in library.facts}
    if shown("minimum"):
        chosen = {str(v) for v in form.getlist("minimum")}
        values[("clauses", "minimum")] = [c.id for c in library.clauses if c.id in chosen]
    if form.get("weights_shown") is not None:   # the creation form without them: tender.yaml's defaults
        weights: dict[int, float | int] = {}
        for part in parts:
            weight = _weight(form.get(f"weight_part_{part}"), f"Poids de la partie {part}", problems)
            if weight is not None:
                weights[part] = weight
        values[("weights", "parts")] = weights
        completeness = _weight(form.get("weight_completeness"), "Poids de la complétude", problems)
        if completeness is not None:
            values[("weights", "completeness")] = completeness
    return values, [french_typography(p) for p in problems]


def _weight(raw: Any, label: str, problems: list[str]) -> float | int | None:
    number = _number(str(raw or "").strip())
    if number is None or not 0 <= number <= MAX_WEIGHT:
        problems.append(f"{label} : indiquez un nombre de 0 à {MAX_WEIGHT:g} (par exemple 1 ou 1,5).")
        return None
    return int(number) if number.is_integer() else number


def applied(data: dict[str, Any], values: dict[tuple[str, ...], Any]) -> dict[str, Any]:
    """tender.yaml's data (as loaded) with the form's values put in place."""
    result = copy.deepcopy(data)
    for path, value in values.items():
        node = result
        for key in path[:-1]:
            if not isinstance(node.get(key), dict):
                node[key] = {}
            node = node[key]
        node[path[-1]] = value
    return result


def _label(loc: tuple) -> str:
    path = tuple(str(p) for p in loc)
    for length in range(len(path), 0, -1):
        if path[:length] in BY_PATH:
            return BY_PATH[path[:length]].label
    return {"profile": "Profil de l’achat", "weights": "Pondération", "clauses": "Exigences minimales",
            "lots": "Lots"}.get(path[0] if path else "", "Un champ")


def _model_problem(item: dict[str, Any]) -> str:
    label = _label(item["loc"])
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


def problems(data: dict[str, Any], library: Library) -> list[str]:
    """The problems of the tender described by ``data`` (tender.yaml as loaded), in French; empty when valid."""
    missing = [f.label for f in FIELDS if f.required and not str(_at(data, f.path) or "").strip()]
    if missing:
        fields = join_and([quoted(m) for m in missing])
        return [french_typography(f"Renseignez le champ {fields} : il est obligatoire." if len(missing) == 1 else
                                  f"Renseignez les champs {fields} : ils sont obligatoires.")]
    if data.get("procurement_type") not in {t.id for t in library.enisa.procurement_types}:
        return [french_typography(f"{BY_NAME['procurement_type'].label} : choisissez l’un des types de la liste.")]
    if data.get("procedure", "appel_offres_ouvert") not in PROCEDURES:
        return [french_typography(f"{BY_NAME['procedure'].label} : choisissez l’une des procédures de la liste.")]
    try:
        Tender.model_validate(data)
    except ValidationError as error:
        return [french_typography(_model_problem(item)) for item in error.errors()]
    return []


def _at(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def form_values(tender: Tender) -> dict[str, Any]:
    """A tender's values as the form shows them (the edit form, filled)."""
    data = tender.model_dump()
    values = {f.name: _at(data, f.path) for f in FIELDS}
    values["deadline"] = tender.deadline.isoformat() if tender.deadline else ""
    values["profile"] = dict(tender.profile)
    values["minimum"] = list(tender.clauses.minimum)
    values["weights"] = {str(k): v for k, v in tender.weights.parts.items()}
    values["weight_completeness"] = tender.weights.completeness
    return values


def posted_values(form: Any, library: Library) -> dict[str, Any]:
    """What the form sent, to show it again after a problem (the fields as typed)."""
    values: dict[str, Any] = {f.name: str(form.get(f.name) or "").strip() for f in FIELDS if f.kind != "bool"}
    values.update({f.name: form.get(f.name) == "on" for f in FIELDS if f.kind == "bool"})
    values["profile"] = {f.id: form.get(f"fact_{f.id}") == "on" for f in library.facts}
    values["minimum"] = [str(v) for v in form.getlist("minimum")]
    values["weights"] = {k.removeprefix("weight_part_"): v for k, v in form.items() if k.startswith("weight_part_")}
    values["weight_completeness"] = form.get("weight_completeness")
    return values
