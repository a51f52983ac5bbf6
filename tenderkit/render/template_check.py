"""`tenderkit templates check`: lint a (possibly Word-edited) docx template before the day it is needed.

The template's paragraphs are laid out one per line, in document order (body, tables, headers,
footers), so that a Jinja syntax error's line number names the paragraph. Then the template is rendered
against sample data with strict undefined variables, which finds misspelt variables and attributes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx.document import Document as DocumentObject
from docx.table import Table
from docx.text.paragraph import Paragraph
from jinja2 import ChainableUndefined, TemplateSyntaxError
from jinja2.utils import missing

from tenderkit.i18n import N_, _
from tenderkit.render.docx_template import jinja_environment, open_template

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_DOCXTPL_PREFIX = re.compile(r"(\{[{%])(p|tr|tc|r)\s")
_SMART_QUOTES = "“”„‘’«»"


@dataclass(frozen=True)
class TemplateProblem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def _paragraphs(container) -> Iterator[Paragraph]:
    for block in container.iter_inner_content():
        if isinstance(block, Paragraph):
            yield block
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    yield from _paragraphs(cell)


def _located_paragraphs(document: DocumentObject) -> Iterator[tuple[str, Paragraph]]:
    for index, paragraph in enumerate(_paragraphs(document), start=1):
        yield _("paragraph {index}").format(index=index), paragraph
    for number, section in enumerate(document.sections, start=1):
        for where, part in ((N_("header of section {number}, paragraph {index}"), section.header),
                            (N_("footer of section {number}, paragraph {index}"), section.footer)):
            if part.is_linked_to_previous and number > 1:
                continue
            for index, paragraph in enumerate(_paragraphs(part), start=1):
                yield _(where).format(number=number, index=index), paragraph


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return f"« {text[:70]}{'…' if len(text) > 70 else ''} »"


def check_template(path: Path, sample_context: Mapping[str, Any]) -> list[TemplateProblem]:
    """Every problem found in the template; an empty list means it renders with ``sample_context``."""
    document = open_template(path).get_docx()
    problems: list[TemplateProblem] = []
    lines: list[str] = []
    places: list[str] = []
    for where, paragraph in _located_paragraphs(document):
        text = paragraph.text
        runs = [run.text for run in paragraph.runs]
        for match in _TAG.finditer(text):
            tag = match.group(0)
            where_tag = f"{where} {_quote(text)}"
            if any(q in tag for q in _SMART_QUOTES):
                problems.append(TemplateProblem(where_tag, _("tag {tag} contains typographic quotes or « »; type "
                                                             "straight quotes ' or \" (disable AutoCorrect)")
                                                           .format(tag=tag)))
            if not any(tag in run for run in runs):
                problems.append(TemplateProblem(where_tag, _("tag {tag} is split across Word formatting runs; "
                                                             "retype it in one go with a single formatting")
                                                           .format(tag=tag)))
        if text.count("{{") != text.count("}}") or text.count("{%") != text.count("%}"):
            problems.append(TemplateProblem(f"{where} {_quote(text)}", _("a tag is not closed in this paragraph "
                                                                         "({{ needs }}, {% needs %})")))
        lines.append(_DOCXTPL_PREFIX.sub(r"\1 ", text))
        places.append(f"{where} {_quote(text)}")
    environment = jinja_environment()
    source = "\n".join(lines)
    try:
        environment.parse(source)
    except TemplateSyntaxError as error:
        where = places[error.lineno - 1] if error.lineno and error.lineno <= len(places) else str(path)
        return [*problems, TemplateProblem(where, _("syntax error: {message}").format(message=error.message))]

    unknown: list[tuple[str, bool]] = []

    class Recording(ChainableUndefined):
        """Renders as empty, but remembers every variable or field the sample data does not have."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if self._undefined_name and (self._undefined_name, self._undefined_obj is missing) not in unknown:
                unknown.append((self._undefined_name, self._undefined_obj is missing))

    environment.undefined = Recording
    try:
        environment.from_string(source).render(**sample_context)
    except Exception as error:  # a filter or test the sandbox refuses, a type error in an expression…
        problems.append(TemplateProblem(str(path), _("cannot be rendered: {error}").format(error=error)))
    for name, top_level in unknown:
        where = next((p for p, line in zip(places, lines, strict=True) if re.search(rf"\b{re.escape(name)}\b", line)),
                     str(path))
        if top_level:
            known = ", ".join(sorted(sample_context))
            problems.append(TemplateProblem(where, _("unknown variable '{name}' (known: {known})")
                                            .format(name=name, known=known)))
        else:
            problems.append(TemplateProblem(where, _("unknown field '{name}'").format(name=name)))
    return problems
