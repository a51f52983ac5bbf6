"""The DCE as vendors read it: every published document printed through LibreOffice, asserted on its PDF text.

Three profiles (issue 9): a standalone device, a networked device with servers, hosted software (data hosted
outside the hospital). Each is built once with ``build --pdf``; tests read the PDFs with pdfplumber.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pdfplumber
import pytest
from docx import Document
from helpers import make_tender

from tenderkit import layout
from tenderkit.generate import build_documents, finish_documents
from tenderkit.office import convert
from tenderkit.parse.parser import Expectation
from tenderkit.tender.loaded import load_tender
from tenderkit.vendor_sim import Plan, Typed, fill_xlsx, print_to_pdf, resave_with_libreoffice

PROFILES = {
    "standalone": {"network_connected": False, "servers": False, "telemaintenance": False, "patient_data": True,
                   "external_hosting": False},
    "networked": {"network_connected": True, "servers": True, "telemaintenance": True, "patient_data": True,
                  "external_hosting": False},
    "hosted": {"network_connected": True, "servers": False, "telemaintenance": True, "patient_data": True,
               "external_hosting": True},
}
QUESTION_ID = re.compile(r"\bp[1-4]-[a-z0-9]+(-[a-z0-9]+)*")
TOC_LINE = re.compile(r"^(.+?)\s*\.{4,}\s*(\d+)$")


def pdf_pages(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def pdf_words(path: Path) -> set[str]:
    with pdfplumber.open(path) as pdf:
        return {w["text"] for page in pdf.pages for w in page.extract_words()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """kind → (loaded tender, paths incl. PDFs, PDF text of cctp / questionnaire / checklist)."""
    result = {}
    for name, profile in PROFILES.items():
        loaded = load_tender(make_tender(tmp_path_factory.mktemp(name) / "tender", profile=profile))
        paths = build_documents(loaded)
        paths.update(finish_documents(paths, pdf=True))
        checklist_pdf = convert(paths["checklist"], "pdf", paths["checklist"].parent / "pdf")
        texts = {"cctp": pdf_pages(paths["cctp_pdf"]), "questionnaire": pdf_pages(paths["questionnaire_pdf"]),
                 "checklist": pdf_pages(checklist_pdf)}
        result[name] = (loaded, {**paths, "checklist_pdf": checklist_pdf}, texts)
    return result


@pytest.mark.parametrize("name", PROFILES)
def test_no_question_id_in_what_vendors_read(built, name):
    loaded, _, texts = built[name]
    for kind in ("cctp", "questionnaire"):
        text = "\n".join(texts[kind])
        assert not QUESTION_ID.search(text), (kind, QUESTION_ID.search(text).group(0))
        assert not any(d.id in text for d, _ in loaded.selection.deliverables), kind
    questionnaire = "\n".join(texts["questionnaire"])
    assert re.search(r"Si « Oui » à la\s+question\s+\d\.\d+\.\d+", questionnaire)  # show_if help: the number
    cctp = "\n".join(texts["cctp"])
    assert re.search(r"questionnaire, question \d\.\d+\.\d+", cctp)  # deliverables table


@pytest.mark.parametrize("name", PROFILES)
def test_cctp_has_no_blank_page_and_a_right_table_of_contents(built, name):
    _, paths, texts = built[name]
    pages = texts["cctp"]
    for number, text in enumerate(pages, start=1):
        body = [line for line in text.splitlines() if "— page" not in line]
        assert body, f"page {number} is blank"
    entries = toc_entries(pages)
    assert len(entries) > 10
    for title, page in entries:
        lines = [line.strip() for line in pages[page - 1].splitlines()]
        assert title in lines, f"« {title} » is not on page {page}"
    settings = zipfile.ZipFile(paths["cctp"]).read("word/settings.xml").decode()
    assert "updateFields" not in settings  # the cached TOC is right: Word has nothing to ask


def test_cctp_headings_use_word_multilevel_numbering(built):
    _, paths, texts = built["networked"]
    with zipfile.ZipFile(paths["cctp"]) as docx:
        numbering = docx.read("word/numbering.xml").decode()
        styles = docx.read("word/styles.xml").decode()
        document = docx.read("word/document.xml").decode()
    assert re.search(r'<w:lvl w:ilvl="1">.*?<w:pStyle w:val="Heading2"/>', numbering, re.S)
    heading2 = re.search(r'<w:style [^>]*w:styleId="Heading2".*?</w:style>', styles, re.S).group(0)
    assert "<w:numPr>" in heading2
    assert "Article 1" not in document
    headings = [p.text for p in Document(str(paths["cctp"])).paragraphs if p.style.name.startswith("Heading")]
    assert headings and not any(h[:1].isdigit() for h in headings)  # no number typed as text
    assert "1.1. Droit d’audit" in "\n".join(texts["cctp"])  # … but numbered on the page


@pytest.mark.parametrize("name", PROFILES)
def test_table_headers_never_split_mid_word(built, name):
    _, paths, _ = built[name]
    headers = {"cctp_pdf": ["Pièce", "Contenu", "attendu", "Exigée", "Article", "ANSM", "ENISA", "Questions",
                            "Recommandation", "Objectifs", "Bonne", "pratique"],
               "questionnaire_pdf": [w for title in layout.PART_COLUMNS[1:7] for w in title.split()],
               "checklist_pdf": ["Fait", "Bonne", "pratique", "Phases", "Menaces"]}
    for kind, expected in headers.items():
        words = pdf_words(paths[kind])
        missing = [w for w in expected if w not in words]
        assert not missing, (kind, missing)


def test_hds_demanded_exactly_when_hosting_applies(built):
    for name, (_, _, texts) in built.items():
        published = "\n".join(texts["cctp"] + texts["questionnaire"])
        hosting = PROFILES[name]["external_hosting"]
        assert ("Certificat d’hébergeur de données de santé" in published) == hosting, name
        assert ("L.1111-8" in "\n".join(texts["cctp"])) == hosting, name
        assert ("hors du territoire national" in published) == hosting, name
        assert ("l’hébergeur est certifié" in "\n".join(texts["questionnaire"])) == hosting, name
        assert "ASIP" not in published, name  # the seed's « agréé … par l’ASIP », corrected


def test_hds_needs_health_data_hosted_outside(tmp_path):
    """Art. L.1111-8 CSP: the HDS certification concerns personal health data; hosting other data asks none."""
    no_health_data = {**PROFILES["hosted"], "patient_data": False}
    selection = load_tender(make_tender(tmp_path / "t", profile=no_health_data)).selection
    assert "hebergement-donnees-sante" not in {c.id for c in selection.clauses}
    assert "certificat-hds" not in {d.id for d, _ in selection.deliverables}
    assert not {"p4-hebergement-titulaire", "p4-hebergeur-hds"} & set(selection.questions)


def test_instructions_name_only_the_extra_rows_sheets_sent(built):
    line = {name: next(line for line in " ".join(texts["questionnaire"][0].split()).split("•")
                       if "Pour plusieurs" in line) for name, (_, _, texts) in built.items()}
    assert "« Postes informatiques », « Serveurs » et « Logiciels »" in line["networked"]
    for name in ("standalone", "hosted"):  # servers: no
        assert "Serveurs" not in line[name] and "serveurs" not in line[name], line[name]
        assert "« Postes informatiques » et « Logiciels »" in line[name]


def test_documents_name_the_tender_and_the_buyer_in_their_properties(built):
    loaded, paths, _ = built["networked"]
    for kind in ("cctp", "checklist"):
        with zipfile.ZipFile(paths[kind]) as docx:
            core = docx.read("docProps/core.xml").decode()
            assert not any("thumbnail" in name for name in docx.namelist())
        assert f"<dc:creator>{loaded.tender.buyer.name}</dc:creator>" in core and "python-docx" not in core
        assert loaded.tender.reference in core and "<dc:language>fr-FR</dc:language>" in core
    with pdfplumber.open(paths["cctp_pdf"]) as pdf:
        assert pdf.metadata.get("Author") == loaded.tender.buyer.name
        assert pdf.metadata.get("Title", "").startswith("Annexe au CCTP")


def test_servers_no_sends_no_server_part(built):
    networked, standalone, hosted = (built[n][0].selection for n in ("networked", "standalone", "hosted"))
    assert len(hosted.questions) < len(networked.questions)
    for selection in (standalone, hosted):
        assert not any(q.group == "serveur" for q in selection.questions.values())
        assert "p2-besoin-serveurs" not in selection.questions
    text = "\n".join(built["hosted"][2]["questionnaire"])
    assert "Caractéristiques du serveur" not in text and "Serveurs supplémentaires" not in text
    assert "Description générique des logiciels proposés" in text  # the rest of part 2 stays
    assert "Caractéristiques du serveur" in "\n".join(built["networked"][2]["questionnaire"])


def test_standalone_device_is_asked_no_network_deliverable(built):
    selection = built["standalone"][0].selection
    asked = {d.id for d, _ in selection.deliverables}
    assert not asked & {"matrice-flux", "schema-architecture", "certificat-hds", "preuve-hors-territoire",
                        "ip-telemaintenance", "engagement-confidentialite"}
    assert {"certificat-hds", "matrice-flux"} <= {d.id for d, _ in built["hosted"][0].selection.deliverables}


def test_buyer_notes_go_to_the_checklist_not_to_vendors(built):
    for name, (_, _, texts) in built.items():
        questionnaire, checklist = "\n".join(texts["questionnaire"]), "\n".join(texts["checklist"])
        for note in ("l’AFIB utilise le terme", "les cybercriminels adoptent", "étroite collaboration avec le "
                                                                                 "service informatique"):
            assert note not in questionnaire, (name, note)
        assert "l’AFIB utilise le terme" in checklist, name
    assert "les cybercriminels adoptent" in "\n".join(built["networked"][2]["checklist"])


def test_checklist_lists_each_practice_once_for_the_profile(built):
    for name, (loaded, paths, _) in built.items():
        document = Document(str(paths["checklist"]))
        ids = [row.cells[1].text for table in document.tables[1:] for row in table.rows[1:]]  # [0]: the to-dos
        assert ids and len(ids) == len(set(ids)), name
        assert ("BP4" in ids) == PROFILES[name]["network_connected"], name  # Wi-Fi practice
        assert set(ids) == {bp.id for bp in loaded.selection.good_practices}


def test_office_fonts_everywhere(built):
    _, paths, _ = built["networked"]
    for kind in ("cctp", "checklist"):
        with zipfile.ZipFile(paths[kind]) as docx:
            xml = docx.read("word/styles.xml").decode() + docx.read("word/document.xml").decode()
        fonts = set(re.findall(r'w:ascii="([^"]+)"', xml))
        assert fonts == {"Arial"}, (kind, fonts)
        assert "Theme" not in "".join(re.findall(r"<w:rFonts[^>]*>", xml)), kind
    with zipfile.ZipFile(paths["questionnaire"]) as xlsx:
        fonts = set(re.findall(r'<name val="([^"]+)"', xlsx.read("xl/styles.xml").decode()))
    assert fonts <= {"Arial", "Calibri"}, fonts
    with pdfplumber.open(paths["cctp_pdf"]) as pdf:
        used = {c["fontname"].split("+")[-1] for page in pdf.pages for c in page.chars}
    assert all(f.startswith(("LiberationSans", "OpenSymbol")) for f in used), used


@pytest.mark.parametrize("resave", [False, True], ids=["filled", "filled-then-resaved-by-libreoffice"])
def test_long_answer_is_entirely_printed(built, tmp_path, resave):
    _, paths, _ = built["networked"]
    words = [f"mot{index:03d}" for index in range(85)]
    text = "Réponse longue : " + " ".join(words) + "."
    assert len(text) >= 600
    plan = Plan("Fournisseur", answers={"p1-designation": Typed(text, text),
                                        "p4-restauration-perte-donnees": Typed(text, text)})
    filled = fill_xlsx(paths["questionnaire"], plan, tmp_path / "filled.xlsx")
    if resave:
        filled = resave_with_libreoffice(filled, tmp_path / "resaved.xlsx")
    printed = " ".join(pdf_pages(print_to_pdf(filled, tmp_path / "printed.pdf")))
    assert [w for w in words if printed.count(w) != 2] == []
    book = openpyxl.load_workbook(filled)
    sheet = book[next(s for s in book.sheetnames if s.startswith("1 "))]
    assert sheet.column_dimensions["F"].width >= 40 and sheet.cell(row=7, column=6).alignment.wrap_text


@pytest.mark.parametrize("name", PROFILES)
def test_no_printed_text_runs_across_a_table_rule(built, name):
    """Every row of the printed questionnaire is as high as its wrapped texts: no word sits across the rule
    under its cell (a row too low prints its last line over the next row's border)."""
    crossing = []
    with pdfplumber.open(built[name][1]["questionnaire_pdf"]) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            rules = [e for e in page.edges if e["orientation"] == "h"]
            crossing += [(number, word["text"]) for word in page.extract_words()
                         if any(rule["x0"] <= word["x0"] and word["x1"] <= rule["x1"]
                                and word["top"] + 1.5 < rule["top"] < word["bottom"] - 1.5 for rule in rules)]
    assert crossing == []


def test_questionnaire_rows_have_automatic_heights(built):
    _, paths, _ = built["networked"]
    with zipfile.ZipFile(paths["questionnaire"]) as xlsx:
        sheets = [xlsx.read(n).decode() for n in xlsx.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any('customHeight="1"' in sheet for sheet in sheets)


def test_build_pdf_cli(run, tmp_path):
    folder = make_tender(tmp_path / "t", profile=PROFILES["hosted"])
    result = run("build", folder, "--pdf", "--json")
    assert result.exit_code == 0, result.output
    paths = json.loads(result.output)
    for key in ("cctp", "questionnaire", "checklist", "cctp_pdf", "questionnaire_pdf"):
        assert Path(paths[key]).is_file(), key
    assert paths["cctp_pdf"].endswith(".pdf") and Path(paths["questionnaire_pdf"]).stat().st_size > 10_000


def toc_entries(pages: list[str]) -> list[tuple[str, int]]:
    toc = [TOC_LINE.match(line) for page in pages[1:3] for line in page.splitlines()]
    return [(m.group(1), int(m.group(2))) for m in toc if m]


def test_plain_build_writes_an_annex_whose_table_of_contents_is_numbered(run, tmp_path):
    """Without --pdf too: the .docx as the buyer opens it (here: LibreOffice, which does not recompute the
    field) shows every entry with the page its heading is on, and Word has nothing to ask."""
    folder = make_tender(tmp_path / "t", profile=PROFILES["networked"])
    result = run("build", folder, "--json")
    assert result.exit_code == 0, result.output
    cctp = Path(json.loads(result.output)["cctp"])
    pages = pdf_pages(convert(cctp, "pdf", tmp_path / "opened"))
    entries = toc_entries(pages)
    assert len(entries) > 10
    for title, page in entries:
        assert title in [line.strip() for line in pages[page - 1].splitlines()], (title, page)
    assert "updateFields" not in zipfile.ZipFile(cctp).read("word/settings.xml").decode()


def test_plain_build_without_libreoffice_asks_word_to_number_the_contents(run, tmp_path, monkeypatch):
    monkeypatch.setattr("tenderkit.office.shutil.which", lambda name: None)
    folder = make_tender(tmp_path / "t")
    result = run("build", folder)
    assert result.exit_code == 0, result.output
    said = [line for line in result.output.splitlines() if "LibreOffice" in line]
    assert len(said) == 1 and "Word" in said[0] and "Traceback" not in result.output
    cctp = next((folder / "out").glob("* - Annexe CCTP *.docx"))
    assert 'w:updateFields w:val="true"' in zipfile.ZipFile(cctp).read("word/settings.xml").decode()


def test_build_pdf_without_libreoffice_says_so_and_writes_the_rest(run, tmp_path, monkeypatch):
    monkeypatch.setattr("tenderkit.office.shutil.which", lambda name: None)
    folder = make_tender(tmp_path / "t")
    result = run("build", folder, "--pdf")
    assert result.exit_code == 1
    assert "LibreOffice" in result.output and "Traceback" not in result.output
    assert len([line for line in result.output.splitlines() if "LibreOffice" in line]) == 1
    written = {p.suffix for p in (folder / "out").iterdir()}
    assert written == {".docx", ".xlsx"}


def test_dry_run_explains_every_decision(run, tmp_path):
    folder = make_tender(tmp_path / "t", profile=PROFILES["standalone"])
    output = run("build", folder, "--dry-run").output
    assert re.search(r"✗ certificat-hds\s+no selected clause or questionnaire item asks for it", output)
    assert re.search(r"✓ certificat-ce\s+always applies", output)
    assert re.search(r"✗ p4-hebergeur-hds\s+needs external_hosting=yes", output)
    assert re.search(r"✗ 2 Caractéristiques du serveur\s+needs servers=yes", output)
    assert re.search(r"✗ BP4\s+needs network_connected=yes", output)
    assert re.search(r"✗ hebergement-donnees-sante\s+needs external_hosting=yes", output)


def test_an_included_clause_keeps_its_deliverable(tmp_path):
    profile = {**PROFILES["standalone"]}
    folder = make_tender(tmp_path / "t", profile=profile,
                         clauses={"include": ["telemaintenance"], "exclude": [], "extra": []})
    selection = load_tender(folder).selection
    assert "ip-telemaintenance" in selection.applicable_deliverables
    assert "engagement-confidentialite" not in selection.applicable_deliverables  # asked by no item here


def test_demo_vendors_answer_like_real_ones():
    """The bundled demo returns read as real offers: no question id or placeholder in any answer, product
    names, and « Non » answers that give their reason."""
    from tenderkit.parse.parser import parse_file
    from tenderkit.paths import samples_dir

    demo = samples_dir() / "demo"
    loaded = load_tender(demo)
    expectation = Expectation(loaded.library, loaded.selection.questions, loaded.tender.reference,
                              loaded.tender.vendors)
    for path in sorted((demo / "returns").iterdir()):
        response = parse_file(path, expectation)
        assert not response.errors, (path.name, response.errors)
        raws = [a.raw for a in response.answers.values() if a.raw]
        assert len(raws) > 100, path.name
        assert not [r for r in raws if re.search(r"\bp[1-4]-[a-z]|<détail>|réponse «", r)], path.name
        assert any(re.match(r"(?i)non\s*[:,—-]\s*\w+", r) for r in raws) or path.name.startswith("Echo"), path.name


def test_demo_vendors_are_consistent_echocardiography_offers():
    """The demo tender buys an echocardiography system: each vendor offers one, with answers that agree with
    each other (an offer that sends to the PACS says « Oui » to the PACS question), contacts of its own, and
    an unfavourable answer justified by a reason that fits the question."""
    from tenderkit.parse.parser import parse_file
    from tenderkit.paths import samples_dir
    from tenderkit.vendor_sim import answer_data

    demo = samples_dir() / "demo"
    loaded = load_tender(demo)
    expectation = Expectation(loaded.library, loaded.selection.questions, loaded.tender.reference,
                              loaded.tender.vendors)
    justifications = answer_data()["justifications"]
    for path in sorted((demo / "returns").iterdir()):
        answers = parse_file(path, expectation).answers
        assert re.search("(?i)échographe|échocardiographie", answers["p1-designation"].raw or ""), path.name
        # LibreOffice's « ### » (numbers of the hidden helper columns, clipped) is not read as a comment
        assert not [a.comment for a in answers.values() if a.comment and "##" in a.comment], path.name
        assert answers["p3-envoi-pacs-possible"].value == "oui", path.name
        assert "PACS" in (answers["p2-interactions-logiciels"].raw or "")
        assert "oui" not in (answers["p1-autre-poste"].value, answers["p3-autre-logiciel"].value)  # no empty sheet
        assert loaded.tender.buyer.contact.name.split()[-1] not in (answers["p1-installation-nom"].raw or "")
        for qid, answer in answers.items():
            reason = re.match(r"(?i)(?:non|oui)\s*:\s*(.+)", answer.raw or "")
            question = loaded.library.questions[qid]
            if reason and question.flag and answer.value != question.expected:
                assert qid in justifications, (path.name, qid)  # its own reason, not a generic one


def test_the_annex_names_what_is_bought(tmp_path):
    """A hosted clinical software's annex is not about « the medical device » (ENISA procurement type)."""
    for kind, expected in (("medical_device", "du dispositif médical et de ses logiciels"),
                           ("cloud_service", "de la solution et de ses logiciels")):
        loaded = load_tender(make_tender(tmp_path / kind, procurement_type=kind, profile=PROFILES["hosted"]))
        cover = " ".join(pdf_pages(convert(build_documents(loaded)["cctp"], "pdf", tmp_path / kind / "pdf"))[0]
                         .split())
        assert f"Exigences de sécurité numérique {expected}" in cover, kind


def test_articles_are_cross_referenced_not_typed(built, tmp_path):
    """The deliverables table and the traceability annex name articles through REF fields to the headings:
    when the buyer deletes an article, LibreOffice (and Word, updating fields) renumbers every mention."""
    from docx import Document

    _, paths, texts = built["networked"]
    document = Document(str(paths["cctp"]))
    xml = document.element.xml
    assert 'w:name="_Ref_droit_audit"' in xml and "REF _Ref_sous_traitance \\r" in xml
    assert re.search(r"1\.2 Sous-traitance", "\n".join(texts["cctp"]))
    body = document.paragraphs
    start = next(i for i, p in enumerate(body) if p.style.name == "Heading 2" and p.text == "Droit d’audit")
    end = next(i for i in range(start + 1, len(body)) if body[i].style.name.startswith("Heading"))
    for paragraph in body[start:end]:  # the buyer deletes article 1.1
        paragraph._p.getparent().remove(paragraph._p)
    edited = tmp_path / "edited.docx"
    document.save(str(edited))
    text = "\n".join(pdf_pages(convert(edited, "pdf", tmp_path / "pdf")))
    assert re.search(r"\n\s*1\.1 Sous-traitance", text) and not re.search(r"1\.2 Sous-traitance", text)
