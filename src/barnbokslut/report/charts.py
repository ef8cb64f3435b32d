"""The report's charts: each ``model.Chart`` drawn once per build, as SVG (HTML, PDF) and PNG (DOCX).

Why matplotlib and not Vega-Lite: it is already a dependency, draws offline in-process with no JavaScript engine
or extra binary (vl-convert is a 100 MB wheel), gives SVG and PNG from the *same* figure object, and can be made
deterministic (``svg.hashsalt``, no date metadata, fonts pinned to DejaVu Sans). Its object API (``Figure``
without pyplot) is thread safe enough for a web worker. Vega-Lite would give nicer defaults, but every label
placement we need (direct labels at line ends) is a few lines here.

Accessibility of the picture itself: colours with at least 4.5:1 contrast against white, and never colour alone —
each series has its own marker and dash pattern and is labelled directly at its line end (or in the legend for
bar charts, whose bars also carry their value). Numbers on axes and labels are Swedish ("14,7"). The text
alternative and the data table live on the ``Chart`` (built in ``figures.py``), not in the picture.

Caching: ``render_chart(chart)`` keeps results in memory by ``chart.key`` (a content hash), so the HTML, PDF and
DOCX writers of one build share one rendering; ``set_disk_cache(folder)`` also keeps them on disk between builds.
``STATS`` counts renders and cache hits (tests and ``bench/`` read it).
"""

from __future__ import annotations

import io
import os
import textwrap
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from barnbokslut.numbers import format_number
from barnbokslut.report.model import Chart, ChartKind, Series, SeriesRole

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.typing import RcKeyType

__all__ = [
    "STATS",
    "STYLE_VERSION",
    "ChartStats",
    "RenderedChart",
    "clear_cache",
    "draw_figure",
    "render_chart",
    "set_disk_cache",
]

#: Bump when the drawing changes, so disk caches are not reused.
STYLE_VERSION = "2"

WIDTH_IN, HEIGHT_IN = 6.4, 3.1
#: Labels longer than these many characters are wrapped (line end labels, bar categories, legend entries).
END_LABEL_CHARS, CATEGORY_CHARS, LEGEND_CHARS = 22, 28, 30
#: Room kept free at the picture's edges, in inches.
_MARGIN_IN = 0.03
PNG_DPI = 150

# role: (colour, marker, dash). Contrast on white: #1b4f72 9.0:1, #a04000 6.0:1, #4d4d4d 8.5:1.
_ROLE_STYLE: dict[SeriesRole, tuple[str, str, str]] = {
    SeriesRole.MUNICIPALITY: ("#1b4f72", "o", "-"),
    SeriesRole.PEER: ("#a04000", "s", "--"),
    SeriesRole.NATIONAL: ("#4d4d4d", "^", ":"),
    SeriesRole.PREDECESSOR: ("#5b2c6f", "D", "-."),  # 10.4:1
}
_OTHER_STYLES = [("#1b4f72", "o", "-"), ("#a04000", "s", "--"), ("#4d4d4d", "^", ":"), ("#5b2c6f", "D", "-.")]
_HATCHES = ["", "//", "..", "xx"]

_RC: dict[RcKeyType, Any] = {
    "font.family": ["DejaVu Sans"],
    "font.size": 9.0,
    "svg.fonttype": "none",
    "svg.hashsalt": "barnbokslut",
    "axes.edgecolor": "#6b6b6b",
    "axes.labelcolor": "#222222",
    "xtick.color": "#333333",
    "ytick.color": "#333333",
}


@dataclass(frozen=True)
class RenderedChart:
    key: str
    svg: bytes
    png: bytes
    width_px: int
    height_px: int

    @property
    def width_cm(self) -> float:
        return WIDTH_IN * 2.54

    @property
    def height_cm(self) -> float:
        return HEIGHT_IN * 2.54


@dataclass
class ChartStats:
    renders: int = 0
    memory_hits: int = 0
    disk_hits: int = 0
    seconds: float = 0.0

    def reset(self) -> None:
        self.renders = self.memory_hits = self.disk_hits = 0
        self.seconds = 0.0


STATS = ChartStats()
_memory: dict[str, RenderedChart] = {}
_lock = threading.Lock()
_disk: Path | None = None


def set_disk_cache(folder: Path | None) -> None:
    """Keep rendered charts in ``folder`` too (``None``: memory only)."""
    global _disk
    _disk = folder


def clear_cache() -> None:
    """Forget the charts rendered so far (memory only; the disk cache stays)."""
    with _lock:
        _memory.clear()


def render_chart(chart: Chart) -> RenderedChart:
    """Return ``chart`` as SVG and PNG, drawing it only if this content was not drawn before."""
    key = f"{chart.key}-{STYLE_VERSION}-{matplotlib.__version__}"
    with _lock:
        found = _memory.get(key)
        if found is not None:
            STATS.memory_hits += 1
            return found
        found = _read_disk(key)
        if found is not None:
            STATS.disk_hits += 1
        else:
            start = time.perf_counter()
            found = _draw(chart, key)
            STATS.seconds += time.perf_counter() - start
            STATS.renders += 1
            _write_disk(found)
        _memory[key] = found
        return found


def _read_disk(key: str) -> RenderedChart | None:
    if _disk is None:
        return None
    svg, png = _disk / f"{key}.svg", _disk / f"{key}.png"
    if not (svg.is_file() and png.is_file()):
        return None
    return RenderedChart(key, svg.read_bytes(), png.read_bytes(), *_pixels())


def _write_disk(rendered: RenderedChart) -> None:
    if _disk is None:
        return
    try:
        _disk.mkdir(parents=True, exist_ok=True)
        for suffix, data in (("svg", rendered.svg), ("png", rendered.png)):
            # Each process writes its own temporary file: two builds at once never mix their bytes.
            tmp = _disk / f"{rendered.key}.{suffix}.{os.getpid()}.{threading.get_ident()}.tmp"
            tmp.write_bytes(data)
            tmp.replace(_disk / f"{rendered.key}.{suffix}")
    except OSError:
        pass  # a cache that cannot be written only costs time


def _pixels() -> tuple[int, int]:
    return round(WIDTH_IN * PNG_DPI), round(HEIGHT_IN * PNG_DPI)


def _tick_formatter(decimals: int) -> FuncFormatter:
    def fmt(value: float, _pos: int | None) -> str:
        whole = abs(value - round(value)) < 1e-9
        return format_number(value, decimals=0 if whole else decimals)

    return FuncFormatter(fmt)


def _style(series: Series, index: int) -> tuple[str, str, str]:
    return _ROLE_STYLE.get(series.role) or _OTHER_STYLES[index % len(_OTHER_STYLES)]


def draw_figure(chart: Chart) -> Figure:
    """The chart drawn on a matplotlib figure of the report's fixed size (for ``render_chart`` and tests)."""
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=PNG_DPI)
        FigureCanvasAgg(fig)  # a canvas that can measure text, for fitting the labels inside the picture
        if chart.kind is ChartKind.LINE:
            _draw_lines(fig, chart)
        else:
            _draw_bars(fig, chart)
    return fig


def _draw(chart: Chart, key: str) -> RenderedChart:
    with matplotlib.rc_context(_RC):
        fig = draw_figure(chart)
        svg, png = io.BytesIO(), io.BytesIO()
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
        fig.savefig(png, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return RenderedChart(key, svg.getvalue(), png.getvalue(), *_pixels())


def _axes(fig: Figure, right: float) -> Axes:
    ax = fig.add_axes((0.09, 0.12, right - 0.09, 0.8))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="y", color="#d9d9d9", linewidth=0.6)
    ax.set_axisbelow(True)
    return ax


def _draw_lines(fig: Figure, chart: Chart) -> None:
    ax = _axes(fig, 0.70)
    xs = list(range(len(chart.categories)))
    ends: list[tuple[float, str, str]] = []
    top = 0.0
    for index, series in enumerate(chart.series):
        colour, marker, dash = _style(series, index)
        points = [(x, v) for x, v in zip(xs, series.values, strict=True) if v is not None]
        if not points:
            continue
        # Draw only between neighbouring known values: a gap stays a gap, never a made-up line.
        ys = [v if v is not None else float("nan") for v in series.values]
        width = 2.4 if series.role is SeriesRole.MUNICIPALITY else 1.6
        ax.plot(xs, ys, color=colour, marker=marker, linestyle=dash, linewidth=width, markersize=5)
        top = max(top, *(v for _, v in points))
        _last_x, last_y = points[-1]
        ends.append((last_y, series.label, colour))
    ax.set_xticks(xs, labels=list(chart.categories))
    ax.set_xlim(-0.3, len(xs) - 0.7)
    if chart.break_at in chart.categories:
        # The series break: a retired KPI replaced by another; no line joins the two.
        at = chart.categories.index(chart.break_at) - 0.5
        ax.axvline(at, color="#5b2c6f", linewidth=1.0, linestyle=(0, (2, 2)))
        ax.annotate("Nytt mått", xy=(at, 1.0), xycoords=("data", "axes fraction"), xytext=(3, -2),
                    textcoords="offset points", va="top", fontsize=8, color="#5b2c6f")  # fmt: skip
    ax.set_ylim(0, chart.y_max if chart.y_max is not None else (top * 1.15 if top > 0 else 1))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.yaxis.set_major_formatter(_tick_formatter(chart.decimals))
    if chart.unit:
        ax.set_ylabel(chart.unit)
    _end_labels(ax, ends)
    _fit(fig, ax)


def _wrapped(label: str, width: int) -> str:
    """A long label on several lines of at most ``width`` characters (words are not broken)."""
    return textwrap.fill(label, width, break_long_words=False) if len(label) > width else label


def _end_labels(ax: Axes, ends: list[tuple[float, str, str]]) -> None:
    """Label each line at its end, in the right margin, pushed apart so labels never overlap."""
    low, high = ax.get_ylim()
    gap = (high - low) * 0.085
    placed: list[tuple[float, int]] = []
    for y, label, colour in sorted(ends, key=lambda e: e[0]):
        text = _wrapped(label, END_LABEL_CHARS)
        lines = text.count("\n") + 1
        target = max(y, placed[-1][0] + gap * (placed[-1][1] + lines) / 2) if placed else y
        placed.append((target, lines))
        ax.annotate(
            text,
            xy=(1.0, y),
            xycoords=("axes fraction", "data"),
            xytext=(8, (target - y) / (high - low) * 0.8 * HEIGHT_IN * 72),
            textcoords="offset points",
            va="center",
            color=colour,
            fontsize=8.5,
            fontweight="bold",
            annotation_clip=False,
        )


def _draw_bars(fig: Figure, chart: Chart) -> None:
    count = len(chart.categories)
    ax = _axes(fig, 0.95)
    ax.set_position(
        (0.30, 0.16 if len(chart.series) > 1 else 0.08, 0.62, 0.8 if len(chart.series) > 1 else 0.88)
    )
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color="#d9d9d9", linewidth=0.6)
    n = max(1, len(chart.series))
    height = 0.8 / n
    top = 0.0
    for index, series in enumerate(chart.series):
        colour, _marker, _dash = _style(series, index)
        ys = [i + (index - (n - 1) / 2) * height for i in range(count)]
        values = [v if v is not None else 0.0 for v in series.values]
        bars = ax.barh(
            ys,
            values,
            height=height * 0.9,
            color=colour,
            hatch=_HATCHES[index % 4],
            edgecolor="white",
            label=series.label,
        )
        for bar, value in zip(bars, series.values, strict=True):
            text = format_number(value, decimals=chart.decimals)  # ".." for a missing value
            ax.annotate(
                text,
                xy=(bar.get_width(), bar.get_y() + bar.get_height() / 2),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=7.5,
                color="#222222",
            )
        top = max([top, *(v for v in series.values if v is not None)])
    ax.set_yticks(range(count), labels=[_wrapped(c, CATEGORY_CHARS) for c in chart.categories])
    ax.invert_yaxis()
    ax.set_xlim(0, chart.y_max if chart.y_max is not None else (top * 1.15 if top > 0 else 1))
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.xaxis.set_major_formatter(_tick_formatter(chart.decimals))
    if len(chart.series) > 1:
        _legend(fig, ax, n)
    _fit(fig, ax)


def _legend(fig: Figure, ax: Axes, n: int) -> None:
    """The bar chart's legend under the axes: as many columns as fit the picture's width, labels wrapped."""
    handles, labels = ax.get_legend_handles_labels()
    labels = [_wrapped(label, LEGEND_CHARS) for label in labels]
    room = fig.bbox.width * (1 - 2 * _MARGIN_IN / WIDTH_IN)
    for columns in range(n, 0, -1):
        legend = ax.legend(
            handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=columns, frameon=False,
            fontsize=8,
        )  # fmt: skip
        if legend.get_window_extent(fig.canvas.get_renderer()).width <= room:  # type: ignore[attr-defined]
            return


def _fit(fig: Figure, ax: Axes) -> None:
    """Move and shrink the axes until every label, tick, legend and end label lies inside the picture, which keeps
    its fixed size (a long label would otherwise be cut off at the edge)."""
    width, height = fig.get_size_inches()
    for _ in range(4):
        box = fig.get_tightbbox(fig.canvas.get_renderer())  # type: ignore[attr-defined]
        left = max(0.0, _MARGIN_IN - box.x0)
        right = max(0.0, box.x1 - (width - _MARGIN_IN))
        bottom = max(0.0, _MARGIN_IN - box.y0)
        top = max(0.0, box.y1 - (height - _MARGIN_IN))
        if left == right == bottom == top == 0.0:
            return
        pos = ax.get_position()
        ax.set_position(
            (
                pos.x0 + left / width,
                pos.y0 + bottom / height,
                max(0.2, pos.width - (left + right) / width),
                max(0.3, pos.height - (bottom + top) / height),
            )
        )
