"""Cross-references between the articles of a rendered .docx, as Word fields rather than typed numbers.

A template marks the heading of an article with ``[[ANCRE:id]]`` and names it elsewhere with
``[[ART:id|3.2]]`` (3.2: the number it has now). After rendering, the heading gets a bookmark and each
mention becomes a ``REF … \\r`` field to it, showing 3.2: when the buyer deletes or moves an article, Word
(on updating fields, or printing) and LibreOffice (on opening) renumber every mention with it. A mention of
an article that has no anchor stays its number, as plain text.
"""

from __future__ import annotations

import copy
import re

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

ANCHOR = re.compile(r"\[\[ANCRE:([a-z0-9-]{1,60})\]\]")
MENTION = re.compile(r"\[\[ART:([a-z0-9-]{1,60})\|([0-9.]{1,12})\]\]")
FIRST_ID = 4000  # bookmark ids of their own (the template's, if any, are small)


def bookmark_name(anchor: str) -> str:
    """Word's rules: at most 40 characters, letters, digits and « _ »; a leading « _ » hides it."""
    return ("_Ref_" + anchor.replace("-", "_"))[:40]


def link_articles(document) -> None:
    body = document.element.body
    anchored = _place_bookmarks(body)
    for run in list(body.iter(qn("w:r"))):
        if any(t.text and "[[ART:" in t.text for t in run.findall(qn("w:t"))):
            _replace_run(run, anchored)


def _place_bookmarks(body) -> set[str]:
    anchored: set[str] = set()
    for paragraph in body.iter(qn("w:p")):
        for text in paragraph.iter(qn("w:t")):
            found = ANCHOR.search(text.text or "")
            if not found:
                continue
            text.text = ANCHOR.sub("", text.text)
            anchor = found.group(1)
            if anchor in anchored:
                continue
            number = str(FIRST_ID + len(anchored))
            start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
            start.set(qn("w:id"), number)
            start.set(qn("w:name"), bookmark_name(anchor))
            end.set(qn("w:id"), number)
            properties = paragraph.find(qn("w:pPr"))
            if properties is not None:
                properties.addnext(start)
            else:
                paragraph.insert(0, start)
            paragraph.append(end)
            anchored.add(anchor)
    return anchored


def _text(value: str):
    element = OxmlElement("w:t")
    element.set(qn("xml:space"), "preserve")
    element.text = value
    return element


def _run(properties, *children):
    run = OxmlElement("w:r")
    if properties is not None:
        run.append(copy.deepcopy(properties))
    run.extend(children)
    return run


def _field(properties, anchor: str, number: str) -> list:
    def char(kind: str):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" REF {bookmark_name(anchor)} \\r \\h "
    return [_run(properties, char("begin")), _run(properties, instruction), _run(properties, char("separate")),
            _run(properties, _text(number)), _run(properties, char("end"))]


def _replace_run(run, anchored: set[str]) -> None:
    """Split ``run`` around its mentions: text runs keep its formatting, each mention becomes a field."""
    properties = run.find(qn("w:rPr"))
    pieces: list = []
    pending: list = []

    def flush() -> None:
        if pending:
            pieces.append(_run(properties, *pending))
            pending.clear()

    for child in list(run):
        if child.tag == qn("w:rPr"):
            continue
        if child.tag != qn("w:t") or "[[ART:" not in (child.text or ""):
            pending.append(child)
            continue
        position = 0
        for mention in MENTION.finditer(child.text):
            if mention.start() > position:
                pending.append(_text(child.text[position:mention.start()]))
            anchor, number = mention.groups()
            if anchor in anchored:
                flush()
                pieces += _field(properties, anchor, number)
            else:
                pending.append(_text(number))
            position = mention.end()
        if position < len(child.text):
            pending.append(_text(child.text[position:]))
    flush()
    for piece in pieces:
        run.addprevious(piece)
    run.getparent().remove(run)
