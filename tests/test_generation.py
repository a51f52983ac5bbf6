"""Generation: the CCTP annex, the questionnaire and the checklist, from the tender profile."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import yaml
from docx import Document
from helpers import make_tender

from tenderkit import layout
from tenderkit.generate import build_documents
from tenderkit.office import convert
from tenderkit.tender.loaded import load_tender
from tenderkit.vendor_sim import question_rows

FULL = {"network_connected": True, "servers": True, "telemaintenance": True, "patient_data": True,
        "external_hosting": True}
LEAN = {"network_connected": False, "servers": False, "telemaintenance": False, "patient_data": True,
        "external_hosting": False}


def docx_text(path: Path) -> str:
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def question_ids(path: Path) -> dict[str, tuple[str, int]]:
    """Question id → (sheet, row), read from the Id column of every part sheet."""
    return {qid: (sheet.title, row) for qid, (sheet, row, _) in question_rows(openpyxl.load_workbook(path)).items()}


@pytest.fixture
def full(tmp_path):
    loaded = load_tender(make_tender(tmp_path / "full", profile=FULL))
    return loaded, build_documents(loaded)


def test_full_profile_has_every_clause_and_question(full):
    loaded, paths = full
    text = docx_text(paths["cctp"])
    hosted_only = {"reversibilite", "niveaux-service", "sauvegardes"}  # a device on site is not a hosted service
    assert {c.id for c in loaded.selection.clauses} == {c.id for c in loaded.library.clauses} - hosted_only
    for clause in loaded.selection.clauses:
        assert clause.title in text, clause.title
    assert "le CHU de Bourgneuf se réserve" not in text and "Le CHU de Bourgneuf se réserve le droit" in text
    assert "ETABLISSEMENT" not in text
    ids = question_ids(paths["questionnaire"])
    assert set(loaded.selection.questions) == set(ids)
    assert len(ids) == 182


def test_lean_profile_drops_network_and_telemaintenance(tmp_path):
    loaded = load_tender(make_tender(tmp_path / "lean", profile=LEAN))
    paths = build_documents(loaded)
    text = docx_text(paths["cctp"])
    dropped = ("Télémaintenance", "Matrice de flux réseaux", "Schéma d’architecture", "Protocoles d’authentification")
    for title in dropped:
        assert f"– {title}" not in text, title
    assert "Droit d’audit" in text and "Mode dégradé" in text
    ids = question_ids(paths["questionnaire"])
    assert "p4-passerelle-securisee" not in ids and "p3-sih-matrice-flux" not in ids
    assert "p4-comptes-codes-en-dur" in ids


def test_overrides_win_over_the_profile(tmp_path):
    folder = make_tender(tmp_path / "t", profile=LEAN,
                         clauses={"include": ["telemaintenance"], "exclude": ["droit-audit"], "extra": []})
    selected = {c.id for c in load_tender(folder).selection.clauses}
    assert "telemaintenance" in selected and "droit-audit" not in selected


def test_questionnaire_workbook_structure(full):
    _, paths = full
    book = openpyxl.load_workbook(paths["questionnaire"])
    assert book.sheetnames[:2] == [layout.INSTRUCTIONS_SHEET, layout.SUMMARY_SHEET]
    assert {"1 Dispositif", "Postes informatiques", "Serveurs", "Logiciels", layout.DELIVERABLES_SHEET} <= set(
        book.sheetnames)
    part = book["1 Dispositif"]
    header = [c.value for c in part[5]]
    assert header[:7] == list(layout.PART_COLUMNS[:7])
    assert part.column_dimensions["A"].hidden
    assert part.protection.sheet and not part.protection.password
    assert part.print_title_rows == "$5:$5" and part.page_setup.fitToWidth == 1
    id_rows = {part.cell(row=r, column=1).value: r for r in range(6, part.max_row + 1)}
    row = id_rows["p1-poste-standard"]
    assert part.cell(row=row, column=6).protection.locked is False  # answer cell unlocked
    assert part.cell(row=row, column=4).protection.locked is True   # question cell locked
    lists = [dv for dv in part.data_validations.dataValidation if dv.type == "list"]
    assert any(f"F{row}" in str(dv.sqref) and "Oui,Non" in dv.formula1 for dv in lists)
    dependent = id_rows["p1-poste-processeur"]
    assert f"$F${row}" in part.cell(row=dependent, column=8).value  # branching formula on the parent answer
    assert part.conditional_formatting  # grey rows until the parent says « Oui »
    summary = book[layout.SUMMARY_SHEET]
    assert str(summary["C6"].value).startswith("=COUNTIFS(")


def test_documents_open_in_libreoffice_and_formulas_compute(full, tmp_path):
    _, paths = full
    for kind in ("cctp", "questionnaire", "checklist"):
        pdf = convert(paths[kind], "pdf", tmp_path / "pdf")
        assert pdf.stat().st_size > 10_000
    recalculated = convert(paths["questionnaire"], "xlsx", tmp_path / "recalc")
    summary = openpyxl.load_workbook(recalculated, data_only=True)[layout.SUMMARY_SHEET]
    values = [summary.cell(row=r, column=c).value for r in range(6, 12) for c in (3, 4, 5)]
    assert all(isinstance(v, int | float) for v in values if v is not None)
    assert not any(isinstance(v, str) and v.startswith("#") for v in values)
    assert summary["C6"].value > 0 and summary["D6"].value == 0


def test_untrusted_buyer_text_is_escaped(tmp_path):
    buyer = {"name": "=HYPERLINK(\"http://x\") & <Clinique> {{ 7*7 }} « Saint-Luc »",
             "designation": "la clinique & co <b>", "address": "1 rue {% if %}",
             "contact": {"name": "@admin", "email": "+33@x.fr", "phone": "-1"}}
    loaded = load_tender(make_tender(tmp_path / "t", buyer=buyer, title="Scanner <IRM> & {{ x }}\x07"))
    paths = build_documents(loaded)
    text = docx_text(paths["cctp"])
    assert "=HYPERLINK(\"http://x\") & <Clinique> {{ 7*7 }}" in text and "49" not in text.split("Clinique")[1][:20]
    assert "La clinique & co <b> se réserve" in text
    assert "Scanner <IRM> & {{ x }}" in text
    book = openpyxl.load_workbook(paths["questionnaire"])
    cells = [c for row in book[layout.INSTRUCTIONS_SHEET].iter_rows() for c in row if isinstance(c.value, str)]
    name_cell = next(c for c in cells if "HYPERLINK" in c.value)
    assert name_cell.data_type == "s"
    assert next(c for c in cells if c.value.startswith("@admin")).data_type == "s"


def test_bad_tender_yaml_gets_one_sentence(tmp_path, run):
    folder = make_tender(tmp_path / "t", procurement_type="robot")
    result = run("build", folder)
    assert result.exit_code == 1
    assert "procurement_type 'robot' is unknown (allowed: clinical_information_system" in result.output
    folder = make_tender(tmp_path / "u", profile={"wifi": True})
    assert "profile.wifi is not a profile fact" in run("build", folder).output
    folder = make_tender(tmp_path / "v", colour="blue")
    assert "unknown key 'colour'" in run("build", folder).output
    folder = make_tender(tmp_path / "w", deadline="next week")
    assert "deadline" in run("build", folder).output
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "tender.yaml").write_text("reference: [unclosed\n", encoding="utf-8")
    assert "not valid YAML at line" in run("build", tmp_path / "x").output
    assert "no tender.yaml" in run("build", tmp_path).output
    for result in (run("build", folder),):
        assert "Traceback" not in result.output


def test_broken_template_is_one_sentence(tmp_path, run):
    folder = make_tender(tmp_path / "t")
    (folder / "templates").mkdir()
    (folder / "templates" / "cctp.docx").write_text("not a docx", encoding="utf-8")
    result = run("build", folder)
    assert result.exit_code == 1 and "is not a Word .docx file" in result.output


def test_missing_template_is_one_sentence(tmp_path):
    from tenderkit.errors import TenderkitError
    from tenderkit.render.docx_template import open_template
    with pytest.raises(TenderkitError, match=r"template .*nothing\.docx not found\."):
        open_template(tmp_path / "nothing.docx")


def test_unwritable_output_folder(tmp_path, run):
    folder = make_tender(tmp_path / "t")
    (folder / "out").write_text("a file where the output folder should be", encoding="utf-8")
    result = run("build", folder)
    assert result.exit_code == 1 and "cannot create output folder" in result.output


def test_dry_run_lists_the_selection_and_why(tmp_path, run):
    folder = make_tender(tmp_path / "t", profile=LEAN)
    result = run("build", folder, "--dry-run")
    assert result.exit_code == 0
    assert "✗ telemaintenance" in result.output and "needs telemaintenance=yes" in result.output
    assert not (folder / "out").exists()


def test_build_json_contract(tmp_path, run):
    import json
    folder = make_tender(tmp_path / "t")
    result = run("build", folder, "--json")
    data = json.loads(result.output)
    assert {"cctp", "questionnaire"} <= set(data) and Path(data["cctp"]).is_file()


def test_new_non_interactive_from_profile_and_options(tmp_path, run):
    profile = tmp_path / "profile.yaml"
    profile.write_text(yaml.safe_dump({"reference": "2027-IMG-002", "title": "IRM 3T", "buyer": {"name": "CH de Test"},
                                       "procurement_type": "medical_device",
                                       "profile": {"telemaintenance": False}}), encoding="utf-8")
    result = run("new", tmp_path / "a", "--profile", profile)
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((tmp_path / "a" / "tender.yaml").read_text(encoding="utf-8"))
    assert data["reference"] == "2027-IMG-002" and data["profile"]["telemaintenance"] is False
    assert data["profile"]["network_connected"] is True  # omitted keys take defaults
    assert (tmp_path / "a" / "returns").is_dir()
    assert run("build", tmp_path / "a").exit_code == 0

    result = run("new", tmp_path / "b", "--reference", "R-1", "--title", "PACS: « archivage »", "--buyer", "CHU d’Ici",
                 "--procurement-type", "clinical_information_system", "--fact", "servers=no")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((tmp_path / "b" / "tender.yaml").read_text(encoding="utf-8"))
    assert data["title"] == "PACS: « archivage »" and data["profile"]["servers"] is False
    assert run("new", tmp_path / "b", "--reference", "R-1", "--title", "x", "--buyer", "y").exit_code == 1
    result = run("new", tmp_path / "c", "--reference", "R/1", "--title", "x", "--buyer", "y")
    assert result.exit_code == 1 and "reference" in result.output
    result = run("new", tmp_path / "d", "--procurement-type", "spaceship", "--reference", "R", "--title", "x",
                 "--buyer", "y")
    assert result.exit_code == 1 and "procurement_type 'spaceship' is unknown" in result.output


def test_templates_check_reports_each_problem_with_where(tmp_path, run):
    from tenderkit.paths import templates_dir
    document = Document(str(templates_dir() / "cctp.docx"))
    for paragraph in document.paragraphs:
        if "{{ tender.title }}" in paragraph.text:
            run_ = paragraph.runs[0]
            cut = run_.text.index("{{ tender.ti") + 8
            tail = run_.text[cut:]
            run_.text = run_.text[:cut]
            paragraph.add_run(tail).bold = True
        elif "{{ date }}" in paragraph.text:
            paragraph.runs[0].text = paragraph.runs[0].text.replace("{{ date }}", "{{ datte }}")
        elif paragraph.text == "{%p endfor %}":
            paragraph.runs[0].text = "{%p endfro %}"
            break
    broken = tmp_path / "cctp-maison.docx"
    document.save(str(broken))
    result = run("templates", "check", broken)
    assert result.exit_code == 1
    assert "« Objet du marché : {{ tender.title }} »: tag {{ tender.title }} is split across Word formatting runs" \
        in result.output
    assert "syntax error: Encountered unknown tag 'endfro'" in result.output
    shipped = sorted(templates_dir().glob("*.docx"))
    assert {p.name for p in shipped} == {"cctp.docx", "checklist.docx", "report.docx", "letter.docx", "fiche.docx",
                                         "rc_extract.docx", "rgpd_annex.docx"}
    ok = run("templates", "check", *shipped)
    assert ok.exit_code == 0 and ok.output.count("renders correctly") == len(shipped)


def test_templates_check_unknown_variable(tmp_path, run):
    from tenderkit.paths import templates_dir
    document = Document(str(templates_dir() / "cctp.docx"))
    for paragraph in document.paragraphs:
        if "{{ date }}" in paragraph.text:
            paragraph.runs[0].text = paragraph.runs[0].text.replace("{{ date }}", "{{ datte }} {{ buyer.nom }}")
    broken = tmp_path / "mon-cctp.docx"
    document.save(str(broken))
    result = run("templates", "check", broken)
    assert "unknown variable 'datte'" in result.output and "unknown field 'nom'" in result.output
    assert "paragraph" in result.output


def test_new_asks_questions_interactively(tmp_path, run):
    answers = "\n".join(["2027-ECG-004", "Électrocardiographes", "Hôpital Nord", "l’Hôpital Nord",
                         "medical_device", "y", "n", "n", "y", "n", "y", "n", "Jeanne Roux", "Directrice des achats",
                         "y"]) + "\n"
    result = run("new", tmp_path / "i", "--ask", input=answers)
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((tmp_path / "i" / "tender.yaml").read_text(encoding="utf-8"))
    assert data["reference"] == "2027-ECG-004" and data["buyer"]["designation"] == "l’Hôpital Nord"
    assert data["buyer"]["signatory"] == {"name": "Jeanne Roux", "title": "Directrice des achats", "delegation": False}
    assert data["letters"]["regularisation"] is True
    assert data["profile"] == {"network_connected": True, "servers": False, "telemaintenance": False,
                               "patient_data": True, "external_hosting": False, "hardware": True,
                               "hosted_service": False}
