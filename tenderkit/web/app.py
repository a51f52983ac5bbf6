"""The Starlette application of `tenderkit ui`: routes, templates, static files, error pages, token gate."""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from http import HTTPStatus
from importlib.resources import files
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from tenderkit.grammar import count
from tenderkit.tender.workspace import Weights
from tenderkit.text import french_date, french_number, french_typography
from tenderkit.web import desk, routes
from tenderkit.web.jobs import Jobs
from tenderkit.web.paths import shown
from tenderkit.web.security import TokenGate
from tenderkit.web.wording import (
    decision_reason,
    fact_label,
    reading_summary,
    shown_answer,
    shown_value,
)

PACKAGE = Path(str(files("tenderkit.web")))

STATUS_TITLES = {400: "Demande incomplète", 403: "Accès refusé", 404: "Page introuvable", 405: "Action impossible",
                 409: "Action impossible pour l’instant", 413: "Envoi trop volumineux", 500: "Erreur inattendue"}
STATUS_MESSAGES = {
    400: "La demande est incomplète ou mal formée : revenez à la page précédente et recommencez.",
    403: "Le formulaire a expiré ou ne vient pas de cette page : rechargez la page.",
    404: "Cette page n’existe pas (ou plus) : revenez à l’accueil.",
    405: "Cette adresse ne s’ouvre pas directement : revenez à la page de la consultation.",
    413: "L’envoi est trop volumineux : envoyez les fichiers en plusieurs fois.",
}


def printable(value: object) -> object:
    """Every value a page prints: a file name that is not UTF-8 (Latin-1 bytes from an old Windows zip, kept by
    Python as surrogates) is shown with « � » in place of its bytes instead of failing the whole page."""
    if not isinstance(value, str) or value.isascii():
        return value
    try:
        fixed = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:   # a lone surrogate that no byte gave
        fixed = value.encode("utf-8", "replace").decode("utf-8")
    return Markup(fixed) if isinstance(value, Markup) else fixed   # markup (a macro's output) stays markup


def plain_number(value: object) -> str:
    """A weight as a buyer types it: « 1 », « 1,5 » (text typed in a refused form stays as typed)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    return str(int(value)) if float(value).is_integer() else french_number(value, 2).rstrip("0")


def counted(number: int, singular: str, zero: str | None = None) -> str:
    """« 3 pièces manquantes », « 1 pièce manquante », ``zero`` for none (« aucune pièce manquante »)."""
    return count(number, singular, zero=zero)


def templates() -> Jinja2Templates:
    environment = Environment(loader=FileSystemLoader(PACKAGE / "templates"), finalize=printable,
                              autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    environment.filters["number"] = french_number
    environment.filters["fr"] = french_typography
    environment.filters["reason"] = decision_reason
    environment.filters["value"] = shown_value
    environment.filters["answer"] = shown_answer
    environment.filters["number_plain"] = plain_number
    environment.filters["counted"] = counted
    environment.filters["french_date"] = french_date
    environment.filters["iso_french_date"] = lambda text: french_date(dt.date.fromisoformat(str(text)))
    environment.globals["fact_label"] = fact_label
    environment.globals["reading_summary"] = reading_summary
    environment.globals["default_weights"] = Weights().parts
    return Jinja2Templates(env=environment)


async def http_error(request: Request, error: Exception):
    """Every error as a French page: our own sentence when the route gave one, else the status's."""
    status = error.status_code if isinstance(error, HTTPException) else 500
    title = STATUS_TITLES.get(status, "Erreur")
    detail = getattr(error, "detail", None) if isinstance(error, HTTPException) else None
    if status == 500:   # the details go to the terminal; the page names no server path
        traceback.print_exception(error, file=sys.stderr)
        message = (french_typography(f"Erreur inattendue de tenderkit ({type(error).__name__}) :")
                   + f" {shown(printable(str(error)), request.app.state.root)}")
    elif detail and detail != HTTPStatus(status).phrase:   # a French sentence written by the route
        message = french_typography(detail)
    else:
        message = french_typography(STATUS_MESSAGES.get(status, "La demande n’a pas pu aboutir : revenez à "
                                                                "l’accueil."))
    return routes.render(request, "error.html", {"title": title, "error": message}, status)


def create_app(root: Path, token: str, cookie_name: str = "tenderkit", loopback_only: bool = True) -> TokenGate:
    """The application serving the tenders of ``root``, behind the token gate."""
    app = Starlette(
        routes=[
            Route("/", routes.home),
            Route("/tenders", routes.create_tender, methods=["POST"]),
            Route("/t/{key}", routes.tender_page),
            Route("/t/{key}/clauses", routes.save_clauses, methods=["POST"]),
            Route("/t/{key}/build", routes.build, methods=["POST"]),
            Route("/t/{key}/returns", routes.upload_and_review, methods=["POST"]),
            Route("/t/{key}/review", routes.review_progress),
            Route("/t/{key}/review.json", routes.review_status),
            Route("/t/{key}/vendor/{vendor}", routes.vendor_page),
            Route("/t/{key}/vendor/{vendor}/fiche", routes.vendor_fiche, methods=["POST"]),
            # the forms' URLs opened with GET (reloading a refused form): the page each belongs to
            *(Route(path, routes.back_to_page, methods=["GET"]) for path in (
                "/tenders", "/t/{key}/clauses", "/t/{key}/build", "/t/{key}/returns",
                "/t/{key}/vendor/{vendor}/fiche")),
            Route("/t/{key}/out/{name}", routes.download),
            Route("/t/{key}/edit", desk.edit_page),
            Route("/t/{key}/edit", desk.save_edit, methods=["POST"]),
            Route("/t/{key}/dce.zip", desk.download_dce),
            Route("/t/{key}/publish", desk.publish, methods=["POST"]),
            Route("/t/{key}/retirer", desk.withdraw_return, methods=["POST"]),
            Route("/t/{key}/grille", desk.take_grid, methods=["POST"]),
            Route("/t/{key}/grille/reset", desk.reset_grid, methods=["POST"]),
            *(Route(path, routes.back_to_page, methods=["GET"]) for path in (
                "/t/{key}/retirer", "/t/{key}/grille", "/t/{key}/grille/reset", "/t/{key}/publish")),
            Mount("/static", StaticFiles(directory=PACKAGE / "static"), name="static"),
        ],
        exception_handlers={HTTPException: http_error, Exception: http_error},
    )
    app.state.root = Path(root)
    app.state.token = token
    app.state.templates = templates()
    app.state.jobs = Jobs(Path(root))
    app.state.changes = {}    # key → what the last edit or withdrawal changed, shown once by the tender page
    return TokenGate(app, token, cookie_name, loopback_only)
