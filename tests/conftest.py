"""Shared fixtures: the shipped library, sample tenders, and LibreOffice conversions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import make_tender

from tenderkit.cli import main
from tenderkit.i18n import LANG_ENV, set_language
from tenderkit.library import load_library
from tenderkit.paths import library_dir
from tenderkit.tender.loaded import load_tender


@pytest.fixture(autouse=True)
def english_messages(monkeypatch):
    """Tests about behaviour read messages in English, the code's source text (TENDERKIT_LANG=en, inherited by
    the CLI's subprocesses and the web server); tests/test_language.py checks the French default."""
    monkeypatch.setenv(LANG_ENV, "en")
    set_language("en")
    yield
    set_language("en")


@pytest.fixture(autouse=True)
def own_cache(tmp_path_factory, monkeypatch) -> Path:
    """Each test its own tenderkit cache (the library snapshot), never the user's ~/.cache."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("TENDERKIT_CACHE_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def library():
    return load_library()


@pytest.fixture
def library_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped library, to break on purpose."""
    target = tmp_path / "clause_library"
    shutil.copytree(library_dir(), target)
    return target


@pytest.fixture
def demo_tender(tmp_path: Path):
    return load_tender(make_tender(tmp_path / "tender"))


@pytest.fixture
def run():
    """Run the CLI in-process; returns the click Result."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)
    return invoke
