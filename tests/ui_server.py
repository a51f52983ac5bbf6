"""Helpers of the `tenderkit ui` tests: the server on a free loopback port in a thread, headless Chromium."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from tenderkit.cli.ui import LOOPBACK, listening_socket
from tenderkit.web.app import create_app
from tenderkit.web.security import new_token

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@dataclass
class Served:
    root: Path
    token: str
    port: int

    @property
    def base(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.base}/?token={self.token}"


@contextlib.contextmanager
def serve(root: Path) -> Iterator[Served]:
    """The application of `tenderkit ui ROOT`, as the command builds it, until the block ends."""
    sock = listening_socket(LOOPBACK, 0)
    port = sock.getsockname()[1]
    token = new_token()
    app = create_app(root, token, cookie_name=f"tenderkit-{port}")
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield Served(root, token, port)
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def shot(page, name: str, folder: Path) -> Path:
    """A full-page screenshot at the laptop size (also into $TENDERKIT_SHOTS when set, to look at)."""
    target = folder / f"{name}.png"
    page.screenshot(path=str(target), full_page=False)
    extra = os.environ.get("TENDERKIT_SHOTS")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(extra) / f"{name}.png"), full_page=True)
    return target


ACCESSIBILITY_PROBLEMS = """() => {
  const problems = [];
  if (document.documentElement.lang !== "fr") problems.push("html lang is not fr");
  if (document.querySelectorAll("h1").length !== 1) problems.push("not exactly one h1");
  for (const field of document.querySelectorAll("input, select, textarea")) {
    if (field.type === "hidden") continue;
    const named = (field.labels && field.labels.length) || field.getAttribute("aria-label");
    if (!named) problems.push("field without label: " + (field.name || field.id));
  }
  for (const button of document.querySelectorAll("button")) {
    if (!button.textContent.trim()) problems.push("button without text");
  }
  for (const link of document.querySelectorAll("a")) {
    if (!link.textContent.trim()) problems.push("link without text: " + link.href);
  }
  for (const item of document.querySelectorAll("a, button, input, select, textarea, summary")) {
    if (item.getAttribute("tabindex") === "-1" && !item.disabled) {
      problems.push("not reachable by keyboard: " + item.outerHTML.slice(0, 80));
    }
  }
  // contrast (WCAG AA): every visible text against the background it is drawn on
  const rgb = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const channel = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const background = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const color = rgb(getComputedStyle(node).backgroundColor);
      if (color.length === 3 || (color.length === 4 && color[3] > 0.5)) return color.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const element = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || !element || seen.has(element)) continue;
    seen.add(element);
    if (element.closest(".visually-hidden, [disabled]") || !element.getClientRects().length) continue;
    const style = getComputedStyle(element);
    if (style.visibility === "hidden") continue;
    const fore = luminance(rgb(style.color)), back = luminance(background(element));
    const ratio = (Math.max(fore, back) + 0.05) / (Math.min(fore, back) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const text = walker.currentNode.textContent.trim().slice(0, 40);
    if (ratio < (large ? 3 : 4.5)) problems.push(`contrast ${ratio.toFixed(2)}: ${text}`);
  }
  return problems;
}"""


def accessibility_problems(page) -> list[str]:
    """What a screen-reader or keyboard user would miss on the page: labels, button and link texts, language,
    h1, controls taken out of the tab order, text contrast below WCAG AA (4.5:1, 3:1 for large text)."""
    return page.evaluate(ACCESSIBILITY_PROBLEMS)


def sample_questionnaire(name: str) -> Path:
    """A sample vendor's filled questionnaire as one file (the demo's returns are offers: a folder, a zip):
    « Echographie Sud.xlsx », « MedImaging France - reponse.xlsx »."""
    import tempfile
    import zipfile

    from tenderkit.paths import samples_dir

    returns = samples_dir() / "demo" / "returns"
    for offer in returns.iterdir():
        if offer.is_dir() and (offer / name).is_file():
            return offer / name
        if offer.suffix == ".zip":
            with zipfile.ZipFile(offer) as archive:
                if name in archive.namelist():
                    target = Path(tempfile.mkdtemp(prefix="tk-sample-")) / name
                    target.write_bytes(archive.read(name))
                    return target
    raise FileNotFoundError(name)


def sample_offer_zip(name: str, folder: Path) -> Path:
    """A sample vendor's whole offer as a zip to upload (« Echographie Sud », « MedImaging France »): the demo's
    zip itself, or its offer folder zipped into ``folder``."""
    import zipfile

    from tenderkit.paths import samples_dir

    returns = samples_dir() / "demo" / "returns"
    if (returns / f"{name}.zip").is_file():
        return returns / f"{name}.zip"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted((returns / name).iterdir()):
            archive.write(path, path.name)
    return target
