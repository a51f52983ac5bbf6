"""A grouped bar chart (scores per part, per vendor) as a PNG, drawn with Pillow for the Word report.

Value labels are French (« 62,5 »), rounded once, half up, as every other document (text.french_number); they
are drawn as large as the bars allow, never wider than their bar, so that neighbouring labels cannot run
together; when even the smallest legible size does not fit, they are left out (the report's table gives the
figures). A missing value (a part where nothing is scored for a vendor) has no bar.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from tenderkit.text import french_number

PALETTE = ["#1F3A5F", "#C0504D", "#9BBB59", "#8064A2", "#4BACC6", "#F79646", "#7F7F7F", "#2C4D75"]
FONT_FILES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
              "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")
WIDTH, HEIGHT = 1600, 860
LEFT, RIGHT, TOP, BOTTOM = 110, 40, 40, 290   # room for 4 lines of legend
LABEL_SIZES = (22, 20, 18, 16)   # px; the image is printed 16 cm wide: 16 px ≈ 4,5 pt, the least legible
LABEL_GAP = 4                    # px kept free between a label and its neighbours


def _font(size: int):
    for candidate in FONT_FILES:
        if Path(candidate).is_file():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size=size)


@dataclass
class Label:
    text: str
    x: float        # centre
    y: float        # bottom
    size: int
    box: tuple[float, float, float, float]   # left, top, right, bottom


def _bars(categories: list[str], series: dict[str, list[float | None]], maximum: float):
    """(category index, series index, x, bar width, y top, value) of every bar."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group_w = plot_w / max(len(categories), 1)
    bar_w = group_w * 0.88 / max(len(series), 1)
    for c in range(len(categories)):
        x0 = LEFT + c * group_w + group_w * 0.06
        for s, values in enumerate(series.values()):
            if values[c] is None:
                continue
            value = max(0.0, min(maximum, values[c]))
            yield c, s, x0 + s * bar_w, bar_w, TOP + plot_h - plot_h * value / maximum, values[c]


def value_labels(categories: list[str], series: dict[str, list[float | None]], maximum: float = 100) -> list[Label]:
    """The labels above the bars: one size for all, the largest whose every label fits its bar's width;
    none when even the smallest does not fit."""
    bars = list(_bars(categories, series, maximum))
    texts = [french_number(value) for *_, value in bars]
    draw = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    for size in LABEL_SIZES:
        font = _font(size)
        if all(draw.textlength(text, font=font) <= bar_w - LABEL_GAP for text, (_, _, _, bar_w, _, _) in
               zip(texts, bars, strict=True)):
            labels = []
            for text, (_, _, x, bar_w, y, _) in zip(texts, bars, strict=True):
                left, top, right, bottom = draw.textbbox((x + bar_w / 2, y - 6), text, font=font, anchor="md")
                labels.append(Label(text, x + bar_w / 2, y - 6, size, (left, top, right, bottom)))
            return labels
    return []


def bar_chart(categories: list[str], series: dict[str, list[float | None]], target: Path,
              maximum: float = 100) -> Path:
    """Draw ``series`` (name → one value per category, None for none) as grouped bars; return ``target``."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    small, normal = _font(22), _font(26)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    for step in range(0, 101, 20):
        y = TOP + plot_h - plot_h * step / 100
        draw.line([(LEFT, y), (WIDTH - RIGHT, y)], fill="#DDDDDD", width=2)
        draw.text((LEFT - 15, y), french_number(maximum * step / 100, 0), fill="#333333", font=small, anchor="rm")
    draw.line([(LEFT, TOP), (LEFT, TOP + plot_h)], fill="#333333", width=2)
    for _, s, x, bar_w, y, _ in _bars(categories, series, maximum):
        draw.rectangle([x + 3, y, x + bar_w - 3, TOP + plot_h], fill=PALETTE[s % len(PALETTE)])
    for label in value_labels(categories, series, maximum):
        draw.text((label.x, label.y), label.text, fill="#333333", font=_font(label.size), anchor="md")
    group_w = plot_w / max(len(categories), 1)
    for c, category in enumerate(categories):
        draw.text((LEFT + c * group_w + group_w / 2, TOP + plot_h + 14), category, fill="#111111", font=normal,
                  anchor="ma")
    x, y = LEFT, TOP + plot_h + 70   # the legend, wrapped before it would leave the image
    for s, name in enumerate(series):
        width = 60 + draw.textlength(name, font=normal)
        if x > LEFT and x + width - 24 > WIDTH - RIGHT:
            x, y = LEFT, y + 40
        draw.rectangle([x, y, x + 26, y + 26], fill=PALETTE[s % len(PALETTE)])
        draw.text((x + 36, y + 13), name, fill="#111111", font=normal, anchor="lm")
        x += width
    image = image.crop((0, 0, WIDTH, min(HEIGHT, y + 26 + 24)))   # no blank band under the legend
    image.save(target, "PNG", optimize=True)
    return target
