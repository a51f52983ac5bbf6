"""Issue 11: no vendor file can break, stall or bias a review. One test (or more) per defect of the issue,
on the corpus that tests/hostile_corpus.py generates."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import time
from pathlib import Path

import openpyxl
import pytest
import yaml
from docx import Document
from helpers import demo_data, make_tender
from hostile_corpus import (
    SLOW_ANSWER,
    awkward_names,
    bad_entries,
    contradictory_answers,
    footer_reference,
    hidden_reference,
    inflating_pdf,
    long_title,
    macro_docx,
    many_pages_pdf,
    named_vendor,
    reworded_question,
    slow_answers,
    spaces_answer,
    stray_cell,
    within,
)

from tenderkit import layout
from tenderkit.errors import TenderkitError
from tenderkit.evaluate import expectation, run_review
from tenderkit.generate import build_documents
from tenderkit.grid_layout import VENDOR_COLUMN
from tenderkit.output import MANIFEST, TEMP_PREFIX, unique_names, write_text_atomic
from tenderkit.parse import batch
from tenderkit.parse.batch import KILL_HOOK_ENV, Budget, parse_many
from tenderkit.parse.parser import parse_file
from tenderkit.parse.response import Answer, Response
from tenderkit.tender.loaded import load_tender
from tenderkit.text import french_typography
from tenderkit.vendor_sim import fill_xlsx, make_plan, paste_into_word

BUDGET = Budget(seconds=60)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A tender, its questionnaire and honest returns: one named vendor, one that does not name itself."""
    folder = tmp_path_factory.mktemp("corpus")
    loaded = load_tender(make_tender(folder / "tender"))
    questions = loaded.selection.questions
    questionnaire = build_documents(loaded)["questionnaire"]
    good = fill_xlsx(questionnaire, make_plan("Alpha Santé", questions, "favourable", plain=True), folder / "a.xlsx")
    anonymous = fill_xlsx(questionnaire, make_plan("", questions, "favourable", plain=True), folder / "anon.xlsx")
    return folder, loaded, questionnaire, good, anonymous


def workspace_with(folder: Path, files: dict[str, Path], **changes) -> Path:
    """A fresh tender folder whose returns/ holds ``files`` (name → source)."""
    root = make_tender(folder, **changes)
    (root / "returns").mkdir(exist_ok=True)
    for name, source in files.items():
        shutil.copyfile(source, root / "returns" / name)
    return root


# 1. One file stops the whole review --------------------------------------------------------------------------

def test_awkward_names_and_characters_do_not_stop_the_review(base, tmp_path):
    _, _, _, good, anonymous = base
    root = workspace_with(tmp_path / "ws", {"Alpha.xlsx": good})
    awkward = awkward_names(anonymous, root / "returns")  # latin-1 bytes, U+0001, 245 characters
    run = run_review(load_tender(root))
    names = sorted(v.vendor for v in run.review.vendors)
    assert len(names) == 4 and "Alpha Santé" in names
    assert "Échographie Ouest" in names and "AcmeSanté" in names  # latin-1 read as such; U+0001 dropped
    assert run.paths["grid"].is_file() and not run.review.failed
    stored = list((root / "responses").iterdir())
    assert len(stored) == 4 and all(len(os.fsencode(p.name)) <= 120 for p in stored)
    grid = openpyxl.load_workbook(run.paths["grid"])
    assert any("AcmeSanté" in title for title in grid.sheetnames)
    assert len(awkward) == 3


def test_lone_surrogates_and_controls_are_sanitized_at_the_response_boundary():
    response = Response(file="x.pdf", vendor="Ven\ud800dor\x01", warnings=["\udcc9t\x07"],
                        answers={"q": Answer(raw="Oui\ud83d", comment="\x0b")}).sanitized()
    text = json.dumps(response.contract(), ensure_ascii=False).encode("utf-8")  # raised UnicodeEncodeError
    assert response.vendor == "Ven\ufffddor" and response.answers["q"].raw == "Oui\ufffd" and b"\x01" not in text


# 2. Small files that hang it ---------------------------------------------------------------------------------

def test_pathological_answers_and_titles_parse_within_budget(base, tmp_path):
    _, loaded, _, good, _ = base
    questions = loaded.selection.questions
    files = [slow_answers(good, tmp_path / "slow.xlsx", questions), long_title(good, tmp_path / "title.xlsx"),
             spaces_answer(good, tmp_path / "spaces.xlsx", questions)]
    with within(60):  # the old normalizer and stamp search took minutes on these files
        slow, title, spaces = parse_many(files, expectation(loaded), jobs=2, budget=BUDGET)
    assert not slow.errors and slow.counts()["invalid"] == 12
    assert [a.raw for a in slow.answers.values()].count(SLOW_ANSWER) == 12
    assert not title.errors and title.questionnaire["reference"] == loaded.tender.reference
    assert not spaces.errors


def test_patterns_on_vendor_text_are_linear():
    from tenderkit.parse.normalize import normalize_yes_no
    with within(10):
        assert normalize_yes_no(SLOW_ANSWER).status == "invalid"
        assert french_typography(" " * 300000 + "»").endswith("\u00a0»")
        assert layout.STAMP_PATTERN.search("Réf." * 12500) is None


def test_pdf_bombs_are_refused_before_expansion(tmp_path):
    inflating = inflating_pdf(tmp_path / "inflating.pdf", megabytes=400)
    pages = many_pages_pdf(tmp_path / "pages.pdf", pages=200_000)
    from tenderkit.library import load_library
    from tenderkit.parse.parser import Expectation
    library = load_library()
    with within(60):
        bomb, walk = parse_many([inflating, pages], Expectation(library, library.questions), jobs=2, budget=BUDGET)
    assert bomb.errors == ["inflating.pdf: the PDF's content would expand to more than 200 MB; refused as a "
                           "possible decompression bomb."]
    assert walk.errors == ["pages.pdf: the PDF declares 200000 pages, more than the 300 of any questionnaire "
                           "printout."]


def test_a_file_over_its_time_budget_gets_one_sentence(base, tmp_path, monkeypatch):
    _, loaded, _, good, _ = base
    real = batch.parse_file

    def slow(path, expect):
        if path.name == "hang.xlsx":
            time.sleep(60)
        return real(path, expect)
    monkeypatch.setattr(batch, "parse_file", slow)
    shutil.copyfile(good, tmp_path / "hang.xlsx")
    with within(30):
        hang, fine = parse_many([tmp_path / "hang.xlsx", good], expectation(loaded), jobs=2, budget=Budget(3))
    assert hang.errors == ["hang.xlsx: reading it took longer than the 3 seconds allowed for one return."]
    assert not fine.errors and fine.counts()["answered"] > 100


def test_a_file_over_its_memory_budget_gets_one_sentence(base, tmp_path, monkeypatch):
    _, loaded, _, good, _ = base
    real = batch.parse_file

    def greedy(path, expect):
        if path.name == "greedy.xlsx":
            _ = bytearray(3 * 1024 ** 3)
        return real(path, expect)
    monkeypatch.setattr(batch, "parse_file", greedy)
    shutil.copyfile(good, tmp_path / "greedy.xlsx")
    with within(60):
        greedy_response, fine = parse_many([tmp_path / "greedy.xlsx", good], expectation(loaded), jobs=2,
                                           budget=Budget(60, 2048))
    assert greedy_response.errors == ["greedy.xlsx: reading it needed more than the 2048 MB of memory allowed "
                                      "for one return."]
    assert not fine.errors


# 3. A dead worker spoils the batch ---------------------------------------------------------------------------

def test_a_killed_worker_spoils_only_its_file(base, tmp_path, monkeypatch):
    _, loaded, _, good, _ = base
    files = []
    for index in range(6):
        files.append(tmp_path / f"r{index}.xlsx")
        shutil.copyfile(good, files[-1])
    monkeypatch.setenv(KILL_HOOK_ENV, "r2.xlsx")  # that worker os.kill()s itself with SIGKILL, as the OOM killer
    with within(120):
        responses = parse_many(files, expectation(loaded), jobs=3, budget=BUDGET)
    assert [bool(r.errors) for r in responses] == [False, False, True, False, False, False]
    assert all(r.counts()["answered"] > 100 for i, r in enumerate(responses) if i != 2)
    assert responses[2].errors == ["r2.xlsx: its reading was stopped (the worker reading it was killed, possibly "
                                   "for using too much memory)."]


def test_a_worker_killed_once_is_retried(base, tmp_path, monkeypatch):
    _, loaded, _, good, _ = base
    marker = tmp_path / "killed-once"
    real = batch.parse_file

    def dies_once(path, expect):
        if path.name == "victim.xlsx" and not marker.exists():
            marker.write_text("x")
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, expect)
    monkeypatch.setattr(batch, "parse_file", dies_once)
    shutil.copyfile(good, tmp_path / "victim.xlsx")
    (victim,) = parse_many([tmp_path / "victim.xlsx"], expectation(loaded), jobs=1, budget=BUDGET)
    assert marker.exists() and not victim.errors and victim.counts()["answered"] > 100


# 4. Integrity of what is scored ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def biased(base, tmp_path_factory):
    """A review with a reworded question and a return claiming another vendor's name."""
    _, loaded, _, good, _ = base
    questions = loaded.selection.questions
    work = tmp_path_factory.mktemp("biased")
    reworded, qid, wording = reworded_question(good, work / "Beta.xlsx", questions)
    reworded_named = named_vendor(reworded, work / "Beta2.xlsx", "Bêta Médical")
    zeta = named_vendor(good, work / "Zeta.xlsx", "Échographie Sud")
    sud = named_vendor(good, work / "Sud.xlsx", "Échographie Sud")
    root = workspace_with(work / "ws", {"Beta.xlsx": reworded_named, "Zeta.xlsx": zeta, "Sud.xlsx": sud})
    return run_review(load_tender(root)), qid, wording


def test_a_reworded_question_is_not_scored_until_confirmed(biased):
    run, qid, wording = biased
    vendor = next(v for v in run.review.vendors if v.vendor == "Bêta Médical")
    item = vendor.items[qid]
    assert item.issue == "altered" and not item.scored and item.points == 0 and item.altered == wording
    assert item.value == "oui"  # read, kept, not counted
    sheet = openpyxl.load_workbook(run.paths["grid"])[next(
        t for t in openpyxl.load_workbook(run.paths["grid"], read_only=True).sheetnames if t.startswith("Bêta"))]
    row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == qid)
    assert row[VENDOR_COLUMN["status"] - 1] == "à confirmer" and wording in row[VENDOR_COLUMN["flag"] - 1]
    again = run_review(load_tender(Path(run.paths["grid"]).parent.parent))  # from responses/: still unscored
    assert again.parsed == 0 and next(v for v in again.review.vendors if v.vendor == "Bêta Médical").items[
        qid].issue == "altered"
    letter = Document(str(run.letters["Bêta Médical"]))
    text = "\n".join([p.text for p in letter.paragraphs]
                     + [c.text for t in letter.tables for r in t.rows for c in r.cells]).replace("\u00a0", " ")
    assert wording.replace("'", "’") in text.replace("'", "’")


def test_two_returns_claiming_one_vendor_are_both_kept_as_a_conflict(biased):
    run, _, _ = biased
    claims = {v.vendor: v.conflicts for v in run.review.vendors if v.vendor.startswith("Échographie Sud")}
    assert claims == {"Échographie Sud (Sud.xlsx)": ["Zeta.xlsx"], "Échographie Sud (Zeta.xlsx)": ["Sud.xlsx"]}
    assert not run.review.duplicates
    summary = openpyxl.load_workbook(run.paths["grid"])["Synthèse"]
    rows = {r[1]: r[3:] for r in summary.iter_rows(values_only=True) if r[1]}
    assert "Zeta.xlsx" in rows["Autre fichier au nom du même candidat"]


def test_contradictory_answers_are_invalid(base, tmp_path):
    _, loaded, _, good, _ = base
    path, ids = contradictory_answers(good, tmp_path / "c.xlsx", loaded.selection.questions)
    response = parse_file(path, expectation(loaded))
    assert len(ids) == 5 and [response.answers[q].status for q in ids] == ["invalid"] * 5


@pytest.mark.parametrize("edit", [hidden_reference, footer_reference])
def test_every_stamp_and_the_hidden_reference_must_agree(base, tmp_path, edit):
    _, loaded, _, good, _ = base
    path = edit(good, tmp_path / "edited.xlsx", "2025-AUTRE-001")
    response = parse_file(path, expectation(loaded))
    assert len(response.errors) == 1 and "2025-AUTRE-001" in response.errors[0]
    assert "references in the file disagree" in response.errors[0]


# 5. Files and out/ -------------------------------------------------------------------------------------------

def test_output_names_are_unique_and_stable():
    names = unique_names(["Acme/Lyon", "Acme:Lyon", "Acme?Lyon", "Acme", "ACME", "Bêta"])
    assert len({n.casefold() for n in names.values()}) == 6
    assert names["Bêta"] == "Bêta" and names == unique_names(["Bêta", "ACME", "Acme", "Acme?Lyon", "Acme:Lyon",
                                                              "Acme/Lyon"])
    assert all("/" not in n and ":" not in n and "?" not in n for n in names.values())


def test_outputs_form_one_set_follow_the_umask_and_stale_files_go(base, tmp_path):
    _, _, questionnaire, _, _ = base
    # regularisation allowed: each of these offers (no document announced) gets a letter inviting to regularise
    loaded = load_tender(make_tender(tmp_path / "ws", letters={"regularisation": True, "reply_days": 10}))
    questions = loaded.selection.questions
    (tmp_path / "ws" / "returns").mkdir()
    for index, vendor in enumerate(("Acme/Lyon", "Acme:Lyon", "Acme?Lyon")):
        fill_xlsx(questionnaire, make_plan(vendor, questions, "favourable", plain=True),
                  tmp_path / "ws" / "returns" / f"v{index}.xlsx")
    out = tmp_path / "ws" / "out"
    out.mkdir()
    (out / f"{TEMP_PREFIX}99999999-left.docx").write_bytes(b"half")  # a run killed with -9
    (out / "notes du comité.txt").write_text("mine")
    previous = os.umask(0o022)
    try:
        first = run_review(load_tender(tmp_path / "ws"))
    finally:
        os.umask(previous)
    assert len(first.letters) == 3 and len({p.name for p in first.letters.values()}) == 3
    written = [*first.paths.values(), *first.letters.values()]
    assert {oct(p.stat().st_mode & 0o777) for p in written} == {"0o644"}
    assert not list(out.glob(f"{TEMP_PREFIX}*"))
    gone = first.letters["Acme:Lyon"]
    (tmp_path / "ws" / "returns" / "v1.xlsx").unlink()
    second = run_review(load_tender(tmp_path / "ws"))
    assert not gone.exists() and len(second.letters) == 2 and (out / "notes du comité.txt").exists()
    assert sorted(json.loads((out / MANIFEST).read_text())["files"]) == sorted(
        p.name for p in [*second.paths.values(), *second.letters.values()])


def test_disk_full_is_one_sentence_and_leaves_no_orphan(tmp_path, monkeypatch):
    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(Path, "write_text", full)
    with pytest.raises(TenderkitError) as caught:
        write_text_atomic(tmp_path / "grid.json", "{}")
    assert str(caught.value) == f"cannot write grid.json: the disk is full (no space left in {tmp_path})."
    assert list(tmp_path.iterdir()) == []


def test_returns_entries_that_are_not_regular_files_get_one_sentence_each(base, tmp_path):
    _, _, _, good, _ = base
    root = workspace_with(tmp_path / "ws", {"Alpha.xlsx": good})
    entries = bad_entries(root / "returns", tmp_path / "outside.xlsx")
    # a folder is an offer since issue 12 (``returns/<vendor>/…``): an empty one, or the folder named x.xlsx,
    # gets the offer reader's one sentence instead of « this is a folder, not a file »
    (root / "returns" / "Offre Beta").mkdir()
    with within(60):
        run = run_review(load_tender(root))
    errors = sorted(e for r in run.review.failed for e in r.errors)
    assert errors == sorted([
        "fifo.xlsx: this is not a regular file (a pipe, socket or device); only files are read.",
        "gone.xlsx: this is a link to a file that does not exist (a dangling symbolic link).",
        "loop.xlsx: this is a symbolic link that loops back on itself.",
        "outside.xlsx: this is a link to a file outside returns/; copy the vendor's file itself into returns/.",
        "x.xlsx: the offer folder is empty.",
        "Offre Beta: the offer folder is empty."])
    assert [v.vendor for v in run.review.vendors] == ["Alpha Santé"]
    assert len(entries) == 5


def test_parse_of_a_fifo_does_not_block(tmp_path, run):
    os.mkfifo(tmp_path / "fifo.xlsx")
    with within(30):
        result = run("parse", tmp_path / "fifo.xlsx")
    assert result.exit_code == 1 and "fifo.xlsx: this is not a regular file" in result.output


# 6. tender.yaml ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, key", [
    ("weights:\n  parts: {1: .nan}\n", "weights.parts"),
    ("weights:\n  parts: {1: .inf}\n", "weights.parts"),
    ("deadline: 2027-02-30\n", "deadline"),
    ("reference: '   '\n", "reference"),
    ("reference: \"A\\tB\"\n", "reference"),
    (f"reference: {'R' * 240}\n", "reference"),
])
def test_tender_yaml_refuses_bad_values_naming_the_key(tmp_path, run, text, key):
    data = demo_data()
    data.pop("weights", None)
    if "reference" in text:
        data.pop("reference")
    root = tmp_path / "ws"
    root.mkdir()
    (root / "tender.yaml").write_text(yaml.safe_dump(data, allow_unicode=True) + text, encoding="utf-8")
    result = CliRunnerWithStderr().invoke(["build", str(root), "--dry-run"])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and f": {key}:" in result.stderr and "unexpected" not in result.stderr


class CliRunnerWithStderr:
    def invoke(self, args):
        from click.testing import CliRunner

        from tenderkit.cli import main
        return CliRunner().invoke(main, args, catch_exceptions=False)


# 7. A stray « . » at B20001 ----------------------------------------------------------------------------------

def test_a_stray_cell_far_below_does_not_reject_the_return(base, tmp_path):
    _, loaded, _, good, _ = base
    response = parse_file(stray_cell(good, tmp_path / "stray.xlsx"), expectation(loaded))
    assert not response.errors and response.counts()["answered"] > 100


# 8. Messages ------------------------------------------------------------------------------------------------

def test_macro_enabled_docx_is_one_plain_sentence(base, tmp_path):
    _, loaded, _, good, _ = base
    path = macro_docx(paste_into_word(good, tmp_path / "w.docx"), tmp_path / "macro.docx")
    response = parse_file(path, expectation(loaded))
    assert response.errors == ["macro.docx: the Word document is macro-enabled (.docm); ask the vendor for a plain "
                               ".docx, without macros."]


def test_malformed_files_leave_nothing_else_on_stderr(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
                       b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
                       b"3 0 obj << /Type /Page /Parent 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    (tmp_path / "links.xlsx").symlink_to(tmp_path / "links.xlsx")
    result = CliRunnerWithStderr().invoke(["parse", str(broken), str(tmp_path / "links.xlsx")])
    assert result.exit_code == 1 and result.stderr == ""
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("✗ ") for line in lines)
    assert "Errno" not in result.stdout and str(tmp_path) not in result.stdout
    assert "links.xlsx: the file cannot be opened (too many levels of symbolic links)." in result.stdout


def test_ctrl_c_is_one_word_without_traceback(monkeypatch):
    import tenderkit.parse.batch as batch

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(batch, "parse_many", interrupted)  # the command imports it when it runs
    result = CliRunnerWithStderr().invoke(["parse", "x.xlsx"])
    assert result.exit_code == 130 and result.stderr == "Interrupted.\n" and "Aborted" not in result.output
