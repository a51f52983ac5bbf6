"""A grouped bar chart (one group per category, one coloured bar per series) as a PNG, drawn with Pillow for the
Word report.

The geometry is computed first (:func:`chart_layout`), for any number of categories and series: a bar keeps most
of its slot and never less than nothing (a fixed gap of 3 px shrinks with narrow slots), category labels too wide
for their group are drawn upright and shortened, and the legend wraps onto as many lines as it needs, the image
growing with it. Value labels are French (« 62,5 »), rounded once, half up, as every other document
(text.french_number); they are drawn as large as the bars allow, never wider than their bar, so that
neighbouring labels cannot run together; when even the smallest legible size does not fit, they are left out
(the report's table gives the figures). A missing value (a part where nothing is scored for a vendor) has no bar.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from tenderkit.text import french_number

PALETTE = ["#1F3A5F", "#C0504D", "#9BBB59", "#8064A2", "#4BACC6", "#F79646", "#7F7F7F", "#2C4D75"]
FONT_FILES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
              "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")
WIDTH = 1600
LEFT, RIGHT, TOP = 110, 40, 40
PLOT_HEIGHT = 530
GROUP_SHARE = 0.88               # of a group's width holds its bars, the rest separates the groups
BAR_GAP = 3                      # px left white on each side of a bar, at most 15 % of its slot
LABEL_SIZES = (22, 20, 18, 16)   # px; the image is printed 16 cm wide: 16 px ≈ 4,5 pt, the least legible
LABEL_GAP = 4                    # px kept free between a label and its neighbours
CATEGORY_SIZE, UPRIGHT_SIZE, LEGEND_SIZE = 26, 20, 26
UPRIGHT_LABEL = 400              # px: the longest upright category label (longer ones are shortened with « … »)
LEGEND_LINE = 40


@lru_cache(maxsize=16)
def _font(size: int):
    for candidate in FONT_FILES:
        if Path(candidate).is_file():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size=size)


_MEASURE = ImageDraw.Draw(Image.new("RGB", (1, 1)))


def _width(text: str, size: int) -> float:
    return _MEASURE.textlength(text, font=_font(size))


@dataclass
class Bar:
    category: int
    series: int
    left: float      # the coloured rectangle, from left to right
    right: float
    top: float
    slot: float      # the width the bar's value label may take
    value: float


@dataclass
class Label:
    text: str
    x: float        # centre
    y: float        # bottom
    size: int
    box: tuple[float, float, float, float]   # left, top, right, bottom


@dataclass
class Layout:
    bars: list[Bar]
    group_width: float
    categories: list[str]        # as drawn (shortened when upright)
    upright: bool                # category labels drawn bottom to top, one under each group
    legend: list[tuple[float, float, str]] = field(default_factory=list)   # x, y, series name
    height: int = 0

    @property
    def baseline(self) -> float:
        return TOP + PLOT_HEIGHT


def _shorten(text: str, size: int, room: float) -> str:
    if _width(text, size) <= room:
        return text
    while text and _width(text + "…", size) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def chart_layout(categories: list[str], series: dict[str, list[float | None]], maximum: float = 100) -> Layout:
    """Where every bar, category label and legend entry goes, and the image's height."""
    plot_w = WIDTH - LEFT - RIGHT
    group_w = plot_w / max(len(categories), 1)
    slot = group_w * GROUP_SHARE / max(len(series), 1)
    gap = min(BAR_GAP, slot * 0.15)
    bars = []
    for c in range(len(categories)):
        x0 = LEFT + c * group_w + group_w * (1 - GROUP_SHARE) / 2
        for s, values in enumerate(series.values()):
            if values[c] is None:
                continue
            value = max(0.0, min(maximum, values[c]))
            x = x0 + s * slot
            bars.append(Bar(c, s, x + gap, x + slot - gap, TOP + PLOT_HEIGHT - PLOT_HEIGHT * value / maximum, slot,
                            values[c]))
    upright = any(_width(category, CATEGORY_SIZE) > group_w - 8 for category in categories)
    shown = [_shorten(c, UPRIGHT_SIZE, UPRIGHT_LABEL) for c in categories] if upright else list(categories)
    label_band = 14 + (max((_width(c, UPRIGHT_SIZE) for c in shown), default=0) if upright else 30) + 26
    layout = Layout(bars, group_w, shown, upright)
    x, y = LEFT, TOP + PLOT_HEIGHT + label_band   # the legend, wrapped before it would leave the image
    for name in series:
        width = 60 + _width(name, LEGEND_SIZE)
        if x > LEFT and x + width - 24 > WIDTH - RIGHT:
            x, y = LEFT, y + LEGEND_LINE
        layout.legend.append((x, y, name))
        x += width
    layout.height = int(y + 26 + 24)
    return layout


def value_labels(categories: list[str], series: dict[str, list[float | None]], maximum: float = 100) -> list[Label]:
    """The labels above the bars: one size for all, the largest whose every label fits its bar's slot;
    none when even the smallest does not fit."""
    bars = chart_layout(categories, series, maximum).bars
    texts = [french_number(bar.value) for bar in bars]
    for size in LABEL_SIZES:
        font = _font(size)
        if all(_MEASURE.textlength(text, font=font) <= bar.slot - LABEL_GAP for text, bar in zip(texts, bars,
                                                                                                strict=True)):
            labels = []
            for text, bar in zip(texts, bars, strict=True):
                centre = (bar.left + bar.right) / 2
                box = _MEASURE.textbbox((centre, bar.top - 6), text, font=font, anchor="md")
                labels.append(Label(text, centre, bar.top - 6, size, box))
            return labels
    return []


def _upright_text(image: Image.Image, text: str, centre: float, top: float) -> None:
    """``text`` drawn bottom to top, its end at ``top``, centred on ``centre``."""
    font = _font(UPRIGHT_SIZE)
    width = int(_width(text, UPRIGHT_SIZE)) + 4
    strip = Image.new("L", (width, UPRIGHT_SIZE + 10), 0)
    ImageDraw.Draw(strip).text((0, 2), text, fill=255, font=font)
    strip = strip.rotate(90, expand=True)
    image.paste(Image.new("RGB", strip.size, "#111111"), (int(centre - strip.width / 2), int(top)), strip)


def bar_chart(categories: list[str], series: dict[str, list[float | None]], target: Path,
              maximum: float = 100) -> Path:
    """Draw ``series`` (name → one value per category, None for none) as grouped bars; return ``target``."""
    layout = chart_layout(categories, series, maximum)
    image = Image.new("RGB", (WIDTH, layout.height), "white")
    draw = ImageDraw.Draw(image)
    small = _font(22)
    for step in range(0, 101, 20):
        y = TOP + PLOT_HEIGHT - PLOT_HEIGHT * step / 100
        draw.line([(LEFT, y), (WIDTH - RIGHT, y)], fill="#DDDDDD", width=2)
        draw.text((LEFT - 15, y), french_number(maximum * step / 100, 0), fill="#333333", font=small, anchor="rm")
    draw.line([(LEFT, TOP), (LEFT, layout.baseline)], fill="#333333", width=2)
    for bar in layout.bars:
        if bar.right > bar.left:
            draw.rectangle([bar.left, bar.top, bar.right, layout.baseline], fill=PALETTE[bar.series % len(PALETTE)])
    for label in value_labels(categories, series, maximum):
        draw.text((label.x, label.y), label.text, fill="#333333", font=_font(label.size), anchor="md")
    for c, category in enumerate(layout.categories):
        centre = LEFT + c * layout.group_width + layout.group_width / 2
        if layout.upright:
            _upright_text(image, category, centre, layout.baseline + 14)
        else:
            draw.text((centre, layout.baseline + 14), category, fill="#111111", font=_font(CATEGORY_SIZE), anchor="ma")
    for s, (x, y, name) in enumerate(layout.legend):
        draw.rectangle([x, y, x + 26, y + 26], fill=PALETTE[s % len(PALETTE)])
        draw.text((x + 36, y + 13), name, fill="#111111", font=_font(LEGEND_SIZE), anchor="lm")
    image.save(target, "PNG", optimize=True)
    return target
