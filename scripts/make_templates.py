"""Build the Word templates shipped in templates/ (run once; buyers then restyle them in Word).

    python scripts/make_templates.py

Each template is an ordinary .docx with docxtpl tags (``{{ … }}``, ``{%p … %}``, ``{%tr … %}``), each tag
typed in a single run so that Word and LibreOffice keep it intact. The variables each template may use are
those of the sample contexts in tenderkit/template_kinds.py, checked by ``tenderkit templates check``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from tenderkit.text import french_typography

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
BLUE = RGBColor(0x1F, 0x3A, 0x5F)
RED = RGBColor(0xA0, 0x1C, 0x1C)
FONT = "Arial"  # on every office PC; LibreOffice on Linux uses the metric-compatible Liberation Sans


def new_document(landscape: bool = False) -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_height, section.page_width = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.2))
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)

    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "fr-FR")
    rpr.append(lang)
    for name, size in (("Title", 24), ("Subtitle", 15), ("Heading 1", 15), ("Heading 2", 12.5), ("Heading 3", 11)):
        style = styles[name]
        style.font.name, style.font.size, style.font.color.rgb = FONT, Pt(size), BLUE
        style.font.bold = name != "Subtitle"
        style.font.italic = False
        rfonts = style.element.get_or_add_rPr().find(qn("w:rFonts"))
        if rfonts is not None:
            for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia", "w:asciiTheme", "w:hAnsiTheme"):
                if attr.endswith("Theme"):
                    rfonts.attrib.pop(qn(attr), None)
                else:
                    rfonts.set(qn(attr), FONT)
    _office_font_everywhere(doc)
    styles["Heading 1"].paragraph_format.space_before = Pt(18)
    styles["Heading 1"].paragraph_format.page_break_before = False
    styles["Heading 2"].paragraph_format.space_before = Pt(12)
    styles["Heading 2"].paragraph_format.keep_with_next = True
    styles["Heading 1"].paragraph_format.keep_with_next = True
    styles["List Bullet"].paragraph_format.space_after = Pt(2)
    styles["Title"].paragraph_format.space_after = Pt(12)
    return doc


HEADING_NUMBERING_ID = 90  # abstractNum and num id of the headings' multilevel list (clear of the template's)


def heading_numbering(doc: Document) -> None:
    """Real Word multilevel numbering « 1. », « 1.1. » bound to the Heading 1 and Heading 2 styles.

    One abstractNum whose levels name their style (w:pStyle), and each style's w:numPr pointing at it: Word
    and LibreOffice number the headings themselves, so an article deleted or pasted elsewhere renumbers.
    A heading that must stay unnumbered (preamble, annex) carries ``numId 0`` (see :func:`unnumbered`).
    """
    numbering = doc.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), str(HEADING_NUMBERING_ID))
    kind = OxmlElement("w:multiLevelType")
    kind.set(qn("w:val"), "multilevel")
    abstract.append(kind)
    for level, (style, text, indent) in enumerate((("Heading1", "%1.", 567), ("Heading2", "%1.%2.", 794))):
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(level))
        for tag_name, value in (("w:start", "1"), ("w:numFmt", "decimal"), ("w:pStyle", style),
                                ("w:lvlText", text), ("w:lvlJc", "left")):
            element = OxmlElement(tag_name)
            element.set(qn("w:val"), value)
            lvl.append(element)
        ppr = OxmlElement("w:pPr")
        ind = OxmlElement("w:ind")
        ind.set(qn("w:left"), str(indent))
        ind.set(qn("w:hanging"), str(indent))
        ppr.append(ind)
        lvl.append(ppr)
        abstract.append(lvl)
    last_abstract = numbering.findall(qn("w:abstractNum"))[-1]
    last_abstract.addnext(abstract)  # every abstractNum precedes every num (schema order)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), str(HEADING_NUMBERING_ID))
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), str(HEADING_NUMBERING_ID))
    num.append(ref)
    numbering.append(num)
    for level, name in enumerate(("Heading 1", "Heading 2")):
        ppr = doc.styles[name].element.get_or_add_pPr()
        ppr.insert(0, _num_pr(HEADING_NUMBERING_ID, level))


def _num_pr(num_id: int, level: int | None = None):
    num_pr = OxmlElement("w:numPr")
    if level is not None:
        ilvl = OxmlElement("w:ilvl")
        ilvl.set(qn("w:val"), str(level))
        num_pr.append(ilvl)
    num_id_element = OxmlElement("w:numId")
    num_id_element.set(qn("w:val"), str(num_id))
    num_pr.append(num_id_element)
    return num_pr


def unnumbered(paragraph):
    """A heading outside the article numbering (numId 0 removes the style's numbering)."""
    paragraph._p.get_or_add_pPr().insert(0, _num_pr(0))
    return paragraph


def toc_styles(doc: Document) -> None:
    """« TOC 1 » / « TOC 2 » paragraph styles: entries with a dotted tab to the page number at the margin."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
    section = doc.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    for level in (1, 2):
        style = doc.styles.add_style(f"TOC {level}", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        style.paragraph_format.space_after = Pt(3 if level == 1 else 1)
        style.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        style.font.bold = level == 1


def _office_font_everywhere(doc: Document) -> None:
    """Every style and the document defaults name FONT, never a theme font (Calibri Light, Cambria…) or
    Courier: a buyer restyling the template in Word gets the same font wherever a style is used."""
    for rfonts in doc.styles.element.iter(qn("w:rFonts")):
        for attr in list(rfonts.attrib):
            if attr.endswith("Theme") or attr.endswith("theme"):
                del rfonts.attrib[attr]
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            rfonts.set(qn(attr), FONT)


def add_field(paragraph, instruction: str, placeholder: str = "1") -> None:
    """A complex field (PAGE, NUMPAGES, TOC…) with a cached result."""
    def fld(kind: str):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            element.set(qn("w:dirty"), "true")
        run._r.append(element)

    fld("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    fld("separate")
    paragraph.add_run(placeholder)
    fld("end")


def footer(doc: Document, text: str) -> None:
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(french_typography(text) + " — page ")
    run.font.size = Pt(8.5)
    add_field(paragraph, "PAGE")
    paragraph.add_run(" / ").font.size = Pt(8.5)
    add_field(paragraph, "NUMPAGES")
    for run in paragraph.runs:
        run.font.size = Pt(8.5)
        run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)


def para(doc_or_cell, text: str = "", style: str | None = None, bold: bool = False, italic: bool = False,
         size: float | None = None, align=None, color: RGBColor | None = None):
    paragraph = doc_or_cell.add_paragraph(style=style)
    if text:
        run = paragraph.add_run(french_typography(text))
        run.bold, run.italic = bold or None, italic or None
        if size:
            run.font.size = Pt(size)
        if color:
            run.font.color.rgb = color
    if align is not None:
        paragraph.alignment = align
    return paragraph


def subheading(doc, text: str):
    """A bold blue line that opens a block (« Alertes »): never left alone at the foot of a page."""
    paragraph = para(doc, text, bold=True, color=BLUE)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def tag(doc, text: str):
    """A paragraph holding only a docxtpl block tag ({%p …%}); it disappears at render time."""
    return doc.add_paragraph(text)


def bullet_list(doc, loop: str, text: str, size: float | None = None) -> None:
    """One bulleted paragraph per item: ``{%p for <loop> %}`` … ``{%p endfor %}``."""
    tag(doc, f"{{%p for {loop} %}}")
    para(doc, text, style="List Bullet", size=size)
    tag(doc, "{%p endfor %}")


def clause_text(doc, blocks: str, size: float | None = None) -> None:
    """A clause's text blocks (see tenderkit.library.variables.clause_blocks): paragraphs and bullet lists."""
    tag(doc, f"{{%p for block in {blocks} %}}")
    tag(doc, "{%p if block.kind == 'bullets' %}")
    bullet_list(doc, "item in block.bullets", "{{ item }}", size)
    tag(doc, "{%p else %}")
    para(doc, "{{ block.text }}", size=size, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")


def page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def new_page(paragraph):
    """Start ``paragraph`` on a new page (page break before): never an empty page when the previous one is full."""
    paragraph.paragraph_format.page_break_before = True
    return paragraph


def shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def loop_table(doc, headers: list[str], cells: list[str], loop: str, widths: list[float], size: float = 9):
    """A table: a header row, then one row per item of ``loop`` (``{%tr for … %}`` rows around it)."""
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    header = table.rows[0]
    repeat_header(header)
    for cell, text in zip(header.cells, headers, strict=True):
        shade(cell, "1F3A5F")
        run = cell.paragraphs[0].add_run(french_typography(text))
        run.bold, run.font.size, run.font.color.rgb = True, Pt(size), RGBColor(0xFF, 0xFF, 0xFF)
    table.rows[1].cells[0].paragraphs[0].add_run(f"{{%tr for {loop} %}}")
    table.rows[2]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row never splits across pages
    for cell, text in zip(table.rows[2].cells, cells, strict=True):
        cell.paragraphs[0].add_run(text).font.size = Pt(size)
    table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    for grid_column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        grid_column.set(qn("w:w"), str(int(Cm(width).twips)))
    doc.add_paragraph()
    return table


def titled_table(doc, items: str, title: str, headers: list[str], cells: list[str], widths: list[float]) -> None:
    """A Heading 2 and a table of ``q in <items>``, both omitted when the list is empty."""
    tag(doc, f"{{%p if {items} %}}")
    para(doc, title, style="Heading 2")
    loop_table(doc, headers, cells, f"q in {items}", widths, size=8.5)
    tag(doc, "{%p endif %}")


def cover(doc, title: str, subtitle: str) -> None:
    para(doc, "{{ buyer.name }}", bold=True, size=13, color=BLUE)
    para(doc, "{{ buyer.address }}", size=9.5)
    for _ in range(5):
        doc.add_paragraph()
    para(doc, title, style="Title")
    para(doc, subtitle, style="Subtitle")
    doc.add_paragraph()
    para(doc, "Objet du marché : {{ tender.title }}", bold=True, size=12)
    para(doc, "Référence de la consultation : {{ tender.reference }}")
    tag(doc, "{%p if tender.lots %}")
    tag(doc, "{%p for lot in tender.lots %}")
    para(doc, "Lot {{ lot.number }} : {{ lot.title }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    para(doc, "Type de marché (ENISA) : {{ tender.procurement_type }}")
    para(doc, "Date : {{ date }}")


def cctp() -> Document:
    doc = new_document()
    heading_numbering(doc)
    toc_styles(doc)
    footer(doc, "{{ tender.reference }} — Annexe au CCTP : exigences de sécurité numérique")
    cover(doc, "Annexe au CCTP", "Exigences de sécurité numérique {{ subject.cover }}")
    new_page(unnumbered(para(doc, "Sommaire", style="TOC Heading")))
    para(doc, "[[SOMMAIRE]]")

    new_page(unnumbered(para(doc, "Préambule", style="Heading 1")))
    para(doc, "La présente annexe au cahier des clauses techniques particulières (CCTP) fixe les exigences de "
              "sécurité numérique applicables {{ subject.preamble }}. "
              "Elle s’appuie sur les recommandations de l’ANSM relatives à la cybersécurité des dispositifs "
              "médicaux intégrant du logiciel, sur les lignes directrices de l’ENISA pour la passation de marchés "
              "des hôpitaux et sur le questionnaire standardisé de l’AFIB.", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    para(doc, "Dans la présente annexe, « le titulaire » désigne le titulaire du marché et « l’établissement » "
              "désigne {{ buyer.designation }}. Le candidat remet avec son offre le questionnaire de sécurité "
              "numérique dûment complété ainsi que les pièces énumérées à l’article « Pièces à joindre à "
              "l’offre ». Les réponses au questionnaire et les pièces sont évaluées selon la méthode et les "
              "pondérations définies au règlement de la consultation ; les exigences signalées « Exigence "
              "minimale » doivent être satisfaites, faute de quoi l’offre est irrégulière. "
              "Les questions y sont désignées par leur numéro (par exemple « question 4.2.1 »).",
         align=WD_ALIGN_PARAGRAPH.JUSTIFY)

    tag(doc, "{%p for theme in themes %}")
    para(doc, "{{ theme.title }}", style="Heading 1")
    tag(doc, "{%p for clause in theme.clauses %}")
    para(doc, "{{ clause.anchor }}{{ clause.title }}", style="Heading 2")
    tag(doc, "{%p if clause.minimum %}")
    para(doc, "{{ clause.minimum }}", bold=True, size=9.5, color=RED).paragraph_format.keep_with_next = True
    tag(doc, "{%p endif %}")
    clause_text(doc, "clause.blocks")
    tag(doc, "{%p if clause.deliverables %}")
    para(doc, "Pièces à fournir : {{ clause.deliverables }}.", italic=True, size=9.5, color=BLUE)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")

    para(doc, "Pièces à joindre à l’offre", style="Heading 1")
    para(doc, "Le candidat joint à son offre les pièces suivantes, dans un format ouvert ou bureautique "
              "courant, et en indique le nom de fichier dans la feuille « Pièces à joindre » du questionnaire.")
    loop_table(doc, ["N°", "Pièce", "Contenu attendu", "Exigée par"],
               ["{{ d.number }}", "{{ d.title }}", "{{ d.description }}", "{{ d.required_by }}"],
               "d in deliverables", [1.0, 4.6, 6.4, 4.6])

    new_page(unnumbered(para(doc, "Annexe – Traçabilité des exigences", style="Heading 1")))
    para(doc, "Chaque article de la présente annexe met en œuvre des recommandations de l’ANSM et des bonnes "
              "pratiques de l’ENISA, et se vérifie par des questions du questionnaire de sécurité numérique "
              "(désignées par leur numéro dans le questionnaire).")
    loop_table(doc, ["Article", "ANSM", "ENISA", "Questions"],
               ["{{ t.ref }} {{ t.title }}", "{{ t.ansm }}", "{{ t.enisa }}", "{{ t.questions }}"],
               "t in trace", [6.0, 3.0, 2.6, 5.0])
    unnumbered(para(doc, "Recommandations de l’ANSM citées", style="Heading 2"))
    loop_table(doc, ["N°", "Recommandation", "Objectifs"], ["{{ r.id }}", "{{ r.title }}", "{{ r.objectives }}"],
               "r in ansm", [1.4, 12.8, 2.4])
    para(doc, "Objectifs de sécurité : C = confidentialité, D = disponibilité, I = intégrité, A = auditabilité.",
         italic=True, size=9)
    unnumbered(para(doc, "Bonnes pratiques de l’ENISA citées", style="Heading 2"))
    loop_table(doc, ["N°", "Bonne pratique"], ["{{ b.id }}", "{{ b.title }}"], "b in enisa", [1.4, 15.2])
    para(doc, "Sources : ANSM, « Cybersécurité des dispositifs médicaux intégrant du logiciel au cours de leur "
              "cycle de vie » ; ENISA, « Lignes directrices en matière de passation de marchés pour la "
              "cybersécurité des hôpitaux » ; AFIB, questionnaire standardisé de la sécurité numérique dans les "
              "procédures d’acquisition.", italic=True, size=9)
    return doc


def checklist() -> Document:
    doc = new_document()
    footer(doc, "{{ tender.reference }} — Aide-mémoire de l’acheteur (document interne)")
    para(doc, "{{ buyer.name }}", bold=True, size=12, color=BLUE)
    para(doc, "Aide-mémoire de l’acheteur", style="Title")
    para(doc, "Bonnes pratiques de cybersécurité pour la passation du marché (ENISA)", style="Subtitle")
    para(doc, "Objet du marché : {{ tender.title }} — référence {{ tender.reference }}", bold=True)
    para(doc, "Type de marché : {{ tender.procurement_type }}. Procédure : {{ procedure }}. Document interne, à ne "
              "pas joindre au DCE. Il rappelle ce que l’établissement doit faire en plus de l’annexe de sécurité du "
              "CCTP : d’abord les étapes de la consultation, cochées quand tenderkit les constate faites, puis "
              "chaque bonne pratique de l’ENISA qui concerne ce type de marché et ce profil, une fois, sous la "
              "première phase où elle s’engage ; la colonne « Phases » indique toutes celles qu’elle concerne. "
              "Date : {{ date }}.")
    para(doc, "Étapes de la consultation", style="Heading 1")
    loop_table(doc, ["Fait", "À faire", "État"], ["{{ t.mark }}", "{{ t.title }}", "{{ t.state }}"],
               "t in todos", [1.1, 9.4, 6.1])
    tag(doc, "{%p for phase in phases %}")
    para(doc, "À engager dès la {{ phase.title|lower }}", style="Heading 1")
    para(doc, "{{ phase.description }}", italic=True, size=9.5).paragraph_format.keep_with_next = True
    loop_table(doc, ["Fait", "N°", "Bonne pratique", "Phases", "Menaces"],
               ["☐", "{{ bp.id }}", "{{ bp.title }}", "{{ bp.phases }}", "{{ bp.threats }}"],
               "bp in phase.practices", [1.1, 1.2, 7.4, 3.0, 3.9])
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if buyer_notes %}")
    para(doc, "Notes de l’AFIB pour l’acheteur", style="Heading 1")
    para(doc, "Ces notes du questionnaire de l’AFIB s’adressent à l’établissement ; elles ne figurent pas dans "
              "le questionnaire remis aux candidats.", italic=True, size=9.5).paragraph_format.keep_with_next = True
    tag(doc, "{%p for n in buyer_notes %}")
    subheading(doc, "{{ n.sheet }}, section {{ n.section }}")
    bullet_list(doc, "note in n.notes", "{{ note }}", size=9.5)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    para(doc, "Sources : ENISA, « Lignes directrices en matière de passation de marchés pour la cybersécurité "
              "des hôpitaux » ; AFIB, questionnaire standardisé de la sécurité numérique dans les procédures "
              "d’acquisition.", italic=True, size=9)
    return doc


def blank_table(doc, headers: list[str], widths: list[float], rows: int, height: float, size: float = 9) -> None:
    """A table to fill in by hand (committee opinion, signatures): a header row and ``rows`` empty rows."""
    table = doc.add_table(rows=rows + 1, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        shade(cell, "1F3A5F")
        run = cell.paragraphs[0].add_run(french_typography(text))
        run.bold, run.font.size, run.font.color.rgb = True, Pt(size), RGBColor(0xFF, 0xFF, 0xFF)
    for row in table.rows[1:]:
        row.height = Cm(height)
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    for row in table.rows[:-1]:  # the table stays on one page
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    for grid_column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        grid_column.set(qn("w:w"), str(int(Cm(width).twips)))
    doc.add_paragraph()


def report() -> Document:
    doc = new_document()
    footer(doc, "{{ tender.reference }} — Rapport d’analyse des offres : sécurité numérique (confidentiel)"
                "{% if draft %} — PROJET{% endif %}")
    cover(doc, "Rapport d’analyse des offres", "Volet sécurité numérique — comité de sélection")
    para(doc, "Analyse du {{ review_date }} — {{ offer_count }}.", italic=True)
    tag(doc, "{%p if draft %}")
    para(doc, "PROJET — {{ draft }}", bold=True, color=RED)
    tag(doc, "{%p endif %}")
    page_break(doc)
    para(doc, "1. Contexte", style="Heading 1")
    para(doc, "{{ buyer_subject }} a inclus dans le dossier de consultation « {{ tender.title }} » (référence "
              "{{ tender.reference }}) une annexe de sécurité numérique au CCTP et le questionnaire standardisé de "
              "l’AFIB. Le présent rapport synthétise les réponses des candidats à ce questionnaire et les pièces "
              "fournies, selon la méthode publiée dans le règlement de la consultation. Conformément aux "
              "recommandations de l’AFIB, ces réponses éclairent la sélection sans constituer à elles seules un "
              "critère éliminatoire, hors exigences minimales ; le service informatique est associé à l’analyse.",
         align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    para(doc, "2. Méthode et pondérations", style="Heading 1")
    tag(doc, "{%p if published %}")
    para(doc, "{{ published }}", italic=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    tag(doc, "{%p endif %}")
    para(doc, "Régularité. Avant tout classement, chaque offre est examinée au regard des exigences du dossier de "
              "consultation (article L. 2152-2 du code de la commande publique) : une pièce exigée absente, une "
              "question obligatoire sans réponse ou une exigence minimale non satisfaite rendent l’offre "
              "irrégulière. Une offre irrégulière est éliminée (article R. 2152-1) ; elle n’est pas classée, ses "
              "notes étant indiquées pour information. {{ regularisation_rule }}",
         align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    tag(doc, "{%p if minimum %}")
    para(doc, "Exigences minimales fixées par le dossier de consultation :").paragraph_format.keep_with_next = True
    bullet_list(doc, "m in minimum", "{{ m }}")
    tag(doc, "{%p endif %}")
    para(doc, "Conformité. Seules les questions fermées pour lesquelles une réponse favorable est attendue sont "
              "notées, lorsqu’elles s’appliquent compte tenu des réponses précédentes du candidat (logigramme de "
              "l’AFIB). Une réponse favorable vaut 1 point, une réponse partielle (« oui, sous réserve… ») ½ point, "
              "une réponse défavorable, absente ou illisible 0 point. « Sans objet » retire la question de la note "
              "lorsque le questionnaire le propose ; sinon il fait l’objet d’une demande de précisions. La note de "
              "conformité, sur 100, est la moyenne des points de toutes les questions notées, chacune pesant son "
              "poids multiplié par celui de sa partie : une question de poids plus élevé compte toujours davantage, "
              "quel que soit le nombre de questions de sa partie.", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    loop_table(doc, ["Partie", "Pondération"], ["{{ p.label }}", "{{ p.weight }}"], "p in part_weights", [12.6, 4.0])
    tag(doc, "{%p if clause_weights %}")
    para(doc, "Les questions qui vérifient les clauses suivantes voient leur poids multiplié :")
    bullet_list(doc, "c in clause_weights", "{{ c.title }} : × {{ c.factor }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if question_weights %}")
    para(doc, "Les questions suivantes ont un poids propre (1 par défaut ; multiplicateur de clause compris) :")
    bullet_list(doc, "q in question_weights", "{{ q.number }} — {{ q.text }} : poids {{ q.weight }}")
    tag(doc, "{%p endif %}")
    para(doc, "Complétude. Elle mesure, sur 100, la part de ce que demande le dossier que l’offre fournit : c’est la "
              "moyenne de deux taux, celui des pièces demandées effectivement jointes à l’offre et celui des "
              "questions obligatoires applicables (de tout type) auxquelles le candidat a répondu de façon lisible. "
              "Une pièce annoncée comme fournie mais absente du dossier analysé n’est pas comptée.",
         align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    para(doc, "Note globale et classement. La note globale, sur 100, qui fixe le classement des offres régulières, "
              "pondère la conformité ({{ shares.conformity }}) et la complétude ({{ shares.completeness }}). Les "
              "notes sont calculées sans arrondi intermédiaire et affichées, dans ce rapport comme dans la grille, "
              "à une décimale, arrondie au plus proche (la demie vers le haut). Deux offres de même note affichée "
              "partagent le même rang. Valeur d’un point dans la note globale, lorsque toutes les questions "
              "notées s’appliquent :", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    loop_table(doc, ["Partie", "Poids de la question", "Questions", "Un point vaut"],
               ["{{ w.part }}", "{{ w.weight }}", "{{ w.count }}", "{{ w.worth }}"], "w in point_values",
               [6.0, 3.6, 3.0, 4.0])
    para(doc, "Les alertes signalent au comité les réponses défavorables aux questions sensibles ; elles "
              "informent et n’éliminent pas. Après la publication du dossier, les pondérations sont figées ; le "
              "comité peut corriger un point, en motivant chaque correction dans la grille.",
         align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    tag(doc, "{%p if edited_grid %}")
    para(doc, "Les pondérations et les points retenus dans le présent rapport sont ceux de la grille modifiée par le "
              "comité (fichier « {{ edited_grid }} »).", bold=True)
    tag(doc, "{%p endif %}")
    para(doc, "3. Régularité des offres et classement", style="Heading 1")
    loop_table(doc, ["Rang", "Candidat", "Régularité", "Note globale", "Conformité", "Complétude (%)", "Alertes",
                     "Pièces manquantes"],
               ["{{ v.rank_shown }}", "{{ v.name }}", "{{ v.regularity }}", "{{ v.total }}", "{{ v.conformity }}",
                "{{ v.completeness }}", "{{ v.flag_count }}", "{{ v.missing_count }}"], "v in vendors",
               [1.3, 3.4, 2.1, 1.7, 2.0, 2.2, 1.4, 2.2], size=8.5)
    tag(doc, "{%p if irregular %}")
    para(doc, "Offres irrégulières, éliminées et non classées (article R. 2152-1 du code de la commande publique) :",
         bold=True).paragraph_format.keep_with_next = True
    tag(doc, "{%p for v in irregular %}")
    para(doc, "{{ v.name }} : {{ v.reasons }}", style="List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if provisional %}")
    para(doc, "{{ provisional }}", italic=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    tag(doc, "{%p endif %}")
    para(doc, "{{ chart }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    para(doc, "{{ chart_caption }}", italic=True, size=9, align=WD_ALIGN_PARAGRAPH.CENTER)
    tag(doc, "{%p if failed %}")
    para(doc, "Fichiers reçus non évalués :", bold=True)
    bullet_list(doc, "f in failed", "{{ f }}")
    tag(doc, "{%p endif %}")
    para(doc, "4. Analyse par candidat", style="Heading 1")
    tag(doc, "{%p for v in vendors %}")
    para(doc, "4.{{ loop.index }}. {{ v.name }} — {{ v.heading }}", style="Heading 2")
    tag(doc, "{%p if v.irregularities %}")
    subheading(doc, "Régularité : offre {{ v.regularity }}")
    bullet_list(doc, "i in v.irregularities", "{{ i }}")
    tag(doc, "{%p endif %}")
    para(doc, "Conformité {{ v.conformity }}/100 ({{ v.parts }}) ; complétude {{ v.completeness }} % (réponses "
              "obligatoires {{ v.answers }}, pièces {{ v.documents }}).")
    subheading(doc, "Clauses conformes")
    tag(doc, "{%p if v.strengths %}")
    bullet_list(doc, "s in v.strengths", "{{ s }}")
    tag(doc, "{%p else %}")
    para(doc, "Aucune clause entièrement conforme.", italic=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if v.partial %}")
    subheading(doc, "Clauses partiellement conformes")
    bullet_list(doc, "s in v.partial", "{{ s }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if v.non_conforming %}")
    subheading(doc, "Clauses non conformes")
    bullet_list(doc, "s in v.non_conforming", "{{ s }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if v.not_filled %}")
    subheading(doc, "Clauses non renseignées")
    bullet_list(doc, "s in v.not_filled", "{{ s }}")
    tag(doc, "{%p endif %}")
    subheading(doc, "Alertes")
    tag(doc, "{%p if v.flags %}")
    loop_table(doc, ["Question", "Réponse", "Alerte", "Références"],
               ["{{ f.question }}", "{{ f.answer }}", "{{ f.reason }}", "{{ f.refs }}"], "f in v.flags",
               [5.6, 2.8, 5.0, 3.2], size=8.5)
    tag(doc, "{%p else %}")
    para(doc, "Aucune alerte.", italic=True)
    tag(doc, "{%p endif %}")
    subheading(doc, "Pièces manquantes et réponses à préciser")
    tag(doc, "{%p if v.missing %}")
    bullet_list(doc, "m in v.missing", "{{ m }}")
    tag(doc, "{%p else %}")
    para(doc, "Toutes les pièces demandées sont jointes à l’offre.", italic=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for s in v.follow_up %}")
    para(doc, "{{ s }}", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    para(doc, "5. Conclusion", style="Heading 1")
    para(doc, "Classement proposé", style="Heading 2")
    tag(doc, "{%p if ranking %}")
    para(doc, "Au vu des réponses au questionnaire de sécurité numérique et des pièces fournies, le classement "
              "suivant des offres régulières est proposé au comité pour le volet sécurité numérique :",
         align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    tag(doc, "{%p else %}")
    para(doc, "Aucune offre régulière ne peut être classée.", italic=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for r in ranking %}")
    para(doc, "{{ r.rank }}{% if r.tie %} (ex æquo){% endif %}. {{ r.name }} — note globale {{ r.total }}/100 "
              "({{ r.detail }}){% if r.provisional %}, rang provisoire dans l’attente de la régularisation"
              "{% endif %}").paragraph_format.left_indent = Cm(0.6)
    tag(doc, "{%p endfor %}")
    para(doc, "Points d’attention", style="Heading 2")
    tag(doc, "{%p if attention %}")
    tag(doc, "{%p for a in attention %}")
    para(doc, "{{ a.name }} : {{ a.text }}.", style="List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    para(doc, "Aucun point d’attention particulier.", italic=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for s in letters_note %}")
    para(doc, "{{ s }}", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if corrections %}")
    para(doc, "Corrections apportées par le comité", style="Heading 2")
    loop_table(doc, ["Candidat", "Question", "Points calculés", "Points retenus", "Motif"],
               ["{{ c.vendor }}", "{{ c.question }}", "{{ c.computed }}", "{{ c.points }}", "{{ c.reason }}"],
               "c in corrections", [3.2, 5.0, 2.0, 2.0, 4.4], size=8.5)
    tag(doc, "{%p endif %}")
    para(doc, "6. Avis du comité de sélection", style="Heading 1")
    opinion = para(doc, "Avis du comité sur le volet sécurité numérique des offres et sur le classement proposé :")
    opinion.paragraph_format.keep_with_next = True
    blank_table(doc, ["Avis du comité"], [16.6], rows=1, height=6.0)
    para(doc, "7. Signatures", style="Heading 1")
    para(doc, "Fait le ……………………, à ……………………").paragraph_format.keep_with_next = True
    blank_table(doc, ["Nom", "Qualité", "Signature"], [5.6, 6.0, 5.0], rows=4, height=1.6)
    para(doc, "Pour {{ buyer.designation }},", align=WD_ALIGN_PARAGRAPH.RIGHT)
    tag(doc, "{%p if signatory.delegation_line %}")
    para(doc, "{{ signatory.delegation_line }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    tag(doc, "{%p endif %}")
    para(doc, "{{ signatory.title }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    para(doc, "{{ signatory.name }}", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    return doc


def letter() -> Document:
    doc = new_document()
    footer(doc, "{{ tender.reference }} — {{ letter_title }} — {{ vendor.name }}{% if draft %} — PROJET{% endif %}")
    tag(doc, "{%p if draft %}")
    para(doc, "PROJET — {{ draft }}", bold=True, color=RED)
    tag(doc, "{%p endif %}")
    para(doc, "{{ buyer.name }}", bold=True, size=12, color=BLUE)
    para(doc, "{{ buyer.address }}", size=9.5)
    tag(doc, "{%p if contact_line %}")
    para(doc, "Contact : {{ contact_line }}", size=9.5)
    tag(doc, "{%p endif %}")
    doc.add_paragraph()
    para(doc, "{{ vendor.attention }}", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    para(doc, "Le {{ date }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    doc.add_paragraph()
    para(doc, "Objet : {{ letter_subject }} — {{ tender.title }} (référence {{ tender.reference }})", bold=True)
    para(doc, "Madame, Monsieur,")
    para(doc, "Dans le cadre de l’analyse des offres remises pour la consultation citée en objet, nous avons examiné "
              "le questionnaire de sécurité numérique et les pièces de votre offre.", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    tag(doc, "{%p if to_clarify %}")
    para(doc, "Demande de précisions", style="Heading 2")
    para(doc, "{{ basis }} Ces précisions ont pour seul objet d’éclairer le "
              "contenu de votre offre : elles ne peuvent ni la modifier, ni en modifier les caractéristiques "
              "essentielles, et toute réponse qui irait au-delà ne serait pas prise en compte.",
         align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    loop_table(doc, ["N°", "Question", "Votre réponse", "Précision attendue"],
               ["{{ q.number }}", "{{ q.section }} — {{ q.text }}", "{{ q.raw }}", "{{ q.why }}"], "q in to_clarify",
               [1.6, 7.2, 3.8, 4.0], size=8.5)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if regularise %}")
    para(doc, "Invitation à régulariser votre offre", style="Heading 2")
    para(doc, "Votre offre ne comporte pas les éléments ci-dessous ({{ missing_summary }}) ; elle est, à ce titre, "
              "irrégulière. En application de l’article R. 2152-2 du code de la commande publique, nous vous "
              "invitons à la régulariser en nous transmettant ces seuls éléments. Cette possibilité est offerte à "
              "tous les candidats dont l’offre est irrégulière pour les mêmes motifs. La régularisation ne peut "
              "avoir pour effet de modifier les caractéristiques substantielles de votre offre : les réponses du "
              "questionnaire qui sont notées ne peuvent être ni complétées ni modifiées.",
         align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    tag(doc, "{%p if missing %}")
    para(doc, "Pièces à transmettre :", bold=True).paragraph_format.keep_with_next = True
    loop_table(doc, ["N°", "Pièce", "Constat"], ["{{ d.number }}", "{{ d.title }}", "{{ d.finding }}"],
               "d in missing", [1.6, 9.6, 5.4], size=8.5)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if descriptive %}")
    para(doc, "Renseignements descriptifs à compléter (questions non notées) :", bold=True
         ).paragraph_format.keep_with_next = True
    loop_table(doc, ["N°", "Section", "Question"], ["{{ q.number }}", "{{ q.section }}", "{{ q.text }}"],
               "q in descriptive", [1.6, 4.6, 10.4], size=8.5)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")
    para(doc, "Modalités de réponse", style="Heading 2")
    para(doc, "Votre réponse est à transmettre au plus tard le {{ reply_by }}, {{ channel }}. Passé ce délai, "
              "l’analyse se poursuivra sur la base des éléments en notre possession.",
         align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    doc.add_paragraph()
    para(doc, "Nous vous prions d’agréer, Madame, Monsieur, l’expression de nos salutations distinguées.")
    doc.add_paragraph()
    tag(doc, "{%p if signatory.delegation_line %}")
    para(doc, "{{ signatory.delegation_line }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    tag(doc, "{%p endif %}")
    para(doc, "{{ signatory.title }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    para(doc, "{{ signatory.name }}", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    return doc


def rc_extract() -> Document:
    doc = new_document()
    footer(doc, "{{ tender.reference }} — Extrait du règlement de la consultation : sous-critère « sécurité "
                "numérique »")
    para(doc, "{{ buyer.name }}", bold=True, size=12, color=BLUE)
    para(doc, "Extrait du règlement de la consultation", style="Title")
    para(doc, "Sous-critère « sécurité numérique » — {{ tender.title }} (référence {{ tender.reference }})",
         style="Subtitle")
    para(doc, "Texte à reprendre dans le règlement de la consultation, à l’article relatif au jugement des offres "
              "et au contenu de l’offre. Publié le {{ published_on }}{{ amended }}.", italic=True, size=9.5)
    para(doc, "1. Contenu de l’offre", style="Heading 1")
    para(doc, "Pour le volet sécurité numérique, l’offre comprend, pour chaque candidat : le questionnaire de "
              "sécurité numérique remis dans le dossier de consultation, complété dans son format d’origine "
              "(classeur Excel, sans modification des questions), et les pièces énumérées ci-dessous, chacune "
              "jointe à l’offre sous la forme d’un fichier dont le nom est indiqué dans la feuille « Pièces à "
              "joindre » du questionnaire. Une pièce annoncée comme fournie mais absente de l’offre est réputée "
              "manquante.", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    loop_table(doc, ["N°", "Pièce", "Exigée par"], ["{{ d.number }}", "{{ d.title }}", "{{ d.required_by }}"],
               "d in deliverables", [1.2, 9.4, 6.0], size=9)
    para(doc, "Les questions signalées « obligatoire » du questionnaire appellent une réponse ; celles qui "
              "dépendent d’une réponse précédente ne sont dues que lorsque cette réponse les ouvre.",
         align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    para(doc, "2. Exigences minimales", style="Heading 1")
    tag(doc, "{%p if minimum %}")
    para(doc, "Les exigences suivantes de l’annexe de sécurité numérique au CCTP sont des exigences minimales. "
              "Une offre qui ne satisfait pas l’une d’elles — réponse défavorable à l’une des questions qui la "
              "vérifient — est irrégulière (article L. 2152-2 du code de la commande publique) :",
         align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    loop_table(doc, ["Exigence minimale", "Questions qui la vérifient"], ["{{ m.title }}", "{{ m.questions }}"],
               "m in minimum", [9.6, 7.0], size=9)
    tag(doc, "{%p else %}")
    para(doc, "Le volet sécurité numérique ne comporte pas d’exigence minimale : aucune réponse au questionnaire "
              "n’entraîne à elle seule l’irrégularité de l’offre.", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    tag(doc, "{%p endif %}")
    para(doc, "3. Régularité des offres", style="Heading 1")
    para(doc, "Est irrégulière, notamment, l’offre incomplète : pièce exigée absente, question obligatoire sans "
              "réponse, exigence minimale non satisfaite (article L. 2152-2). Les offres irrégulières sont "
              "éliminées (article R. 2152-1) ; elles ne sont pas notées au classement.",
         align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    para(doc, "Clause facultative, à retenir si l’acheteur le souhaite :", italic=True, size=9.5
         ).paragraph_format.keep_with_next = True
    para(doc, "« L’acheteur peut autoriser tous les soumissionnaires concernés à régulariser les offres "
              "irrégulières dans un délai approprié, à condition qu’elles ne soient pas anormalement basses "
              "(article R. 2152-2). La régularisation ne peut avoir pour effet de modifier des caractéristiques "
              "substantielles des offres : elle peut porter sur une pièce manquante ou un renseignement "
              "descriptif, jamais sur une réponse notée du questionnaire. »", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    para(doc, "4. Méthode de notation du sous-critère", style="Heading 1")
    para(doc, "Réponses notées. Seules les questions fermées (oui/non) pour lesquelles le questionnaire attend une "
              "réponse favorable sont notées, lorsqu’elles s’appliquent compte tenu des réponses précédentes du "
              "candidat. Une réponse favorable vaut 1 point ; une réponse favorable assortie de réserves (« oui, "
              "sous réserve… ») ½ point ; une réponse défavorable, illisible ou absente 0 point — une question "
              "notée laissée sans réponse rend en outre l’offre irrégulière. « Sans objet » retire la question de "
              "la note lorsque le questionnaire le propose ; ailleurs, il fait l’objet d’une demande de précisions.",
         align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    para(doc, "Note de conformité, sur 100 : moyenne des points de toutes les questions notées, chaque question "
              "pesant son poids multiplié par celui de sa partie. Pondération des parties :",
         align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    loop_table(doc, ["Partie du questionnaire", "Pondération"], ["{{ p.label }}", "{{ p.weight }}"],
               "p in part_weights", [12.6, 4.0], size=9)
    tag(doc, "{%p if clause_weights %}")
    para(doc, "Le poids des questions qui vérifient les exigences suivantes est multiplié :")
    bullet_list(doc, "c in clause_weights", "{{ c.title }} : × {{ c.factor }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if question_weights %}")
    para(doc, "Les questions suivantes ont un poids propre (1 par défaut) :")
    bullet_list(doc, "q in question_weights", "{{ q.number }} — {{ q.text }} : poids {{ q.weight }}")
    tag(doc, "{%p endif %}")
    para(doc, "Note de complétude, sur 100 : moyenne de deux taux, celui des pièces demandées jointes à l’offre et "
              "celui des questions obligatoires applicables (de tout type) auxquelles le candidat a répondu de "
              "façon lisible.", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    para(doc, "Note du sous-critère, sur 100 : conformité {{ shares.conformity }}, complétude "
              "{{ shares.completeness }}. Les notes sont calculées sans arrondi intermédiaire et arrondies à une "
              "décimale (la demie vers le haut) ; deux offres de même note arrondie partagent le même rang. "
              "Valeur d’un point dans la note du sous-critère, lorsque toutes les questions notées "
              "s’appliquent :", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    loop_table(doc, ["Partie", "Poids de la question", "Questions", "Un point vaut (sur 100)"],
               ["{{ w.part }}", "{{ w.weight }}", "{{ w.count }}", "{{ w.worth }}"], "w in point_values",
               [6.0, 3.6, 3.0, 4.0], size=9)
    para(doc, "Pondération du sous-critère « sécurité numérique » dans le critère de la valeur technique : "
              "…… % (à compléter par l’acheteur).", bold=True)
    para(doc, "5. Demandes de précisions", style="Heading 1")
    para(doc, "{{ clarification }}", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    return doc


def fiche() -> Document:
    doc = new_document()
    footer(doc, "{{ tender.reference }} — Fiche d’identification de l’application — {{ vendor.name }}")
    para(doc, "{{ buyer.name }}", bold=True, size=12, color=BLUE)
    para(doc, "Fiche d’identification de l’application", style="Title")
    para(doc, "{{ vendor.name }} — {{ tender.title }}", style="Subtitle")
    para(doc, "Pré-remplie le {{ date }} à partir des réponses du titulaire au questionnaire de sécurité numérique "
              "(référence {{ tender.reference }}). À vérifier lors de l’installation, puis à tenir à jour pendant "
              "toute la durée de vie de l’équipement.", italic=True, size=9.5)
    loop_table(doc, ["Rubrique", "Informations"], ["{{ f.label }}", "{{ f.text }}"], "f in fields", [4.6, 12.0])
    subheading(doc, "À compléter lors de l’installation")
    table = loop_table(doc, ["Rubrique", "Valeur"], ["{{ label }}", ""], "label in installation", [4.6, 12.0])
    table.rows[2].height = Cm(0.9)
    tag(doc, "{%p for g in groups %}")
    para(doc, "{{ g.title }}", style="Heading 2")
    bullet_list(doc, "item in g.entries", "{{ item }}")
    tag(doc, "{%p endfor %}")
    para(doc, "Répartition des responsabilités", style="Heading 1")
    para(doc, "{{ responsibilities.note }}", italic=True, size=9.5)
    loop_table(doc, ["Service biomédical", "Service informatique"], ["{{ r.biomedical }}", "{{ r.it }}"],
               "r in responsibilities.rows", [8.3, 8.3])
    para(doc, "Sous la responsabilité du service biomédical :", bold=True)
    bullet_list(doc, "item in responsibilities.perimeter", "{{ item }}")
    para(doc, "Source : AFIB, « La cybersécurité et les dispositifs médicaux » (fiche d’identification de "
              "l’application).", italic=True, size=9)
    return doc


def rgpd_annex() -> Document:
    """« Annexe RGPD — clauses de sous-traitance (article 28 du RGPD) »: the project's wording of article 28,
    with the buyer's variables (``v``)."""
    doc = new_document()
    footer(doc, "{{ tender.reference }} — Annexe RGPD : clauses de sous-traitance (article 28 du RGPD)")
    para(doc, "{{ buyer.name }}", bold=True, size=12, color=BLUE)
    para(doc, "{{ title }}", style="Title")
    para(doc, "{{ tender.title }} — référence {{ tender.reference }}", style="Subtitle")
    para(doc, "La présente annexe fait partie du dossier de consultation. Elle lie {{ buyer.name }}, responsable "
              "du traitement, ci-après « l’établissement », et le titulaire du marché, sous-traitant au sens de "
              "l’article 28 du règlement (UE) 2016/679 (RGPD), ci-après « le titulaire ». Le candidat la signe et "
              "la joint à son offre (question du questionnaire de sécurité numérique « Signer les clauses "
              "spécifiques RGPD en annexe ») ; elle s’applique au titulaire dès la notification du marché.",
         align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    sections = [
        ("1. Objet et durée",
         ["La présente annexe fixe les conditions dans lesquelles le titulaire traite, pour le compte de "
          "l’établissement, les données à caractère personnel nécessaires à l’exécution du marché "
          "« {{ tender.title }} ». Elle s’applique pendant toute la durée du marché, puis jusqu’à la restitution "
          "et à la suppression des données prévues à l’article 9."]),
        ("2. Nature et finalité du traitement",
         ["Le titulaire traite les données pour {{ v.finalite_traitement }}. Les opérations de traitement sont "
          "celles que cette finalité exige : enregistrement, conservation, consultation, transmission, sauvegarde, "
          "restitution et effacement. Il ne traite les données pour aucune autre finalité."]),
        ("3. Catégories de données et de personnes concernées",
         ["Personnes concernées : {{ v.categories_personnes }}.",
          "Données traitées : {{ v.categories_donnees }}. Les données de santé sont des données sensibles au sens "
          "de l’article 9 du RGPD."]),
        ("4. Obligations du titulaire", ["Le titulaire s’engage à :"]),
    ]
    obligations = [
        "traiter les données uniquement sur instruction documentée de l’établissement, y compris pour les "
        "transferts vers un pays tiers, et l’informer immédiatement si une instruction lui paraît contraire au RGPD ;",
        "garantir la confidentialité des données et veiller à ce que les personnes autorisées à les traiter "
        "s’engagent à la respecter et reçoivent la formation nécessaire ;",
        "tenir le registre des activités de traitement effectuées pour le compte de l’établissement (article 30, "
        "paragraphe 2, du RGPD) ;",
        "communiquer à l’établissement le nom et les coordonnées de son délégué à la protection des données, "
        "s’il en a désigné un.",
    ]
    later = [
        ("5. Sous-traitants ultérieurs",
         ["Le candidat joint à son offre la liste de ses sous-traitants ultérieurs, avec leur rôle et le lieu "
          "du traitement. Le titulaire ne recrute pas d’autre sous-traitant sans l’autorisation écrite préalable "
          "de l’établissement et l’informe de tout changement envisagé, auquel il peut s’opposer. Il impose à "
          "chacun les obligations de la présente annexe et demeure pleinement responsable de leur exécution "
          "devant l’établissement."]),
        ("6. Sécurité des données",
         ["Le titulaire met en œuvre les mesures techniques et organisationnelles appropriées de l’article 32 du "
          "RGPD, notamment celles de l’annexe au CCTP relative à la sécurité numérique : chiffrement des données en "
          "transit et au repos, contrôle des accès, journalisation, sauvegardes et tests de restauration."]),
    ]
    hosting = ("Les données sont hébergées et traitées dans {{ v.zone_hebergement }} ; les données de santé sont "
               "hébergées par un hébergeur certifié « hébergeur de données de santé » (HDS), conformément à "
               "l’article L.1111-8 du code de la santé publique.")
    end = [
        ("7. Notification des violations de données",
         ["Le titulaire notifie à l’établissement ({{ v.contact_protection_donnees }}) toute violation de données à "
          "caractère personnel dans un délai maximal de {{ v.delai_notification_violation }} après en avoir pris "
          "connaissance. La notification donne les informations de l’article 33, paragraphe 3, du RGPD (nature de "
          "la violation, catégories et nombre approximatif de personnes et d’enregistrements concernés, "
          "conséquences probables, mesures prises ou envisagées), pour que l’établissement puisse notifier la "
          "CNIL dans les 72 heures et, le cas échéant, informer les personnes concernées."]),
        ("8. Assistance à l’établissement",
         ["Le titulaire aide l’établissement à répondre aux demandes d’exercice des droits des personnes "
          "concernées (articles 12 à 22 du RGPD), à réaliser les analyses d’impact relatives à la protection des "
          "données et, le cas échéant, la consultation préalable de la CNIL (articles 35 et 36), et à respecter "
          "ses obligations de sécurité et de notification (articles 32 à 34)."]),
        ("9. Fin du marché : restitution et suppression des données",
         ["Au terme du marché, quelle qu’en soit la cause, le titulaire restitue à l’établissement l’ensemble des "
          "données dans un délai maximal de {{ v.delai_restitution }}, dans un format ouvert et exploitable, puis "
          "supprime toutes les copies qu’il détient, sauvegardes comprises, sauf obligation légale de "
          "conservation. Il remet à l’établissement un procès-verbal de suppression."]),
        ("10. Audits",
         ["Le titulaire met à la disposition de l’établissement toutes les informations nécessaires pour "
          "démontrer le respect de ses obligations et permet la réalisation d’audits, y compris d’inspections, "
          "par l’établissement ou par un auditeur qu’il mandate (article 28, paragraphe 3, point h, du RGPD)."]),
    ]
    for title, paragraphs in sections:
        para(doc, title, style="Heading 1")
        for text in paragraphs:
            para(doc, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    for text in obligations:
        para(doc, text, style="List Bullet")
    for title, paragraphs in later:
        para(doc, title, style="Heading 1")
        for text in paragraphs:
            para(doc, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    tag(doc, "{%p if hosting %}")
    para(doc, hosting, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    tag(doc, "{%p endif %}")
    for title, paragraphs in end:
        para(doc, title, style="Heading 1")
        for text in paragraphs:
            para(doc, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    subheading(doc, "Signature du candidat")
    blank_table(doc, ["Nom, prénom et qualité du signataire", "Date", "Signature et cachet"], [6.6, 3.4, 6.6],
                rows=1, height=2.6)
    return doc


BUILDERS = {"cctp.docx": cctp, "checklist.docx": checklist, "report.docx": report, "letter.docx": letter,
            "rc_extract.docx": rc_extract,
            "fiche.docx": fiche, "rgpd_annex.docx": rgpd_annex}


def main(names: list[str]) -> None:
    TEMPLATES.mkdir(exist_ok=True)
    for name, build in BUILDERS.items():
        if names and name not in names:
            continue
        build().save(TEMPLATES / name)
        print(f"wrote {TEMPLATES / name}")


if __name__ == "__main__":
    main(sys.argv[1:])
