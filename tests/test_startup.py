"""Start-up: the CLI imports only what a command uses; `library list` reads a snapshot of the library.

These tests assert what is imported and what is printed, not seconds (bench/bench_startup.py measures).
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import OUTSIDE, python_code

import tenderkit.library.loader as loader
from tenderkit.cli import main
from tenderkit.library.listing import KINDS
from tenderkit.library.snapshot import snapshot_path

HEAVY = ("pydantic", "openpyxl", "docx", "docxtpl", "pdfplumber", "pdfminer", "jinja2", "yaml", "starlette",
         "uvicorn", "PIL", "lxml", "tenderkit.library.loader", "tenderkit.generate",
         "tenderkit.tender.loaded")


PROBE = """import json, sys
from tenderkit.cli import main
try:
    main(sys.argv[2:], prog_name="tenderkit")
finally:
    with open(sys.argv[1], "w") as handle:
        json.dump(sorted(sys.modules), handle)
"""


def imported_by(*args: str) -> set[str]:
    """The modules a fresh `tenderkit ARGS` process has imported when it ends (``sys.modules``, which also
    sees what ``-X importtime`` misses: modules loaded through importlib)."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "modules.json"
        done = subprocess.run(python_code(PROBE, str(report), *args), capture_output=True, text=True,
                              timeout=120, env=os.environ.copy(), cwd=OUTSIDE)
        assert done.returncode == 0, done.stderr[-2000:]
        return set(json.loads(report.read_text(encoding="utf-8")))


def heavy_in(modules: set[str]) -> set[str]:
    return {m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY)}


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["library", "--help"], ["parse", "--help"],
                                  ["review", "--help"], ["templates", "--help"], ["ui", "--help"]])
def test_help_imports_no_heavy_library(args):
    modules = imported_by(*args)
    assert {"click", "tenderkit.cli"} <= modules  # the probe sees imports at all
    assert heavy_in(modules) == set()


def test_library_list_reads_the_snapshot_without_pydantic():
    cold = imported_by("library", "list")  # no snapshot yet: the full validated load writes it
    assert {"pydantic", "yaml", "tenderkit.library.loader"} <= heavy_in(cold)
    assert snapshot_path().is_file()
    for kind in KINDS:
        assert heavy_in(imported_by("library", "list", "--kind", kind)) == set()
    assert heavy_in(imported_by("library", "show", "R1")) == set()


def test_each_command_is_loaded_from_its_module():
    import importlib

    from tenderkit.cli import COMMAND_MODULES

    defined = {}
    for name in set(COMMAND_MODULES.values()):
        for command in importlib.import_module(f"tenderkit.cli.{name}").COMMANDS:
            defined[command.name] = name
    assert defined == COMMAND_MODULES
    only_library = {m for m in imported_by("library", "list") if m.startswith("tenderkit.cli.")}
    assert only_library == {"tenderkit.cli.library"}


def invoke(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, color=True)


@pytest.fixture
def loads(monkeypatch) -> list[int]:
    """Counts the full library loads (the snapshot module imports the loader when it needs it)."""
    calls: list[int] = []
    real = loader.load_library

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)
    monkeypatch.setattr(loader, "load_library", counting)
    return calls


@pytest.mark.parametrize("kind", KINDS)
def test_cached_listing_is_the_uncached_one(kind, loads):
    first = invoke("library", "list", "--kind", kind)
    second = invoke("library", "list", "--kind", kind)
    assert loads == [1]  # the second run did not load the library
    assert first.exit_code == second.exit_code == 0 and first.stderr == second.stderr == ""
    assert second.output == first.output and len(first.output.splitlines()) > 5
    if kind in ("clauses", "questions"):
        assert "\x1b[1m" in second.output  # headings still bold on a terminal


def test_cached_show_is_the_uncached_one(library, loads):
    clause, question = library.clauses[0], next(iter(library.questions))
    ansm, enisa = library.ansm.recommendations[0].id, library.enisa.good_practices[0].id
    ids = [clause.id, question, ansm, ansm.lower(), enisa, enisa.lower()]
    first = [invoke("library", "show", i) for i in ids]
    second = [invoke("library", "show", i) for i in ids]
    assert loads == [1]
    assert [r.output for r in first] == [r.output for r in second]
    assert all(r.exit_code == 0 for r in first + second)
    assert first[0].output.startswith(f"\x1b[1m{clause.title}  ({clause.id}, ")
    assert json.loads(second[1].output)["id"] == question and json.loads(second[3].output)["id"] == ansm
    assert second[4].output == second[5].output
    unknown = invoke("library", "show", "no-such-entry")
    assert unknown.exit_code == 1 and unknown.stderr == ("Error: 'no-such-entry' is not a clause, questionnaire "
                                                         "item, ANSM or ENISA id (see `tenderkit library list`).\n")


def test_a_changed_or_touched_library_file_invalidates(library_copy, loads):
    clauses = sorted((library_copy / "clauses").glob("*.yaml"))[0]
    before = invoke("library", "list", "--library", library_copy).output
    text = clauses.read_text(encoding="utf-8")
    title = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.strip().startswith("title:"))
    clauses.write_text(text.replace(title, "Titre modifié", 1), encoding="utf-8")
    after = invoke("library", "list", "--library", library_copy).output
    assert "Titre modifié" in after and after != before and len(loads) == 2

    stat = clauses.stat()
    os.utime(clauses, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # touched, content the same
    assert invoke("library", "list", "--library", library_copy).output == after and len(loads) == 3
    assert invoke("library", "list", "--library", library_copy).output == after and len(loads) == 3


def test_an_extra_folder_is_part_of_the_key(library_copy, tmp_path, loads):
    extra = tmp_path / "mes-clauses"
    extra.mkdir()
    plain = invoke("library", "list").output
    clause = next(iter(loader.load_library().clauses))
    (extra / "maison.yaml").write_text(
        f"- id: clause-maison\n  theme: {clause.theme}\n  title: Clause de la maison\n"
        "  text: [Le titulaire respecte la politique de sécurité de l’établissement.]\n", encoding="utf-8")
    with_extra = invoke("library", "list", "--extra", extra)
    assert with_extra.exit_code == 0, with_extra.output
    assert "clause-maison" in with_extra.output and "clause-maison" not in plain
    assert invoke("library", "list").output == plain  # each library set has its own snapshot
    (extra / "maison.yaml").unlink()
    assert invoke("library", "list", "--extra", extra).output == plain


def test_a_broken_library_is_never_cached(library_copy):
    clauses = sorted((library_copy / "clauses").glob("*.yaml"))[0]
    good = clauses.read_text(encoding="utf-8")
    clauses.write_text(good + "\n- id: [unclosed\n", encoding="utf-8")
    for _ in range(2):
        result = invoke("library", "list", "--library", library_copy)
        assert result.exit_code == 1 and result.stderr.startswith("Error: ") and "invalid YAML" in result.stderr
    clauses.write_text(good, encoding="utf-8")
    assert invoke("library", "list", "--library", library_copy).exit_code == 0


def _corrupt(path: Path, how: str) -> None:
    valid = path.read_text(encoding="utf-8")
    data = json.loads(valid)
    if how == "truncated":
        path.write_text(valid[: len(valid) // 2], encoding="utf-8")
    elif how == "not-utf8":
        path.write_bytes(b"\xff\xfe" + os.urandom(64))
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "a-list":
        path.write_text("[1, 2, 3]", encoding="utf-8")
    elif how == "wrong-state":
        path.write_text(json.dumps({**data, "state": data["state"].replace("[", "[0, ", 1)}), encoding="utf-8")
    elif how == "lines-not-pairs":
        data["content"]["lists"]["clauses"] = [["  only text"], [1, False]]
        path.write_text(json.dumps(data), encoding="utf-8")
    elif how == "bold-not-bool":
        data["content"]["lists"]["clauses"] = [[line[0], "yes"] for line in data["content"]["lists"]["clauses"]]
        path.write_text(json.dumps(data), encoding="utf-8")
    elif how == "kind-missing":
        del data["content"]["lists"]["ansm"]
        path.write_text(json.dumps(data), encoding="utf-8")
    elif how == "directory":
        path.unlink()
        (path / "inside").mkdir(parents=True)
    elif how == "fifo":
        path.unlink()
        os.mkfifo(path)
    elif how == "device":
        path.unlink()
        path.symlink_to("/dev/zero")
    elif how == "dangling-symlink":
        path.unlink()
        path.symlink_to(path.parent / "nowhere.json")


@pytest.mark.parametrize("how", ["truncated", "not-utf8", "empty", "a-list", "wrong-state", "lines-not-pairs",
                                 "bold-not-bool", "kind-missing", "directory", "fifo", "device",
                                 "dangling-symlink"])
def test_a_corrupt_snapshot_falls_back_to_the_full_load(how, loads):
    reference = invoke("library", "list").output
    path = snapshot_path()
    _corrupt(path, how)
    result = invoke("library", "list")
    assert result.exit_code == 0 and result.stderr == "" and result.output == reference and len(loads) == 2
    if how != "directory":  # rewritten: the next run reads it again
        assert invoke("library", "list").output == reference and len(loads) == 2
    assert invoke("library", "list", "--kind", "ansm").exit_code == 0


def test_an_unwritable_cache_is_only_not_written(tmp_path, monkeypatch, loads):
    reference = invoke("library", "list").output
    (tmp_path / "afile").write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("TENDERKIT_CACHE_DIR", str(tmp_path / "afile" / "sub"))
    for _ in range(2):
        result = invoke("library", "list")
        assert result.exit_code == 0 and result.stderr == "" and result.output == reference
    assert len(loads) == 3 and (tmp_path / "afile").is_file()


def test_a_killed_writer_leaves_no_litter(own_cache):
    stale = own_cache / ".tk-tmp-999999999-abc.json"  # a temporary file of a process that no longer exists
    stale.write_text("{", encoding="utf-8")
    assert invoke("library", "list").exit_code == 0
    assert [p.name for p in own_cache.iterdir()] == [snapshot_path().name]


def test_the_cache_folder_follows_xdg(tmp_path, monkeypatch):
    from tenderkit.library.snapshot import cache_dir

    monkeypatch.delenv("TENDERKIT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "tenderkit"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/dir")  # invalid per the XDG spec: ignored
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "tenderkit"
