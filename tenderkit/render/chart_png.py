"""A grouped bar chart (scores per part, per vendor) as a PNG, drawn with Pillow for the Word report."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

PALETTE = ["#1F3A5F", "#C0504D", "#9BBB59", "#8064A2", "#4BACC6", "#F79646", "#7F7F7F", "#2C4D75"]
FONT_FILES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
              "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")


def _font(size: int):
    for candidate in FONT_FILES:
        if Path(candidate).is_file():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size=size)


def bar_chart(categories: list[str], series: dict[str, list[float]], target: Path, maximum: float = 100) -> Path:
    """Draw ``series`` (name → one value per category) as grouped bars; return ``target``."""
    width, height = 1600, 800
    left, right, top, bottom = 110, 40, 40, 230
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    small, normal = _font(22), _font(26)
    plot_w, plot_h = width - left - right, height - top - bottom
    for step in range(0, 101, 20):
        y = top + plot_h - plot_h * step / 100
        draw.line([(left, y), (width - right, y)], fill="#DDDDDD", width=2)
        label = f"{maximum * step / 100:.0f}"
        draw.text((left - 15, y), label, fill="#333333", font=small, anchor="rm")
    draw.line([(left, top), (left, top + plot_h)], fill="#333333", width=2)
    group_w = plot_w / max(len(categories), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    for c, category in enumerate(categories):
        x0 = left + c * group_w + group_w * 0.1
        for s, (_, values) in enumerate(series.items()):
            value = max(0.0, min(maximum, values[c]))
            x = x0 + s * bar_w
            y = top + plot_h - plot_h * value / maximum
            draw.rectangle([x + 3, y, x + bar_w - 3, top + plot_h], fill=PALETTE[s % len(PALETTE)])
            draw.text((x + bar_w / 2, y - 6), f"{value:.0f}", fill="#333333", font=small, anchor="md")
        draw.text((left + c * group_w + group_w / 2, top + plot_h + 14), category, fill="#111111", font=normal,
                  anchor="ma")
    x, y = left, height - 90
    for s, name in enumerate(series):
        draw.rectangle([x, y, x + 26, y + 26], fill=PALETTE[s % len(PALETTE)])
        draw.text((x + 36, y + 13), name, fill="#111111", font=normal, anchor="lm")
        x += 60 + draw.textlength(name, font=normal)
        if x > width - 300:
            x, y = left, y + 40
    image.save(target, "PNG", optimize=True)
    return target
