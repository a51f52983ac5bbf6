"""The review of a tender's returns as a background job, so that the page can show its progress."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from tenderkit.errors import TenderkitError
from tenderkit.evaluate import ReviewRun, run_review
from tenderkit.parse.store import return_files
from tenderkit.tender.loaded import load_tender
from tenderkit.tender.workspace import Workspace
from tenderkit.web.paths import shown

RUNNING, DONE, FAILED = "running", "done", "failed"


@dataclass
class ReviewJob:
    folder: Path
    root: Path | None = None             # the served FOLDER: paths in sentences are shown relative to it
    total: int = 0
    done: int = 0
    state: str = RUNNING
    error: str | None = None           # the CLI's sentence when the review could not run
    run: ReviewRun | None = None
    refused: list[str] = field(default_factory=list)   # uploads refused before the review
    saved: list[str] = field(default_factory=list)     # uploads stored before the review

    def progress(self) -> dict:
        return {"state": self.state, "done": self.done, "total": self.total, "error": self.error}

    def _advance(self, _path: Path) -> None:
        self.done += 1

    def execute(self) -> None:
        try:
            loaded = load_tender(self.folder)
            self.total = len(return_files(Workspace(self.folder)))
            self.run = run_review(loaded, None, self._advance)
            self.state = DONE
        except TenderkitError as error:
            self.error, self.state = shown(error, self.root or self.folder.parent), FAILED
        except Exception as error:  # a bug: one sentence in the page, the server keeps serving
            self.error, self.state = f"Erreur inattendue de tenderkit ({type(error).__name__})\u00a0: {error}", FAILED


class Jobs:
    """At most one review per tender at a time; the last one is kept to show its results."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._jobs: dict[str, ReviewJob] = {}

    def get(self, key: str) -> ReviewJob | None:
        return self._jobs.get(key)

    def start(self, key: str, folder: Path, saved: list[str], refused: list[str]) -> ReviewJob:
        with self._lock:
            current = self._jobs.get(key)
            if current is not None and current.state == RUNNING:
                return current
            job = ReviewJob(folder, self.root, saved=saved, refused=refused)
            job.total = len(return_files(Workspace(folder)))   # known before the progress page is first shown
            self._jobs[key] = job
        threading.Thread(target=job.execute, name=f"review-{key}", daemon=True).start()
        return job
