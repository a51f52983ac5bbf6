"""A tender as every stage uses it: its workspace, tender.yaml, the library (with its extra clauses) and the
selection the profile makes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tenderkit.library import Library, load_library
from tenderkit.paths import templates_dir
from tenderkit.tender.selection import Selection, select
from tenderkit.tender.workspace import Lot, Tender, Workspace, check_against_library


@dataclass
class LoadedTender:
    """A tender, or one lot of a tender divided into lots (``lot``; ``tender`` is then the lot's view of it)."""

    workspace: Workspace
    tender: Tender
    library: Library
    selection: Selection
    lot: Lot | None = None
    lots: list[LoadedTender] = field(default_factory=list)   # each lot's, when the tender is divided

    def for_lot(self, number: int) -> LoadedTender | None:
        return next((lot for lot in self.lots if lot.lot and lot.lot.number == number), None)


def load_tender(folder: Path) -> LoadedTender:
    """The workspace's tender, validated against the library (with the buyer's extra clauses); each lot's view
    of it with its own selection when it is divided into lots. A single lot is the tender itself: its keys
    apply to the whole tender, whose documents are those of a tender without lots."""
    workspace = Workspace(folder)
    tender = workspace.load()
    libraries: dict[tuple[str, ...], Library] = {}

    def library_for(view: Tender) -> Library:
        key = tuple(view.clauses.extra)
        if key not in libraries:
            libraries[key] = load_library(extra_clause_dirs=workspace.extra_clause_dirs(view))
        return libraries[key]

    single = tender.lots[0] if len(tender.lots) == 1 else None
    if single is not None:
        tender = tender.for_lot(single)
    library = library_for(tender)
    check_against_library(tender, library, workspace.tender_file, single)
    loaded = LoadedTender(workspace, tender, library, select(tender, library))
    if tender.divided:
        for lot in tender.lots:
            view = tender.for_lot(lot)
            lot_library = library_for(view)
            check_against_library(view, lot_library, workspace.tender_file, lot)
            loaded.lots.append(LoadedTender(workspace, view, lot_library, select(view, lot_library, lot), lot))
    return loaded


def template_path(workspace: Workspace, name: str) -> Path:
    """A buyer's restyled template in ``DIR/templates/`` wins over the shipped one."""
    own = workspace.root / "templates" / name
    return own if own.is_file() else templates_dir() / name
