"""The map of a report: the region's children drawn from their stored outlines (``RegionBoundary``, the same
GeoJSON the dashboard map reads), each filled with its 四色预警 colour (``alerts.selectors.region_colour``: the
county's region thresholds, the same the dashboard's map reads) and named. Drawn with Pillow and the bundled font, as PNG."""

import datetime
import io

from PIL import Image, ImageDraw, ImageFont

from sanling.alerts.selectors import region_colour
from sanling.documents.builder import FONT_PATH
from sanling.regions.models import Region, RegionBoundary

WIDTH, HEIGHT = 1600, 1200
MARGIN, LEGEND_HEIGHT = 40, 110
FILLS = {"red": "#d9534f", "orange": "#f0883e", "yellow": "#f2c94c", "blue": "#5b9bd5", "": "#cfd8e3"}
NAMES = {"red": "红色", "orange": "橙色", "yellow": "黄色", "blue": "蓝色", "": "无预警"}


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_PATH), size)


def _rings(geometry: dict) -> list[list[list[float]]]:
    """The outer rings of a Polygon or MultiPolygon."""
    if geometry.get("type") == "Polygon":
        return geometry["coordinates"][:1]
    if geometry.get("type") == "MultiPolygon":
        return [polygon[0] for polygon in geometry["coordinates"] if polygon]
    return []


def _rated(line) -> tuple[str | None, object]:
    """The group and rate a child is coloured by: 村社区 where it has any, else 企事业 (the dashboard's)."""
    if line.village is not None and line.village.active:
        return line.village.group, line.village.rate
    if line.unit is not None and line.unit.active:
        return line.unit.group, line.unit.rate
    return None, None


def map_colours(lines, *, on: datetime.date) -> dict[int, str]:
    """Region id -> the 四色预警 colour of each child ("" above every threshold or without a rate)."""
    colours = {}
    for line in lines:
        group, rate = _rated(line)
        colours[line.region.pk] = region_colour(group=group, rate=rate, on=on) if group else ""
    return colours


def map_chart(region: Region, lines, *, on: datetime.date) -> bytes:
    """The PNG map of ``region``'s children (``lines``: the report's ``ChildLine``s); b"" when none of them
    has an outline."""
    boundaries = {
        boundary.region_id: boundary.geometry
        for boundary in RegionBoundary.objects.filter(region__in=[line.region for line in lines])
    }
    shapes = [(line, _rings(boundaries[line.region.pk])) for line in lines if line.region.pk in boundaries]
    shapes = [(line, rings) for line, rings in shapes if rings]
    if not shapes:
        return b""
    colours = map_colours(lines, on=on)
    points = [point for _line, rings in shapes for ring in rings for point in ring]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    width, height = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN - LEGEND_HEIGHT
    scale = min(width / ((east - west) or 1), height / ((north - south) or 1))
    left = MARGIN + (width - (east - west) * scale) / 2
    top = MARGIN + (height - (north - south) * scale) / 2

    def xy(point) -> tuple[float, float]:
        return left + (point[0] - west) * scale, top + (north - point[1]) * scale

    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    for line, rings in shapes:
        for ring in rings:
            draw.polygon(
                [xy(point) for point in ring],
                fill=FILLS.get(colours.get(line.region.pk, ""), FILLS[""]),
                outline="white",
            )
    for _line, rings in shapes:
        for ring in rings:
            draw.line([xy(point) for point in ring] + [xy(ring[0])], fill="white", width=3)
    label_font = _font(30)
    for line, rings in shapes:
        ring = max(rings, key=len)
        xs, ys = zip(*(xy(point) for point in ring), strict=True)
        centre = (sum(xs) / len(xs), sum(ys) / len(ys))
        _group, rate = _rated(line)
        label = line.region.name + (f"\n{rate}%" if rate is not None else "")
        draw.multiline_text(
            centre,
            label,
            font=label_font,
            fill="#1b1b1b",
            anchor="mm",
            align="center",
            stroke_width=3,
            stroke_fill="white",
        )
    _legend(draw)
    out = io.BytesIO()
    image.save(out, format="PNG")  # optimize=True: 0.3 s more a map, to save a third of 100 KiB
    return out.getvalue()


def _legend(draw: ImageDraw.ImageDraw) -> None:
    entries = [(colour, NAMES[colour]) for colour in ("red", "orange", "yellow", "blue", "")]
    font = _font(28)
    x, y = MARGIN, HEIGHT - LEGEND_HEIGHT + 30
    for colour, text in entries:
        draw.rectangle([x, y, x + 44, y + 36], fill=FILLS[colour], outline="#888")
        draw.text((x + 56, y + 18), text, font=font, fill="#333", anchor="lm")
        x += 80 + draw.textlength(text, font=font)
