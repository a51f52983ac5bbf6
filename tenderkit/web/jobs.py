"""The review of a tender's returns as a background job, so that the page can show its progress.

After a restart, a tender already reviewed (by the page or by `tenderkit review`) gets its ranking back by a
*restoring* job: the same review (:func:`tenderkit.evaluate.review_returns`: the returns already read come from
responses/, so it is quick) without rewriting the committee documents, whose paths are shown when present.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from tenderkit.errors import TenderkitError
from tenderkit.evaluate import ReviewRun, document_paths, review_returns, run_review
from tenderkit.incremental import CACHE, recorded
from tenderkit.parse.store import return_files
from tenderkit.render.letters_docx import letter_title
from tenderkit.tender.loaded import load_tender
from tenderkit.tender.workspace import Workspace
from tenderkit.web.paths import inside, shown

RUNNING, DONE, FAILED = "running", "done", "failed"


def was_reviewed(folder: Path) -> bool:
    """Returns of this tender were reviewed before (their parsed responses are stored, or a review's record)."""
    workspace = Workspace(folder)
    return (workspace.out / CACHE).is_file() or (workspace.responses.is_dir()
                                                  and any(workspace.responses.glob("*.json")))


def recorded_grid(folder: Path) -> Path | None:
    """The committee grid the last `tenderkit review --grid` took over, when it is a file of the tender folder."""
    data = recorded(folder) or {}
    grid = data.get("grid")
    if not isinstance(grid, str):
        return None
    path = Path(grid)
    return path if path.is_file() and inside(path, folder) else None


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
    restored: bool = False             # the ranking of an earlier review, after a restart: out/ is not rewritten
    grid: Path | None = None           # the committee's grid to take over (« Reprendre la grille du comité »)
    reset_grid: bool = False           # start again from tender.yaml (« Repartir de tender.yaml »)
    finished: threading.Event = field(default_factory=threading.Event)

    def progress(self) -> dict:
        return {"state": self.state, "done": self.done, "total": self.total, "error": self.error}

    def _advance(self, _path: Path) -> None:
        self.done += 1

    def _restore(self) -> ReviewRun:
        loaded = load_tender(self.folder)
        review, parsed = review_returns(loaded, None, self._advance, recorded_grid(self.folder))
        paths, letters = document_paths(loaded, review) if review.vendors else ({}, {})
        return ReviewRun(review, parsed, paths={k: p for k, p in paths.items() if p.is_file()},
                         letters={v: p for v, (p, _) in letters.items() if p.is_file()},
                         letter_titles={v: letter_title(kind) for v, (_, kind) in letters.items()}, root=self.folder)

    def execute(self) -> None:
        try:
            self.total = len(return_files(Workspace(self.folder)))
            self.run = self._restore() if self.restored else run_review(
                load_tender(self.folder), None, self._advance, grid=self.grid, reset_grid=self.reset_grid)
            self.state = DONE
        except TenderkitError as error:
            self.error, self.state = shown(error, self.root or self.folder.parent), FAILED
        except Exception as error:  # a bug: one sentence in the page, the server keeps serving
            where = shown(error, self.root or self.folder.parent)
            self.error, self.state = f"Erreur inattendue de tenderkit ({type(error).__name__})\u00a0: {where}", FAILED
        finally:
            self.finished.set()


class Jobs:
    """At most one review per tender at a time; the last one is kept to show its results."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._jobs: dict[str, ReviewJob] = {}

    def get(self, key: str) -> ReviewJob | None:
        return self._jobs.get(key)

    def start(self, key: str, folder: Path, saved: list[str], refused: list[str], grid: Path | None = None,
              reset_grid: bool = False) -> ReviewJob:
        with self._lock:
            current = self._jobs.get(key)
            if current is not None and current.state == RUNNING:
                return current
            job = ReviewJob(folder, self.root, saved=saved, refused=refused, grid=grid, reset_grid=reset_grid)
            job.total = len(return_files(Workspace(folder)))   # known before the progress page is first shown
            self._jobs[key] = job
        threading.Thread(target=job.execute, name=f"review-{key}", daemon=True).start()
        return job

    def restore(self, key: str, folder: Path) -> ReviewJob | None:
        """The job showing this tender's ranking: the current one, or — for a tender reviewed before this server
        started — a restoring job just started; None when the tender was never reviewed."""
        with self._lock:
            current = self._jobs.get(key)
            if current is not None or not was_reviewed(folder):
                return current
            job = ReviewJob(folder, self.root, restored=True)
            job.total = len(return_files(Workspace(folder)))
            self._jobs[key] = job
        threading.Thread(target=job.execute, name=f"restore-{key}", daemon=True).start()
        return job
