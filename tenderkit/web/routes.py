"""The pages of `tenderkit ui`: each handler reads the request, calls the same core functions as the CLI
(tender.create, generate, evaluate, parse) in a worker thread, and renders a template."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response

from tenderkit.errors import TenderkitError
from tenderkit.evaluate import fiche_path, write_response_fiche
from tenderkit.generate import LOT_QUESTIONNAIRE, build_documents, finish_documents, output_names
from tenderkit.library import load_library
from tenderkit.output import settle
from tenderkit.parse.store import return_files
from tenderkit.publication import differences, frozen, load_publication
from tenderkit.tender.create import create_workspace, profile_values
from tenderkit.tender.loaded import LoadedTender, load_tender
from tenderkit.tender.workspace import Workspace
from tenderkit.text import french_typography
from tenderkit.web import creation, tender_form
from tenderkit.web.dce_zip import dce_files
from tenderkit.web.jobs import DONE, RUNNING
from tenderkit.web.paths import child_file, inside, leaving, shown, tender_folder, tender_key
from tenderkit.web.security import csrf_token, same
from tenderkit.web.selection_edit import save_clause_choice
from tenderkit.web.tenders import REVIEWED, list_tenders, out_files, published, tender_state
from tenderkit.web.uploads import MAX_FILES, MAX_REQUEST_BYTES, TooLarge, limited_receive, store_returns
from tenderkit.wording import file_name

NOTICES = {
    "created": "Consultation créée.",
    "built": "DCE généré : les documents sont prêts à télécharger.",
    "published": "DCE publié : ce qui est annoncé aux candidats est enregistré (publication.json) et ne change plus.",
    "clauses": "Sélection des clauses enregistrée (tender.yaml) : elle s’applique à la prochaine génération du DCE.",
    "fiche": "Fiche d’identification générée.",
    "edited": "Consultation modifiée (tender.yaml) : les changements s’appliquent à la prochaine génération du DCE.",
    "withdrawn": "Fichier retiré des réponses reçues.",
}


@lru_cache(maxsize=1)
def shipped_library():
    """The shipped library (profile facts, procurement types of the home page's form): read once."""
    return load_library()


def tender_url(key: str, *parts: str) -> str:
    return "/t/" + "/".join(quote(p, safe="") for p in (key, *parts))


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    state = request.app.state
    return state.templates.TemplateResponse(request, name, {"csrf": csrf_token(state.token), **context},
                                            status_code=status)


async def read_form(request: Request, **limits: Any):
    """The posted form, its CSRF field checked (a cross-site POST is already refused by the gate)."""
    form = await request.form(**limits)
    if not same(str(form.get("csrf") or ""), csrf_token(request.app.state.token)):
        raise HTTPException(403, "Le formulaire a expiré ou ne vient pas de cette page : rechargez la page.")
    return form


def folder_of(request: Request) -> tuple[str, Path]:
    """The tender a request is about; 404 when the key names none, 403 when one of its work folders is a link
    leaving it (nothing is read from outside FOLDER nor written there)."""
    key = request.path_params["key"]
    folder = tender_folder(request.app.state.root, key)
    if folder is None:
        raise HTTPException(404)
    links = leaving(folder)
    if links:
        names = " et ".join(f"« {name} »" for name in links)
        which = (f"Le dossier {names} de cette consultation est un lien" if len(links) == 1 else
                 f"Les dossiers {names} de cette consultation sont des liens")
        raise HTTPException(403, f"{which} vers un emplacement hors du dossier servi : tenderkit ui ne lit ni "
                                 "n’écrit rien hors de ce dossier ; remplacez le lien par un vrai dossier.")
    return key, folder


# --- home ------------------------------------------------------------------------------------------------------

async def home(request: Request, error: str | None = None, values: dict | None = None, status: int = 200,
               lead: str | None = None):
    root: Path = request.app.state.root
    library = await run_in_threadpool(shipped_library)
    tenders = await run_in_threadpool(list_tenders, root)
    return render(request, "home.html", {"tenders": tenders, "root": root, "error": error, "lead": lead,
                                         "tender_url": tender_url, "values": values or {},
                                         "procedures": tender_form.PROCEDURES, "facts": library.facts,
                                         "procurement_types": library.enisa.procurement_types,
                                         "clauses": library.clauses, "parts": library.parts},
                  status)


async def create_tender(request: Request):
    form = await read_form(request)
    library = await run_in_threadpool(shipped_library)
    root: Path = request.app.state.root
    values, found = tender_form.form_changes(form, library, [p.part for p in library.parts], creating=True)
    data = await run_in_threadpool(creation.new_tender_data, values, library) if not found else {}
    found = found or await run_in_threadpool(creation.creation_problems, data, library, root)
    if found:
        return await home(request, " ".join(found), tender_form.posted_values(form, library), 400,
                          "Consultation non créée.")
    name = creation.folder_name(data["reference"])
    try:
        await run_in_threadpool(create_workspace, root / name, profile_values(data), library)
    except TenderkitError as error:
        return await home(request, shown(error, root), tender_form.posted_values(form, library), 400,
                          "Consultation non créée.")
    return RedirectResponse(tender_url(tender_key(name)) + "?notice=created", 303)


# --- tender page -----------------------------------------------------------------------------------------------

def _documents(loaded: LoadedTender) -> dict[str, Any]:
    """The DCE documents (with their PDF copies when built) and the other files of out/."""
    workspace = loaded.workspace
    lots = [view.lot.number for view in loaded.lots if view.lot]
    names = output_names(loaded.tender.reference, lots)
    labels = {"cctp": "Annexe sécurité numérique du CCTP", "questionnaire": "Questionnaire de sécurité (candidats)",
              "checklist": "Aide-mémoire de l’acheteur (interne)",
              "rgpd_annex": "Annexe RGPD — clauses de sous-traitance (à signer par les candidats)"}
    labels.update({LOT_QUESTIONNAIRE.format(lot=n): f"Questionnaire de sécurité du lot {n} (candidats)" for n in lots})
    if lots:
        del names["questionnaire"]   # the first lot's, listed as such
    dce, used = [], set()
    for kind, name in names.items():
        pdf = Path(name).with_suffix(".pdf").name
        present = [n for n in (name, pdf) if (workspace.out / n).is_file()]
        used.update(present)
        if present or kind != "rgpd_annex":   # the annex exists only for a solution processing health data
            dce.append({"label": labels[kind], "files": present})
    extract = Path(file_name("rc_extract", loaded.tender.reference))
    present = [n for n in (extract.name, extract.with_suffix(".pdf").name) if (workspace.out / n).is_file()]
    if present:   # written by « Publier le DCE »
        used.update(present)
        dce.append({"label": "Extrait du règlement de la consultation", "files": present})
    others = [p.name for p in out_files(workspace) if p.name not in used]
    return {"dce": dce, "others": others, "built": any(d["files"] for d in dce)}


def _tender_context(key: str, folder: Path, request: Request) -> dict[str, Any]:
    loaded = load_tender(folder)
    job = request.app.state.jobs.get(key)
    run = job.run if job and job.state == DONE else None
    documents = _documents(loaded)
    if run is not None and any(r.vendors for r in reviews(run)):   # the committee documents: with the ranking
        shown_above = {p.name for p in run.outputs}
        documents["others"] = [name for name in documents["others"] if name not in shown_above]
    publication = load_publication(folder)
    return {"key": key, "loaded": loaded, "tender": loaded.tender, "selection": loaded.selection,
            "reviewed": tender_state(loaded.workspace, loaded.tender.reference) == REVIEWED,
            "returns": [p.name for p in return_files(loaded.workspace)], "job": job,
            "run": run, "tender_url": tender_url, "vendor_key": vendor_key, "max_files": MAX_FILES,
            # the returns that could not be read, once each (in a tender in lots, every lot lists them)
            "failed": list({r.file: r for review in reviews(run) for r in review.failed}.values()) if run else [],
            "published": publication, "amendment_pending": bool(
                publication and differences(publication.frozen, frozen(loaded))),
            "dce_zip": bool(dce_files(loaded.workspace, loaded.tender.reference)),
            # a tender in lots shows a ranking per lot instead of a « Lot » column
            "has_lots": False,
            **documents}


RESTORE_WAIT = 10.0   # seconds a page waits for the ranking of an earlier review to be restored


async def review_job(request: Request, key: str, folder: Path):
    """The tender's review job; after a restart, the ranking of its last review restored (waited for a while)."""
    job = await run_in_threadpool(request.app.state.jobs.restore, key, folder)
    if job is not None and job.restored and job.state == RUNNING:
        await run_in_threadpool(job.finished.wait, RESTORE_WAIT)
    return job


async def tender_page(request: Request, error: str | None = None, errors: list[str] | None = None,
                      status: int = 200, lead: str | None = None):
    key, folder = folder_of(request)
    await review_job(request, key, folder)
    which = request.query_params.get("notice", "")
    notice = NOTICES.get(which)
    changes = request.app.state.changes.pop(key, None)    # what the last edit or withdrawal did, said once
    try:
        context = await run_in_threadpool(_tender_context, key, folder, request)
    except TenderkitError as problem:
        return render(request, "error.html", {"title": "Consultation illisible",
                                              "error": shown(problem, request.app.state.root)}, 400)
    # a confirmation is shown where the buyer looks: in the section the redirect scrolls to
    section = {"clauses": "selection", "built": "dce", "published": "dce", "withdrawn": "reponses"}.get(which, "top")
    return render(request, "tender.html", {**context, "notice": notice, "notice_section": section, "error": error,
                                           "lead": lead, "errors": errors or [], "changes": changes}, status)


async def save_clauses(request: Request):
    key, folder = folder_of(request)
    form = await read_form(request)
    if published(folder):
        return await tender_page(request, french_typography(
            "Le DCE est publié : la sélection des clauses ne peut plus changer sans modifier le DCE publié."),
            status=409, lead="Sélection non enregistrée.")
    wanted = {str(v) for v in form.getlist("clause")}
    try:
        loaded = await run_in_threadpool(load_tender, folder)
        await run_in_threadpool(save_clause_choice, loaded, wanted)
    except TenderkitError as error:
        return await tender_page(request, shown(error, request.app.state.root), status=400)
    return RedirectResponse(tender_url(key) + "?notice=clauses#selection", 303)


async def build(request: Request):
    key, folder = folder_of(request)
    form = await read_form(request)
    try:
        paths = await run_in_threadpool(lambda: build_documents(load_tender(folder)))
    except TenderkitError as error:
        return await tender_page(request, shown(error, request.app.state.root), status=400)
    try:  # the annex's table of contents numbered, and the PDF copies when asked
        await run_in_threadpool(finish_documents, paths, bool(form.get("pdf")))
    except TenderkitError as error:  # LibreOffice missing: the .docx and .xlsx are written all the same
        return await tender_page(request, shown(error, request.app.state.root) + french_typography(
            " Les documents Word et Excel ont tout de même été écrits : seules les copies PDF manquent."), status=500,
            lead="Copies PDF non écrites.")
    return RedirectResponse(tender_url(key) + "?notice=built#dce", 303)


async def upload_and_review(request: Request):
    key, folder = folder_of(request)
    current = request.app.state.jobs.get(key)
    if current is not None and current.state == RUNNING:
        return await tender_page(request, french_typography(
            "Une analyse des réponses de cette consultation est déjà en cours : envoyez les fichiers quand elle "
            "sera terminée."), status=409, lead="")
    limited = Request(request.scope, limited_receive(request.receive, MAX_REQUEST_BYTES))
    try:
        form = await read_form(limited, max_files=MAX_FILES, max_fields=50)
    except TooLarge:
        return await tender_page(request, french_typography(
            f"Les fichiers envoyés dépassent ensemble {MAX_REQUEST_BYTES // (1024 * 1024)}\u00a0Mo : envoyez-les en "
            "plusieurs fois."), status=413, lead="Envoi refusé.")
    except HTTPException as error:   # too many files, a malformed form: Starlette's sentence is English
        if error.status_code != 400:
            raise
        return await tender_page(request, french_typography(
            f"Trop de fichiers à la fois : {MAX_FILES} au plus par envoi ; envoyez-les en plusieurs fois."
            if "files" in str(error.detail) else "L’envoi est mal formé : choisissez à nouveau les fichiers."),
            status=400, lead="Envoi refusé.")
    files = [(f.file, f.filename) for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    try:
        stored = await run_in_threadpool(store_returns, files, Workspace(folder).returns)
    except TenderkitError as error:
        return await tender_page(request, shown(error, request.app.state.root), status=400)
    finally:
        await form.close()
    if not stored.saved and not return_files(Workspace(folder)):   # nothing to review: say what happened
        nothing = ("Aucune réponse à analyser : les fichiers choisis ont été refusés (ci-dessous) et la consultation "
                   "n’a encore reçu aucune réponse." if stored.refused else
                   "Aucune réponse à analyser : choisissez d’abord les fichiers des candidats dans « Réponses des "
                   "candidats », puis cliquez sur « Analyser les réponses ».")
        return await tender_page(request, french_typography(nothing), errors=stored.refused, status=400, lead="")
    request.app.state.jobs.start(key, folder, stored.saved, stored.refused)
    return RedirectResponse(tender_url(key, "review"), 303)


async def review_progress(request: Request):
    key, folder = folder_of(request)
    job = request.app.state.jobs.get(key)
    if job is None:
        return RedirectResponse(tender_url(key), 303)
    if job.state != RUNNING:
        return RedirectResponse(tender_url(key) + "#classement", 303)
    try:
        tender = await run_in_threadpool(Workspace(folder).load)
    except TenderkitError:   # tender.yaml changed meanwhile: the page names the folder
        tender = None
    return render(request, "progress.html", {"key": key, "job": job, "tender_url": tender_url, "tender": tender,
                                             "folder": folder.name, "errors": job.refused})


async def review_status(request: Request):
    key, _ = folder_of(request)
    job = request.app.state.jobs.get(key)
    return JSONResponse(job.progress() if job else {"state": "none"})


# --- vendor page -----------------------------------------------------------------------------------------------

VENDOR_GONE = ("Ce candidat ne figure plus dans le dernier classement de cette consultation (ses réponses ont "
               "été retirées ou une nouvelle analyse a eu lieu) : revenez au classement.")


def vendor_key(vendor) -> str:
    """A vendor's stable address: a short hash of its return's file name (a rank changes with each review), and
    of its lot in a tender divided into lots (one offer may answer several)."""
    name = Path(vendor.response.file).name
    if vendor.response.lot is not None:
        name += f"\0lot {vendor.response.lot}"
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def reviews(run) -> list:
    """The reviews of a run: one per lot in a tender divided into lots, else its review."""
    return [lot.review for lot in run.lots] or [run.review]


class VendorGone(Exception):
    """The vendor of this address is not in the tender's last ranking (its page links back to the ranking)."""


def vendor_gone(request: Request, key: str) -> Response:
    back = (tender_url(key) + "#classement", "Retour au classement")
    return render(request, "error.html", {"title": "Candidat introuvable", "error": french_typography(VENDOR_GONE),
                                          "back": back}, 404)


class StillReading(Exception):
    """The ranking is being restored (or a review runs): the vendor page waits on the progress page."""


async def _vendor(request: Request):
    key, folder = folder_of(request)
    job = await review_job(request, key, folder)
    if job is not None and job.state == RUNNING:
        raise StillReading(tender_url(key, "review"))
    if job is None or job.state != DONE or job.run is None:
        raise VendorGone(key)
    wanted = request.path_params["vendor"]
    for review in reviews(job.run):
        for vendor in review.vendors:
            if vendor_key(vendor) == wanted:
                return key, folder, review, vendor
    raise VendorGone(key)


async def _vendor_or_page(request: Request):
    """The vendor a page is about, or the page to show instead (review still running, vendor gone)."""
    try:
        return await _vendor(request)
    except StillReading as running:
        return RedirectResponse(str(running), 303)
    except VendorGone as gone:
        return vendor_gone(request, str(gone))


async def vendor_page(request: Request, error: str | None = None, status: int = 200):
    found = await _vendor_or_page(request)
    if not isinstance(found, tuple):
        return found
    key, folder, review, vendor = found
    fiche = None
    if request.query_params.get("notice") == "fiche":
        loaded = await run_in_threadpool(load_tender, folder)
        path = fiche_path(loaded, vendor.response)
        fiche = path.name if child_file(loaded.workspace.out, path.name, folder) else None
    return render(request, "vendor.html", {
        "key": key, "review": review, "vendor": vendor, "vendor_key": vendor_key(vendor),
        "selection": review.selection,
        "tender_url": tender_url, "error": error, "fiche": fiche}, status)


async def vendor_fiche(request: Request):
    found = await _vendor_or_page(request)
    if not isinstance(found, tuple):
        return found
    key, folder, _, vendor = found
    await read_form(request)
    try:  # the candidate's own return (two returns of one vendor are two candidates, each with its file)
        await run_in_threadpool(lambda: write_response_fiche(load_tender(folder), vendor.response))
    except TenderkitError as error:
        return await vendor_page(request, error=shown(error, request.app.state.root), status=400)
    return RedirectResponse(tender_url(key, "vendor", vendor_key(vendor)) + "?notice=fiche", 303)


# --- GET on the URL of a form ----------------------------------------------------------------------------------

SECTION_OF = {"clauses": "#selection", "build": "#dce", "publish": "#dce", "returns": "#reponses",
              "retirer": "#reponses", "grille": "#classement", "reset": "#classement"}


async def back_to_page(request: Request):
    """A form's URL opened directly (a reload after a refused form, a bookmark): the page the form belongs to."""
    if "key" not in request.path_params:
        return RedirectResponse("/", 303)
    key, _ = folder_of(request)
    if "vendor" in request.path_params:
        return RedirectResponse(tender_url(key, "vendor", request.path_params["vendor"]), 303)
    return RedirectResponse(tender_url(key) + SECTION_OF.get(request.url.path.rsplit("/", 1)[-1], ""), 303)


# --- downloads -------------------------------------------------------------------------------------------------

async def download(request: Request):
    _, folder = folder_of(request)
    name = request.path_params["name"]
    if inside(Workspace(folder).out, folder):
        settle(Workspace(folder).out)   # never a file of a set half swapped in by a killed review
    path = None if name.startswith((".", "~$")) else child_file(Workspace(folder).out, name, folder)  # no temp file
    if path is None:
        raise HTTPException(404)
    return FileResponse(path, filename=path.name, content_disposition_type="attachment")
