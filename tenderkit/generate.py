"""Building a tender's DCE documents: load, select, render (CCTP annex, questionnaire, checklist)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from tenderkit.library import Library, load_library
from tenderkit.office import convert, soffice
from tenderkit.output import ensure_dir, write_atomic
from tenderkit.paths import templates_dir
from tenderkit.render.cctp_docx import write_cctp
from tenderkit.render.checklist_docx import write_checklist
from tenderkit.render.questionnaire_xlsx import write_questionnaire
from tenderkit.render.toc import paginate
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


def write_pdfs(paths: dict[str, Path]) -> dict[str, Path]:
    """PDF copies of the two documents published in the DCE (CCTP annex, questionnaire), via LibreOffice.

    The annex's table of contents gets its page numbers first (in the .docx too, see render.toc). Raises
    TenderkitError (one sentence) when LibreOffice is missing; the .docx/.xlsx are already written then.
    """
    soffice()  # fail before any work when LibreOffice is missing
    cctp, questionnaire = paths["cctp"], paths["questionnaire"]
    pdfs = {"cctp_pdf": paginate(cctp, cctp.with_suffix(".pdf"))}
    with tempfile.TemporaryDirectory(prefix="tk-pdf-") as scratch:
        converted = convert(questionnaire, "pdf", Path(scratch))
        target = questionnaire.with_suffix(".pdf")
        pdfs["questionnaire_pdf"] = write_atomic(target, lambda temp: temp.write_bytes(converted.read_bytes()))
    return pdfs
