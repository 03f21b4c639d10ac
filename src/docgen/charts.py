"""Charts for the service reports, drawn with matplotlib in a Simplified Chinese face."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

import matplotlib

matplotlib.use("Agg")
from matplotlib import font_manager  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402

from .fonts import face_file  # noqa: E402

COLOURS = ("#2F5597", "#C55A11", "#548235", "#7F6000", "#7030A0")


@dataclass(frozen=True)
class Chart:
    """A PNG image and the width it takes in the document; rendered as a docxtpl InlineImage."""

    png: bytes
    width_mm: int = 150
    caption: str = ""


def _font() -> font_manager.FontProperties:
    return font_manager.FontProperties(fname=str(face_file()), size=10)


def _finish(fig: plt.Figure, caption: str, width_mm: int) -> Chart:
    buf = BytesIO()
    fig.subplots_adjust(left=0.1, right=0.97, top=0.88, bottom=0.14)
    fig.savefig(buf, format="png", dpi=120, metadata={"Software": None})
    plt.close(fig)
    return Chart(buf.getvalue(), width_mm, caption)


def bar_chart(labels: Sequence[str], values: Sequence[float | int | Decimal], *, title: str, ylabel: str,
              width_mm: int = 140) -> Chart:
    """A bar chart with the value written above each bar."""
    font = _font()
    fig, ax = plt.subplots(figsize=(6.0, 2.8))
    numbers = [float(v) for v in values]
    bars = ax.bar(range(len(labels)), numbers, color=COLOURS[0], width=0.6)
    ax.set_xticks(range(len(labels)), labels, fontproperties=font)
    ax.set_ylabel(ylabel, fontproperties=font)
    ax.set_title(title, fontproperties=font)
    ax.spines[["top", "right"]].set_visible(False)
    top = max(numbers, default=0)
    ax.set_ylim(0, top * 1.2 if top > 0 else 1)
    for bar, v in zip(bars, values, strict=True):
        ax.annotate(f"{v}", (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center", va="bottom",
                    fontproperties=font, fontsize=8)
    return _finish(fig, title, width_mm)


def line_chart(labels: Sequence[str], series: dict[str, Sequence[float | Decimal | None]], *, title: str,
               ylabel: str, width_mm: int = 140) -> Chart:
    """One line per series; missing values leave a gap."""
    font = _font()
    fig, ax = plt.subplots(figsize=(6.0, 2.8))
    for i, (name, values) in enumerate(series.items()):
        ys = [float(v) if v is not None else float("nan") for v in values]
        ax.plot(range(len(labels)), ys, marker="o", color=COLOURS[i % len(COLOURS)], label=name)
    ax.set_xticks(range(len(labels)), labels, fontproperties=font)
    ax.set_ylabel(ylabel, fontproperties=font)
    ax.set_title(title, fontproperties=font)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(prop=font, loc="best", frameon=False)
    return _finish(fig, title, width_mm)
