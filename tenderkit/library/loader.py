"""Load a clause library folder into a validated :class:`Library`.

Every problem is collected (file, entry, message) before anything is raised, so that
``tenderkit library validate`` can list them all; :func:`load_library` raises :class:`LibraryError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from tenderkit.i18n import _
from tenderkit.library.mds2 import collect_mds2
from tenderkit.library.models import (
    AfibCatalog,
    AnsmCatalog,
    Clause,
    Deliverable,
    EnisaCatalog,
    Library,
    Part,
    ProfileFact,
    Question,
    QuestionnaireMeta,
    Theme,
    Variable,
)
from tenderkit.library.problems import LibraryError, Problem, describe_validation_error
from tenderkit.library.validate import cross_check
from tenderkit.paths import library_dir

M = TypeVar("M", bound=BaseModel)
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: 4x faster, same safety


class _Reader:
    """Reads YAML files into models, recording problems instead of raising."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def yaml(self, path: Path) -> Any:
        try:
            with path.open(encoding="utf-8") as handle:
                data = yaml.load(handle, Loader=_YAML_LOADER)  # a safe loader (C or Python)
            if data is None:
                self.problems.append(Problem(path, None, _("file is empty")))
            return data
        except FileNotFoundError:
            self.problems.append(Problem(path, None, _("file is missing")))
        except UnicodeDecodeError:
            self.problems.append(Problem(path, None, _("file is not UTF-8 text")))
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = _(" at line {line}").format(line=mark.line + 1) if mark else ""
            reason = getattr(error, "problem", None) or _("syntax error")
            self.problems.append(Problem(path, None, _("invalid YAML{where}: {reason}")
                                                     .format(where=where, reason=reason)))
        return None

    def model(self, path: Path, model: type[M], data: Any, entry: str | None = None) -> M | None:
        if data is None:  # unreadable or empty file: already reported
            return None
        if not isinstance(data, dict):
            self.problems.append(Problem(path, entry, _("expected a mapping of keys to values")))
            return None
        try:
            return model.model_validate(data)
        except ValidationError as error:
            for message in describe_validation_error(error):
                self.problems.append(Problem(path, entry, message))
            return None

    def entries(self, path: Path, model: type[M], data: Any = None) -> list[M]:
        """A file (or value) holding a list of entries, each validated on its own."""
        data = self.yaml(path) if data is None else data
        if data is None:
            return []
        if not isinstance(data, list):
            self.problems.append(Problem(path, None, _("expected a list of entries")))
            return []
        result = []
        for index, item in enumerate(data, start=1):
            name = str(item.get("id")) if isinstance(item, dict) and item.get("id") else f"#{index}"
            parsed = self.model(path, model, item, name)
            if parsed is not None:
                result.append(parsed)
        return result


def _flatten(parts: Sequence[Part]) -> dict[str, Question]:
    questions: dict[str, Question] = {}
    for part in parts:
        for section in part.sections:
            for item in section.questions:
                data = item.model_dump()
                data["show_if"] = item.show_if or section.show_if
                questions.setdefault(item.id, Question(
                    **data, part=part.part, section=section.title, section_id=section.id,
                    group=section.group))
    return questions


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.yaml") if not p.name.startswith("_"))


def collect(root: Path | None = None, extra_clause_dirs: Iterable[Path] = ()) -> tuple[Library | None,
                                                                                      list[Problem]]:
    """Load and cross-check a library; return it (None if unusable) with every problem found."""
    root = Path(root) if root else library_dir()
    reader = _Reader()
    if not root.is_dir():
        return None, [Problem(root, None, _("clause library folder not found"))]

    profile = reader.yaml(root / "profile.yaml") or {}
    facts = reader.entries(root / "profile.yaml", ProfileFact, profile.get("facts", []))
    themes = reader.entries(root / "themes.yaml", Theme)
    deliverables = reader.entries(root / "deliverables.yaml", Deliverable)
    variables = reader.entries(root / "variables.yaml", Variable) if (root / "variables.yaml").is_file() else []
    clauses: list[Clause] = []
    clause_paths: list[Path] = []

    def add_clauses(path: Path) -> None:
        for clause in reader.entries(path, Clause):
            clauses.append(clause)
            clause_paths.append(path)

    for path in _yaml_files(root / "clauses"):
        add_clauses(path)
    for extra in extra_clause_dirs:
        extra = Path(extra)
        if not extra.is_dir():
            reader.problems.append(Problem(extra, None, _("extra clause folder not found")))
            continue
        for path in _yaml_files(extra) + _yaml_files(extra / "clauses"):
            if path.name == "themes.yaml":
                themes += reader.entries(path, Theme)
            elif path.name == "deliverables.yaml":
                deliverables += reader.entries(path, Deliverable)
            else:
                add_clauses(path)

    questionnaire = root / "questionnaire"
    meta = reader.model(questionnaire / "_meta.yaml", QuestionnaireMeta,
                        reader.yaml(questionnaire / "_meta.yaml"))
    part_files = sorted(questionnaire.glob("partie-*.yaml"))
    parts = [p for p in (reader.model(f, Part, reader.yaml(f)) for f in part_files) if p is not None]
    part_file = {p.part: f for p, f in zip(parts, part_files, strict=False)}
    catalogs = root / "catalogs"
    ansm = reader.model(catalogs / "ansm.yaml", AnsmCatalog, reader.yaml(catalogs / "ansm.yaml"))
    enisa = reader.model(catalogs / "enisa.yaml", EnisaCatalog, reader.yaml(catalogs / "enisa.yaml"))
    afib = reader.model(catalogs / "afib.yaml", AfibCatalog, reader.yaml(catalogs / "afib.yaml"))
    if not part_files:
        reader.problems.append(Problem(questionnaire, None, _("no questionnaire part (partie-*.yaml)")))

    theme_order = {t.id: i for i, t in enumerate(themes)}
    ordered = sorted(zip(clauses, clause_paths, strict=True), key=lambda cp: theme_order.get(cp[0].theme, 99))
    clauses, clause_paths = [c for c, _ in ordered], [p for _, p in ordered]
    if meta is None or ansm is None or enisa is None or afib is None or not parts:
        return None, reader.problems
    library = Library(
        root=root, facts=facts, themes=themes, deliverables={d.id: d for d in deliverables},
        clauses=clauses, meta=meta, parts=sorted(parts, key=lambda p: p.part), ansm=ansm, enisa=enisa,
        afib=afib, questions=_flatten(parts), clause_paths=clause_paths,
        variables={v.id: v for v in variables},
    )
    problems = reader.problems + cross_check(library, deliverables, part_file)
    problems += collect_mds2(library)[2]  # the MDS2 mapping and foreign questionnaires' markers
    return library, problems


def load_library(root: Path | None = None, extra_clause_dirs: Iterable[Path] = ()) -> Library:
    """Load the library, raising :class:`LibraryError` on the first problem found."""
    library, problems = collect(root, extra_clause_dirs)
    if problems or library is None:
        raise LibraryError(problems or [Problem(Path(root or library_dir()), None, _("library is unusable"))])
    return library
