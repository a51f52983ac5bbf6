"""First look at an untrusted file: size, real format, zip and XML bombs — before any parser sees it.

Every refusal is a :class:`ReturnError` whose message is one plain sentence (the file is named by the caller).
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from tenderkit.errors import system_reason
from tenderkit.i18n import _

MAX_FILE_BYTES = 50 * 1024 * 1024          # a questionnaire return is a few hundred KB
MAX_OFFER_BYTES = 2 * 1024 * 1024 * 1024   # an offer zip (attachments are listed, never decompressed)
MAX_ZIP_MEMBERS = 5000
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024  # all members together
MAX_MEMBER_RATIO = 200                     # uncompressed / compressed, for members above 1 MB
MAX_PDF_PAGES = 300
MAX_PDF_INFLATED = 200 * 1024 * 1024        # all content streams together, once decompressed
XML_HEAD_BYTES = 4096

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
XLS_STREAMS = ("Workbook", "Book")         # the OLE stream of an Excel 97–2003 (BIFF8) or Excel 5 workbook
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
DOCUMENT_HEAD_BYTES = 4096                 # what is read of an attached document to tell that it is one
# The first bytes of the documents an offer may attach: PDF, Office 97 (OLE), Office, OpenDocument and zip
# archives, RTF, PNG, JPEG, GIF, TIFF, BMP, 7-Zip, RAR, gzip (WebP and text are recognised apart).
_DOCUMENT_MAGIC = (PDF_MAGIC, OLE_MAGIC, ZIP_MAGIC, b"{\\rtf", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a",
                   b"GIF89a", b"II*\x00", b"MM\x00*", b"BM", b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07", b"\x1f\x8b")


class ReturnError(Exception):
    """A vendor file that cannot be read; ``str()`` is the sentence for the buyer."""


@dataclass(frozen=True)
class Sniffed:
    format: str            # xlsx | docx | pdf | ods | xls
    size: int


def _check_zip(path: Path) -> str:
    """Validate an Office zip container; return ``xlsx``, ``docx`` or ``ods``."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise ReturnError(_("the file is damaged (truncated or corrupt zip container)")) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise ReturnError(_("the file holds {count} parts, more than any questionnaire; refused as a "
                                "possible zip bomb").format(count=len(members)))
        total = sum(m.file_size for m in members)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise ReturnError(_("the file would expand to {mb} MB; refused as a possible zip bomb")
                              .format(mb=total // (1024 * 1024)))
        for member in members:
            ratio = member.file_size // max(member.compress_size, 1)
            if member.file_size > 1024 * 1024 and ratio > MAX_MEMBER_RATIO:
                raise ReturnError(_("part {part} is compressed {ratio} times; refused as a possible zip bomb")
                                  .format(part=member.filename, ratio=ratio))
        names = {m.filename for m in members}
        try:
            for member in members:
                if member.filename.endswith((".xml", ".rels")):
                    with archive.open(member) as handle:
                        if _DTD.search(handle.read(XML_HEAD_BYTES)):
                            raise ReturnError(_("part {part} declares XML entities (a DTD), which Office files "
                                                "never do; refused as a possible XML bomb")
                                              .format(part=member.filename))
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            raise ReturnError(_("the file is damaged ({detail})").format(detail=error)) from None
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "mimetype" in names and "content.xml" in names and _mimetype(path) == ODS_MIMETYPE:
        return "ods"
    if "word/document.xml" in names:
        return "docx"
    if "[Content_Types].xml" in names:
        raise ReturnError(_("the file is an Office document but neither a workbook nor a Word document"))
    raise ReturnError(_("the file is a zip archive, not an Excel, Word or PDF document"))


def _too_large(size: int) -> str:
    return (_("the file is {mb} MB, larger than the {limit} MB accepted for a questionnaire return")
            .format(mb=size // (1024 * 1024), limit=MAX_FILE_BYTES // (1024 * 1024)))


def first_look(path: Path) -> str | None:
    """Why the regular file ``path`` cannot be a return, from its size and first bytes only (before anything
    reads or hashes it): empty, or larger than any reader accepts (a zip may be an offer, up to
    MAX_OFFER_BYTES). None when it may be read, and for what is not a regular file (its reader says why)."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return None
        if info.st_size == 0:
            return _("the file is empty")
        if info.st_size <= MAX_FILE_BYTES:
            return None
        is_zip = _read(path, len(ZIP_MAGIC)) == ZIP_MAGIC
    except OSError:
        return None   # the worker says why it cannot be read
    if not is_zip:
        return _too_large(info.st_size)
    if info.st_size > MAX_OFFER_BYTES:
        return _("the offer zip is larger than {gb} GB").format(gb=MAX_OFFER_BYTES // 1024 ** 3)
    return None


def sniff(path: Path) -> Sniffed:
    """The real format of ``path`` from its content (not its extension), after the safety checks."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO must not block us
    except FileNotFoundError:
        raise ReturnError(_("the file does not exist")) from None
    except IsADirectoryError:
        raise ReturnError(_("this is a folder, not a file")) from None
    except PermissionError:
        raise ReturnError(_("the file cannot be read (permission denied)")) from None
    except OSError as error:
        raise ReturnError(_("the file cannot be opened ({reason})").format(reason=system_reason(error))) from None
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise ReturnError(_("this is a folder, not a file"))
        if not stat.S_ISREG(info.st_mode):
            raise ReturnError(_("this is not a regular file (a pipe, socket or device); only files are read"))
        size = info.st_size
        try:
            head = handle.read(1024)
        except OSError as error:
            raise ReturnError(_("the file cannot be read ({reason})").format(reason=system_reason(error))) from None
    if size == 0:
        raise ReturnError(_("the file is empty"))
    if size > MAX_FILE_BYTES:
        raise ReturnError(_too_large(size))
    if head.startswith(ZIP_MAGIC):
        return Sniffed(_check_zip(path), size)
    if head.lstrip().startswith(PDF_MAGIC) or PDF_MAGIC in head[:1024]:
        check_pdf_streams(path)
        return Sniffed("pdf", size)
    if head.startswith(OLE_MAGIC):  # an OLE container: an encrypted Office file, or the old binary formats
        if "EncryptedPackage".encode("utf-16-le") in _read(path, 4 * 1024 * 1024):
            raise ReturnError(_("the file is password-protected (encrypted); ask the vendor for an unprotected copy"))
        if any(name.encode("utf-16-le") in _read(path, 4 * 1024 * 1024) for name in XLS_STREAMS):
            return Sniffed("xls", size)
        raise ReturnError(_("the file is in an old Office 97 format that is not an Excel workbook (Word 97?); ask "
                            "the vendor for .docx, .xlsx or PDF"))
    if head.startswith(b"{\\rtf"):
        raise ReturnError(_("the file is an RTF document; ask the vendor for .docx, .xlsx or PDF"))
    if _looks_like_text(head):
        raise ReturnError(_("the file is plain text, not an Excel, Word or PDF document (wrong extension?)"))
    raise ReturnError(_("the file is not an Excel, Word or PDF document"))


def check_return(path: Path) -> Sniffed:
    """Every check a return passes before a reader opens it: :func:`sniff`, then the bounds the format's reader
    applies first (an .ods's repeated cells, a PDF's declared pages). Uploads run the same checks."""
    sniffed = sniff(path)
    if sniffed.format == "ods":
        from tenderkit.parse.calamine import check_ods

        check_ods(path)
    elif sniffed.format == "pdf":
        check_pdf_pages(path)
    return sniffed


def check_pdf_pages(path: Path) -> None:
    """Refuse a PDF whose page tree declares more pages than any questionnaire printout."""
    declared = pdf_page_count(path)
    if declared is not None and declared > MAX_PDF_PAGES:
        raise ReturnError(_("the PDF declares {count} pages, more than the {limit} of any questionnaire "
                            "printout").format(count=declared, limit=MAX_PDF_PAGES))


_STREAM = re.compile(rb"stream\r?\n")


def check_pdf_streams(path: Path, budget: int = MAX_PDF_INFLATED) -> None:
    """Refuse a PDF whose compressed streams inflate beyond ``budget`` bytes, before any parser expands them.

    Each ``stream`` keyword is followed by zlib-inflating in bounded chunks (output counted, not kept), so
    the cost is linear in the file and the budget; streams that are not Flate-compressed are skipped."""
    data = path.read_bytes()
    total = 0
    for match in _STREAM.finditer(data):
        inflater = zlib.decompressobj()
        position = match.end()
        try:
            chunk = inflater.decompress(data[position:position + 65536], 1 << 20)
            while True:
                total += len(chunk)
                if total > budget:
                    raise ReturnError(_("the PDF's content would expand to more than {mb} MB; refused as a possible "
                                        "decompression bomb").format(mb=budget // (1024 * 1024)))
                if inflater.eof:
                    break
                if inflater.unconsumed_tail:
                    chunk = inflater.decompress(inflater.unconsumed_tail, 1 << 20)
                else:
                    position += 65536
                    if position >= len(data):
                        break
                    chunk = inflater.decompress(data[position:position + 65536], 1 << 20)
        except zlib.error:
            continue


_COUNT = re.compile(rb"/Count\s{0,8}(\d{1,9})")


def pdf_page_count(path: Path) -> int | None:
    """The page count the PDF's page tree declares (its /Count), read without walking the pages: the
    largest /Count in the file's bytes (linear; page trees are not compressed in questionnaire printouts),
    else, when the tree sits in a compressed object stream, the root's /Count as pdfminer reads it."""
    counts = [int(value) for value in _COUNT.findall(path.read_bytes())]
    if counts:
        return max(counts)
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    with path.open("rb") as handle:
        try:
            document = PDFDocument(PDFParser(handle))
            count = resolve1(resolve1(document.catalog.get("Pages")).get("Count"))
        except Exception:  # an unreadable tree: the reader says what is wrong
            return None
    return count if isinstance(count, int) else None


def _mimetype(path: Path) -> str:
    """The ``mimetype`` member of an OpenDocument zip (stored first, a few dozen bytes)."""
    with zipfile.ZipFile(path) as archive, archive.open("mimetype") as handle:
        return handle.read(100).decode("ascii", "replace").strip()


def _read(path: Path, limit: int = 1024 * 1024) -> bytes:
    with path.open("rb") as handle:
        return handle.read(limit)


def document_problem(head: bytes) -> str | None:
    """Why a file whose first bytes (up to DOCUMENT_HEAD_BYTES) are ``head`` is not a document the committee can
    read, in a few words (« empty »…); None for a PDF, an Office or OpenDocument file, an image, a text or an
    archive, recognised by their first bytes."""
    if not head:
        return "empty"
    if head.startswith(_DOCUMENT_MAGIC) or PDF_MAGIC in head[:1024] or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return None
    text = _text(head)
    if text is None:
        return _("not a document (neither PDF, Office, OpenDocument, image, text nor archive)")
    return None if any(character.isalnum() for character in text) else _("blank (no letter or digit)")


def _text(head: bytes) -> str | None:
    """``head`` as text (UTF-16 with its mark, UTF-8 possibly cut mid-character, else Windows-1252), or None
    when it holds bytes no text has."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", "replace")
    for cut in range(4):
        try:
            text = head[:len(head) - cut].decode("utf-8")
            break
        except UnicodeDecodeError:
            continue
    else:
        text = head.decode("cp1252", "replace")
    return None if any(ord(c) < 9 or 13 < ord(c) < 32 for c in text) else text


def _looks_like_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return all(b >= 9 for b in head[:200])
