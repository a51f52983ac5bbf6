"""Each kind of broken library entry is reported in one sentence naming the file and the entry."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tenderkit.errors import TenderkitError
from tenderkit.library import load_library


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def first_clause(key, value):
    def change(data):
        data[0][key] = value
    return change


def first_question(key, value):
    def change(data):
        data["sections"][0]["questions"][1][key] = value
    return change


CASES = [
    ("clauses/conformite.yaml", first_clause("aplies_if", {}), "droit-audit", "unknown key 'aplies_if'"),
    ("clauses/conformite.yaml", first_clause("theme", "conformity"), "droit-audit", "unknown theme 'conformity'"),
    ("clauses/conformite.yaml", first_clause("references", {"ansm": ["R99"]}), "droit-audit",
     "unknown ANSM recommendation 'R99'"),
    ("clauses/conformite.yaml", first_clause("references", {"enisa": ["BP31"]}), "droit-audit",
     "unknown ENISA good practice 'BP31'"),
    ("clauses/conformite.yaml", first_clause("questions", ["p9-nothing"]), "droit-audit",
     "unknown questionnaire item 'p9-nothing'"),
    ("clauses/conformite.yaml", first_clause("deliverables", ["plan-secret"]), "droit-audit",
     "unknown deliverable 'plan-secret'"),
    ("clauses/conformite.yaml", first_clause("applies_if", {"wifi": True}), "droit-audit",
     "unknown profile fact 'wifi'"),
    ("clauses/conformite.yaml", first_clause("text", ["{{ buyer.name }} se réserve le droit"]), "droit-audit",
     "unknown template tag"),
    ("clauses/conformite.yaml", first_clause("id", "sous-traitance"), "sous-traitance", "clause id already used"),
    ("clauses/conformite.yaml", first_clause("id", "Droit Audit"), "Droit Audit", "id: String should match"),
    ("questionnaire/partie-1-dispositif.yaml", first_question("answer_type", "boolean"), None,
     "answer_type: Input should be"),
    ("questionnaire/partie-1-dispositif.yaml", first_question("show_if", {"question": "p1-nope", "equals": "oui"}),
     "p1-marque", "show_if refers to unknown item 'p1-nope'"),
    ("questionnaire/partie-1-dispositif.yaml",
     first_question("show_if", {"question": "p1-designation", "equals": "oui"}), "p1-marque",
     "a text item; it must be yes/no or choice"),
    ("questionnaire/partie-1-dispositif.yaml", first_question("id", "p1-designation"), "p1-designation",
     "used more than once"),
    ("questionnaire/partie-1-dispositif.yaml", first_question("flag", True), "p1-marque",
     "a flagged item needs its expected answer"),
    ("catalogs/ansm.yaml", lambda d: d["recommendations"][3].update(lifecycle="usage"), "R4",
     "unknown lifecycle activity 'usage'"),
    ("catalogs/enisa.yaml", lambda d: d["good_practices"][1].update(threats=["aliens"]), "BP2",
     "threats names unknown id 'aliens'"),
]


@pytest.mark.parametrize(("file", "change", "entry", "message"), CASES, ids=[c[3][:40] for c in CASES])
def test_broken_entry_is_named(library_copy: Path, run, file, change, entry, message):
    path = library_copy / file
    edit_yaml(path, change)
    result = run("library", "validate", "--library", library_copy)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("✗")]
    matching = [line for line in lines if message in line]
    assert matching, result.output
    assert file.split("/")[-1] in matching[0]
    if entry:
        assert f"entry '{entry}'" in matching[0]
    assert "Traceback" not in result.output
    with pytest.raises(TenderkitError, match=message.split("'")[0][:20]):
        load_library(library_copy)


def test_invalid_yaml_names_the_line(library_copy: Path, run):
    path = library_copy / "clauses" / "resilience.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n- id: [broken\n", encoding="utf-8")
    result = run("library", "validate", "--library", library_copy)
    assert result.exit_code == 1
    assert "resilience.yaml: invalid YAML at line" in result.output


def test_missing_and_empty_files(library_copy: Path, run):
    (library_copy / "catalogs" / "enisa.yaml").unlink()
    (library_copy / "deliverables.yaml").write_text("", encoding="utf-8")
    result = run("library", "validate", "--library", library_copy)
    assert "enisa.yaml: file is missing" in result.output
    assert "deliverables.yaml: file is empty" in result.output


def test_buyer_clauses_are_validated_and_merged(tmp_path: Path, run, library):
    extra = tmp_path / "mes-clauses"
    extra.mkdir()
    (extra / "biomed.yaml").write_text(yaml.safe_dump([{
        "id": "formation-utilisateurs", "theme": "resilience", "title": "Formation des utilisateurs",
        "text": ["{{ Etablissement }} organise la formation & l’habilitation des utilisateurs."],
        "references": {"ansm": ["R53"], "enisa": ["BP21"]},
    }], allow_unicode=True), encoding="utf-8")
    merged = load_library(extra_clause_dirs=[extra])
    assert len(merged.clauses) == len(library.clauses) + 1
    result = run("library", "validate", "--extra", extra)
    assert result.exit_code == 0, result.output

    (extra / "bad.yaml").write_text(yaml.safe_dump([{"id": "droit-audit", "theme": "conformite", "title": "Doublon",
                                                     "text": ["x"], "references": {"ansm": ["R0"]}}]),
                                    encoding="utf-8")
    result = run("library", "validate", "--extra", extra)
    assert result.exit_code == 1
    assert "bad.yaml, entry 'droit-audit': clause id already used" in result.output
    assert "bad.yaml, entry 'droit-audit': unknown ANSM recommendation 'R0'" in result.output
