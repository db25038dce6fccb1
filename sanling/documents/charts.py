"""Charts for documents, drawn as PNG with Pillow and the bundled font (the same picture goes into the Word
file and the PDF): bars with an optional target line, and lines over periods."""

import io
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFont

from .builder import FONT_PATH

WIDTH, HEIGHT = 1600, 800
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 120, 40, 80, 170
SERIES_COLOURS = ["#1f5fa8", "#d9822b", "#2e8b57", "#b03a2e", "#6c5b9e"]
TARGET_COLOUR = "#c0392b"
GRID_COLOUR = "#dde3ea"


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_PATH), size)


def _frame(title: str, low: float, high: float) -> tuple[Image.Image, ImageDraw.ImageDraw, callable]:
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.text((WIDTH / 2, 36), title, font=_font(40), fill="#222", anchor="mm")
    plot_top, plot_bottom = MARGIN_TOP, HEIGHT - MARGIN_BOTTOM

    def y_of(value: float) -> float:
        return plot_bottom - (value - low) / ((high - low) or 1) * (plot_bottom - plot_top)

    for step in range(6):
        value = low + (high - low) * step / 5
        y = y_of(value)
        draw.line([(MARGIN_LEFT, y), (WIDTH - MARGIN_RIGHT, y)], fill=GRID_COLOUR, width=2)
        draw.text((MARGIN_LEFT - 12, y), f"{value:g}", font=_font(26), fill="#555", anchor="rm")
    return image, draw, y_of


def _label(draw: ImageDraw.ImageDraw, x: float, text: str) -> None:
    # Long names (街道办事处) are cut rather than overlapping their neighbours.
    text = text if len(text) <= 6 else text[:5] + "…"
    draw.text((x, HEIGHT - MARGIN_BOTTOM + 16), text, font=_font(26), fill="#333", anchor="mt")


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def bar_chart(
    labels: Sequence[str], values: Sequence[float | None], *, title: str = "", target: float | None = None
) -> bytes:
    """One bar per label (a missing value draws no bar), with ``target`` as a red line across."""
    present = [value for value in values if value is not None]
    low = min([*present, target if target is not None else 100, 100]) if present else 0
    low = max(0, (int(low) // 10) * 10 - 10) if present else 0
    image, draw, y_of = _frame(title, low, 100)
    slot = (WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / max(len(labels), 1)
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = MARGIN_LEFT + slot * index + slot / 2
        if value is not None:
            colour = SERIES_COLOURS[0] if target is None or value >= target else TARGET_COLOUR
            draw.rectangle([x - slot * 0.3, y_of(value), x + slot * 0.3, y_of(low)], fill=colour)
            draw.text((x, y_of(value) - 8), f"{value:.2f}", font=_font(22), fill="#333", anchor="mb")
        _label(draw, x, label)
    if target is not None:
        y = y_of(target)
        draw.line([(MARGIN_LEFT, y), (WIDTH - MARGIN_RIGHT, y)], fill=TARGET_COLOUR, width=4)
        draw.text(
            (WIDTH - MARGIN_RIGHT, y - 6), f"{target:g}", font=_font(26), fill=TARGET_COLOUR, anchor="rb"
        )
    return _png(image)


def line_chart(
    labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
    *,
    title: str = "",
    target: float | None = None,
) -> bytes:
    """One line per named series over ``labels`` (periods); gaps where a value is missing."""
    present = [value for values in series.values() for value in values if value is not None]
    low = max(0, (int(min([*present, target or 100])) // 10) * 10 - 10) if present else 0
    image, draw, y_of = _frame(title, low, 100)
    slot = (WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / max(len(labels), 1)
    xs = [MARGIN_LEFT + slot * index + slot / 2 for index in range(len(labels))]
    for x, label in zip(xs, labels, strict=True):
        _label(draw, x, label)
    for number, (name, values) in enumerate(series.items()):
        colour = SERIES_COLOURS[number % len(SERIES_COLOURS)]
        points = [(x, y_of(value)) for x, value in zip(xs, values, strict=True) if value is not None]
        if len(points) > 1:
            draw.line(points, fill=colour, width=5)
        for x, y in points:
            draw.ellipse([x - 7, y - 7, x + 7, y + 7], fill=colour)
        legend_y = HEIGHT - 60
        legend_x = MARGIN_LEFT + number * 360
        draw.rectangle([legend_x, legend_y - 12, legend_x + 40, legend_y + 12], fill=colour)
        draw.text((legend_x + 52, legend_y), name, font=_font(28), fill="#333", anchor="lm")
    if target is not None:
        y = y_of(target)
        draw.line([(MARGIN_LEFT, y), (WIDTH - MARGIN_RIGHT, y)], fill=TARGET_COLOUR, width=3)
    return _png(image)
