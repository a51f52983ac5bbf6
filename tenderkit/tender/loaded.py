"""A tender as every stage uses it: its workspace, tender.yaml, the library (with its extra clauses) and the
selection the profile makes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tenderkit.library import Library, load_library
from tenderkit.paths import templates_dir
from tenderkit.tender.selection import Selection, select
from tenderkit.tender.workspace import Tender, Workspace, check_against_library


@dataclass
class LoadedTender:
    workspace: Workspace
    tender: Tender
    library: Library
    selection: Selection


def load_tender(folder: Path) -> LoadedTender:
    """The workspace's tender, validated against the library (with the buyer's extra clauses)."""
    workspace = Workspace(folder)
    tender = workspace.load()
    library = load_library(extra_clause_dirs=workspace.extra_clause_dirs(tender))
    check_against_library(tender, library, workspace.tender_file)
    return LoadedTender(workspace, tender, library, select(tender, library))


def template_path(workspace: Workspace, name: str) -> Path:
    """A buyer's restyled template in ``DIR/templates/`` wins over the shipped one."""
    own = workspace.root / "templates" / name
    return own if own.is_file() else templates_dir() / name
