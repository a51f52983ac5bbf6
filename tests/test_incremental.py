"""Incremental review: an identical re-run says so and rewrites nothing; any changed input makes a real review,
and a changed return recomputes only what depends on it."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import OUTSIDE, python_code

from tenderkit.cli import main
from tenderkit.generate import build_documents
from tenderkit.incremental import CACHE, unchanged
from tenderkit.paths import samples_dir, templates_dir
from tenderkit.tender.loaded import load_tender
from tenderkit.vendor_sim import Typed, fill_xlsx, make_plan

UP_TO_DATE = "Nothing changed since the last review"
DEMO_RETURNS = samples_dir() / "demo" / "returns"


def review(folder: Path, *options: str):
    return CliRunner().invoke(main, ["review", str(folder), *options], catch_exceptions=False)


def states(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (folder / "out").iterdir() if not p.name.startswith(".")}


@pytest.fixture
def reviewed(tmp_path) -> Path:
    """The demo tender with two of its offers (folders: a questionnaire and its documents), reviewed once through
    the CLI."""
    folder = tmp_path / "tender"
    folder.mkdir()
    shutil.copyfile(samples_dir() / "demo" / "tender.yaml", folder / "tender.yaml")
    (folder / "returns").mkdir()
    for name in ("Echographie Sud", "CardioTech Systems"):
        shutil.copytree(DEMO_RETURNS / name, folder / "returns" / name)
    first = review(folder)
    assert first.exit_code == 0 and UP_TO_DATE not in first.output, first.output
    return folder


def ranking(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("  ") and "/100" in line]


def test_an_identical_rerun_says_so_and_rewrites_nothing(reviewed):
    before = states(reviewed)
    forced = review(reviewed, "--force", "--json")   # a real review, for reference
    after_forced = states(reviewed)
    again = review(reviewed)
    assert again.exit_code == 0 and UP_TO_DATE in again.stderr
    assert "0 returns parsed" in again.stdout and "wrote" not in again.stdout
    assert len(ranking(again.stdout)) == 2
    assert states(reviewed) == after_forced          # nothing rewritten by the re-run
    assert set(before) == set(after_forced)
    replay = review(reviewed, "--json")
    assert UP_TO_DATE in replay.stderr
    assert json.loads(replay.stdout) == json.loads(forced.stdout)   # the same records, as scripts read them


def test_a_changed_return_recomputes_only_what_depends_on_it(reviewed):
    letters = {n: t for n, t in states(reviewed).items() if "Demande de precisions" in n}
    assert any("CardioTech" in n for n in letters)
    # Échographie Sud sends a new return: with a reservation to clarify this time
    loaded = load_tender(reviewed)
    questionnaire = build_documents(loaded)["questionnaire"]
    plan = make_plan("Échographie Sud", loaded.selection.questions, "favourable", seed=99,
                     deliverables=[d.id for d, _ in loaded.selection.deliverables])
    plan.answers["p4-audits"] = Typed("Oui sous réserve d’un préavis", "partiel")
    fill_xlsx(questionnaire, plan, reviewed / "returns" / "Echographie Sud" / "Echographie Sud.xlsx")
    result = review(reviewed)
    assert result.exit_code == 0 and UP_TO_DATE not in result.stderr
    assert "1 return parsed" in result.stdout
    after = states(reviewed)
    cardiotech = next(n for n in letters if "CardioTech" in n)
    assert after[cardiotech] == letters[cardiotech]          # its letter says the same: not rewritten
    assert f"up to date {reviewed / 'out' / cardiotech}" in result.stdout
    assert any("Échographie Sud" in n for n in after if "Demande de precisions" in n)   # it now needs one


def _edit_weights(folder: Path) -> None:
    path = folder / "tender.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")


def _add_return(folder: Path) -> None:
    shutil.copytree(DEMO_RETURNS / "MedImaging France", folder / "returns" / "MedImaging France")


def _delete_output(folder: Path) -> None:
    next((folder / "out").glob("*Rapport*.docx")).unlink()


def _edit_output(folder: Path) -> None:
    grid = next((folder / "out").glob("*Grille*.xlsx"))
    os.utime(grid, ns=(grid.stat().st_atime_ns, grid.stat().st_mtime_ns + 10**9))


def _own_template(folder: Path) -> None:
    (folder / "templates").mkdir(exist_ok=True)
    shutil.copyfile(templates_dir() / "letter.docx", folder / "templates" / "letter.docx")


def _rename_return(folder: Path) -> None:
    source = folder / "returns" / "CardioTech Systems"
    source.rename(folder / "returns" / "CardioTech")


@pytest.mark.parametrize("change", [_edit_weights, _add_return, _delete_output, _edit_output, _own_template,
                                    _rename_return], ids=lambda f: f.__name__.strip("_"))
def test_any_changed_input_or_output_makes_a_real_review(reviewed, change):
    change(reviewed)
    result = review(reviewed)
    assert UP_TO_DATE not in result.stderr, change.__name__
    assert result.exit_code in (0, 1) and "reviewed" in result.stdout
    assert UP_TO_DATE in review(reviewed).stderr   # and the review after it is up to date again


def test_the_day_the_settings_and_a_grid_count(reviewed, monkeypatch):
    assert unchanged(reviewed) is not None
    assert unchanged(reviewed, today=dt.date.today() + dt.timedelta(days=1)) is None   # the report is dated
    grid = next((reviewed / "out").glob("*Grille*.xlsx"))
    assert unchanged(reviewed, grid=grid) is None
    monkeypatch.setenv("TENDERKIT_PARSE_TIMEOUT", "5")
    assert unchanged(reviewed) is None


@pytest.mark.parametrize("record", ["{not json", "[1, 2]", '{"format": 1, "inputs": "x"}', "\udcff",
                                    "directory"], ids=["truncated", "list", "wrong-types", "bad-bytes", "dir"])
def test_a_damaged_record_means_a_full_review_never_a_traceback(reviewed, record):
    target = reviewed / "out" / CACHE
    target.unlink()
    if record == "directory":
        target.mkdir()
    else:
        target.write_bytes(record.encode("utf-8", "surrogateescape"))
    result = review(reviewed)
    assert result.exit_code == 0 and UP_TO_DATE not in result.stderr and "Traceback" not in result.output
    assert "reviewed" in result.stdout


def test_a_record_that_cannot_be_replayed_means_a_full_review(reviewed):
    target = reviewed / "out" / CACHE
    data = json.loads(target.read_text(encoding="utf-8"))
    data["result"]["code"] = "zero"
    target.write_text(json.dumps(data), encoding="utf-8")
    os.utime(target)
    result = review(reviewed)
    assert UP_TO_DATE not in result.stderr and "reviewed" in result.stdout


def test_an_unchanged_review_reads_no_return_and_loads_no_heavy_library(reviewed):
    """The answer comes from os.stat alone: no parser, no office library, no validation model is imported."""
    import subprocess

    probe = ("import sys\nfrom tenderkit.cli import main\n"
             f"sys.argv = ['tenderkit', 'review', {str(reviewed)!r}]\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "heavy = [m for m in ('pydantic', 'openpyxl', 'docx', 'docxtpl', 'pdfplumber', 'yaml', 'rapidfuzz')"
             " if m in sys.modules]\nprint('HEAVY', heavy, file=sys.stderr)\n")
    result = subprocess.run(python_code(probe), capture_output=True, text=True, timeout=120, cwd=OUTSIDE)
    assert UP_TO_DATE in result.stderr and "HEAVY []" in result.stderr, result.stderr


def _edit_grid_in_out(folder: Path, part: int, weight: float) -> Path:
    import openpyxl

    from tenderkit.grid_layout import part_key

    grid = next((folder / "out").glob("*Grille d'evaluation.xlsx"))
    book = openpyxl.load_workbook(grid)
    summary = book["Synthèse"]
    row = next(r for r in range(6, 20) if summary.cell(row=r, column=1).value == part_key(part))
    summary.cell(row=row, column=3).value = weight
    book.save(grid)
    return grid


def _part_weight(grid: Path, part: int) -> float:
    import openpyxl

    from tenderkit.grid_layout import part_key

    summary = openpyxl.load_workbook(grid)["Synthèse"]
    return next(summary.cell(row=r, column=3).value for r in range(6, 20)
                if summary.cell(row=r, column=1).value == part_key(part))


def test_the_committees_edits_in_out_survive_a_plain_review_and_a_forced_one(reviewed):
    """The grid in out/ is an output the committee edits: an edit is a changed input, taken over, never lost."""
    before = json.loads(review(reviewed, "--force", "--json").stdout)
    grid = _edit_grid_in_out(reviewed, 4, 0)
    result = review(reviewed)
    assert UP_TO_DATE not in result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("Grid "))
    assert line == (f"Grid {grid.name} in out/: took over 1 part weight, 0 item weights, 0 points edited by the "
                    "committee.")
    assert _part_weight(grid, 4) == 0                       # rewritten with the edit kept
    assert UP_TO_DATE in review(reviewed).stderr            # and then up to date again
    forced = review(reviewed, "--force", "--json")
    assert "in out/: took over 1 part weight" in forced.stderr and _part_weight(grid, 4) == 0
    after = {r["vendor"]: r for r in json.loads(forced.stdout)}
    assert any(after[r["vendor"]]["total"] != r["total"] for r in before)   # part 4 no longer counts
    # a tender.yaml change the committee did not override is still followed (the grid keeps the computed values)
    path = reviewed / "tender.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("parts: {1: 1, 2: 1, 3: 1, 4: 2}",
                                                             "parts: {1: 2, 2: 1, 3: 1, 4: 2}"), encoding="utf-8")
    review(reviewed)
    assert _part_weight(grid, 1) == 2 and _part_weight(grid, 4) == 0


def test_reset_grid_keeps_the_edited_grid_as_a_dated_copy_and_starts_again(reviewed):
    grid = _edit_grid_in_out(reviewed, 4, 0)
    result = review(reviewed, "--reset-grid")
    assert result.exit_code == 0 and "Grid " not in result.stdout
    copy = reviewed / "out" / f"2026-BIO-017 - Grille d'evaluation modifiee par le comite {dt.date.today()}.xlsx"
    assert f"Kept the grid the committee edited as {copy.name}" in result.output
    assert copy.is_file() and _part_weight(copy, 4) == 0     # the committee's work, kept
    assert _part_weight(grid, 4) == 2                        # tender.yaml's weight again
    again = review(reviewed, "--force")
    assert "Grid " not in again.stdout and copy.is_file()    # the copy is not an output: never removed
    assert "Kept the grid" not in review(reviewed, "--reset-grid").output   # nothing edited: no new copy
    assert len(list((reviewed / "out").glob("*modifiee*"))) == 1
    both = CliRunner().invoke(main, ["review", str(reviewed), "--reset-grid", "--grid", str(copy)])
    assert both.exit_code == 1 and "exclude each other" in both.output


def test_an_unreadable_grid_in_out_stops_the_review_instead_of_being_overwritten(reviewed):
    grid = next((reviewed / "out").glob("*Grille d'evaluation.xlsx"))
    grid.write_text("abîmé", encoding="utf-8")
    result = review(reviewed)
    assert result.exit_code == 1 and "--reset-grid" in result.output and "Traceback" not in result.output
    assert grid.read_text(encoding="utf-8") == "abîmé"
    result = review(reviewed, "--reset-grid")
    assert result.exit_code == 0 and "Kept the grid the committee edited" in result.output
