"""Generate the sample vendor returns of the demo tender (samples/demo/returns/), reproducibly.

    .venv/bin/python scripts/make_samples.py

Three vendors, three ways of answering: a clean .xlsx; an .xlsx re-saved with LibreOffice and edited
(letterhead rows, an extra column before « Réponse », renamed sheets); a PDF printout. Answers come from
seeded plans (tenderkit.vendor_sim), so the files are the same at every run (but for file dates).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from tenderkit.generate import build_documents
from tenderkit.tender.loaded import load_tender
from tenderkit.vendor_sim import (
    Typed,
    fill_xlsx,
    make_plan,
    print_to_pdf,
    resave_with_libreoffice,
    vendor_edits,
)

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "demo"


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
        cardiotech = make_plan("CardioTech Systems", questions, "risky", seed=21, deliverables=deliverables)

        returns = SAMPLES / "returns"
        shutil.rmtree(returns, ignore_errors=True)
        returns.mkdir(parents=True)
        fill_xlsx(questionnaire, sud, returns / "Echographie Sud.xlsx")
        filled = fill_xlsx(questionnaire, medimaging, work / "medimaging.xlsx")
        resaved = resave_with_libreoffice(filled, work / "medimaging-lo.xlsx")
        vendor_edits(resaved, returns / "MedImaging France - reponse.xlsx")
        filled = fill_xlsx(questionnaire, cardiotech, work / "cardiotech.xlsx")
        print_to_pdf(filled, returns / "CardioTech Systems.pdf")
    for path in sorted(returns.iterdir()):
        print(f"wrote {path} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
