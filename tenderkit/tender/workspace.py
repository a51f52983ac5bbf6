"""A tender workspace: ``DIR/tender.yaml`` plus ``returns/`` (vendor files, never modified) and ``out/``."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from tenderkit.errors import TenderkitError
from tenderkit.i18n import _, ngettext
from tenderkit.library.models import Library
from tenderkit.library.problems import describe_validation_error
from tenderkit.text import xml_safe

TENDER_FILE = "tender.yaml"
MAX_REFERENCE = 60


class _Loader(yaml.SafeLoader):
    """safe_load, except that an impossible date (« 2027-02-30 ») stays text, for validation to name its key."""

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


class ReferenceProblem(ValueError):
    """Why a reference cannot name the tender's files: ``kind`` is characters, blank or length (a front end
    words it; the message is the CLI's)."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _xml_safe(cls, value: Any) -> Any:
        """Buyer text goes into Office XML: drop the control characters XML cannot hold."""
        return xml_safe(value) if isinstance(value, str) else value


class Contact(Model):
    name: str = ""
    email: str = ""
    phone: str = ""


class Signatory(Model):
    """Who signs the letters and the report for the contracting authority (« le directeur des achats »)."""

    name: str = ""
    title: str = ""
    delegation: bool = False   # signs for the legal representative: « Pour le directeur et par délégation »


class Buyer(Model):
    name: str = Field(min_length=1)
    designation: str = "l’établissement"   # how clauses name the buyer: « le CHU de Nantes »
    address: str = ""
    contact: Contact = Contact()
    signatory: Signatory = Signatory()
    profile_url: str = ""   # the buyer's profile (profil d'acheteur) where the DCE is published and replies go


class ClauseOverrides(Model):
    include: list[str] = []       # clause ids applied whatever the profile says
    exclude: list[str] = []       # clause ids never applied
    extra: list[str] = []         # folders of the buyer's own clauses (relative to the workspace)
    minimum: list[str] = []       # minimum requirements: refusing one makes an offer irregular (L. 2152-2)


MAX_WEIGHT = 100.0   # a weight is a number from 0 to 100 (an absurd one, 1e27, overflowed the scores)


class Weights(Model):
    """Scoring weights, editable by the buyer; the committee grid carries them as editable cells."""

    parts: dict[int, float] = {1: 1.0, 2: 1.0, 3: 1.0, 4: 2.0}
    clauses: dict[str, float] = {}   # multiplier of the items that verify a clause
    questions: dict[str, float] = {}  # override of an item's own weight
    completeness: float = Field(default=1.0, ge=0, le=MAX_WEIGHT)  # beside the parts (0: ignored)

    @field_validator("parts", "clauses", "questions")
    @classmethod
    def _non_negative(cls, values: dict) -> dict:
        for key, value in values.items():
            if not math.isfinite(value):
                raise ValueError(_("weight of {key} must be a number (not {value})").format(key=key, value=value))
            if not 0 <= value <= MAX_WEIGHT:
                raise ValueError(_("weight of {key} must be between 0 and {limit:g} (not {value:g})")
                                 .format(key=key, limit=MAX_WEIGHT, value=value))
        return values


class Letters(Model):
    """What the letters to the candidates may ask (code de la commande publique)."""

    regularisation: bool = False    # the consultation rules allow regularising irregular offers (art. R.2152-2)
    reply_days: int = Field(default=10, ge=1, le=90)   # deadline given to the candidates, in days
    reply_hour: str = Field(default="12:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")   # hour of that deadline


class Lot(Model):
    """One lot of a tender divided into lots (allotissement, art. L. 2113-10 CCP). Each key it gives replaces the
    tender's (a mapping key by key: ``profile: {servers: false}`` changes that fact only); the others are the
    tender's (:meth:`Tender.for_lot`)."""

    number: int = Field(ge=1, le=999)
    title: str = Field(min_length=1)
    profile: dict[str, bool] = {}
    procurement_type: str | None = None
    clauses: ClauseOverrides | None = None
    weights: Weights | None = None


class VendorFile(Model):
    """What tender.yaml says of one return file (by stem): the vendor's name, and the lot it answers (for a
    return that cannot say it itself, such as a manufacturer's MDS2 worksheet)."""

    name: str = ""
    lot: int | None = Field(default=None, ge=1, le=999)


Procedure = Literal["appel_offres_ouvert", "appel_offres_restreint", "procedure_adaptee"]


class Tender(Model):
    reference: str = Field(min_length=1)
    title: str = Field(min_length=1)
    buyer: Buyer
    procurement_type: str = "medical_device"
    procedure: Procedure = "appel_offres_ouvert"   # decides the letters' basis (R. 2161-5 / R. 2161-11)
    lots: list[Lot] = []
    deadline: dt.date | None = None
    date: dt.date | None = None         # date printed on the documents (default: today)
    profile: dict[str, bool] = {}
    clauses: ClauseOverrides = ClauseOverrides()
    weights: Weights = Weights()
    letters: Letters = Letters()
    variables: dict[str, str | int | float] = {}   # the buyer's values of clause_library/variables.yaml
    vendors: dict[str, str | VendorFile] = {}   # file stem → vendor name (or {name, lot}), when a return does
                                                # not say it itself

    @field_validator("reference", mode="before")
    @classmethod
    def _reference_is_filename_safe(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if any(c in value for c in '/\\:*?"<>|') or any(ord(c) < 32 or ord(c) == 127 for c in value):
            raise ReferenceProblem("characters", _("must not contain / \\ : * ? \" < > |, tabs or line breaks (it "
                                                   "is used in file names)"))
        value = value.strip()
        if not value:
            raise ReferenceProblem("blank", _("must not be blank"))
        if len(value) > MAX_REFERENCE:
            raise ReferenceProblem("length", _("must be at most {limit} characters (it is used in file "
                                               "names)").format(limit=MAX_REFERENCE))
        return value

    @field_validator("lots")
    @classmethod
    def _distinct_lots(cls, lots: list[Lot]) -> list[Lot]:
        numbers = [lot.number for lot in lots]
        repeated = sorted({n for n in numbers if numbers.count(n) > 1})
        if repeated:
            raise ValueError(f"lot {repeated[0]} is given twice (each lot has its own number)")
        return sorted(lots, key=lambda lot: lot.number)

    @model_validator(mode="after")
    def _vendor_lots_exist(self) -> Tender:
        numbers = {lot.number for lot in self.lots}
        for stem, lot in self.vendor_lots.items():
            if lot not in numbers:
                raise ValueError(f"vendors.{stem}.lot: the tender has no lot {lot}"
                                 + (f" (lots: {', '.join(map(str, sorted(numbers)))})" if numbers else ""))
        return self

    @property
    def vendor_names(self) -> dict[str, str]:
        """File stem → vendor name, from ``vendors:``."""
        return {stem: entry if isinstance(entry, str) else entry.name for stem, entry in self.vendors.items()
                if isinstance(entry, str) or entry.name}

    @property
    def vendor_lots(self) -> dict[str, int]:
        """File stem → lot, from ``vendors:`` (``{name, lot}`` entries)."""
        return {stem: entry.lot for stem, entry in self.vendors.items()
                if not isinstance(entry, str) and entry.lot is not None}

    @property
    def divided(self) -> bool:
        """Whether the tender is divided into lots, each with its own questionnaire and ranking (two lots or
        more; a single lot is the tender itself, see :meth:`for_lot`)."""
        return len(self.lots) > 1

    def lot(self, number: int) -> Lot | None:
        return next((lot for lot in self.lots if lot.number == number), None)

    def for_lot(self, lot: Lot) -> Tender:
        """The tender as ``lot`` sees it: the lot's keys replace the tender's, mappings key by key."""
        override = lot.model_dump(exclude_unset=True, exclude={"number", "title"})
        # only what tender.yaml set, so that the lot's view still tells a default from a decision
        return Tender.model_validate(_merged(self.model_dump(exclude_unset=True), override))


def _merged(base: Any, override: Any) -> Any:
    """``override`` laid over ``base``: mappings merged key by key (recursively), anything else replaced."""
    if isinstance(base, dict) and isinstance(override, dict):
        return {**base, **{key: _merged(base.get(key), value) for key, value in override.items()}}
    return override


def profile_facts(tender: Tender, library: Library) -> dict[str, bool]:
    """The tender's profile with the library's defaults for omitted facts (by procurement type: a cloud service
    has no hardware on site unless the profile says so)."""
    return {fact.id: tender.profile.get(fact.id, fact.default_for(tender.procurement_type)) for fact in library.facts}


def check_against_library(tender: Tender, library: Library, source: Path, lot: Lot | None = None) -> None:
    """Reject keys and values that only the library can judge (facts, procurement type, clause ids); ``lot``:
    ``tender`` is that lot's view (:meth:`Tender.for_lot`), named in the message."""
    try:
        _check_keys(tender, library, source)
    except TenderkitError as error:
        if lot is None:
            raise
        raise TenderkitError(str(error).replace(f"{source}: ", f"{source}: lot {lot.number}: ", 1)) from None


def _check_keys(tender: Tender, library: Library, source: Path) -> None:
    facts = {f.id for f in library.facts}
    for key in tender.profile:
        if key not in facts:
            raise TenderkitError(_("{source}: profile.{key} is not a profile fact (allowed: {items}).")
                                 .format(source=source, key=key, items=', '.join(sorted(facts))))
    types = [t.id for t in library.enisa.procurement_types]
    if tender.procurement_type not in types:
        raise TenderkitError(_("{source}: procurement_type '{procurement_type}' is unknown (allowed: {items}).")
                             .format(source=source, procurement_type=tender.procurement_type, items=', '.join(types)))
    known = {c.id for c in library.clauses}
    for key in ("include", "exclude", "minimum"):
        for clause_id in getattr(tender.clauses, key):
            if clause_id not in known:
                raise TenderkitError(_("{source}: clauses.{key} names unknown clause '{clause_id}' (see `tenderkit "
                                       "library list`).").format(source=source, key=key, clause_id=clause_id))
    for name in tender.variables:
        if name not in library.variables:
            raise TenderkitError(_("{source}: variables.{name} is not a variable of the library (allowed: {items}).")
                                 .format(source=source, name=name, items=', '.join(sorted(library.variables))))
    for clause_id in tender.weights.clauses:
        if clause_id not in known:
            raise TenderkitError(_("{source}: weights.clauses names unknown clause '{clause_id}'.")
                                 .format(source=source, clause_id=clause_id))
    for question_id in tender.weights.questions:
        if question_id not in library.questions:
            raise TenderkitError(_("{source}: weights.questions names unknown item '{question_id}'.")
                                 .format(source=source, question_id=question_id))
    parts = {p.part for p in library.parts}
    for part in tender.weights.parts:
        if part not in parts:
            raise TenderkitError(_("{source}: weights.parts names unknown part {part} (parts: {items}).")
                                 .format(source=source, part=part, items=', '.join(map(str, sorted(parts)))))


def parse_tender(data: Any, source: Path) -> Tender:
    """Validate tender data; a problem is reported as one sentence naming the key."""
    if not isinstance(data, dict):
        raise TenderkitError(_("{source}: expected keys such as reference, title, buyer, procurement_type.")
                             .format(source=source))
    try:
        return Tender.model_validate(data)
    except ValidationError as error:
        messages = describe_validation_error(error)
        more = ngettext(" (and {n} more)", " (and {n} more)", len(messages) - 1).format(n=len(messages) - 1) \
            if len(messages) > 1 else ""
        raise TenderkitError(_("{file}: {problem}.").format(file=source, problem=messages[0] + more)) from None


def read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_Loader)
    except FileNotFoundError:
        raise TenderkitError(_("{file}: file not found.").format(file=path)) from None
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        mark = getattr(error, "problem_mark", None)
        where = _(" at line {line}").format(line=mark.line + 1) if mark else ""
        raise TenderkitError(_("{file}: not valid YAML{where}.").format(file=path, where=where)) from None


class Workspace:
    """A tender folder. ``returns/`` is read-only for tenderkit; outputs go to ``out/``."""

    def __init__(self, root: Path):
        self.root = Path(root)

    @property
    def tender_file(self) -> Path:
        return self.root / TENDER_FILE

    @property
    def returns(self) -> Path:
        return self.root / "returns"

    @property
    def out(self) -> Path:
        return self.root / "out"

    @property
    def responses(self) -> Path:
        return self.root / "responses"

    def load(self) -> Tender:
        if not self.root.is_dir():
            raise TenderkitError(_("{folder}: no such tender folder (create one with `tenderkit new`).")
                                 .format(folder=self.root))
        if not self.tender_file.is_file():
            raise TenderkitError(_("{folder}: no {file} in this folder (create one with `tenderkit new`).")
                                 .format(folder=self.root, file=TENDER_FILE))
        return parse_tender(read_yaml(self.tender_file), self.tender_file)

    def extra_clause_dirs(self, tender: Tender) -> list[Path]:
        return [(self.root / p) for p in tender.clauses.extra]
