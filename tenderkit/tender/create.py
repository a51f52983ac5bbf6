"""Creating a tender workspace: ``tender.yaml`` from a profile file, options or answers to questions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from jinja2.sandbox import SandboxedEnvironment

from tenderkit.errors import TenderkitError
from tenderkit.i18n import _
from tenderkit.library.models import Library
from tenderkit.output import ensure_dir, write_text_atomic
from tenderkit.paths import templates_dir
from tenderkit.tender.workspace import TENDER_FILE, Weights, Workspace, check_against_library, parse_tender


def _plain(number: float) -> float | int:
    return int(number) if float(number).is_integer() else number


DEFAULTS: dict[str, Any] = {
    "designation": "l’établissement", "address": "", "contact_name": "", "contact_email": "",
    "contact_phone": "", "lots": [], "deadline": None, "procurement_type": "medical_device",
    "signatory_name": "", "signatory_title": "", "signatory_delegation": False, "regularisation": False,
    "reply_days": 10, "reply_hour": "12:00", "procedure": "appel_offres_ouvert", "minimum": [],
    # the defaults of tender.yaml's model, written as the buyer would type them (1, not 1.0)
    "part_weights": {part: _plain(weight) for part, weight in Weights().parts.items()}, "clause_weights": {},
    "question_weights": {}, "completeness_weight": _plain(Weights().completeness),
}


def _yaml_scalar(value: Any) -> str:
    """A YAML flow value: JSON is valid YAML, and keeps any text (quotes, colons, « ») intact."""
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    return json.dumps(value, ensure_ascii=False)


def tender_yaml(values: dict[str, Any], library: Library, folder: Path) -> str:
    """The commented tender.yaml for these values (from templates/tender.yaml)."""
    environment = SandboxedEnvironment(autoescape=False)  # YAML, not markup: the `yaml` filter quotes values
    environment.filters["yaml"] = _yaml_scalar
    template = environment.from_string((templates_dir() / TENDER_FILE).read_text(encoding="utf-8"))
    data = {**DEFAULTS, **{k: v for k, v in values.items() if v is not None}}
    kind = data.get("procurement_type") or "medical_device"
    data["profile"] = {f.id: values.get("profile", {}).get(f.id, f.default_for(kind)) for f in library.facts}
    return template.render(
        **data, facts=library.facts, dir=str(folder),
        procurement_types=", ".join(t.id for t in library.enisa.procurement_types)) + "\n"


def profile_values(data: dict[str, Any]) -> dict[str, Any]:
    """Flatten a profile file (keys of tender.yaml) into the template's values."""
    buyer = data.get("buyer") or {}
    if isinstance(buyer, str):
        buyer = {"name": buyer}
    contact = buyer.get("contact") or {}
    signatory = buyer.get("signatory") or {}
    letters = data.get("letters") or {}
    weights = data.get("weights") or {}
    return {
        "signatory_name": signatory.get("name"), "signatory_title": signatory.get("title"),
        "signatory_delegation": signatory.get("delegation"), "procedure": data.get("procedure"),
        "minimum": (data.get("clauses") or {}).get("minimum"),
        "regularisation": letters.get("regularisation"), "reply_days": letters.get("reply_days"),
        "reply_hour": letters.get("reply_hour"),
        "part_weights": weights.get("parts"), "clause_weights": weights.get("clauses"),
        "question_weights": weights.get("questions"), "completeness_weight": weights.get("completeness"),
        "reference": data.get("reference"), "title": data.get("title"), "buyer_name": buyer.get("name"),
        "designation": buyer.get("designation"), "address": buyer.get("address"),
        "contact_name": contact.get("name"), "contact_email": contact.get("email"),
        "contact_phone": contact.get("phone"), "lots": data.get("lots"), "deadline": data.get("deadline"),
        "procurement_type": data.get("procurement_type"), "profile": data.get("profile") or {},
    }


def create_workspace(folder: Path, values: dict[str, Any], library: Library, force: bool = False) -> Path:
    """Write ``folder/tender.yaml`` (validated) and the ``returns/`` folder; return the tender file."""
    workspace = Workspace(folder)
    if workspace.tender_file.exists() and not force:
        raise TenderkitError(_("{tender_file} already exists (use --force to overwrite it).")
                             .format(tender_file=workspace.tender_file))
    text = tender_yaml(values, library, folder)  # must load back to a valid tender
    tender = parse_tender(yaml.safe_load(text), workspace.tender_file)
    check_against_library(tender, library, workspace.tender_file)
    ensure_dir(folder)
    ensure_dir(workspace.returns)
    return write_text_atomic(workspace.tender_file, text)
