"""Where the shipped data live: inside the installed package, or at the top of a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def library_dir() -> Path:
    """The shipped clause library."""
    return _data_dir("clause_library")


def templates_dir() -> Path:
    """The shipped Word templates."""
    return _data_dir("templates")


def samples_dir() -> Path:
    """The bundled sample tender and vendor returns."""
    return _data_dir("samples")
