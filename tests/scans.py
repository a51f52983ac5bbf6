"""Scanned returns for the OCR tests and benchmark: pages of a printed return rasterised with pdftoppm (as a
scanner would, in grey) and put back together as a PDF of images, without a text layer."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from PIL import Image


def scan(printed: Path, target: Path, dpi: int, pages: list[int]) -> Path:
    """``pages`` (1-based) of ``printed`` scanned at ``dpi`` into ``target``."""
    with tempfile.TemporaryDirectory() as work:
        images = []
        for page in pages:
            prefix = Path(work) / f"p{page}"
            subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-singlefile", "-f", str(page), "-l",
                            str(page), str(printed), str(prefix)], check=True, capture_output=True, timeout=120)
            images.append(Image.open(f"{prefix}.png").convert("L"))
        images[0].save(target, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return target


def similarity_report(expected: dict, read: dict) -> dict[str, float]:
    """Accuracy of OCR answers against what the vendor typed: share of values exact, and the mean
    character similarity (rapidfuzz ratio, whitespace-normalised) of the free-text answers."""
    from rapidfuzz import fuzz

    def norm(value):
        return " ".join(str(value).split()) if isinstance(value, str) else value

    exact = sum(1 for q, v in expected.items() if norm(read.get(q)) == norm(v))
    texts = [(norm(v), norm(read.get(q)) or "") for q, v in expected.items() if isinstance(v, str) and len(v) > 20]
    similarity = sum(fuzz.ratio(a, str(b)) for a, b in texts) / len(texts) if texts else 100.0
    return {"exact": exact / len(expected) if expected else 1.0, "text_similarity": similarity}
