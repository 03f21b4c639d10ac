"""Charts for the service reports: small bar and line charts drawn with Pillow in a Simplified Chinese face.

Why Pillow and not a plotting library: a report needs two or three plain charts, and drawing them
directly takes a few milliseconds each instead of tens, which matters when a build makes hundreds
of reports. Charts are drawn at twice their size and scaled down, which smooths lines and text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

from .fonts import system_face

COLOURS = ("#2F5597", "#C55A11", "#548235", "#7F6000", "#7030A0")
AXIS, GRID, TEXT = "#595959", "#D9D9D9", "#262626"
SIZE = (720, 336)  # pixels of the finished PNG: 6 × 2.8 inches at 120 dpi
SCALE = 2  # drawn at this multiple, then reduced
DPI = 120


@dataclass(frozen=True)
class Chart:
    """A PNG image and the width it takes in the document; rendered as a docxtpl InlineImage."""

    png: bytes
    width_mm: int = 150
    caption: str = ""


@lru_cache(maxsize=8)
def _font(points: float) -> ImageFont.FreeTypeFont:
    """Noto Sans CJK SC at `points`, read from the installed collection (nothing is extracted)."""
    collection, index = system_face()
    return ImageFont.truetype(str(collection), round(points * DPI / 72 * SCALE), index=index)


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least `top` (e.g. 0, 20, 40, 60, 80, 100)."""
    if top <= 0 or not math.isfinite(top):
        return [0.0, 1.0]
    raw = top / count
    if raw <= 0:  # a top so small (a subnormal float) that dividing it gives 0
        return [0.0, 1.0]
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    n = math.ceil(top / step - 1e-9)
    return [i * step for i in range(n + 1)]


def _label(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e6 else f"{value:,.0f}"


class _Canvas:
    """Plot area, axes, title and y label; subclasses only place marks inside the plot area."""

    def __init__(self, labels: Sequence[str], ticks: list[float], title: str, ylabel: str) -> None:
        w, h = SIZE[0] * SCALE, SIZE[1] * SCALE
        self.image = Image.new("RGB", (w, h), "white")
        self.draw = ImageDraw.Draw(self.image)
        self.ticks, self.labels = ticks, list(labels)
        small, normal = _font(8), _font(10)
        tick_width = max(self.draw.textlength(_label(t), font=small) for t in ticks)
        self.left = round(normal.size * 1.6 + tick_width + 8 * SCALE)
        self.right = w - 12 * SCALE
        self.top = round(normal.size * 2.4)
        self.bottom = h - round(small.size * 2.6)
        self.draw.text((w / 2, normal.size * 0.4), title, font=normal, fill=TEXT, anchor="ma")
        self._ylabel(ylabel, normal)
        for t in ticks:
            y = self.y(t)
            self.draw.line([(self.left, y), (self.right, y)], fill=GRID, width=SCALE)
            self.draw.text((self.left - 5 * SCALE, y), _label(t), font=small, fill=TEXT, anchor="rm")
        self.draw.line([(self.left, self.top), (self.left, self.bottom)], fill=AXIS, width=SCALE)
        self.draw.line([(self.left, self.bottom), (self.right, self.bottom)], fill=AXIS, width=SCALE)
        for i, text in enumerate(self.labels):
            self.draw.text((self.x(i), self.bottom + 5 * SCALE), text, font=small, fill=TEXT, anchor="ma")

    def _ylabel(self, text: str, font: ImageFont.FreeTypeFont) -> None:
        width = round(self.draw.textlength(text, font=font)) + 2
        strip = Image.new("RGB", (width, int(font.size * 2)), "white")  # size is an int: _font rounds it
        ImageDraw.Draw(strip).text((0, font.size), text, font=font, fill=TEXT, anchor="lm")
        rotated = strip.rotate(90, expand=True)
        middle = (self.top + self.bottom) // 2
        self.image.paste(rotated, (2 * SCALE, max(0, middle - rotated.height // 2)))

    def x(self, i: int) -> float:
        slot = (self.right - self.left) / max(1, len(self.labels))
        return self.left + slot * (i + 0.5)

    def slot(self) -> float:
        return (self.right - self.left) / max(1, len(self.labels))

    def y(self, value: float) -> float:
        return self.bottom - (self.bottom - self.top) * value / self.ticks[-1]

    def finish(self, caption: str, width_mm: int) -> Chart:
        small = self.image.reduce(SCALE)
        buf = BytesIO()
        small.save(buf, format="PNG", compress_level=1, dpi=(DPI, DPI))  # fastest; the PDF recompresses it
        return Chart(buf.getvalue(), width_mm, caption)


def _number(v: float | int | Decimal | None) -> float | None:
    if v is None:
        return None
    f = float(v)
    return f if math.isfinite(f) else None


def bar_chart(labels: Sequence[str], values: Sequence[float | int | Decimal], *, title: str, ylabel: str,
              width_mm: int = 140) -> Chart:
    """A bar chart with the value written above each bar."""
    numbers = [max(0.0, _number(v) or 0.0) for v in values]
    canvas = _Canvas(labels, nice_ticks(max(numbers, default=0) * 1.15), title, ylabel)
    half = canvas.slot() * 0.3
    font = _font(8)
    for i, (value, shown) in enumerate(zip(numbers, values, strict=True)):
        x, y = canvas.x(i), canvas.y(value)
        if value > 0:  # a value too small to see next to the tallest still shows as a thin bar
            base = canvas.bottom - SCALE
            canvas.draw.rectangle([(x - half, min(y, base - SCALE)), (x + half, base)], fill=COLOURS[0])
        canvas.draw.text((x, y - 3 * SCALE), f"{shown}", font=font, fill=TEXT, anchor="md")
    return canvas.finish(title, width_mm)


def line_chart(labels: Sequence[str], series: dict[str, Sequence[float | Decimal | None]], *, title: str,
               ylabel: str, width_mm: int = 140) -> Chart:
    """One line per series with a marker at each value; a missing value leaves a gap."""
    values = {name: [_number(v) for v in vs] for name, vs in series.items()}
    top = max((v for vs in values.values() for v in vs if v is not None), default=0.0)
    canvas = _Canvas(labels, nice_ticks(max(top, 0.0) * 1.1), title, ylabel)
    radius = 3 * SCALE
    for n, vs in enumerate(values.values()):
        colour = COLOURS[n % len(COLOURS)]
        points = [(canvas.x(i), canvas.y(max(v, 0.0))) if v is not None else None for i, v in enumerate(vs)]
        for a, b in zip(points, points[1:], strict=False):
            if a is not None and b is not None:
                canvas.draw.line([a, b], fill=colour, width=2 * SCALE)
        for p in points:
            if p is not None:
                canvas.draw.ellipse([(p[0] - radius, p[1] - radius), (p[0] + radius, p[1] + radius)], fill=colour)
    _legend(canvas, list(values))
    return canvas.finish(title, width_mm)


def _legend(canvas: _Canvas, names: list[str]) -> None:
    """Names with their colours in one row under the title, right-aligned."""
    font = _font(8)
    x: float = canvas.right
    y = canvas.top - font.size * 0.9
    for n, name in reversed(list(enumerate(names))):
        x -= canvas.draw.textlength(name, font=font)
        canvas.draw.text((x, y), name, font=font, fill=TEXT, anchor="lm")
        x -= 22 * SCALE
        colour = COLOURS[n % len(COLOURS)]
        canvas.draw.line([(x, y), (x + 16 * SCALE, y)], fill=colour, width=2 * SCALE)
        canvas.draw.ellipse([(x + 5 * SCALE, y - 3 * SCALE), (x + 11 * SCALE, y + 3 * SCALE)], fill=colour)
        x -= 14 * SCALE
