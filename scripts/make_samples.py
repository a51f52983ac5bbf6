"""Generate the sample vendor returns of the demo tender (samples/demo/returns/), reproducibly.

    .venv/bin/python scripts/make_samples.py

Three offers, as platforms deliver them, three ways of answering: a folder with a clean .xlsx and every
document; a folder with an .xlsx re-saved with LibreOffice and edited (letterhead rows, an extra column before
« Réponse », renamed sheets) and some documents; a folder with a PDF printout, every answer given, some
documents missing. Answers come from seeded plans (tenderkit.vendor_sim), so the files are the same at every
run (but for file dates).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from tenderkit.generate import build_documents
from tenderkit.tender.loaded import load_tender
from tenderkit.vendor_sim import (
    Plan,
    Typed,
    fill_xlsx,
    make_offer,
    make_plan,
    print_to_pdf,
    resave_with_libreoffice,
    vendor_edits,
)

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "demo"


def answer_everything(plan: Plan, questions, seed: int) -> Plan:
    """``plan`` with every question its flowchart opens answered (a vendor that left nothing blank)."""
    full = make_plan(plan.vendor, questions, "favourable", seed=seed)
    for qid, question in questions.items():
        parent = question.show_if
        opened = parent is None or (parent.question in plan.answers
                                    and plan.answers[parent.question].expected == parent.equals)
        if opened and qid not in plan.answers and qid in full.answers:
            plan.answers[qid] = full.answers[qid]
    return plan


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        folder = work / "tender"
        folder.mkdir()
        shutil.copyfile(SAMPLES / "tender.yaml", folder / "tender.yaml")
        loaded = load_tender(folder)
        questionnaire = build_documents(loaded)["questionnaire"]
        questions = loaded.selection.questions
        deliverables = [d.id for d, _ in loaded.selection.deliverables]
        servers = [q.id for q in questions.values() if q.group == "serveur"]

        sud = make_plan("Échographie Sud", questions, "favourable", seed=1, deliverables=deliverables)
        sud.groups["serveur"] = [{servers[0]: Typed("Oui", "oui"), servers[1]: Typed(1, 1),
                                  servers[2]: Typed("Oui", "oui")}]
        medimaging = make_plan("MedImaging France", questions, "risky", seed=7, deliverables=deliverables)
        cardiotech = answer_everything(make_plan("CardioTech Systems", questions, "risky", seed=21,
                                                 deliverables=deliverables), questions, seed=21)

        returns = SAMPLES / "returns"
        shutil.rmtree(returns, ignore_errors=True)
        returns.mkdir(parents=True)
        make_offer(fill_xlsx(questionnaire, sud, work / "Echographie Sud.xlsx"), sud, returns / "Echographie Sud")
        filled = fill_xlsx(questionnaire, medimaging, work / "medimaging.xlsx")
        resaved = resave_with_libreoffice(filled, work / "medimaging-lo.xlsx")
        edited = vendor_edits(resaved, work / "MedImaging France - reponse.xlsx")
        make_offer(edited, medimaging, returns / "MedImaging France")
        filled = fill_xlsx(questionnaire, cardiotech, work / "cardiotech.xlsx")
        printed = print_to_pdf(filled, work / "CardioTech Systems.pdf")
        make_offer(printed, cardiotech, returns / "CardioTech Systems")
    for path in sorted(returns.rglob("*")):
        if path.is_file():
            print(f"wrote {path} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
