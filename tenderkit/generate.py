"""Building a tender's DCE documents: load, select, render (CCTP annex, questionnaire, checklist)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tenderkit.library import Library, load_library
from tenderkit.output import ensure_dir
from tenderkit.paths import templates_dir
from tenderkit.render.cctp_docx import write_cctp
from tenderkit.render.checklist_docx import write_checklist
from tenderkit.render.questionnaire_xlsx import write_questionnaire
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


def output_names(reference: str) -> dict[str, str]:
    return {
        "cctp": f"{reference} - Annexe CCTP securite numerique.docx",
        "questionnaire": f"{reference} - Questionnaire securite numerique.xlsx",
        "checklist": f"{reference} - Aide-memoire acheteur (interne).docx",
    }


def build_documents(loaded: LoadedTender) -> dict[str, Path]:
    """Write the documents into ``DIR/out/``; return their paths by kind."""
    workspace, selection = loaded.workspace, loaded.selection
    out = ensure_dir(workspace.out)
    names = output_names(loaded.tender.reference)
    return {
        "cctp": write_cctp(selection, template_path(workspace, "cctp.docx"), out / names["cctp"]),
        "questionnaire": write_questionnaire(selection, out / names["questionnaire"]),
        "checklist": write_checklist(selection, template_path(workspace, "checklist.docx"), out / names["checklist"]),
    }
