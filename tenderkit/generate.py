"""Building a tender's DCE documents: load, select, render (CCTP annex, questionnaire, checklist)."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Sequence
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

LOT_QUESTIONNAIRE = "questionnaire lot {lot}"   # the key of a lot's questionnaire in the paths of build_documents


def output_names(reference: str, lots: Sequence[int] = ()) -> dict[str, str]:
    """The file names of the DCE documents by kind; with ``lots`` (a tender divided into lots), each lot's
    questionnaire under ``questionnaire lot N``, and the first lot's also under ``questionnaire``."""
    names = {kind: file_name(kind, reference) for kind in ("cctp", "questionnaire", "checklist", "rgpd_annex")}
    for lot in lots:
        names[LOT_QUESTIONNAIRE.format(lot=lot)] = file_name("questionnaire_lot", reference, lot=str(lot))
    if lots:
        names["questionnaire"] = names[LOT_QUESTIONNAIRE.format(lot=lots[0])]
    return names


def build_documents(loaded: LoadedTender) -> dict[str, Path]:
    """Write the documents into ``DIR/out/``; return their paths by kind (see :func:`output_names`): one CCTP
    annex whose articles name the lots they apply to, and one questionnaire per lot. The RGPD annex is written
    when the solution (of any lot) processes personal health data (and a stale one removed otherwise), before
    the checklist that ticks it."""
    workspace, selection = loaded.workspace, loaded.selection
    out = ensure_dir(workspace.out)
    numbers = [view.lot.number for view in loaded.lots if view.lot]
    names = output_names(loaded.tender.reference, numbers)
    selections = [view.selection for view in loaded.lots] or [selection]
    paths = {"cctp": write_cctp(selections, template_path(workspace, "cctp.docx"), out / names["cctp"])}
    if not loaded.lots:
        paths["questionnaire"] = write_questionnaire(selection, out / names["questionnaire"])
    for view, number in zip(loaded.lots, numbers, strict=True):
        key = LOT_QUESTIONNAIRE.format(lot=number)
        paths[key] = write_questionnaire(view.selection, out / names[key])
        paths.setdefault("questionnaire", paths[key])
    annex = out / names["rgpd_annex"]
    processing = [each for each in selections if needs_rgpd_annex(each)]
    if processing:
        paths["rgpd_annex"] = write_rgpd_annex(processing[0], template_path(workspace, "rgpd_annex.docx"), annex)
    else:
        annex.unlink(missing_ok=True)
        annex.with_suffix(".pdf").unlink(missing_ok=True)
    paths["checklist"] = write_checklist(selections, template_path(workspace, "checklist.docx"),
                                         out / names["checklist"], workspace.root)
    return paths


def lot_documents(loaded: LoadedTender, paths: dict[str, Path]) -> list[dict[str, object]]:
    """The documents of each lot, for `build --json`: number, title, questionnaire (and its PDF copy)."""
    lots = []
    for view in loaded.lots:
        assert view.lot is not None
        key = LOT_QUESTIONNAIRE.format(lot=view.lot.number)
        entry: dict[str, object] = {"number": view.lot.number, "title": view.lot.title,
                                    "questionnaire": str(paths[key])}
        if f"{key}_pdf" in paths:
            entry["questionnaire_pdf"] = str(paths[f"{key}_pdf"])
        lots.append(entry)
    return lots


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
    cctp = paths["cctp"]
    if not pdf:
        paginate(cctp)
        return {}
    pdfs = {"cctp_pdf": paginate(cctp, cctp.with_suffix(".pdf"))}
    questionnaires = [key for key in paths if key.startswith("questionnaire")]
    written: dict[Path, Path] = {}
    with tempfile.TemporaryDirectory(prefix="tk-pdf-") as scratch:
        for index, key in enumerate(questionnaires):  # « questionnaire » is also the first lot's: converted once
            questionnaire = paths[key]
            if questionnaire not in written:
                printable = without_blank_sheets(questionnaire, Path(scratch) / questionnaire.name)
                converted = convert(printable, "pdf", Path(scratch) / f"questionnaire-{index}")
                written[questionnaire] = write_atomic(questionnaire.with_suffix(".pdf"),
                                                      lambda temp, c=converted: temp.write_bytes(c.read_bytes()))
            pdfs[f"{key}_pdf"] = written[questionnaire]
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
    selections = [view.selection for view in loaded.lots] or loaded.selection
    paths["rc_extract"] = write_rc_extract(selections, template_path(loaded.workspace, "rc_extract.docx"),
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
