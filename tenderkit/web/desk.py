"""The tender page as the buyer's desk: « Modifier la consultation » (tender.yaml, comments kept), the DCE as a
zip, « Retirer » a received file, the committee's grid taken over or reset. Each handler calls the same core
functions as the CLI (tender.edit, evaluate through the review job)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from tenderkit.errors import TenderkitError
from tenderkit.generate import publish_documents
from tenderkit.grammar import count, join_and
from tenderkit.tender.edit import edit_tender
from tenderkit.tender.loaded import load_tender
from tenderkit.tender.selection import Selection
from tenderkit.tender.workspace import Tender, read_yaml
from tenderkit.text import french_typography
from tenderkit.web import tender_form
from tenderkit.web.committee_grid import store_grid
from tenderkit.web.dce_zip import dce_files, dce_zip
from tenderkit.web.jobs import RUNNING, was_reviewed
from tenderkit.web.paths import shown
from tenderkit.web.routes import folder_of, read_form, render, shipped_library, tender_page, tender_url
from tenderkit.web.tenders import published
from tenderkit.web.withdraw import withdraw


def form_context(library, values: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {"values": values, "facts": library.facts, "procurement_types": library.enisa.procurement_types,
            "procedures": tender_form.PROCEDURES, "clauses": library.clauses, "parts": library.parts, **more}


# --- « Modifier la consultation » ------------------------------------------------------------------------------

def can_amend(tender: Tender, today: dt.date | None = None) -> bool:
    """A published DCE may still be amended (an « avis rectificatif ») before the deadline for offers only."""
    return tender.deadline is None or (today or dt.date.today()) < tender.deadline


def amending(request: Request, form: Any = None) -> bool:
    return (form.get("amend") if form is not None else request.query_params.get("amend")) == "1"


async def edit_page(request: Request, error: str | None = None, values: dict | None = None, status: int = 200,
                    amend: bool | None = None):
    key, folder = folder_of(request)
    try:
        loaded = await run_in_threadpool(load_tender, folder)
    except TenderkitError as problem:
        return render(request, "error.html", {"title": "Consultation illisible",
                                              "error": shown(problem, request.app.state.root)}, 400)
    is_published = published(folder)
    amend = is_published and can_amend(loaded.tender) and (amending(request) if amend is None else amend)
    return render(request, "edit.html", {
        "key": key, "tender": loaded.tender, "tender_url": tender_url, "error": error,
        "lead": "Modifications non enregistrées." if error else None, "published": is_published,
        "locked": is_published and not amend, "amend": amend, "can_amend": can_amend(loaded.tender),
        **form_context(loaded.library, values or tender_form.form_values(loaded.tender))}, status)


def selection_changes(before: Selection, after: Selection) -> list[str]:
    """What the change selects, in French: clauses added and removed (by title), questions and documents."""
    was = {c.id: c for c in before.clauses}
    now = {c.id: c for c in after.clauses}
    added = [c.title for cid, c in now.items() if cid not in was]
    removed = [c.title for cid, c in was.items() if cid not in now]
    lines = []
    if added:
        lines.append(f"{count(len(added), 'clause ajoutée')} : {join_and([f'« {t} »' for t in added])}.")
    if removed:
        lines.append(f"{count(len(removed), 'clause retirée')} : {join_and([f'« {t} »' for t in removed])}.")
    for label, old, new in (("question", len(before.questions), len(after.questions)),
                            ("pièce à joindre", len(before.deliverables), len(after.deliverables))):
        if old != new:
            lines.append(f"{count(new, label)} au questionnaire (au lieu de {old})." if label == "question" else
                         f"{count(new, label)} (au lieu de {old}).")
    if not lines:
        lines.append(f"Sélection inchangée : {count(len(now), 'clause')}, {count(len(after.questions), 'question')} "
                     f"et {count(len(after.deliverables), 'pièce à joindre')}.")
    return [french_typography(line) for line in lines]


def _save(folder: Path, values: dict) -> list[str]:
    before = load_tender(folder)
    edit_tender(before.workspace.tender_file, values, before.library)
    return selection_changes(before.selection, load_tender(folder).selection)


async def save_edit(request: Request):
    key, folder = folder_of(request)
    form = await read_form(request)
    library = await run_in_threadpool(shipped_library)
    try:
        loaded = await run_in_threadpool(load_tender, folder)
        data = await run_in_threadpool(read_yaml, loaded.workspace.tender_file)
    except TenderkitError as problem:
        return await edit_page(request, shown(problem, request.app.state.root), status=400)
    values, found = tender_form.form_changes(form, loaded.library, [p.part for p in library.parts])
    amend = published(folder) and can_amend(loaded.tender) and amending(request, form)
    if published(folder) and not amend:   # the published DCE's facts stay as they were published
        values = {path: value for path, value in values.items() if not tender_form.locked(path)}
    found = found or tender_form.problems(tender_form.applied(data, values), loaded.library)
    if found:
        return await edit_page(request, " ".join(found), tender_form.posted_values(form, loaded.library), 400,
                               amend)
    try:
        changes = await run_in_threadpool(_save, folder, values)
    except TenderkitError as problem:
        return await edit_page(request, shown(problem, request.app.state.root),
                               tender_form.posted_values(form, loaded.library), 400, amend)
    request.app.state.changes[key] = {"title": "Ce que change la modification :", "lines": changes}
    return RedirectResponse(tender_url(key) + "?notice=edited", 303)


# --- « Publier le DCE » ------------------------------------------------------------------------------------------

async def publish(request: Request):
    """`tenderkit publish DIR`: the DCE written with the RC extract, and what it announces frozen."""
    key, folder = folder_of(request)
    form = await read_form(request)
    root = request.app.state.root
    try:
        _, problem = await run_in_threadpool(
            lambda: publish_documents(load_tender(folder), pdf=bool(form.get("pdf")), amend=amending(request, form)))
    except TenderkitError as error:
        return await tender_page(request, shown(error, root), status=400, lead="DCE non publié.")
    if problem:   # LibreOffice missing: published all the same, without the PDF copies
        return await tender_page(request, shown(problem, root) + french_typography(
            " Le DCE est publié : seules les copies PDF manquent."), status=500, lead="Copies PDF non écrites.")
    return RedirectResponse(tender_url(key) + "?notice=published#dce", 303)


# --- « Télécharger le DCE (zip) » ------------------------------------------------------------------------------

async def download_dce(request: Request):
    _, folder = folder_of(request)
    loaded = await run_in_threadpool(load_tender, folder)
    files = await run_in_threadpool(dce_files, loaded.workspace, loaded.tender.reference)
    if not files:
        return await tender_page(request, french_typography(
            "Le DCE n’a pas encore été généré : cliquez d’abord sur « Générer le DCE »."), status=404, lead="")
    content = await run_in_threadpool(dce_zip, files)
    name = f"{loaded.tender.reference} - DCE.zip"
    return Response(content, media_type="application/zip", headers={
        "content-disposition": f"attachment; filename=\"DCE.zip\"; filename*=UTF-8''{_quote(name)}"})


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


# --- « Retirer » -----------------------------------------------------------------------------------------------

async def withdraw_return(request: Request):
    key, folder = folder_of(request)
    form = await read_form(request)
    if _running(request, key):
        return await tender_page(request, BUSY, status=409, lead="")
    name = str(form.get("name") or "")
    reviewed = await run_in_threadpool(was_reviewed, folder)
    try:
        target = await run_in_threadpool(withdraw, folder, name)
    except TenderkitError as problem:
        return await tender_page(request, shown(problem, request.app.state.root), status=400, lead="")
    request.app.state.changes[key] = {"title": "Fichier retiré :", "lines": [french_typography(
        f"« {name} » retiré des réponses : il est conservé dans returns-retires/ sous le nom « {target.name} »"
        + (" ; le classement et les documents du comité sont refaits sans lui." if reviewed else "."))]}
    if reviewed:   # the ranking and the committee documents without it
        request.app.state.jobs.start(key, folder, [], [])
        return RedirectResponse(tender_url(key, "review"), 303)
    return RedirectResponse(tender_url(key) + "?notice=withdrawn#reponses", 303)


# --- the committee's grid --------------------------------------------------------------------------------------

BUSY = french_typography("Une analyse des réponses de cette consultation est déjà en cours : recommencez quand elle "
                         "sera terminée.")


def _running(request: Request, key: str) -> bool:
    current = request.app.state.jobs.get(key)
    return current is not None and current.state == RUNNING


async def take_grid(request: Request):
    key, folder = folder_of(request)
    if _running(request, key):
        return await tender_page(request, BUSY, status=409, lead="")
    form = await read_form(request, max_files=1, max_fields=5)
    upload = form.get("grid")
    if not isinstance(upload, UploadFile) or not upload.filename:
        await form.close()
        return await tender_page(request, french_typography(
            "Choisissez d’abord la grille modifiée par le comité (fichier Excel), puis cliquez sur « Reprendre la "
            "grille du comité »."), status=400, lead="")
    try:
        loaded = await run_in_threadpool(load_tender, folder)
        grid = await run_in_threadpool(store_grid, upload.file, upload.filename, loaded)
    except TenderkitError as problem:
        return await tender_page(request, shown(problem, request.app.state.root), status=400,
                                 lead="Grille non reprise.")
    finally:
        await form.close()
    request.app.state.jobs.start(key, folder, [], [], grid=grid)
    return RedirectResponse(tender_url(key, "review"), 303)


async def reset_grid(request: Request):
    key, folder = folder_of(request)
    await read_form(request)
    if _running(request, key):
        return await tender_page(request, BUSY, status=409, lead="")
    request.app.state.jobs.start(key, folder, [], [], reset_grid=True)
    return RedirectResponse(tender_url(key, "review"), 303)
