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
  return problems;
}"""


def accessibility_problems(page) -> list[str]:
    """What a screen-reader user would miss on the page: labels, button and link texts, language, h1."""
    return page.evaluate(ACCESSIBILITY_PROBLEMS)
