"""The tenders of the served folder, as the home page lists them, and the files of a tender's out/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tenderkit.errors import TenderkitError
from tenderkit.generate import output_names
from tenderkit.output import settle
from tenderkit.publication import publication_path
from tenderkit.tender.workspace import TENDER_FILE, Workspace
from tenderkit.web.paths import ROOT_KEY, child_file, inside, plain_name, shown, tender_key

DRAFT, BUILT, REVIEWED = "draft", "built", "reviewed"


def published(folder: Path) -> bool:
    """The tender's DCE was published (`tenderkit publish`): what would change it is read-only on the pages."""
    return publication_path(folder).is_file()


@dataclass
class TenderEntry:
    key: str                 # URL key (folder name, or ROOT_KEY)
    folder: Path
    reference: str = ""
    title: str = ""
    state: str = DRAFT
    error: str | None = None  # tender.yaml could not be read: the CLI's sentence


def tender_state(workspace: Workspace, reference: str, lots: list[int] | None = None) -> str:
    """Draft, DCE built (the questionnaire, the first lot's in a tender in lots, is in out/), or returns
    reviewed (parsed responses are stored)."""
    if workspace.responses.is_dir() and any(workspace.responses.glob("*.json")):
        return REVIEWED
    if (workspace.out / output_names(reference, lots or [])["questionnaire"]).is_file():
        return BUILT
    return DRAFT


def describe(key: str, folder: Path, root: Path) -> TenderEntry:
    entry = TenderEntry(key, folder)
    workspace = Workspace(folder)
    try:
        tender = workspace.load()
    except TenderkitError as error:
        entry.error = shown(error, root)
        return entry
    entry.reference, entry.title = tender.reference, tender.title
    entry.state = tender_state(workspace, tender.reference,
                               [lot.number for lot in tender.lots] if tender.divided else None)
    return entry


def list_tenders(root: Path) -> list[TenderEntry]:
    """FOLDER itself when it is a tender, then its sub-folders holding a tender.yaml (by name)."""
    entries = []
    if (root / TENDER_FILE).is_file():
        entries.append(describe(ROOT_KEY, root, root))
    try:
        children = sorted(root.iterdir(), key=lambda p: p.name.casefold())
    except OSError:
        children = []
    for child in children:
        if (plain_name(child.name) and not child.name.startswith(".") and child.is_dir()
                and (child / TENDER_FILE).is_file() and inside(child, root)
                and child.resolve().parent == root.resolve()):
            entries.append(describe(tender_key(child.name), child, root))
    return entries


def out_files(workspace: Workspace) -> list[Path]:
    """The documents of out/ (temporary and hidden files skipped), by name; a review's set that a killed run
    left half swapped in is finished first (output.settle), so that the page never lists a mixed set."""
    if not workspace.out.is_dir() or not inside(workspace.out, workspace.root):
        return []
    settle(workspace.out)
    return sorted(p for p in workspace.out.iterdir() if not p.name.startswith((".", "~$"))
                  and child_file(workspace.out, p.name, workspace.root) is not None)
