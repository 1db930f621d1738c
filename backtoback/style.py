"""The house style for charts, and the captioned figure every chart is shown in.

Use it like this in a notebook cell::

    fig, ax = style.new_chart()
    ax.plot(...)
    style.figure(fig, caption=..., alt=..., data=frame, sources=[info])

:func:`figure` returns a :class:`Figure` that renders as an HTML ``<figure>``: a high-density PNG with
alt text, the caption, the source line with links, the value type, and a link that downloads the exact
data behind the chart as CSV. The same HTML works in the static book (offline) and in Jupyter.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterable
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import matplotlib.ticker
import pandas as pd
from PIL import Image

from .data import DatasetInfo

#: Okabe & Ito's colour-blind-safe palette, named by what each colour stands for in this book.
COLOURS = {
    "china": "#D55E00",  # vermilion
    "russia": "#0072B2",  # blue
    "eu": "#009E73",  # bluish green
    "usd_eur": "#56B4E9",  # sky blue
    "other": "#E69F00",  # orange
    "saudi": "#CC79A7",  # reddish purple
    "neutral": "#555555",  # dark grey, for annotations and breaks
}
#: Line styles that tell series apart without colour.
DASHES = {"solid": "-", "dashed": "--", "dotted": ":"}

WIDTH_IN, HEIGHT_IN, DPI = 7.2, 4.0, 200  # rendered at 2x for high-density screens
DISPLAY_WIDTH_PX = WIDTH_IN * 100

RC = {
    "figure.facecolor": "white",  # a solid background stays legible in the theme's dark mode
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "font.size": 11,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#dddddd",
    "grid.linewidth": 0.8,
    "lines.linewidth": 2.2,
    "axes.prop_cycle": matplotlib.cycler(color=list(COLOURS.values())),
    "svg.fonttype": "none",
}


# The house style applies to every chart drawn once this module is imported.
matplotlib.rcParams.update(RC)


def new_chart(nrows: int = 1, ncols: int = 1, height: float = HEIGHT_IN, **kwargs):
    """A figure and axes in the house style (same arguments as ``plt.subplots``)."""
    fig, axes = plt.subplots(nrows, ncols, figsize=(WIDTH_IN, height), **kwargs)
    fig.set_layout_engine("constrained")
    return fig, axes


def whole_years(ax) -> None:
    """Tick an axis of years at whole numbers only (no '2002.5')."""
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))


def line_chart(frame: pd.DataFrame, *, title: str, ylabel: str, colours: list[str] | None = None):
    """One line per column of ``frame`` (index on the x axis); colours and dashes both differ.

    Returns ``(fig, ax)`` so a chapter can add breaks or annotations before :func:`figure`.
    """
    fig, ax = new_chart()
    colours = colours or list(COLOURS.values())
    dashes = list(DASHES.values())
    for i, column in enumerate(frame.columns):
        ax.plot(
            frame.index,
            frame[column],
            color=colours[i % len(colours)],
            linestyle=dashes[i % len(dashes)],
            label=column,
        )
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.legend(loc="best")
    if pd.api.types.is_integer_dtype(frame.index):
        whole_years(ax)
    return fig, ax


def hollow_points(ax, x, y, colour: str, label: str | None = None, size: float = 8) -> None:
    """Hollow markers: the house mark for values that are derived or flagged, not reported as such."""
    ax.plot(
        x,
        y,
        linestyle="none",
        marker="o",
        markersize=size,
        markerfacecolor="white",
        markeredgecolor=colour,
        label=label,
    )


def mark_break(ax, x, label: str) -> None:
    """A dotted vertical line with a label, for a change of source or an event."""
    ax.axvline(x, color=COLOURS["neutral"], linestyle=":", linewidth=1.4)
    ax.annotate(
        label,
        xy=(x, 1),
        xycoords=("data", "axes fraction"),
        xytext=(4, -4),
        textcoords="offset points",
        va="top",
        fontsize=9,
        color=COLOURS["neutral"],
    )


def _png_base64(fig) -> str:
    """The figure as a 2x PNG, reduced to a 256-colour palette.

    Charts use a handful of flat colours, so the palette PNG looks the same and weighs about a
    third as much, which keeps chart-heavy pages within the page-weight budget.
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    plt.close(fig)
    image = Image.open(buffer).convert("RGB")
    palette = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small = io.BytesIO()
    palette.save(small, format="PNG", optimize=True)
    return base64.b64encode(small.getvalue()).decode("ascii")


def csv_data_uri(data: pd.DataFrame) -> str:
    """The frame as a ``data:`` URI, so the download needs no file beside the page."""
    text = data.to_csv(index=False, lineterminator="\n")
    return "data:text/csv;charset=utf-8;base64," + base64.b64encode(text.encode()).decode("ascii")


@dataclass
class Figure:
    """A finished chart: renders as an accessible, self-contained HTML ``<figure>``."""

    png_base64: str
    alt: str
    caption: str
    sources: list[DatasetInfo]
    data: pd.DataFrame
    data_name: str
    width_px: float
    height_px: float

    def value_types(self) -> list[str]:
        if "value_type" in self.data.columns:
            return sorted(self.data["value_type"].dropna().astype(str).unique())
        return sorted({s.value_type for s in self.sources})

    def _repr_html_(self) -> str:
        esc = html.escape
        sources = "; ".join(
            f'<a href="{esc(s.source_url)}">{esc(s.source)}</a>' for s in self.sources
        )
        return (
            f'<figure class="btb-figure" data-dataset="{esc(self.data_name)}">'
            f'<img src="data:image/png;base64,{self.png_base64}" alt="{esc(self.alt)}" '
            f'width="{self.width_px:.0f}" height="{self.height_px:.0f}" loading="lazy">'
            f'<figcaption><span class="btb-caption">{esc(self.caption)}</span> '
            f'<span class="btb-source">Source: {sources}. '
            f"Value type: {esc(', '.join(self.value_types()))}. "
            f'<a class="btb-download" download="{esc(self.data_name)}.csv" '
            f'href="{csv_data_uri(self.data)}">Download the data behind this chart (CSV)</a>'
            f"</span></figcaption></figure>"
        )


def figure(
    fig,
    *,
    caption: str,
    alt: str,
    data: pd.DataFrame,
    sources: Iterable[DatasetInfo],
    data_name: str,
) -> Figure:
    """Finish ``fig``: print the source line under it and wrap it with caption, alt text and data.

    ``alt`` should state the finding (what a sighted reader sees), not describe the chart type.
    ``data`` is exactly what is plotted; readers can download it.
    """
    sources = list(sources)
    if not alt.strip() or not caption.strip():
        raise ValueError("every chart needs a caption and alt text")
    if not sources:
        raise ValueError("every chart needs at least one source")
    credit = "Source: " + "; ".join(s.source for s in sources)
    fig.text(
        0.01,
        0.005,
        credit,
        fontsize=8.5,
        color=COLOURS["neutral"],
        ha="left",
        va="bottom",
        wrap=True,
    )
    # Reserve room for the source line: more when it wraps (about 110 characters per line).
    lines = 1 + len(credit) // 110
    bottom = 0.02 + 0.045 * lines * (HEIGHT_IN / fig.get_size_inches()[1])
    fig.get_layout_engine().set(rect=(0, bottom, 1, 1 - bottom))
    width, height = fig.get_size_inches()
    return Figure(
        png_base64=_png_base64(fig),
        alt=alt,
        caption=caption,
        sources=sources,
        data=data.reset_index(drop=True),
        data_name=data_name,
        width_px=width * 100,
        height_px=height * 100,
    )
