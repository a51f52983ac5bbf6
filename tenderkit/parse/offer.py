"""An offer as procurement platforms deliver it: a folder (``returns/<vendor>/…``, nested folders allowed) or a
zip (``returns/<vendor>.zip``) holding the questionnaire and the attached documents.

The offer is listed without extracting anything: zip members are read in memory, within bounds, only for
the few files that may be the questionnaire (written to a private temporary folder under a name of ours,
never the member's own path). The questionnaire is parsed as a single return; each document it declares
is then tied to an attached file — by the name the vendor gave in « Nom du fichier », else by title
similarity — and the documents declared but absent, or attached but not declared, are reported.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path, PurePosixPath

import yaml
from rapidfuzz import fuzz

from tenderkit.errors import TenderkitError, system_reason
from tenderkit.i18n import N_, _, ngettext
from tenderkit.library.models import Library
from tenderkit.parse.entries import entry_problem
from tenderkit.parse.response import Response, display_name
from tenderkit.parse.safety import (
    DOCUMENT_HEAD_BYTES,
    MAX_FILE_BYTES,
    MAX_MEMBER_RATIO,
    MAX_OFFER_BYTES,
    ZIP_MAGIC,
    document_problem,
)
from tenderkit.paths import library_dir
from tenderkit.text import fold

OFFER_KINDS = {"zip": N_("the offer zip"), "folder": N_("the offer folder")}
MAX_OFFER_FILES = 2000
                    # files listed in one offer (a real one holds a few dozen)
MAX_OFFER_DEPTH = 8                        # nested folders
MAX_CANDIDATES = 6                         # files tried as the questionnaire
QUESTIONNAIRE_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".xls", ".docx", ".pdf")
TITLE_CUTOFF = 80       # rapidfuzz token_set_ratio of a file's name to a document's title (a renamed file keeps
TITLE_MARGIN = 10       # most title words, « … – version définitive »); over the second best, else ambiguous
WORD_CUTOFF = 85        # rapidfuzz ratio of two words taken as one (« reseau » / « reseaux », a typo)
_UNSAFE = re.compile(r"(^|/)\.\.(/|$)|^/|^[A-Za-z]:|\x00")


@dataclass
class Member:
    path: str              # inside the offer, « / »-separated, as the buyer should read it
    size: int
    compressed: int = 0
    info: zipfile.ZipInfo | None = None


@dataclass
class Listing:
    kind: str                                   # folder | zip
    members: list[Member] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class OfferError(Exception):
    """An offer that cannot be opened; ``str()`` is the sentence for the buyer."""


def is_offer(path: Path) -> bool:
    """A folder, or a zip that is not itself an Office document (xlsx, docx and ods are zips too)."""
    if path.is_dir():
        return True
    if not path.is_file():  # a pipe or a device is never opened here (it could block): sniff() says what it is
        return False
    try:
        with path.open("rb") as handle:
            if handle.read(4) != ZIP_MAGIC:
                return False
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist()[:MAX_OFFER_FILES])
    except (OSError, zipfile.BadZipFile):
        return False
    return not ({"[Content_Types].xml", "mimetype"} & names)


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as the vendor typed it: zips made on Windows store names in the OEM code page
    (cp850 for French) without the UTF-8 flag, which Python reads as cp437; some tools write UTF-8 without
    the flag."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp850", errors="replace")


def _list_zip(path: Path) -> Listing:
    listing = Listing("zip")
    try:
        if path.stat().st_size > MAX_OFFER_BYTES:
            raise OfferError(_("the offer zip is larger than {gb} GB").format(gb=MAX_OFFER_BYTES // 1024 ** 3))
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile:
        raise OfferError(_("the offer zip is damaged (truncated or corrupt)")) from None
    if len(infos) > MAX_OFFER_FILES:
        raise OfferError(_("the offer zip holds {count} files, more than the {limit} accepted; refused as a possible "
                           "zip bomb").format(count=len(infos), limit=MAX_OFFER_FILES))
    seen: dict[str, Member] = {}
    for info in infos:
        if info.is_dir():
            continue
        name = member_name(info).replace("\\", "/")
        if _UNSAFE.search(name):
            listing.warnings.append(_("« {name} » in the zip has an unsafe path (outside the offer); skipped")
                                    .format(name=name[:80]))
            continue
        if name.split("/")[-1].startswith((".", "~$")) or name.startswith("__MACOSX/"):
            continue
        if stat.S_ISLNK(info.external_attr >> 16):  # a Unix symbolic link stored as such: never followed
            listing.warnings.append(_("« {name} » in the zip is a symbolic link, not a file; skipped")
                                    .format(name=name[:80]))
            continue
        same = seen.get(name.casefold())   # one name twice (or in two cases, one file once unzipped on Windows)
        if same is not None and (same.info.CRC, same.size) == (info.CRC, info.file_size) and same.path == name:
            continue   # the same file stored twice: one is enough
        if same is not None:
            raise OfferError(_("the offer zip holds two different files under one name, « {path} » and « {name} »; "
                               "neither is read until the buyer removes one of them from the zip")
                             .format(path=same.path[:80], name=name[:80]))
        seen[name.casefold()] = member = Member(name, info.file_size, info.compress_size, info)
        listing.members.append(member)
    return listing


def _list_folder(path: Path) -> Listing:
    listing = Listing("folder")
    root = Path(path)
    for folder, folders, files in os.walk(root, followlinks=False):
        depth = len(Path(folder).relative_to(root).parts)
        folders[:] = sorted(f for f in folders if not f.startswith(".")) if depth < MAX_OFFER_DEPTH else []
        if depth >= MAX_OFFER_DEPTH and files:
            listing.warnings.append(_("folders nested deeper than {depth} levels were not looked at")
                                    .format(depth=MAX_OFFER_DEPTH))
        for name in [f for f in folders if (Path(folder) / f).is_symlink()]:
            folders.remove(name)  # a linked folder is never walked: its files are read where they really are
            problem = entry_problem(Path(folder) / name, root, _("the offer folder"))
            if problem is not None:
                relative = (Path(folder) / name).relative_to(root).as_posix()
                listing.warnings.append(_("« {name} »: {problem}; skipped").format(name=relative, problem=problem))
        for name in sorted(files):
            if name.startswith((".", "~$")):
                continue
            full = Path(folder) / name
            relative = full.relative_to(root).as_posix()
            problem = entry_problem(full, root, _("the offer folder"))
            if problem is None and full.is_dir():  # a link to a folder of the offer: read where it is
                continue
            if problem is not None:
                listing.warnings.append(_("« {name} »: {problem}; skipped").format(name=relative, problem=problem))
                continue
            listing.members.append(Member(relative, full.stat().st_size))
            if len(listing.members) > MAX_OFFER_FILES:
                raise OfferError(_("the offer folder holds more than {limit} files").format(limit=MAX_OFFER_FILES))
    return listing


def list_offer(path: Path) -> Listing:
    return _list_folder(path) if path.is_dir() else _list_zip(path)


class TooSlow(Exception):
    """Hashing a return did not end within its time budget."""


def hash_file(path: Path, digest, deadline: float | None = None):
    """``digest`` updated with the bytes of ``path``, read by blocks; TooSlow past ``deadline`` (monotonic)."""
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            if deadline is not None and time.monotonic() > deadline:
                raise TooSlow(path)
    return digest


def offer_hash(path: Path, deadline: float | None = None) -> str:
    """A fingerprint of a folder offer: its files' paths and contents (a zip is hashed as a file)."""
    digest = hashlib.sha256()
    for member in list_offer(path).members:
        digest.update(os.fsencode(member.path) + b"\0")
        hash_file(path / member.path, digest, deadline)
    return digest.hexdigest()


def _candidates(listing: Listing) -> list[Member]:
    """Files that may be the questionnaire, the likeliest first: spreadsheets, then Word, then PDF; a name
    saying « questionnaire » first within each."""
    rank = {".xlsx": 0, ".xlsm": 0, ".ods": 0, ".xls": 0, ".docx": 1, ".pdf": 2}

    def suffix(member: Member) -> str:
        return PurePosixPath(member.path).suffix.lower()

    found = [m for m in listing.members if suffix(m) in rank and m.size > 0]
    return sorted(found, key=lambda m: ("questionnaire" not in fold(m.path), rank[suffix(m)], m.path))[:MAX_CANDIDATES]


def _materialize(path: Path, listing: Listing, member: Member, scratch: Path) -> Path:
    """A path to read ``member`` from: the file itself in a folder; for a zip, a copy in ``scratch`` (read in
    memory within the bounds of a questionnaire, under a safe name of ours)."""
    if listing.kind == "folder":
        return path / member.path
    assert member.info is not None
    if member.size > MAX_FILE_BYTES:
        raise OfferError(_("« {name} » is {mb} MB, larger than any questionnaire")
                         .format(name=member.path, mb=member.size // (1024 * 1024)))
    if member.compressed and member.size > 1024 * 1024 and member.size // member.compressed > MAX_MEMBER_RATIO:
        raise OfferError(_("« {name} » is compressed {ratio} times; refused as a possible zip bomb")
                         .format(name=member.path, ratio=member.size // member.compressed))
    with zipfile.ZipFile(path) as archive, archive.open(member.info) as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise OfferError(_("« {name} » expands beyond {mb} MB")
                         .format(name=member.path, mb=MAX_FILE_BYTES // (1024 * 1024)))
    safe = re.sub(r"[^\w.\- ]+", "_", PurePosixPath(member.path).name)[:80] or "questionnaire"
    target = scratch / safe
    target.write_bytes(data)
    return target


def _stem_words(path: str) -> str:
    return " ".join(w for w in re.split(r"[\W_]+", fold(PurePosixPath(path).stem)) if w)


@lru_cache(maxsize=1)
def generic_words() -> frozenset[str]:
    """The words that tell no document from another (clause_library/parsing/documents.yaml)."""
    path = library_dir() / "parsing" / "documents.yaml"
    try:
        return frozenset(str(word) for word in yaml.safe_load(path.read_text(encoding="utf-8"))["generic_words"])
    except (OSError, KeyError, TypeError, yaml.YAMLError) as error:
        raise TenderkitError(_("{path}: the generic words of document names cannot be loaded ({error}).")
                             .format(path=path, error=error)) from None


def _distinctive(name: str) -> list[str]:
    """The words of a document's name that tell it apart (articles, prepositions and generic words left out)."""
    generic = generic_words()
    return [w for w in name.split() if w not in generic and (len(w) > 1 or w.isdigit())]


def _covers(words: str, name: str) -> bool:
    """Whether the file name ``words`` holds every distinctive word of ``name`` (spelling variants allowed:
    « réseau » for « réseaux »): a file named « 745 » is not « Certificat CE 745 »."""
    distinctive, own = _distinctive(name), words.split()
    return bool(distinctive) and all(any(fuzz.ratio(word, mine) >= WORD_CUTOFF for mine in own)
                                     for word in distinctive)


def match_attachments(response: Response, attachments: list[str], library: Library) -> dict[str, str | None]:
    """Each declared document → the attached file that is it (or None): by the file name the vendor gave,
    else by its name holding every distinctive word of the document's title, id or declared name, and being
    clearly closer to it than to any other document (a cut-off and a margin)."""
    free = list(attachments)
    found: dict[str, str | None] = {}
    by_name = {fold(PurePosixPath(a).name): a for a in attachments}
    by_stem = {_stem_words(a): a for a in attachments}
    for deliverable_id, declared in response.deliverables.items():
        named = None
        if declared.file:
            given = fold(PurePosixPath(declared.file.replace("\\", "/")).name)
            named = by_name.get(given) or by_stem.get(_stem_words(given))
        if named in free:
            found[deliverable_id] = named
            free.remove(named)
    # what each document may be called: its title, its id, the file name the vendor declared
    names = {d: [fold(library.deliverables[d].title) if d in library.deliverables else d, d.replace("-", " ")]
             + ([_stem_words(declared.file)] if declared.file else [])
             for d, declared in response.deliverables.items() if d not in found}
    for attachment in list(free):
        words = _stem_words(attachment)
        scores = sorted(((max(fuzz.token_set_ratio(words, name) for name in aliases if _covers(words, name)), d)
                         for d, aliases in names.items()
                         if d not in found and any(_covers(words, name) for name in aliases)), reverse=True)
        clear = len(scores) == 1 or (len(scores) > 1 and scores[0][0] - scores[1][0] >= TITLE_MARGIN) \
            or (len(scores) > 1 and scores[0][0] == 100 > scores[1][0])  # one exact name (title or id) wins
        if scores and scores[0][0] >= TITLE_CUTOFF and clear:
            found[scores[0][1]] = attachment
            free.remove(attachment)
    return {d: found.get(d) for d in response.deliverables}


def document_problems(path: Path, listing: Listing, files: list[str]) -> dict[str, str]:
    """Which of ``files`` (paths inside the offer) are not documents, each with a few words saying why (empty,
    not a document…): their first bytes only are read (at most DOCUMENT_HEAD_BYTES, in memory for a zip)."""
    members = {m.path: m for m in listing.members}
    problems: dict[str, str] = {}
    archive = zipfile.ZipFile(path) if listing.kind == "zip" else None
    try:
        for name in files:
            member = members[name]
            try:
                if member.size == 0:
                    head = b""
                elif archive is not None:
                    assert member.info is not None
                    with archive.open(member.info) as handle:
                        head = handle.read(DOCUMENT_HEAD_BYTES)
                else:
                    with (path / member.path).open("rb") as handle:
                        head = handle.read(DOCUMENT_HEAD_BYTES)
            except (OSError, RuntimeError, ValueError, EOFError, zipfile.BadZipFile, zlib.error):
                problems[name] = _("encrypted or damaged, it cannot be opened")
                continue
            problem = document_problem(head)
            if problem is not None:
                problems[name] = problem
    finally:
        if archive is not None:
            archive.close()
    return problems


def _may_be_questionnaire(member: Member) -> bool:
    """A spreadsheet or a Word file, or a file whose name says « questionnaire » (not any attached PDF)."""
    return PurePosixPath(member.path).suffix.lower() != ".pdf" or "questionnaire" in fold(member.path)


def _chosen(filled: list[tuple[Member, Response]]) -> tuple[Member | None, Response | None]:
    """The questionnaire of the offer: the first stamped with the tender's reference, else the most answered."""
    for member, attempt in filled:
        if attempt.questionnaire.get("reference"):
            return member, attempt
    if not filled:
        return None, None
    return max(filled, key=lambda pair: pair[1].counts()["answered"])


def _rival(filled: list[tuple[Member, Response]], chosen: Member | None, questions: dict) -> Member | None:
    """Another filled questionnaire (not an MDS2) whose answers differ from the chosen one's: which one the
    vendor meant is not ours to guess. Free-text answers are not compared (a PDF print wraps them), nor
    answers one of the two leaves empty (a print may cut a cell)."""
    if chosen is None:
        return None
    values = {m.path: {q: a.value for q, a in r.answers.items() if a.status != "empty" and q in questions
                       and questions[q].answer_type not in ("text", "list")}
              for m, r in filled if r.questionnaire.get("kind") != "mds2"}
    mine = values.get(chosen.path, {})
    for member, _response in filled:
        theirs = values.get(member.path)
        if member is not chosen and theirs and any(theirs[q] != v for q, v in mine.items() if q in theirs):
            return member
    return None


def parse_offer(path: Path, expect, parse_one: Callable, digest: Callable[[Path], str]) -> Response:
    """Parse the offer at ``path`` (folder or zip) with ``parse_one`` for its questionnaire; ``digest`` hashes
    a file (the offer's fingerprint for ``responses/``). The questionnaire is the first stamped return among
    the candidates, else the one with the most answers (an MDS2, an unstamped copy)."""
    names = expect.vendor_names or {}
    shown = display_name(path)  # the offer's name as the buyer knows it (not UTF-8 from some unzip tools)
    vendor = names.get(path.stem, Path(shown).stem)
    response = Response(file=str(path), vendor=vendor)
    try:
        listing = list_offer(path)
        if not listing.members:
            raise OfferError(_("{offer} is empty").format(offer=_(OFFER_KINDS[listing.kind])))
        with tempfile.TemporaryDirectory(prefix="tenderkit-offer-") as scratch:
            filled: list[tuple[Member, Response]] = []
            tried: list[Response] = []
            problems: list[str] = []
            for member in _candidates(listing):
                if any(a.questionnaire.get("reference") for _, a in filled) and not _may_be_questionnaire(member):
                    continue  # the tender's questionnaire is found: only another questionnaire could compete
                try:
                    source = _materialize(path, listing, member, Path(scratch))
                except OfferError as error:
                    problems.append(str(error))
                    continue
                own_name = {source.stem: vendor} if path.stem in names else {}
                attempt = parse_one(source, replace(expect, vendor_names={**names, **own_name}))
                tried.append(attempt)
                if attempt.errors or not attempt.answers:
                    continue
                if attempt.vendor == source.stem:
                    attempt.vendor = vendor
                filled.append((member, attempt))
        chosen, inner = _chosen(filled)
        rival = _rival(filled, chosen, expect.questions)
        if rival is not None:
            raise OfferError(_("the offer holds two filled questionnaires whose answers differ, « {path} » and « "
                               "{path2} »; neither is scored until the buyer removes one of them from the offer")
                             .format(path=chosen.path, path2=rival.path))
    except OfferError as error:
        response.errors.append(_("{file}: {problem}.").format(file=shown, problem=error))
        return response
    except OSError as error:
        response.errors.append(_("{file}: the offer cannot be read ({reason}).")
                               .format(file=shown, reason=system_reason(error)))
        return response
    if chosen is None or inner is None:
        # a stamped return of another tender's questionnaire says why it was not taken
        refused = "; ".join(problems + [e.split(": ", 1)[-1].rstrip(".") for r in tried for e in r.errors
                                        if r.questionnaire.get("reference") not in (None, expect.reference)])
        files = len(listing.members)
        response.errors.append(ngettext("{file}: no questionnaire found in {offer} ({n} file)",
                                        "{file}: no questionnaire found in {offer} ({n} files)", files)
                               .format(file=shown, offer=_(OFFER_KINDS[listing.kind]), n=files)
                               + (f"; {refused}" if refused else "") + ".")
        return response
    inner.sha256 = offer_hash(path) if listing.kind == "folder" else digest(path)
    attachments = [m.path for m in listing.members if m.path != chosen.path]
    matched = match_attachments(inner, attachments, expect.library)
    try:
        not_documents = document_problems(path, listing, [a for a in matched.values() if a])
    except (OSError, zipfile.BadZipFile) as error:
        reason = system_reason(error) if isinstance(error, OSError) else str(error)
        response.errors.append(_("{file}: the offer cannot be read ({reason}).").format(file=shown, reason=reason))
        return response
    absent, undeclared, unreadable = [], [], []
    for deliverable_id, declared in inner.deliverables.items():
        declared.attachment = matched.get(deliverable_id)
        title = expect.library.deliverables[deliverable_id].title if deliverable_id in expect.library.deliverables \
            else deliverable_id
        if declared.attachment in not_documents:   # a file under the right name, but empty or not a document
            unreadable.append(f"{title} (« {declared.attachment} », {not_documents[declared.attachment]})")
            declared.attachment = None
        elif declared.provided and not declared.attachment:
            absent.append(title)
        elif declared.attachment and not declared.provided:
            undeclared.append(f"{title} ({declared.attachment})")
    others = [a for a in attachments if a not in matched.values()]
    inner.file = str(path)
    inner.offer = {"kind": listing.kind, "questionnaire": chosen.path, "attachments": attachments,
                   "declared_absent": absent, "undeclared": undeclared + others, "unreadable": sorted(not_documents)}
    inner.warnings = listing.warnings + inner.warnings
    if unreadable:
        inner.warnings.append(ngettext("{n} attached file under a requested document's name but not readable as a "
                                       "document, not counted as supplied: {names}",
                                       "{n} attached files under a requested document's name but not readable as a "
                                       "document, not counted as supplied: {names}", len(unreadable))
                              .format(n=len(unreadable), names="; ".join(unreadable)))
    if absent:
        inner.warnings.append(ngettext("{n} document declared « Fournie : Oui » but not attached to the offer: "
                                       "{titles}",
                                       "{n} documents declared « Fournie : Oui » but not attached to the offer: "
                                       "{titles}",
                                       len(absent)).format(n=len(absent), titles="; ".join(absent)))
    if undeclared:
        inner.warnings.append(ngettext("{n} document attached but not declared in the questionnaire: {titles}",
                                       "{n} documents attached but not declared in the questionnaire: {titles}",
                                       len(undeclared)).format(n=len(undeclared), titles="; ".join(undeclared)))
    if others:
        inner.warnings.append(ngettext("{n} file of the offer matching no requested document: {names}",
                                       "{n} files of the offer matching no requested document: {names}", len(others))
                              .format(n=len(others), names="; ".join(others[:10]) + ("…" if len(others) > 10 else "")))
    nested = [a for a in attachments if a.lower().endswith(".zip")]
    if nested:
        inner.warnings.append(ngettext("{n} zip file inside the offer was not opened: {names}",
                                       "{n} zip files inside the offer were not opened: {names}", len(nested))
                              .format(n=len(nested), names="; ".join(nested[:5])))
    return inner
