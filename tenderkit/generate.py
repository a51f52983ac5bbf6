"""Building a tender's DCE documents: load, select, render (CCTP annex, questionnaire, checklist)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from tenderkit.errors import TenderkitError
from tenderkit.i18n import N_, _
from tenderkit.office import NO_OFFICE_PDF, convert, soffice
from tenderkit.output import ensure_dir, write_atomic
from tenderkit.render.cctp_docx import write_cctp
from tenderkit.render.checklist_docx import write_checklist
from tenderkit.render.questionnaire_xlsx import without_blank_sheets, write_questionnaire
from tenderkit.render.rgpd_annex_docx import needs_rgpd_annex, write_rgpd_annex
from tenderkit.render.toc import paginate
from tenderkit.tender.loaded import LoadedTender, template_path
from tenderkit.wording import file_name


def output_names(reference: str) -> dict[str, str]:
    return {kind: file_name(kind, reference) for kind in ("cctp", "questionnaire", "checklist", "rgpd_annex")}


def build_documents(loaded: LoadedTender) -> dict[str, Path]:
    """Write the documents into ``DIR/out/``; return their paths by kind. The RGPD annex is written when the
    solution processes personal health data (and a stale one removed otherwise), before the checklist that
    ticks it."""
    workspace, selection = loaded.workspace, loaded.selection
    out = ensure_dir(workspace.out)
    names = output_names(loaded.tender.reference)
    paths = {
        "cctp": write_cctp(selection, template_path(workspace, "cctp.docx"), out / names["cctp"]),
        "questionnaire": write_questionnaire(selection, out / names["questionnaire"]),
    }
    annex = out / names["rgpd_annex"]
    if needs_rgpd_annex(selection):
        paths["rgpd_annex"] = write_rgpd_annex(selection, template_path(workspace, "rgpd_annex.docx"), annex)
    else:
        annex.unlink(missing_ok=True)
        annex.with_suffix(".pdf").unlink(missing_ok=True)
    paths["checklist"] = write_checklist(selection, template_path(workspace, "checklist.docx"),
                                         out / names["checklist"], workspace.root)
    return paths


NO_OFFICE_TOC = N_("LibreOffice is not installed, so the annex's table of contents has no page numbers yet: Word "
                    "numbers it when the annex is opened (it asks to update the fields).")


def finish_documents(paths: dict[str, Path], pdf: bool = False) -> dict[str, Path]:
    """Number the annex's table of contents (in the .docx, see render.toc) and, when ``pdf``, write the PDF
    copies of the documents published in the DCE (CCTP annex, questionnaire, RGPD annex), through LibreOffice.

    Returns the PDF paths. Raises TenderkitError (one sentence) when LibreOffice is missing: the .docx and
    .xlsx are already written then, and the annex asks Word to number its table of contents.
    """
    try:
        soffice()  # fail before any work when LibreOffice is missing
    except TenderkitError:
        raise TenderkitError(_(NO_OFFICE_PDF if pdf else NO_OFFICE_TOC)) from None
    cctp, questionnaire = paths["cctp"], paths["questionnaire"]
    if not pdf:
        paginate(cctp)
        return {}
    pdfs = {"cctp_pdf": paginate(cctp, cctp.with_suffix(".pdf"))}
    with tempfile.TemporaryDirectory(prefix="tk-pdf-") as scratch:
        printable = without_blank_sheets(questionnaire, Path(scratch) / questionnaire.name)
        converted = convert(printable, "pdf", Path(scratch) / "questionnaire")
        target = questionnaire.with_suffix(".pdf")
        pdfs["questionnaire_pdf"] = write_atomic(target, lambda temp: temp.write_bytes(converted.read_bytes()))
        if "rgpd_annex" in paths:
            converted = convert(paths["rgpd_annex"], "pdf", Path(scratch) / "annex")
            target = paths["rgpd_annex"].with_suffix(".pdf")
            pdfs["rgpd_annex_pdf"] = write_atomic(target, lambda temp: temp.write_bytes(converted.read_bytes()))
    return pdfs


def publish_documents(loaded: LoadedTender, pdf: bool = False, amend: bool = False,
                      today: dt.date | None = None) -> tuple[dict[str, Path], str | None]:
    """Publish the DCE (see tenderkit.publication): refuse what would change what candidates rely on, write the
    documents as ``build`` does plus the RC extract, and record the publication. Returns the paths by kind and,
    when LibreOffice is missing, the sentence saying so (the documents are written and recorded all the same)."""
    from tenderkit.publication import check_can_publish, record_publication
    from tenderkit.render.rc_extract_docx import write_rc_extract

    today = today or dt.date.today()
    previous = check_can_publish(loaded, today, amend)
    paths = build_documents(loaded)
    published = previous.date if previous else today
    amendments = [dt.date.fromisoformat(a["date"]) for a in previous.amendments] if previous else []
    if amend:
        amendments.append(today)
    target = loaded.workspace.out / file_name("rc_extract", loaded.tender.reference)
    paths["rc_extract"] = write_rc_extract(loaded.selection, template_path(loaded.workspace, "rc_extract.docx"),
                                           target, published, amendments)
    problem = None
    try:
        paths.update(finish_documents(paths, pdf))
        if pdf:
            with tempfile.TemporaryDirectory(prefix="tk-pdf-") as scratch:
                converted = convert(paths["rc_extract"], "pdf", Path(scratch))
                paths["rc_extract_pdf"] = write_atomic(paths["rc_extract"].with_suffix(".pdf"),
                                                       lambda temp: temp.write_bytes(converted.read_bytes()))
    except TenderkitError as error:
        problem = str(error)
    published_files = {k: v for k, v in paths.items() if k != "checklist"}   # the checklist stays internal
    paths["publication"] = record_publication(loaded, published_files, today, amend and previous is not None)
    # the checklist again, now that the RC extract and the publication record exist: it ticks them
    write_checklist(loaded.selection, template_path(loaded.workspace, "checklist.docx"), paths["checklist"],
                    loaded.workspace.root)
    return paths, problem
