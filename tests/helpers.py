"""Helpers shared by the tests (importable as ``helpers``; pytest puts tests/ on sys.path)."""

from __future__ import annotations

from pathlib import Path

import yaml

from tenderkit.paths import samples_dir

TESTS = Path(__file__).resolve().parent
SEEDS = TESTS / "seeds"


def demo_data() -> dict:
    return yaml.safe_load((samples_dir() / "demo" / "tender.yaml").read_text(encoding="utf-8"))


def make_tender(folder: Path, **changes) -> Path:
    """A workspace from the demo tender with top-level keys replaced (``profile=…``, ``buyer=…``)."""
    data = demo_data()
    data.update(changes)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tender.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder
