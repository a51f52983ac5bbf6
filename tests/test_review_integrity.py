"""Issue 19 (review side): nothing stale, empty, ambiguous or tampered changes a ranking; a review's budget
holds before any hashing; out/ is always one set. Each test drives the CLI (`tenderkit review`), as a buyer
does, on files built by tests/hostile_corpus.py."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from helpers import OUTSIDE, make_tender, python_code
from hostile_corpus import (
    crashing_reader,
    duplicate_members,
    empty_documents,
    quoted_cell_bomb,
    set_grid_cell,
    sparse_return,
    tamper_grid,
    within,
)

from tenderkit.cli import main
from tenderkit.evaluate import grid_path
from tenderkit.generate import build_documents
from tenderkit.grid_layout import SUMMARY_WEIGHT_COLUMN, part_key
from tenderkit.office import convert
from tenderkit.parse import batch
from tenderkit.tender.loaded import load_tender
from tenderkit.tender.workspace import Workspace
from tenderkit.vendor_sim import Typed, fill_xlsx, make_plan
from tenderkit.web.tenders import out_files

UP_TO_DATE = "Nothing changed since the last review"
# two profiles selecting as many questions, but not the same ones (the stale-parse attack of finding 1)
PROFILE_A = {"network_connected": True, "servers": True, "telemaintenance": False, "patient_data": False,
             "external_hosting": False}
PROFILE_B = {"network_connected": True, "servers": False, "telemaintenance": True, "patient_data": False,
             "external_hosting": True}


def review(folder: Path, *options: str):
    return CliRunner().invoke(main, ["review", str(folder), *options], catch_exceptions=False)


def records(result) -> dict[str, dict]:
    return {v["vendor"]: v for v in json.loads(result.stdout)}


@pytest.fixture(scope="module")
def returns(tmp_path_factory) -> dict[str, Path]:
    """Two honest returns of the demo tender's questionnaire (every question): one favourable, one risky."""
    folder = tmp_path_factory.mktemp("integrity")
    loaded = load_tender(make_tender(folder / "tender"))
    questionnaire = build_documents(loaded)["questionnaire"]
    questions = loaded.selection.questions
    return {"Alpha.xlsx": fill_xlsx(questionnaire, make_plan("Alpha Santé", questions, "favourable", plain=True),
                                    folder / "Alpha.xlsx"),
            "Beta.xlsx": fill_xlsx(questionnaire, make_plan("Bêta Médical", questions, "risky", seed=3),
                                   folder / "Beta.xlsx")}


def workspace(folder: Path, files: dict[str, Path], **changes) -> Path:
    root = make_tender(folder, **{"profile": PROFILE_A, **changes})
    (root / "returns").mkdir(exist_ok=True)
    for name, source in files.items():
        shutil.copyfile(source, root / "returns" / name)
    return root


def set_tender(root: Path, **changes) -> None:
    data = yaml.safe_load((root / "tender.yaml").read_text(encoding="utf-8"))
    data.update(changes)
    (root / "tender.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


# Finding 1: stale parses --------------------------------------------------------------------------------------

def test_a_stored_parse_is_reused_only_for_the_exact_selection_it_was_made_for(returns, tmp_path):
    a = load_tender(make_tender(tmp_path / "a", profile=PROFILE_A)).selection.questions
    b = load_tender(make_tender(tmp_path / "b", profile=PROFILE_B)).selection.questions
    assert len(a) == len(b) and set(a) != set(b)       # the attack: same number of questions, other ones
    root = workspace(tmp_path / "ws", returns)
    assert review(root, "--json").exit_code == 0
    set_tender(root, profile=PROFILE_B)
    changed = review(root, "--json")
    fresh = review(workspace(tmp_path / "fresh", returns, profile=PROFILE_B), "--json")
    assert records(changed) == {v: {**r, "file": r["file"].replace("/fresh/", "/ws/")}
                                for v, r in records(fresh).items()}


def test_force_parses_every_return_again(returns, tmp_path):
    root = workspace(tmp_path / "ws", returns)
    assert "2 returns parsed" in review(root).stdout
    assert "0 returns parsed" in review(root, "--reset-grid").stdout   # a review reuses what it may
    assert "2 returns parsed" in review(root, "--force").stdout


# Finding 9: a failure of the budget is not frozen -------------------------------------------------------------

def test_a_return_stopped_by_its_time_budget_is_read_again_next_review(returns, tmp_path, monkeypatch):
    root = workspace(tmp_path / "ws", returns)
    busy = tmp_path / "machine-busy"
    busy.touch()
    real = batch.parse_file

    def slow_when_busy(path, expect):
        if busy.exists() and path.name == "Beta.xlsx":
            time.sleep(30)
        return real(path, expect)
    monkeypatch.setattr(batch, "parse_file", slow_when_busy)
    monkeypatch.setenv(batch.TIMEOUT_ENV, "3")
    first = review(root)
    assert "Beta.xlsx: reading it took longer than the 3 seconds allowed for one return." in first.stdout
    busy.unlink()                                     # the machine is quiet again; nothing else changed
    second = review(root)
    assert UP_TO_DATE not in second.stderr and "1 return parsed" in second.stdout
    assert "Bêta Médical" in second.stdout and "took longer" not in second.stdout
    assert UP_TO_DATE in review(root).stderr          # a review that completed is recorded as before


# Finding 10: size and type before any hashing -----------------------------------------------------------------

def test_a_huge_sparse_return_is_refused_before_it_is_hashed(returns, tmp_path, monkeypatch):
    root = workspace(tmp_path / "ws", returns)
    sparse_return(root / "returns" / "Énorme.xlsx", 200 * 1024 ** 3)             # 200 GB of nothing
    sparse_return(root / "returns" / "Offre.zip", 1900 * 1024 ** 2, b"PK\x03\x04")  # an « offer zip » of 1.9 GB
    monkeypatch.setenv(batch.TIMEOUT_ENV, "2")
    started = time.monotonic()   # not within(): its TimeoutError is an OSError, which the old hashing swallowed
    result = review(root)
    assert time.monotonic() - started < 45   # hashing 20 GB alone took 52–61 s on a busy machine; 200 GB, minutes
    assert "Énorme.xlsx: the file is 204800 MB, larger than the 50 MB accepted for a questionnaire return." \
        in result.stdout
    assert "Offre.zip: the file is 1900 MB, larger than the 50 MB accepted" in result.stdout
    assert "2 vendors reviewed" in result.stdout


# Finding 14: the calamine guard and crashing readers ----------------------------------------------------------

def test_a_cell_reference_in_single_quotes_does_not_reach_calamine(returns, tmp_path):
    root = workspace(tmp_path / "ws", {"Alpha.xlsx": returns["Alpha.xlsx"]})
    quoted_cell_bomb(returns["Beta.xlsx"], root / "returns" / "Beta.xlsx")
    with within(120):
        result = subprocess.run(python_code("from tenderkit.cli import main; main()", "review", str(root)),
                                capture_output=True, text=True, cwd=OUTSIDE,
                                env={**os.environ, batch.MEMORY_ENV: "1024"})
    assert "2 vendors reviewed" in result.stdout, result.stdout + result.stderr
    assert "Bêta Médical" in result.stdout and "panicked" not in result.stderr
    assert len(result.stderr.splitlines()) <= 2, result.stderr


def test_a_crashing_reader_is_one_sentence_without_its_backtrace(returns, tmp_path, monkeypatch, capfd):
    root = workspace(tmp_path / "ws", returns)
    monkeypatch.setattr(batch, "parse_file", crashing_reader(batch.parse_file, "Beta.xlsx"))
    result = review(root)
    err = capfd.readouterr().err
    assert "panicked" not in err and "backtrace" not in err and "Traceback" not in err
    assert "✗ Beta.xlsx: its reading was stopped" in result.stdout
    assert "1 vendor reviewed" in result.stdout


# Latin-1 file names --------------------------------------------------------------------------------------------

def test_a_return_named_in_latin1_bytes_is_reviewed_and_recorded(returns, tmp_path):
    root = workspace(tmp_path / "ws", {"Alpha.xlsx": returns["Alpha.xlsx"]})
    shutil.copyfile(returns["Beta.xlsx"], os.fsdecode(os.fsencode(root / "returns") + b"/\xc9cho B\xeata.xlsx"))
    first = review(root)
    assert first.exit_code == 0 and "2 vendors reviewed" in first.stdout, first.output
    again = review(root, "--json")
    assert UP_TO_DATE in again.stderr
    assert {v["vendor"] for v in json.loads(again.stdout)} == {"Alpha Santé", "Bêta Médical"}


# Finding 7: absurd weights ------------------------------------------------------------------------------------

def out_state(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (root / "out").iterdir() if not p.name.startswith(".")}


def grid_of(root: Path) -> Path:
    return grid_path(load_tender(root))


def test_an_absurd_weight_in_tender_yaml_is_one_sentence_and_out_stays_as_it_was(returns, tmp_path):
    root = workspace(tmp_path / "ws", returns)
    assert review(root).exit_code == 0
    before = out_state(root)
    set_tender(root, weights={"parts": {1: 1, 2: 1e27, 3: 1, 4: 2}})
    result = review(root)
    assert result.exit_code != 0
    assert result.output.strip() == (f"Error: {root / 'tender.yaml'}: weights.parts: Value error, weight of 2 must "
                                     "be between 0 and 100 (not 1e+27).")
    assert out_state(root) == before


def test_an_absurd_weight_in_the_grid_is_one_sentence_and_out_stays_as_it_was(returns, tmp_path):
    root = workspace(tmp_path / "ws", returns)
    assert review(root).exit_code == 0
    cell = set_grid_cell(grid_of(root), "tenderkit-summary", part_key(2), SUMMARY_WEIGHT_COLUMN, 1e27)
    before = out_state(root)
    result = review(root)
    assert result.exit_code != 0 and "internal error" not in result.output
    assert f"{grid_of(root)}: {cell} is 1e+27; it must be between 0 and 100." in result.output
    assert out_state(root) == before                 # the new grid is not written beside the old report
    assert review(root, "--reset-grid").exit_code == 0   # the way out the sentence gives


# Finding 8: kill -9 mid-review --------------------------------------------------------------------------------

KILLED_WHILE = """
import hashlib, json, os, signal, sys
from pathlib import Path
import tenderkit.evaluate as evaluate, tenderkit.output as output
folder, when, seen = sys.argv[1], sys.argv[2], Path(sys.argv[3])

def die():
    os.kill(os.getpid(), signal.SIGKILL)

if when == "writing":                  # the grid is written, the report is being written
    evaluate.write_report = lambda *args: die()
else:                                  # the set is committed; one file is moved into out/, the others not yet
    move = output._move
    def move_then_die(source, target):
        staging = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in source.parent.iterdir()
                   if not p.name.startswith(".")}
        seen.write_text(json.dumps(staging))
        move(source, target)
        die()
    output._move = move_then_die
from tenderkit.cli import main
from tenderkit.evaluate import grid_path
sys.argv = ["tenderkit", "review", folder]
main()
"""


def killed_review(root: Path, when: str, seen: Path) -> subprocess.CompletedProcess:
    return subprocess.run(python_code(KILLED_WHILE, str(root), when, str(seen)), capture_output=True, text=True,
                          cwd=OUTSIDE, timeout=300)


def digests(files: dict[str, bytes]) -> dict[str, str]:
    return {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}


def test_a_review_killed_while_writing_leaves_the_previous_set(returns, tmp_path):
    root = workspace(tmp_path / "ws", returns)
    assert review(root).exit_code == 0
    before = out_state(root)
    set_tender(root, weights={"parts": {1: 1, 2: 3, 3: 1, 4: 2}})   # the next review changes grid and report
    killed = killed_review(root, "writing", tmp_path / "seen.json")
    assert killed.returncode == -signal.SIGKILL
    assert out_state(root) == before                 # not the new grid beside the old report
    assert [p.name for p in out_files(Workspace(root))] == sorted(before)
    again = review(root)
    assert again.exit_code == 0 and out_state(root) != before
    assert not [p for p in (root / "out").iterdir() if p.name.startswith(".tk-")]


def test_a_review_killed_while_swapping_its_set_in_is_finished_before_anyone_reads_out(returns, tmp_path):
    root = workspace(tmp_path / "ws", returns)
    assert review(root).exit_code == 0
    before = digests(out_state(root))
    set_tender(root, weights={"parts": {1: 1, 2: 3, 3: 1, 4: 2}})
    killed = killed_review(root, "swapping", tmp_path / "seen.json")
    assert killed.returncode == -signal.SIGKILL
    staged = json.loads((tmp_path / "seen.json").read_text())
    assert len(staged) >= 2 and digests(out_state(root)) != {**before, **staged}   # out/ is mixed on disk…
    listed = out_files(Workspace(root))                                          # …until the web lists it
    assert digests({p.name: p.read_bytes() for p in listed}) == {**before, **staged}
    assert not [p for p in (root / "out").iterdir() if p.name.startswith(".tk-")]


# Findings 2 and 3: documents are files with content; ambiguous offers -----------------------------------------

@pytest.fixture(scope="module")
def offer_parts(tmp_path_factory):
    """The demo tender's questionnaire filled by « Imagerie Sud » declaring every document « Oui » with its file
    name, and a second filling of the same questionnaire whose yes/no answers are all reversed."""
    folder = tmp_path_factory.mktemp("offer")
    loaded = load_tender(make_tender(folder / "tender"))
    questionnaire = build_documents(loaded)["questionnaire"]
    questions = loaded.selection.questions
    ids = [d.id for d, _ in loaded.selection.deliverables]
    plan = make_plan("Imagerie Sud", questions, "favourable", seed=2, plain=True, deliverables=ids)
    filled = fill_xlsx(questionnaire, plan, folder / "Questionnaire.xlsx")
    for qid, typed in plan.answers.items():
        if questions[qid].answer_type == "yes_no" and typed.expected in ("oui", "non"):
            plan.answers[qid] = Typed("Non", "non") if typed.expected == "oui" else Typed("Oui", "oui")
    other = fill_xlsx(questionnaire, plan, folder / "Questionnaire v2.xlsx")
    declared = {d: name for d, (_, name) in plan.deliverables.items()}
    return filled, other, declared


CE_TITLE = "Certificat de conformité CE précisant la classe du dispositif"


def offer_tender(root: Path, files: dict[str, bytes]) -> Path:
    """The demo tender with one offer folder « Imagerie Sud » holding ``files``."""
    make_tender(root)
    for name, data in files.items():
        target = root / "returns" / "Imagerie Sud" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return root


def parsed_offer(root: Path) -> dict:
    result = CliRunner().invoke(main, ["parse", str(root / "returns" / "Imagerie Sud"), "--tender", str(root),
                                       "--json"], catch_exceptions=False)
    return json.loads(result.stdout)[0]


def test_empty_files_under_the_declared_names_are_not_documents(offer_parts, tmp_path):
    filled, _, declared = offer_parts
    files = {"Questionnaire.xlsx": filled.read_bytes(), **empty_documents(declared.values())}
    root = offer_tender(tmp_path / "ws", files)
    assert ", documents 0/" in review(root).stdout                          # none counts as supplied
    parsed = parsed_offer(root)
    attached = {d for d, v in parsed["deliverables"].items() if v["file"] in files}
    assert len(attached) > 20 and all(v["attachment"] is None for v in parsed["deliverables"].values())
    warning = next(w for w in parsed["warnings"] if "not readable as a document" in w)
    assert warning.startswith(f"{len(attached)} attached files under a requested document's name but not readable")
    assert f"{CE_TITLE} (« {declared['certificat-ce']} », empty)" in warning


def test_a_junk_file_whose_name_is_one_word_of_the_declared_name_is_not_that_document(offer_parts, tmp_path):
    filled, _, declared = offer_parts
    files = {"Questionnaire.xlsx": filled.read_bytes(), **{name: b"%PDF-1.4 " + name.encode() for d, name in
                                                           declared.items() if d != "certificat-ce"}}
    files["f/745.txt"] = b"zzz"
    root = offer_tender(tmp_path / "ws", files)
    (vendor,) = json.loads(review(root, "--json").stdout)
    assert [d["id"] for d in vendor["missing_deliverables"]] == ["certificat-ce"]
    offer = parsed_offer(root)["offer"]
    assert offer["undeclared"] == ["f/745.txt"] and offer["declared_absent"] == [CE_TITLE]


def test_two_filled_questionnaires_in_one_offer_are_named_and_neither_is_scored(offer_parts, tmp_path):
    filled, other, _ = offer_parts
    root = offer_tender(tmp_path / "ws", {"Questionnaire.xlsx": filled.read_bytes(),
                                          "Réponses/Questionnaire v2.xlsx": other.read_bytes()})
    result = review(root)
    assert result.exit_code == 1 and "0 vendors reviewed" in result.stdout
    assert ("✗ Imagerie Sud: the offer holds two filled questionnaires whose answers differ, « Questionnaire.xlsx »"
            " and « Réponses/Questionnaire v2.xlsx »; neither is scored until the buyer removes one of them from "
            "the offer.") in result.stdout
    (root / "returns" / "Imagerie Sud" / "Réponses" / "Questionnaire v2.xlsx").unlink()
    assert "1 vendor reviewed" in review(root).stdout


def test_two_zip_members_under_one_name_are_named_and_neither_is_scored(offer_parts, tmp_path):
    filled, other, _ = offer_parts
    root = make_tender(tmp_path / "ws")
    (root / "returns").mkdir()
    duplicate_members(root / "returns" / "Imagerie Sud.zip", "Questionnaire.xlsx",
                      [filled.read_bytes(), other.read_bytes()])
    result = review(root)
    assert result.exit_code == 1 and "0 vendors reviewed" in result.stdout
    assert ("✗ Imagerie Sud.zip: the offer zip holds two different files under one name, « Questionnaire.xlsx » and "
            "« Questionnaire.xlsx »; neither is read until the buyer removes one of them from the zip."
            ) in result.stdout


# Finding 13: grid tampering -----------------------------------------------------------------------------------

@pytest.mark.parametrize("tamper", ["hidden copy", "extra sheet", "emptied reference", "edited baseline"])
def test_a_tampered_grid_is_refused_in_one_sentence_and_never_read_as_committee_edits(returns, tmp_path, tamper):
    root = workspace(tmp_path / "ws", returns)
    assert review(root).exit_code == 0
    grid = grid_of(root)
    expected = tamper_grid(grid, tamper)
    before = out_state(root)
    result = review(root)
    assert result.exit_code != 0 and "took over" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {grid}: {expected}"), result.output
    assert out_state(root) == before
    assert review(root, "--reset-grid").exit_code == 0


def test_an_untouched_grid_and_real_committee_edits_are_still_taken_over(returns, tmp_path):
    root = workspace(tmp_path / "ws", returns)
    assert review(root).exit_code == 0
    set_grid_cell(grid_of(root), "tenderkit-summary", part_key(2), SUMMARY_WEIGHT_COLUMN, 3)
    result = review(root)
    assert result.exit_code == 0 and "took over 1 part weight, 0 item weights, 0 points" in result.output


def test_a_grid_saved_again_by_libreoffice_is_not_taken_for_a_tampered_one(returns, tmp_path):
    root = workspace(tmp_path / "ws", returns)
    assert review(root).exit_code == 0
    grid = grid_of(root)
    set_grid_cell(grid, "tenderkit-summary", part_key(2), SUMMARY_WEIGHT_COLUMN, 3)
    shutil.copyfile(convert(grid, "xlsx", tmp_path / "lo"), grid)   # the committee saves it in LibreOffice Calc
    result = review(root)
    assert result.exit_code == 0, result.output
    assert "took over 1 part weight, 0 item weights, 0 points" in result.output
