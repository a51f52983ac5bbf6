"""The MDS2 mapping (``clause_library/mds2/*.yaml``): which MDS2 item carries over to which AFIB question, how,
and why; and the markers of other well-known questionnaires (``clause_library/parsing/foreign.yaml``).

Both are validated on load against the library: every AFIB question exists, a yes/no carry goes to a yes/no
question and a text carry to a text one, MDS2 ids follow the form's id pattern, nothing is mapped twice.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field, ValidationError, field_validator

from tenderkit.i18n import _
from tenderkit.library.models import YES_NO_TYPES, Entry, Library
from tenderkit.library.problems import LibraryError, Problem, describe_validation_error

Carry = Literal["same", "inverse", "text"]
Said = Literal["yes", "no", "na", "note"]


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as error:
        raise ValueError(_("not a valid regular expression ({error})").format(error=error)) from None
    return value


class Mds2Item(Entry):
    mds2: str
    question: str
    carry: Carry
    only: list[Literal["Yes", "No", "N/A"]] | None = None
    why: str = Field(min_length=10)


class NotMapped(Entry):
    mds2: str
    near: str
    why: str = Field(min_length=10)


class Recognise(Entry):
    id_pattern: str
    min_items: int = Field(ge=1)
    min_answers: int = Field(ge=1)
    note_pattern: str

    _check = field_validator("id_pattern", "note_pattern")(_regex)


class Mds2Form(Entry):
    form: str
    title: str
    recognise: Recognise
    answers: dict[str, Said]
    vendor_item: str
    describe: dict[str, str] = Field(default_factory=dict)
    items: list[Mds2Item] = Field(default_factory=list)
    not_mapped: list[NotMapped] = Field(default_factory=list)


class ForeignQuestionnaire(Entry):
    name: str
    full_name: str
    id_pattern: str
    min_ids: int = Field(ge=1)
    headers: list[str] = Field(default_factory=list)
    texts: list[str] = Field(default_factory=list)

    _check = field_validator("id_pattern")(_regex)


def _load_yaml(path: Path, problems: list[Problem]):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        problems.append(Problem(path, None, _("cannot be read ({error})").format(error=type(error).__name__)))
        return None


def _check_form(form: Mds2Form, path: Path, library: Library) -> list[Problem]:
    problems = []
    pattern = re.compile(form.recognise.id_pattern)
    seen_items: set[str] = set()
    seen_questions: set[str] = set()
    for item in [*form.items, *form.not_mapped]:
        if not pattern.match(item.mds2):
            problems.append(Problem(path, item.mds2, _("not an id of the form (recognise.id_pattern)")))
    for item in form.items:
        question = library.questions.get(item.question)
        if item.mds2 in seen_items:
            problems.append(Problem(path, item.mds2, _("MDS2 item mapped twice")))
        if item.question in seen_questions:
            problems.append(Problem(path, item.mds2, _("AFIB question {question} already has an MDS2 item")
                                                     .format(question=item.question)))
        seen_items.add(item.mds2)
        seen_questions.add(item.question)
        if question is None:
            problems.append(Problem(path, item.mds2, _("unknown AFIB question '{question}'")
                                                     .format(question=item.question)))
        elif item.carry in ("same", "inverse") and question.answer_type not in YES_NO_TYPES:
            problems.append(Problem(path, item.mds2, _("carry '{carry}' needs a yes/no question, {question} is "
                                                       "{answer_type}")
                                                     .format(carry=item.carry, question=item.question,
                                                             answer_type=question.answer_type)))
        elif item.carry == "text" and question.answer_type not in ("text", "list"):
            problems.append(Problem(path, item.mds2, _("carry 'text' needs a text question, {question} is "
                                                       "{answer_type}")
                                                     .format(question=item.question,
                                                             answer_type=question.answer_type)))
    for item in form.not_mapped:
        if item.near not in library.questions:
            problems.append(Problem(path, item.mds2, _("unknown AFIB question '{near}'").format(near=item.near)))
        if item.mds2 in seen_items:
            problems.append(Problem(path, item.mds2, _("both mapped and listed in not_mapped")))
    return problems


def collect_mds2(library: Library) -> tuple[list[Mds2Form], list[ForeignQuestionnaire], list[Problem]]:
    """The MDS2 forms and foreign questionnaires of ``library``'s folder, with every problem found."""
    problems: list[Problem] = []
    forms = []
    for path in sorted((library.root / "mds2").glob("*.yaml")):
        data = _load_yaml(path, problems)
        if data is None:
            continue
        if not isinstance(data, dict):
            problems.append(Problem(path, None, _("expected a mapping of keys to values")))
            continue
        entries = {}
        for key, model in (("items", Mds2Item), ("not_mapped", NotMapped)):  # each line named by its MDS2 id
            entries[key] = []
            for index, entry in enumerate(data.get(key) or [], start=1):
                name = str(entry.get("mds2")) if isinstance(entry, dict) and entry.get("mds2") else f"{key} #{index}"
                try:
                    entries[key].append(model.model_validate(entry))
                except ValidationError as error:
                    problems += [Problem(path, name, m) for m in describe_validation_error(error)]
        try:
            form = Mds2Form.model_validate({**data, "items": [], "not_mapped": []}).model_copy(update=entries)
        except ValidationError as error:
            problems += [Problem(path, None, message) for message in describe_validation_error(error)]
            continue
        if not form.items:
            problems.append(Problem(path, None, _("no MDS2 item mapped (items)")))
        problems += _check_form(form, path, library)
        forms.append(form)
    foreign = []
    path = library.root / "parsing" / "foreign.yaml"
    if path.exists():
        data = _load_yaml(path, problems) or []
        for index, entry in enumerate(data if isinstance(data, list) else [], start=1):
            try:
                foreign.append(ForeignQuestionnaire.model_validate(entry))
            except ValidationError as error:
                problems += [Problem(path, f"#{index}", m) for m in describe_validation_error(error)]
    return forms, foreign, problems


_LOADED: dict[tuple[Path, int], tuple[tuple[Mds2Form, ...], tuple[ForeignQuestionnaire, ...]]] = {}


def other_questionnaires(library: Library) -> tuple[tuple[Mds2Form, ...], tuple[ForeignQuestionnaire, ...]]:
    """The validated MDS2 forms and foreign questionnaire markers (loaded once per library)."""
    key = (library.root, id(library))
    if key not in _LOADED:
        forms, foreign, problems = collect_mds2(library)
        if problems:
            raise LibraryError(problems)
        _LOADED[key] = (tuple(forms), tuple(foreign))
    return _LOADED[key]
