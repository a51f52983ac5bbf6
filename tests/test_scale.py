"""Reviews of many offers (a purchasing group's call for tenders): every size ranks everyone and writes
documents that open; the report's chart stays readable from 1 to 300 vendors. Speed is measured in
bench/bench_review.py, never here."""

from __future__ import annotations

import io
import re
import zipfile
from itertools import pairwise
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pdfplumber
import pytest
from docx import Document
from helpers import make_tender
from PIL import Image

from tenderkit.evaluate import run_review
from tenderkit.generate import build_documents
from tenderkit.office import convert
from tenderkit.render.chart_png import PALETTE, bar_chart, chart_layout, value_labels
from tenderkit.render.report_docx import CHART_VENDORS, chart_data
from tenderkit.tender.loaded import load_tender
from tenderkit.vendor_sim import Typed, fill_xlsx, make_plan
from tenderkit.vocabulary import Answer

PLACEHOLDER = "Candidat QQQQQQ"   # the vendor name of the filled models, replaced in each copy


def returns_of(folder: Path, count: int, variants: int = 5) -> None:
    """``count`` lone questionnaires in ``folder``/returns, each under its own name (« Candidat 007 »), from
    ``variants`` sets of favourable answers with 0, 4, 8… unfavourable yes/no answers (distinct totals)."""
    loaded = load_tender(folder)
    questionnaire = build_documents(loaded)["questionnaire"]
    questions = loaded.selection.questions
    deliverables = [d.id for d, _ in loaded.selection.deliverables]
    parents = {q.show_if.question for q in questions.values() if q.show_if}   # a « Non » there opens others
    scored = [qid for qid, q in questions.items()
              if q.answer_type == "yes_no" and q.expected == Answer.OUI and qid not in parents]
    models = []
    for variant in range(variants):
        plan = make_plan(PLACEHOLDER, questions, "favourable", seed=variant, plain=True, deliverables=deliverables)
        for qid in scored[:4 * variant]:
            plan.answers[qid] = Typed("Non", Answer.NON)
        path = fill_xlsx(questionnaire, plan, folder / "models" / f"model-{variant}.xlsx")
        with zipfile.ZipFile(path) as source:
            models.append([(item, source.read(item.filename)) for item in source.infolist()])
    (folder / "returns").mkdir(exist_ok=True)
    for index in range(count):
        name = f"Candidat {index:03d}".encode()
        with zipfile.ZipFile(folder / "returns" / f"candidat-{index:03d}.xlsx", "w", zipfile.ZIP_DEFLATED) as target:
            for item, data in models[index % variants]:
                target.writestr(item, data.replace(PLACEHOLDER.encode(), name))


def large_review(folder: Path, count: int):
    """A review of ``count`` offers; regularisation allowed (documents declared but not attached: every offer
    may regularise, so every offer is ranked), no minimum requirement."""
    make_tender(folder, letters={"regularisation": True, "reply_days": 10},
                clauses={"include": [], "exclude": [], "extra": [], "minimum": []})
    returns_of(folder, count)
    return run_review(load_tender(folder))


def report_chart(report: Path) -> Image.Image:
    """The chart as the report's reader gets it: the PNG inside the .docx."""
    with zipfile.ZipFile(report) as docx:
        images = [name for name in docx.namelist() if name.startswith("word/media/") and name.endswith(".png")]
        assert len(images) == 1
        return Image.open(io.BytesIO(docx.read(images[0]))).convert("RGB")


def assert_bars_readable(image: Image.Image, categories: list[str], series: dict[str, list[float | None]]) -> None:
    """Every bar has a positive width, none overlaps another, and the picture shows each one in its own colour,
    separated from its neighbours by white."""
    layout = chart_layout(categories, series)
    assert image.size == (1600, layout.height)
    bars = sorted(layout.bars, key=lambda bar: bar.left)
    assert bars and all(bar.right - bar.left >= 1 for bar in bars)
    assert all(a.right < b.left for a, b in pairwise(bars))
    assert all(bar.top <= layout.baseline for bar in bars)
    y = int(layout.baseline) - 3   # just above the axis: every bar of 3 px or more crosses this line
    colours = {tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in PALETTE}
    for bar in bars:
        if layout.baseline - bar.top < 4:
            continue
        centre = image.getpixel((int((bar.left + bar.right) / 2), y))
        assert centre == tuple(int(PALETTE[bar.series % len(PALETTE)][i:i + 2], 16) for i in (1, 3, 5)), bar
    runs, inside = 0, False
    for x in range(int(bars[0].left) - 2, int(bars[-1].right) + 3):
        coloured = image.getpixel((x, y)) in colours
        runs += coloured and not inside
        inside = coloured
    assert runs == sum(1 for bar in bars if layout.baseline - bar.top >= 4)


def fake_review(count: int):
    """What chart_data reads of a review: parts, and vendors best first with part scores and completeness."""
    parts = [SimpleNamespace(part=p) for p in (1, 2, 3, 4)]
    vendors = [SimpleNamespace(vendor=f"Fournisseur de dispositifs médicaux n° {i:03d}",
                               parts={1: 100 - i / 4, 2: 80 - i / 5, 3: None if i % 7 == 3 else 60 + i / 10, 4: 0.0},
                               completeness=100 - i / 3) for i in range(count)]
    return SimpleNamespace(selection=SimpleNamespace(parts=parts), vendors=vendors)


@pytest.mark.parametrize("count", [1, 2, 300])
def test_the_report_chart_is_readable_from_one_to_300_vendors(count, tmp_path):
    categories, series = chart_data(fake_review(count))
    assert len(categories) * len(series) == 5 * min(count, CHART_VENDORS)   # 300: the first 30 only
    if count > len(PALETTE):   # grouped by vendor, one colour per part: the legend stays five entries
        assert len(series) == 5 and categories[0] == "Fournisseur de dispositifs médicaux n° 000"
    path = bar_chart(categories, series, tmp_path / "chart.png")
    assert_bars_readable(Image.open(path).convert("RGB"), categories, series)
    labels = [label.box for label in value_labels(categories, series)]
    assert labels or count > 2
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


def test_upright_vendor_names_are_shortened_and_the_legend_wraps(tmp_path):
    long = "Société anonyme des équipements biomédicaux et des logiciels hospitaliers du Grand Ouest"
    layout = chart_layout([long, "B"] * 15, {f"Série {n}": [50.0] * 30 for n in range(12)})
    assert layout.upright and layout.categories[0].endswith("…") and layout.categories[1] == "B"
    assert len({y for _, y, _ in layout.legend}) >= 2 and all(x < 1600 - 40 for x, _, _ in layout.legend)
    assert layout.height > max(y for _, y, _ in layout.legend)


@pytest.fixture(scope="module")
def review_60(tmp_path_factory):
    return large_review(tmp_path_factory.mktemp("sixty") / "tender", 60)


def test_a_review_of_60_offers_ranks_everyone_and_its_documents_open(review_60, tmp_path):
    review = review_60.review
    assert len(review.vendors) == 60 and not review.failed
    assert all(v.rank is not None for v in review.vendors)
    assert len({v.total for v in review.vendors}) == 5   # the five answer sets, each its own total
    recalculated = openpyxl.load_workbook(convert(review_60.paths["grid"], "xlsx", tmp_path), data_only=True)
    summary = recalculated["Synthèse"]
    header = [c.value for c in summary[5]]
    labels = [summary.cell(row=r, column=2).value for r in range(6, 20)]
    total_row = 6 + labels.index("Note globale (sur 100)")
    rank_row = 6 + labels.index("Rang (offres régulières)")
    for vendor in review.vendors:
        column = header.index(vendor.vendor) + 1
        assert summary.cell(row=total_row, column=column).value == pytest.approx(vendor.total, abs=0.01)
        assert summary.cell(row=rank_row, column=column).value == vendor.rank
    pdf = convert(review_60.paths["report"], "pdf", tmp_path)
    with pdfplumber.open(pdf) as document:
        text = re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in document.pages))
    assert all(v.vendor in text for v in review.vendors)
    assert "Notes par partie et complétude des 30 premières offres du tableau ci-dessus, sur 60" in text
    assert len(review_60.letters) == 60
    letter = next(iter(review_60.letters.values()))
    assert convert(letter, "pdf", tmp_path).stat().st_size > 10_000
    for path in review_60.letters.values():
        Document(str(path))
    categories, series = chart_data(review)
    assert_bars_readable(report_chart(review_60.paths["report"]), categories, series)


def test_a_review_of_300_offers_ranks_everyone_and_its_documents_open(tmp_path):
    run = large_review(tmp_path / "tender", 300)
    review = run.review
    assert len(review.vendors) == 300 and all(v.rank is not None for v in review.vendors)
    assert [v.rank for v in review.vendors] == sorted(v.rank for v in review.vendors)
    grid = openpyxl.load_workbook(run.paths["grid"], read_only=True)
    assert len(grid.sheetnames) == 300 + 4
    header = next(grid["Synthèse"].iter_rows(min_row=5, max_row=5, values_only=True))
    assert [h for h in header[3:] if h] == [v.vendor for v in review.vendors]
    with zipfile.ZipFile(run.paths["grid"]) as book:
        assert book.read("xl/charts/chart1.xml").count(b"<c:ser>") == 30   # Excel: at most 255 series
    text = re.sub(r"[\u00a0\u202f]", " ", "\n".join(p.text for p in Document(str(run.paths["report"])).paragraphs))
    assert "des 30 premières offres du tableau ci-dessus, sur 300 ; le tableau donne les notes de toutes." in text
    categories, series = chart_data(review)
    assert_bars_readable(report_chart(run.paths["report"]), categories, series)
    assert len(run.letters) == 300
    for path in run.letters.values():
        assert Document(str(path)).paragraphs


def _refuse(path: Path) -> Path:
    from tenderkit.errors import TenderkitError
    raise TenderkitError(f"cannot write {path.name}: the disk is full.")


def _write(path: Path) -> Path:
    path.write_text("écrit", encoding="utf-8")
    return path


def test_a_document_written_in_a_second_process_gives_its_result_or_its_sentence(tmp_path):
    from tenderkit.errors import TenderkitError
    from tenderkit.render.background import in_background

    with in_background(_write, tmp_path / "a.txt") as done:
        (tmp_path / "b.txt").write_text("ici", encoding="utf-8")
    assert done.result() == tmp_path / "a.txt" and (tmp_path / "a.txt").read_text(encoding="utf-8") == "écrit"
    with pytest.raises(TenderkitError, match=r"^cannot write grid\.xlsx: the disk is full\.$"), \
            in_background(_refuse, tmp_path / "grid.xlsx"):
        pass
    with pytest.raises(KeyError), in_background(_write, tmp_path / "c.txt"):
        raise KeyError("report")   # the other documents failed: the second process is stopped, this error stands
