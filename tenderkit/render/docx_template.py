"""Rendering a docxtpl template safely: sandboxed, autoescaped, written atomically.

Untrusted text (buyer input, vendor answers) only ever travels in the context as data; it is cleaned of
XML-illegal characters beforehand (:func:`clean_context`) and escaped by docxtpl's autoescape.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment

from tenderkit.errors import TenderkitError
from tenderkit.i18n import _
from tenderkit.output import write_atomic
from tenderkit.render.cross_refs import link_articles
from tenderkit.text import french_typography, xml_safe

TOC_MARKER = "[[SOMMAIRE]]"


def clean_context(value: Any, typography: bool = True) -> Any:
    """Deep copy of a context with every string made XML-safe (and French typography applied)."""
    if isinstance(value, str):
        value = xml_safe(value)
        return french_typography(value) if typography else value
    if isinstance(value, Mapping):
        return {k: clean_context(v, typography) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_context(v, typography) for v in value]
    return value


def jinja_environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=True)


class _CompilingOnceEnvironment(SandboxedEnvironment):
    """The sandbox, compiling each template source once: docxtpl compiles a document's XML at every rendering,
    the same XML for every letter of a review (a third of a letter's time)."""

    def __init__(self) -> None:
        super().__init__(autoescape=True)
        self._compiled: dict[str, Any] = {}

    def from_string(self, source, globals=None, template_class=None):   # jinja2.Environment.from_string
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        found = self._compiled.get(source)
        if found is None:
            if len(self._compiled) >= 32:   # a few templates (report, letter…) and their parts
                self._compiled.clear()
            found = self._compiled[source] = super().from_string(source)
        return found


_RENDERING = _CompilingOnceEnvironment()


def open_template(path: Path) -> DocxTemplate:
    if not path.is_file():
        raise TenderkitError(_("template {path} not found.").format(path=path))
    try:
        template = DocxTemplate(str(path))
        template.init_docx()  # docxtpl opens the file lazily: open it now to report a bad file here
        return template
    except Exception:  # python-docx raises various errors on a non-docx file
        raise TenderkitError(_("template {path} is not a Word .docx file.").format(path=path)) from None


def _heading_level(paragraph) -> int | None:
    name = paragraph.style.name if paragraph.style is not None else ""
    if name.startswith("Heading ") and name[-1].isdigit():
        return int(name[-1])
    return None


def _unnumbered(paragraph) -> bool:
    """A heading whose own w:numPr says numId 0 (preamble, annex): outside the article numbering."""
    num_id = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    return num_id is not None and num_id.get(qn("w:val")) == "0"


def _numbered_styles(document) -> bool:
    """Whether the template's Heading 1 style carries a multilevel numbering (scripts/make_templates.py)."""
    style = document.styles["Heading 1"] if "Heading 1" in [s.name for s in document.styles] else None
    return style is not None and style.element.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is not None


def toc_entries(document, start: int = 0) -> list[tuple[str, int]]:
    """(text as displayed, level) of the Heading 1/2 paragraphs after paragraph ``start``.

    The displayed text includes the number Word/LibreOffice put before a numbered heading (« 2.1. Droit
    d’audit »), computed the way the style numbering counts: level 1 « n. », level 2 « n.m. ».
    """
    numbered = _numbered_styles(document)
    counters = [0, 0]
    entries = []
    for paragraph in document.paragraphs[start:]:
        level = _heading_level(paragraph)
        if level not in (1, 2) or not paragraph.text.strip():
            continue
        text = paragraph.text.strip()
        if numbered and not _unnumbered(paragraph):
            if level == 1:
                counters = [counters[0] + 1, 0]
                text = f"{counters[0]}. {text}"
            else:
                counters[1] += 1
                text = f"{counters[0]}.{counters[1]}. {text}"
        entries.append((text, level))
    return entries


def _insert_toc(document) -> None:
    """Replace the ``[[SOMMAIRE]]`` paragraph by a TOC field whose cached result lists the headings.

    The page numbers are filled in by :func:`tenderkit.render.toc.paginate` when LibreOffice is at hand
    (``build --pdf``), which then also drops ``w:updateFields``; until then Word recomputes the field on
    opening (``w:updateFields``) and other readers show the list of headings without page numbers.
    """
    paragraphs = document.paragraphs
    marker = next((p for p in paragraphs if p.text.strip() == TOC_MARKER), None)
    if marker is None:
        return
    headings = toc_entries(document, paragraphs.index(marker) + 1)
    styles = {s.name: s.style_id for s in document.styles}

    def run_with(child):
        run = OxmlElement("w:r")
        run.append(child)
        return run

    def field_char(kind: str):
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        return run_with(char)

    def text_run(text: str, tag: str = "w:t"):
        t = OxmlElement(tag)
        t.set(qn("xml:space"), "preserve")
        t.text = text
        return run_with(t)

    entries = headings or [("Mettre à jour la table des matières (clic droit, Mettre à jour les champs).", 1)]
    new_paragraphs = []
    for text, level in entries:
        p = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        if f"TOC {level}" in styles:
            pstyle = OxmlElement("w:pStyle")
            pstyle.set(qn("w:val"), styles[f"TOC {level}"])
            ppr.append(pstyle)
        else:
            ind = OxmlElement("w:ind")
            ind.set(qn("w:left"), str((level - 1) * 400))
            ppr.append(ind)
        p.append(ppr)
        if not new_paragraphs:
            p.extend([field_char("begin"), text_run(' TOC \\o "1-2" \\z \\u ', "w:instrText"),
                      field_char("separate")])
        p.append(text_run(text))
        p.append(run_with(OxmlElement("w:tab")))
        p.append(text_run(""))  # the page number, filled in by toc.paginate
        new_paragraphs.append(p)
    new_paragraphs[-1].append(field_char("end"))
    for element in new_paragraphs:
        marker._p.addprevious(element)
    marker._p.getparent().remove(marker._p)
    set_update_fields(document, True)


def set_update_fields(document, on: bool) -> None:
    """Ask Word to recompute fields on opening (its « update fields? » prompt), or stop asking."""
    settings = document.settings.element
    update = settings.find(qn("w:updateFields"))
    if on:
        if update is None:
            update = OxmlElement("w:updateFields")
            settings.append(update)
        update.set(qn("w:val"), "true")
    elif update is not None:
        settings.remove(update)


def set_properties(document, title: str, subject: str, author: str) -> None:
    """The file's properties (Word's « Informations », a PDF's title and author) name the document and the
    buyer, not the library that wrote it; the template's thumbnail (a blank page) is dropped."""
    properties = document.core_properties
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)
    properties.title, properties.subject = xml_safe(title)[:250], xml_safe(subject)[:250]
    properties.author = properties.last_modified_by = xml_safe(author)[:250]
    properties.comments = properties.keywords = properties.category = ""
    properties.language = "fr-FR"
    properties.created = properties.modified = now
    properties.revision = 1
    package = document.part.package
    for key, relationship in list(package.rels.items()):
        if relationship.reltype == RT.THUMBNAIL:
            del package.rels[key]


def render_docx(template: Path, context: Mapping[str, Any], target: Path,
                images: Mapping[str, tuple[Path, float]] | None = None, title: str = "") -> Path:
    """Render ``template`` with ``context`` into ``target`` (atomically).

    ``images`` maps a context key to a PNG and its width in millimetres; the template shows it with
    ``{{ key }}`` alone in a paragraph. ``title`` names the document in its properties, with the tender
    (subject) and the buyer (author) taken from the context.
    """
    doc = open_template(template)
    data = copy.deepcopy(dict(context))
    for key, (path, width) in (images or {}).items():
        data[key] = InlineImage(doc, str(path), width=Mm(width))
    try:
        doc.render(data, jinja_env=_RENDERING, autoescape=True)
    except TemplateError as error:
        raise TenderkitError(_("template {template} cannot be rendered: {error} (check it with `tenderkit "
                               "templates check {template}`).").format(template=template, error=error)) from None
    link_articles(doc.docx)
    _insert_toc(doc.docx)
    tender, buyer = data.get("tender") or {}, data.get("buyer") or {}
    set_properties(doc.docx, title, " — ".join(x for x in (tender.get("reference"), tender.get("title")) if x),
                   buyer.get("name") or "")
    return write_atomic(target, lambda temp: doc.save(str(temp)))
