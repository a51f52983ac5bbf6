"""Rendering a docxtpl template safely: sandboxed, autoescaped, written atomically.

Untrusted text (buyer input, vendor answers) only ever travels in the context as data; it is cleaned of
XML-illegal characters beforehand (:func:`clean_context`) and escaped by docxtpl's autoescape.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment

from tenderkit.errors import TenderkitError
from tenderkit.output import write_atomic
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


def open_template(path: Path) -> DocxTemplate:
    if not path.is_file():
        raise TenderkitError(f"template {path} not found.")
    try:
        template = DocxTemplate(str(path))
        template.init_docx()  # docxtpl opens the file lazily: open it now to report a bad file here
        return template
    except Exception:  # python-docx raises various errors on a non-docx file
        raise TenderkitError(f"template {path} is not a Word .docx file.") from None


def _heading_level(paragraph) -> int | None:
    name = paragraph.style.name if paragraph.style is not None else ""
    if name.startswith("Heading ") and name[-1].isdigit():
        return int(name[-1])
    return None


def _insert_toc(document) -> None:
    """Replace the ``[[SOMMAIRE]]`` paragraph by a TOC field whose cached result lists the headings.

    Word recomputes the field (with page numbers) on opening, since ``w:updateFields`` is set; LibreOffice
    and any reader that does not update fields still show the list of headings.
    """
    paragraphs = document.paragraphs
    marker = next((p for p in paragraphs if p.text.strip() == TOC_MARKER), None)
    if marker is None:
        return
    start = paragraphs.index(marker)
    headings = [(p.text, level) for p in paragraphs[start + 1:]
                if (level := _heading_level(p)) in (1, 2) and p.text.strip()]

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
        ind = OxmlElement("w:ind")
        ind.set(qn("w:left"), str((level - 1) * 400))
        ppr.append(ind)
        p.append(ppr)
        if not new_paragraphs:
            p.extend([field_char("begin"), text_run(' TOC \\o "1-2" \\h \\z \\u ', "w:instrText"),
                      field_char("separate")])
        p.append(text_run(text))
        new_paragraphs.append(p)
    new_paragraphs[-1].append(field_char("end"))
    for element in new_paragraphs:
        marker._p.addprevious(element)
    marker._p.getparent().remove(marker._p)

    settings = document.settings.element
    update = settings.find(qn("w:updateFields"))
    if update is None:
        update = OxmlElement("w:updateFields")
        settings.append(update)
    update.set(qn("w:val"), "true")


def render_docx(template: Path, context: Mapping[str, Any], target: Path,
                images: Mapping[str, tuple[Path, float]] | None = None) -> Path:
    """Render ``template`` with ``context`` into ``target`` (atomically).

    ``images`` maps a context key to a PNG and its width in millimetres; the template shows it with
    ``{{ key }}`` alone in a paragraph.
    """
    doc = open_template(template)
    data = copy.deepcopy(dict(context))
    for key, (path, width) in (images or {}).items():
        data[key] = InlineImage(doc, str(path), width=Mm(width))
    try:
        doc.render(data, jinja_env=jinja_environment(), autoescape=True)
    except TemplateError as error:
        raise TenderkitError(f"template {template} cannot be rendered: {error} "
                             f"(check it with `tenderkit templates check {template}`).") from None
    _insert_toc(doc.docx)
    return write_atomic(target, lambda temp: doc.save(str(temp)))
