"""The export contract (docs/contracts.md) and the installed command working from any directory."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ANSWER_TYPES = {"yes_no", "yes_no_na", "text", "number", "date", "choice", "list"}


def test_export_contract(run, library):
    result = run("library", "export", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert {"questions", "clauses", "references"} <= set(data)
    assert len(data["questions"]) == len(library.questions)
    ids = {q["id"] for q in data["questions"]}
    for question in data["questions"]:
        assert {"id", "part", "section", "text", "answer_type", "options", "required", "show_if", "expected",
                "flag"} <= set(question)
        assert question["answer_type"] in ANSWER_TYPES
        assert isinstance(question["options"], list) and isinstance(question["required"], bool)
        assert question["expected"] in ("oui", "non", None)
        assert isinstance(question["flag"], bool)
        if question["show_if"] is not None:
            assert set(question["show_if"]) == {"question", "equals"}
            assert question["show_if"]["question"] in ids
    assert len(data["clauses"]) == 25  # 20 from the CCTP seed, the HDS hosting clause, 4 for hosted services
    assert sum(c["own_wording"] for c in data["clauses"]) == 4
    for clause in data["clauses"]:
        assert {"id", "theme", "title", "text", "deliverables", "references", "questions"} <= set(clause)
        assert isinstance(clause["text"], str) and clause["text"]
        assert set(clause["references"]) == {"ansm", "enisa"}
    assert [r["id"] for r in data["references"]["ansm"]][:2] == ["R1", "R2"]
    assert len(data["references"]["enisa"]) == 30 and data["references"]["enisa"][0]["id"] == "BP1"


def test_help_on_every_command(run):
    for command in (["--help"], ["library", "--help"], ["library", "list", "--help"], ["library", "show", "--help"],
                    ["library", "validate", "--help"], ["library", "export", "--help"], ["new", "--help"],
                    ["build", "--help"], ["demo", "--help"], ["templates", "check", "--help"]):
        result = run(*command)
        assert result.exit_code == 0 and "Usage:" in result.output, command


def test_show_and_list(run):
    result = run("library", "show", "flux-reseau")
    assert "Matrice de flux réseaux" in result.output and "R21" in result.output
    assert "p3-sih-matrice-flux" in run("library", "show", "p3-sih-matrice-flux").output
    assert "Segmenter le réseau" in run("library", "show", "BP14").output
    result = run("library", "show", "nothing-here")
    assert result.exit_code == 1 and "is not a clause" in result.output
    assert "p4-comptes-codes-en-dur" in run("library", "list", "--kind", "questions").output


def test_installed_command_runs_from_any_directory(tmp_path: Path):
    """The console script finds the library shipped with the package, whatever the working directory."""
    command = shutil.which("tenderkit", path=str(Path(sys.executable).parent))
    assert command, "the tenderkit console script is not installed next to this Python"
    result = subprocess.run([command, "library", "validate"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "Library valid: 25 clauses" in result.stdout
    # the French catalogue ships with the package: the installed command speaks French by default
    french = subprocess.run([command, "library", "validate"], cwd=tmp_path, capture_output=True, text=True,
                            check=False, env={k: v for k, v in os.environ.items() if k != "TENDERKIT_LANG"})
    assert "Bibliothèque valide\u00a0: clauses\u00a0: 25" in french.stdout, french.stdout
