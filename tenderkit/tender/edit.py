"""Changing values of an existing tender.yaml without losing what the buyer wrote around them: comments, key
order and layout survive (ruamel.yaml's round trip). The new text must load back to a valid tender whose
values are exactly the ones asked, or nothing is written."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from tenderkit.errors import TenderkitError
from tenderkit.i18n import _
from tenderkit.library.models import Library
from tenderkit.output import write_text_atomic
from tenderkit.tender.workspace import Tender, check_against_library, parse_tender, read_yaml

Changes = Mapping[tuple[str, ...], Any]   # a key path of tender.yaml (("buyer", "contact", "email")) → its value


def _round_trip() -> YAML:
    document = YAML(typ="rt")
    document.preserve_quotes = True
    document.width = 4096          # never fold a long title onto a second line
    document.indent(mapping=2, sequence=4, offset=2)
    return document


def _value(value: Any, current: Any) -> Any:
    """``value`` as ruamel writes it, in the flow style of the value it replaces (« [a, b] », « {1: 2} »).
    Text is always double-quoted, as `tenderkit new` writes it: a plain « 12:00 » or « yes » is read by
    PyYAML (YAML 1.1) as a number or a boolean."""
    if isinstance(value, str):
        return DoubleQuotedScalarString(value)
    if isinstance(value, list):
        seq = CommentedSeq(_value(v, None) if isinstance(v, str) else v for v in value)
        if current is None or getattr(getattr(current, "fa", None), "flow_style", lambda: True)():
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, dict):
        if isinstance(current, dict) and current and all(isinstance(k, str) for k in current):
            value = {DoubleQuotedScalarString(k): v for k, v in value.items()}   # « "1": 2 » as written
        value = {k: _value(v, None) if isinstance(v, str) else v for k, v in value.items()}
        mapping = CommentedMap(value)
        if current is None or getattr(getattr(current, "fa", None), "flow_style", lambda: True)():
            mapping.fa.set_flow_style()
        return mapping
    return value


def _set(document: CommentedMap, path: tuple[str, ...], value: Any) -> None:
    node = document
    for key in path[:-1]:
        if not isinstance(node.get(key), dict):
            node[key] = CommentedMap()
        node = node[key]
    node[path[-1]] = _value(value, node.get(path[-1]))


def _plain(data: Any) -> Any:
    """Data as PyYAML loads them (dates as dates, ints as ints), to compare with what was asked."""
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return data


def _same_keys(written: Any, value: Any) -> bool:
    """A mapping written with text keys (« "1": 2 ») for the number keys asked (weights of parts)."""
    return (isinstance(written, dict) and isinstance(value, dict)
            and {str(k): v for k, v in written.items()} == {str(k): v for k, v in value.items()})


def _at(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def edited_text(path: Path, changes: Changes) -> str:
    """The text of tender.yaml at ``path`` with ``changes`` applied, comments and layout kept."""
    document = _round_trip()
    try:
        data = document.load(path.read_text(encoding="utf-8"))
    except Exception:   # ruamel's own errors: the CLI's sentence for a file it cannot read
        read_yaml(path)
        raise TenderkitError(_("{path}: not valid YAML.").format(path=path)) from None
    if not isinstance(data, CommentedMap):
        raise TenderkitError(_("{source}: expected keys such as reference, title, buyer, procurement_type.")
                             .format(source=path))
    for key_path, value in changes.items():
        _set(data, key_path, value)
    stream = io.StringIO()
    document.dump(data, stream)
    return stream.getvalue()


def edit_tender(path: Path, changes: Changes, library: Library) -> Tender:
    """Write ``changes`` into tender.yaml (atomically) and return the tender it now describes."""
    text = edited_text(path, changes)
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError:
        loaded = None
    tender = parse_tender(loaded, path)
    check_against_library(tender, library, path)
    for key_path, value in changes.items():
        written = _at(loaded, key_path)
        if isinstance(value, dt.date) and isinstance(written, str):
            written = dt.date.fromisoformat(written)
        if _plain(written) != _plain(value) and not _same_keys(written, value):
            raise TenderkitError(_("{path}: {key} could not be written safely; edit the file itself.")
                                 .format(path=path, key=".".join(key_path)))
    write_text_atomic(path, text)
    return tender
