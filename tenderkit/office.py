"""Headless LibreOffice: convert documents (to PDF, or re-save as xlsx/docx) as vendors' tools do.

Used by ``tenderkit build --pdf`` (the PDF copies of the CCTP annex and the questionnaire published in the
DCE, and the page numbers of the annex's table of contents), the sample-return generator, the benchmarks
and the tests. Every other command works without it.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from tenderkit.errors import TenderkitError
from tenderkit.i18n import N_, _

NO_OFFICE_PDF = N_("LibreOffice (soffice) is not installed, so no PDF copy was written; install it with "
                    "scripts/setup.sh (the .docx and .xlsx files do not need it).")


def soffice() -> str:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise TenderkitError(_(NO_OFFICE_PDF))


def convert(source: Path, target_format: str, out_dir: Path, infilter: str | None = None) -> Path:
    """Convert ``source`` with LibreOffice into ``out_dir``; return the converted file.

    ``target_format`` is what ``--convert-to`` takes: ``pdf``, ``xlsx``, ``docx``, or ``docx:MS Word
    2007 XML`` (no shell quoting); ``infilter`` forces the import filter (e.g. ``HTML (StarWriter)`` to
    open HTML in Writer).
    Each call uses its own LibreOffice profile, so calls may run in parallel.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tk-lo-") as profile:
        command = [soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                   *([f"--infilter={infilter}"] if infilter else []),
                   "--convert-to", target_format, "--outdir", str(out_dir), str(source)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=240, check=False)
    extension = target_format.split(":")[0]
    produced = out_dir / f"{source.stem}.{extension}"
    if result.returncode != 0 or not produced.is_file():
        raise TenderkitError(_("LibreOffice could not convert {file} to {format}: {output}")
                             .format(file=source.name, format=extension,
                                     output=(result.stderr or result.stdout).strip()[:300]))
    return produced
