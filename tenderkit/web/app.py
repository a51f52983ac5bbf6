"""The Starlette application of `tenderkit ui`: routes, templates, static files, error pages, token gate."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from tenderkit.text import french_number, french_typography
from tenderkit.vocabulary import shown_value
from tenderkit.web import routes
from tenderkit.web.jobs import Jobs
from tenderkit.web.security import TokenGate

PACKAGE = Path(str(files("tenderkit.web")))

STATUS_TITLES = {403: "Accès refusé", 404: "Page introuvable", 405: "Action impossible", 413: "Envoi trop volumineux"}


def templates() -> Jinja2Templates:
    environment = Environment(loader=FileSystemLoader(PACKAGE / "templates"),
                              autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    environment.filters["number"] = french_number
    environment.filters["fr"] = french_typography
    environment.globals["shown_value"] = shown_value
    return Jinja2Templates(env=environment)


async def http_error(request: Request, error: Exception):
    status = error.status_code if isinstance(error, HTTPException) else 500
    title = STATUS_TITLES.get(status, "Erreur")
    message = {404: "Cette page n’existe pas (ou plus) : revenez à l’accueil.",
               403: "Le formulaire a expiré ou ne vient pas de cette page : rechargez la page."}.get(status)
    if message is None:
        message = (f"unexpected {type(error).__name__}: {error}" if status == 500
                   else getattr(error, "detail", None) or title)
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
            Route("/t/{key}/vendor/{index:int}", routes.vendor_page),
            Route("/t/{key}/vendor/{index:int}/fiche", routes.vendor_fiche, methods=["POST"]),
            Route("/t/{key}/out/{name}", routes.download),
            Mount("/static", StaticFiles(directory=PACKAGE / "static"), name="static"),
        ],
        exception_handlers={HTTPException: http_error, Exception: http_error},
    )
    app.state.root = Path(root)
    app.state.token = token
    app.state.templates = templates()
    app.state.jobs = Jobs()
    return TokenGate(app, token, cookie_name, loopback_only)
