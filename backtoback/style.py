"""The house style for charts, and the captioned figure every chart is shown in.

Use it like this in a notebook cell::

    fig, ax = style.new_chart()
    ax.plot(...)
    style.figure(fig, caption=..., alt=..., data=frame, sources=[info], data_name="...")

:func:`figure` returns a :class:`Figure` that renders as an HTML ``<figure>`` with a stable anchor,
a Chart | Table switch (:mod:`backtoback.toggle`), the caption, the source line, the value types,
the date the data are as of, and downloads (SVG, PNG, CSV). The chart is an inline SVG drawn by
matplotlib, with its text as real text, in two layouts: one for wide screens and print, one for
phones (narrower, so that no text is smaller than about 11 CSS px at 375 px).

Every data point is reachable without JavaScript: the points are read off the matplotlib artists
(lines, markers, bars) and matched to the rows of ``data``, the frame the reader can download. Each
point becomes a focusable SVG group whose accessible name states series, period, value with unit,
value type and source, and whose label shows on hover, keyboard focus and tap (CSS ``:focus``).
A call site can pass ``points=`` (a tidy frame, one row per mark) or ``unit=`` / ``value_column=``
when the generic matching needs help; :func:`derive_points` reports what it could not match.
"""

from __future__ import annotations

import base64
import html
import io
import math
import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.container import BarContainer  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from PIL import Image  # noqa: E402

from .data import DatasetInfo  # noqa: E402

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

WIDTH_IN, HEIGHT_IN, DPI = 7.2, 4.0, 125  # DPI: the PNG download (900 px wide)
DISPLAY_WIDTH_PX = WIDTH_IN * 100
#: The phone layout: narrower, so its text is drawn larger relative to the screen; no text below
#: PHONE_MIN_FONT_PT (about 11 CSS px at 375 px, where the chart is about 340 px wide).
PHONE_WIDTH_IN, PHONE_MIN_FONT_PT = 4.3, 10.5

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
    "svg.fonttype": "none",  # text stays text: selectable, searchable, light
    "svg.hashsalt": "back-to-back",  # stable ids, so a rebuild gives identical pages
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


#: gid of the labels :func:`mark_break` adds; :func:`place_break_labels` moves them off the data.
BREAK_LABEL = "btb-break-label"


def mark_break(ax, x, label: str) -> None:
    """A dotted vertical line with a label, for a change of source or an event.

    The label is placed when the chart is finished (:func:`place_break_labels`), beside the line
    where it covers no data, no legend and no other label.
    """
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
        gid=BREAK_LABEL,
    )


# -- labels that stay off the data ---------------------------------------------------------------

#: Where a break label may go: (y in axes fraction, x offset in points, horizontal and vertical
#: alignment), in order of preference: right of the line at the top, left at the top, then lower.
BREAK_SPOTS = [
    (1.0, 4, "left", "top"),
    (1.0, -4, "right", "top"),
    (0.5, 4, "left", "center"),
    (0.5, -4, "right", "center"),
    (0.02, 4, "left", "bottom"),
    (0.02, -4, "right", "bottom"),
    (0.78, 4, "left", "center"),
    (0.78, -4, "right", "center"),
    (0.25, 4, "left", "center"),
    (0.25, -4, "right", "center"),
]


def _segment_hits(box, a, b) -> bool:
    """Whether the segment a-b crosses ``box`` (sampled: cheap and good enough at chart scale)."""
    for t in np.linspace(0, 1, 24):
        p = a + (b - a) * t
        if box.x0 <= p[0] <= box.x1 and box.y0 <= p[1] <= box.y1:
            return True
    return False


def _conflicts(box, ax, renderer, others) -> float:
    """How badly a label box overlaps data, legends, other labels, or leaves the axes."""
    score = 0.0
    axes_box = ax.get_window_extent(renderer)
    if not (
        box.x0 >= axes_box.x0 - 1
        and box.x1 <= axes_box.x1 + 1
        and box.y0 >= axes_box.y0 - 1
        and box.y1 <= axes_box.y1 + 1
    ):
        score += 100
    for line in _data_lines(ax):
        xy = line.get_transform().transform(_line_xy(line))
        xy = xy[np.isfinite(xy).all(axis=1)]
        pad = max(line.get_markersize(), line.get_linewidth()) / 2 * renderer.points_to_pixels(1)
        grown = box.expanded(1, 1).padded(pad)
        if line.get_linestyle() not in ("None", "none", ""):
            score += sum(_segment_hits(grown, a, b) for a, b in zip(xy, xy[1:], strict=False))
        score += sum(grown.contains(*p) for p in xy)
    for container in ax.containers:
        if isinstance(container, BarContainer):
            score += sum(box.overlaps(bar.get_window_extent(renderer)) for bar in container)
    for other in others:
        if box.overlaps(other):
            score += 50
    return score


def place_break_labels(fig) -> None:
    """Move each :func:`mark_break` label to the first spot beside its line that covers nothing."""
    renderer = fig.canvas.get_renderer()
    fig.canvas.draw()
    placed = []
    for legend in [fig.legends, *[[a.get_legend()] for a in fig.axes]]:
        placed.extend(lg.get_window_extent(renderer) for lg in legend if lg is not None)
    for ax in fig.axes:
        for text in [t for t in ax.texts if t.get_gid() == BREAK_LABEL]:
            best = None
            for y, dx, ha, va in BREAK_SPOTS:
                text.xy = (text.xy[0], y)
                text.set_position((dx, {"top": -4, "bottom": 4, "center": 0}[va]))
                text.set_ha(ha)
                text.set_va(va)
                box = text.get_window_extent(renderer)
                score = _conflicts(box, ax, renderer, placed)
                if best is None or score < best[0]:
                    best = (score, y, dx, ha, va)
                if score == 0:
                    break
            _, y, dx, ha, va = best
            text.xy = (text.xy[0], y)
            text.set_position((dx, {"top": -4, "bottom": 4, "center": 0}[va]))
            text.set_ha(ha)
            text.set_va(va)
            placed.append(text.get_window_extent(renderer))


# -- the points behind a chart ------------------------------------------------------------------


def _data_lines(ax) -> list[Line2D]:
    """Lines drawn in data coordinates (not axvline / axhline rules, which span the axes)."""
    return [
        line
        for line in ax.get_lines()
        if line.get_visible() and line.get_transform() == ax.transData and len(line.get_xdata())
    ]


def _line_xy(line: Line2D) -> np.ndarray:
    x = np.asarray(_as_numbers(line.get_xdata(orig=False)), dtype=float)
    y = np.asarray(line.get_ydata(orig=False), dtype=float)
    return np.column_stack([x, y])


def _as_numbers(values) -> list[float]:
    out = []
    for v in values:
        if isinstance(v, (pd.Timestamp, np.datetime64)) or hasattr(v, "toordinal"):
            out.append(mdates.date2num(pd.Timestamp(v)))
        else:
            out.append(float(v))
    return out


@dataclass
class Mark:
    """One drawn data mark: where it is (data coordinates of its axes) and what drew it."""

    ax: object
    x: float  # matplotlib's number for x (a year, a category index, or a date number)
    y: float
    label: str  # the artist's legend label ('' if none)
    kind: str  # "point" (line vertex or marker) or "bar"
    category: str = ""  # for bars: the tick label under the bar
    width: float = 0.0  # for bars: width and bottom in data units
    bottom: float = 0.0


def chart_marks(fig) -> list[Mark]:
    """Every data mark in ``fig``: line vertices and markers, and bars; duplicates dropped."""
    marks, seen = [], set()
    for ax in fig.axes:
        bar_patches = set()
        for container in ax.containers:
            if not isinstance(container, BarContainer):
                continue
            label = container.get_label() or ""
            for bar in container:
                bar_patches.add(bar)
                x = bar.get_x() + bar.get_width() / 2
                top = bar.get_y() + bar.get_height()
                key = (id(ax), round(x, 6), round(top, 9))
                if key in seen or not np.isfinite(top):
                    continue
                seen.add(key)
                marks.append(
                    Mark(
                        ax,
                        x,
                        top,
                        "" if label.startswith("_") else label,
                        "bar",
                        category=_tick_label(ax, x, bar.get_width()),
                        width=bar.get_width(),
                        bottom=bar.get_y(),
                    )
                )
        for line in _data_lines(ax):
            label = line.get_label() or ""
            for x, y in _line_xy(line):
                key = (id(ax), round(x, 6), round(y, 9))
                if not (np.isfinite(x) and np.isfinite(y)) or key in seen:
                    continue
                seen.add(key)
                marks.append(Mark(ax, x, y, "" if label.startswith("_") else label, "point"))
    return marks


def _tick_label(ax, x: float, width: float = 0.0) -> str:
    """The tick label at ``x``; for a bar set beside its tick (grouped bars on a year axis, width
    under half a tick), the label of the tick it stands beside."""
    ticks = list(zip(ax.get_xticks(), ax.get_xticklabels(), strict=False))
    for loc, text in ticks:
        if abs(loc - x) < 1e-6:
            return text.get_text()
    if 0 < width <= 0.5:
        near = [(abs(loc - x), text.get_text()) for loc, text in ticks if abs(loc - x) <= width]
        if near:
            return min(near)[1]
    return ""


#: Columns that describe a row rather than name its series.
META_COLUMNS = {
    "value_type",
    "unit",
    "source",
    "source_title",
    "source_url",
    "note",
    "notes",
    "definition",
    "quality",
    "kind",
    "period",
    "period_type",
    "label",
    "start",
    "end",
    "month_start",
    "year",
    "month",
    "reporters_missing",
    "missing_reporters",
    "reporter",
    "reason",
    "metric",
}
#: Units spelled in column names (``value_usd_bn``), for frames without a ``unit`` column.
UNIT_WORDS = {
    "usd_bn": "US$ billion",
    "eur_bn": "€ billion",
    "pct": "%",
    "percent": "%",
}
#: Scales the call sites divide by before plotting (thousands of units, billions from millions).
SCALES = (1, 1000, 0.001, 1_000_000)


@dataclass
class Point:
    """One focusable point: its mark, the data row behind it (index in ``data``), and its words."""

    mark: Mark
    row: int | None
    series: str
    period: str
    value: float
    value_text: str
    unit: str
    value_type: str
    source: str

    @property
    def name(self) -> str:
        """The accessible name: series, period, value with unit, value type, source."""
        parts = [f"{self.series}, {self.period}: {self.amount}"]
        parts += [p for p in (self.value_type, self.source) if p]
        return ", ".join(parts)

    @property
    def amount(self) -> str:
        if not self.unit:
            return self.value_text
        if self.unit.startswith("%"):
            return f"{self.value_text}{self.unit}"
        return f"{self.value_text} {self.unit}"


def format_value(value: float) -> str:
    """A data value as a reader reads it: the file's decimals, up to five significant digits
    before and after the point together ('111.0', '48.562', '5.7695', '583,000')."""
    value = float(value)
    if value.is_integer():
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.1f}"
    text = repr(round(value, 6))
    decimals = len(text.split(".")[1]) if "." in text and "e" not in text else 3
    whole_digits = len(str(int(abs(value)))) if abs(value) >= 1 else 0
    return f"{value:,.{max(0, min(decimals, 5 - whole_digits))}f}"


def _is_number(v) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not (
        isinstance(v, float) and math.isnan(v)
    )


def _x_score(row: pd.Series, mark: Mark) -> int:
    """2 if the row's period is where the mark is drawn, 0 if unknown, -5 if it is elsewhere."""
    if mark.kind == "bar":
        if not mark.category:
            return 0
        cells = [str(v) for k, v in row.items() if isinstance(v, str)]
        # a tick label may add a line under its period ("2022 Jan–Nov\ncomputed")
        if mark.category in cells or mark.category.split("\n")[0].strip() in cells:
            return 2
        years = [int(v) for k, v in row.items() if k == "year" and _is_number(v)]
        # a tick label may add a line under its year ("2023\ncustoms: Jan–Aug")
        if years and mark.category.split("\n")[0].strip() == str(years[0]):
            return 2
        return -5
    when = None
    if "start" in row and "end" in row:
        try:
            start, end = pd.Timestamp(row["start"]), pd.Timestamp(row["end"])
            when = (mdates.date2num(start), mdates.date2num(end) + 1)
        except (ValueError, TypeError):
            when = None
    if when:
        return 2 if when[0] - 0.5 <= mark.x <= when[1] + 0.5 else -5
    for column in ("month_start", "date"):
        if column in row and pd.notna(row[column]):
            try:
                return 2 if abs(mdates.date2num(pd.Timestamp(row[column])) - mark.x) < 1 else -5
            except (ValueError, TypeError):
                pass
    if "year" in row and _is_number(row["year"]):
        return 2 if abs(float(row["year"]) - mark.x) < 1e-6 else -5
    return 0


def _series_score(row: pd.Series, mark: Mark, column: str) -> int:
    if not mark.label:
        return 0
    if column == mark.label:
        return 3
    cells = [str(v) for k, v in row.items() if isinstance(v, str) and k not in META_COLUMNS]
    if mark.label in cells:
        return 3
    if any(c and c in mark.label for c in cells):
        return 1
    return 0


def _value_columns(data: pd.DataFrame, value_column: str | None) -> list[str]:
    if value_column:
        return [value_column]
    numeric = [
        c
        for c in data.columns
        if pd.api.types.is_numeric_dtype(data[c])
        and not pd.api.types.is_bool_dtype(data[c])
        and c not in META_COLUMNS
    ]
    return numeric


def _match(mark: Mark, data: pd.DataFrame, columns: list[str], used: set) -> tuple | None:
    """The best (row index, column, scale) for ``mark``: the value must agree, then period, series."""
    best, best_score = None, None
    for scale in SCALES:
        target = mark.y * scale
        tolerance = 0.0051 * scale + 1e-6 * abs(target)
        for column in columns:
            values = pd.to_numeric(data[column], errors="coerce").to_numpy(dtype=float)
            for i in np.flatnonzero(np.abs(values - target) <= tolerance):
                row = data.iloc[i]
                score = _x_score(row, mark) + _series_score(row, mark, column)
                score -= 0.5 * ((i, column) in used) + (scale != 1) * 0.1
                if best_score is None or score > best_score:
                    best, best_score = (int(i), column, scale), score
        if best is not None and best_score >= 0:
            return best
    return None


def _series_words(row: pd.Series, column: str, wide: bool) -> str:
    cells = [
        str(v)
        for k, v in row.items()
        if isinstance(v, str) and k not in META_COLUMNS and v.strip() and "http" not in v
    ]
    if wide:  # one column per series: the column is the series
        return column
    return ", ".join(cells)


def _period_words(row: pd.Series | None, mark: Mark) -> str:
    if row is not None:
        if "period" in row and isinstance(row["period"], str) and row["period"]:
            period = row["period"]
            year = row.get("year")
            if _is_number(year) and str(int(year)) not in period:
                return str(int(year)) if period == "Jan-Dec" else f"{int(year)} {period}"
            return period
        if "start" in row and "end" in row:
            try:
                start, end = pd.Timestamp(row["start"]), pd.Timestamp(row["end"])
                if start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31:
                    return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
                if start.year == end.year and start.month == end.month:
                    return start.strftime("%B %Y")
                return f"{start:%b %Y}–{end:%b %Y}"
            except (ValueError, TypeError):
                pass
        if "month_start" in row and pd.notna(row["month_start"]):
            return pd.Timestamp(row["month_start"]).strftime("%B %Y")
        if "year" in row and _is_number(row["year"]):
            return str(int(row["year"]))
    if mark.kind == "bar" and mark.category:
        return mark.category
    if _is_date_axis(mark.ax):
        return mdates.num2date(mark.x).strftime("%B %Y")
    return f"{mark.x:g}"


def _is_date_axis(ax) -> bool:
    return isinstance(
        ax.xaxis.get_major_formatter(), (mdates.DateFormatter, mdates.AutoDateFormatter)
    )


def _axes_series(mark: Mark) -> str:
    """Words for a mark's series when neither its artist nor its row names one."""
    title = mark.ax.get_title() or mark.ax.get_title("left")
    if not title and mark.ax.figure._suptitle is not None:
        title = mark.ax.figure._suptitle.get_text()
    return title or mark.ax.get_ylabel() or "Value"


def _unit_of(
    row: pd.Series | None, column: str | None, mark: Mark, unit: str | None, sources
) -> str:
    if unit:
        return unit
    if row is not None and "unit" in row and isinstance(row["unit"], str) and row["unit"]:
        return row["unit"]
    for words, name in UNIT_WORDS.items():
        if column and column.endswith(words):
            return name
    label = mark.ax.get_ylabel()
    if label:
        return label
    units = {s.unit for s in sources}
    return units.pop() if len(units) == 1 else ""


def _source_of(row: pd.Series | None, sources) -> str:
    if row is not None:
        for column in ("source", "source_title"):
            if column in row and isinstance(row[column], str) and row[column]:
                return row[column]
    return "; ".join(s.source for s in sources)


def _value_type_of(row: pd.Series | None, sources) -> str:
    words = ""
    if row is not None and isinstance(row.get("value_type"), str):
        words = row["value_type"]
    else:
        types = {s.value_type for s in sources} - {"mixed"}
        words = types.pop() if len(types) == 1 else ""
    if (
        row is not None
        and isinstance(row.get("quality"), str)
        and row["quality"] not in ("clear", "primary dataset")
    ):
        words = f"{words}, {row['quality']}" if words else row["quality"]
    if row is not None and row.get("kind") == "partial":
        words = f"{words}, part of the year only" if words else "part of the year only"
    return words


def derive_points(
    fig,
    data: pd.DataFrame,
    sources: Iterable[DatasetInfo] = (),
    *,
    unit: str | None = None,
    value_column: str | None = None,
) -> tuple[list[Point], list[Mark]]:
    """The focusable points of ``fig``: each drawn mark matched to its row of ``data``.

    A mark matches a row when one of the row's numbers equals the drawn value (within the rounding
    of the data, or at a scale of 1000 when the chart shows thousands or billions); among such
    rows, the one whose year, period or category is where the mark is drawn and whose series words
    match the artist's label wins. Returns ``(points, unmatched marks)``; a point that matches no
    row still gets a name from its artist, its axes and the catalogue.
    """
    sources = list(sources)
    data = data.reset_index(drop=True)
    columns = _value_columns(data, value_column)
    wide = len(columns) > 1 and not {"value", "series"} & set(data.columns)
    points, unmatched, used = [], [], set()
    for mark in chart_marks(fig):
        found = _match(mark, data, columns, used) if columns else None
        if found is None:
            unmatched.append(mark)
            row, column, value = None, None, mark.y
        else:
            i, column, scale = found
            used.add((i, column))
            row = data.iloc[i]
            value = float(row[column])
        series = mark.label or (_series_words(row, column, wide) if row is not None else "")
        points.append(
            Point(
                mark=mark,
                row=None if row is None else int(found[0]),
                series=series or _axes_series(mark),
                period=_period_words(row, mark),
                value=value,
                value_text=format_value(value),
                unit=_unit_of(row, column, mark, unit, sources),
                value_type=_value_type_of(row, sources),
                source=_source_of(row, sources),
            )
        )
    return points, unmatched


def points_from_frame(fig, frame: pd.DataFrame) -> list[Point]:
    """Points from a tidy hint frame (columns x, y, series, period, value, unit, value_type, source,
    optionally axes (index into ``fig.axes``) and row (index into the chart's data)."""
    out = []
    for r in frame.to_dict("records"):
        ax = fig.axes[int(r.get("axes", 0))]
        x = _as_numbers([r["x"]])[0]
        mark = Mark(ax, x, float(r["y"]), str(r.get("series", "")), "point")
        value = float(r.get("value", r["y"]))
        out.append(
            Point(
                mark,
                int(r["row"]) if pd.notna(r.get("row", np.nan)) else None,
                str(r.get("series", "")),
                str(r.get("period", "")),
                value,
                format_value(value),
                str(r.get("unit", "")),
                str(r.get("value_type", "")),
                str(r.get("source", "")),
            )
        )
    return out


# -- SVG with focusable points ----------------------------------------------------------------------
#
# The drawing is matplotlib's SVG (role="img", named by the alt text). The points are a layer of
# empty, focusable HTML elements over it, placed in per cent of the drawing (one position for the
# wide layout, one for the phone layout), each named by its words; _static/charts.css shows that
# name as the point's label on hover, focus and tap (``content: attr(aria-label)``), so what is
# seen and what is announced are the same words, stored once.

#: Fonts for the SVG's text where DejaVu Sans (matplotlib's, which sized the layout) is missing.
FONT_STACK = "'DejaVu Sans', Verdana, 'Bitstream Vera Sans', sans-serif"


def _ids_prefixed(svg: str, prefix: str) -> str:
    """Keep only the ids the SVG refers to (clip paths, markers), with a per-chart prefix: many
    charts share one page."""
    used = set(re.findall(r'(?:url\(#|href="#)([^)"]+)', svg))
    svg = re.sub(r'\sid="([^"]+)"', lambda m: f' id="{prefix}{m[1]}"' if m[1] in used else "", svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}{m[1]})", svg)
    return re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}{m[1]}"', svg)


_NUMBER = r"-?\d+(?:\.\d+)?"
#: One circle as matplotlib writes it: a move and eight cubic curves (a dotted hatch's tile holds
#: hundreds of them, about 46 KB a pattern).
_BEZIER_CIRCLE = re.compile(rf"M {_NUMBER} {_NUMBER}(?: C(?: {_NUMBER}){{6}}){{8}} z")


def _number(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _as_arcs(match: re.Match) -> str:
    """The same circle as two SVG arcs (about a tenth of the bytes)."""
    numbers = [float(n) for n in re.findall(_NUMBER, match.group(0))]
    ends = [(numbers[2 + 6 * k + 4], numbers[2 + 6 * k + 5]) for k in range(8)]
    cx = sum(x for x, _ in ends) / 8
    cy = sum(y for _, y in ends) / 8
    r = max(math.dist((cx, cy), end) for end in ends)
    radius, diameter = _number(r), _number(2 * r)
    return (
        f"M {_number(cx - r)} {_number(cy)} a {radius} {radius} 0 1 0 {diameter} 0 "
        f"a {radius} {radius} 0 1 0 -{diameter} 0 z"
    )


def _lighter(svg: str) -> str:
    """The same drawing in fewer bytes: no metadata, comments, zero rotations, per-text font
    lists (the root sets the font) or sub-hundredth decimals, circles as arcs, whitespace
    collapsed."""
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r'\stransform="rotate\(-?0 [^)]*\)"', "", svg)
    svg = re.sub(r"font-family: [^;\"]*;?\s*", "", svg)
    svg = re.sub(r"(\d+\.\d\d)\d+", r"\1", svg)
    svg = _BEZIER_CIRCLE.sub(_as_arcs, re.sub(r"\s*\n\s*", " ", svg))
    return re.sub(r">\s+<", "><", svg)


def point_box(point: Point, fig) -> tuple[float, float, float, float]:
    """Where ``point`` is on the drawing, in per cent of its width and height: (x, y, w, h);
    w and h are 0 for a point, the bar's size for a bar (x, y then its top-left corner)."""
    width, height = (float(v) * fig.dpi for v in fig.get_size_inches())
    mark = point.mark
    if mark.kind == "bar":
        (x0, y0), (x1, y1) = mark.ax.transData.transform(
            [(mark.x - mark.width / 2, mark.bottom), (mark.x + mark.width / 2, mark.y)]
        )
        left, right = sorted((x0, x1))
        low, high = sorted((y0, y1))
        return (
            100 * left / width,
            100 * (1 - high / height),
            100 * (right - left) / width,
            100 * max(high - low, 4) / height,
        )
    x, y = mark.ax.transData.transform((mark.x, mark.y))
    return 100 * x / width, 100 * (1 - y / height), 0.0, 0.0


def points_markup(points: list[Point], wide: list[tuple], phone: list[tuple]) -> str:
    """The focusable layer: one empty element per point, positioned for both layouts."""
    esc = html.escape
    items = []
    for point, (x, y, w, h), (px, py, pw, ph) in zip(points, wide, phone, strict=True):
        where = f"--x:{x:.2f}%;--y:{y:.2f}%;--px:{px:.2f}%;--py:{py:.2f}%"
        if point.mark.kind == "bar":
            where += f";--w:{w:.2f}%;--h:{h:.2f}%;--pw:{pw:.2f}%;--ph:{ph:.2f}%"
        bar = " btb-pt-bar" if point.mark.kind == "bar" else ""
        row = f' data-row="{point.row}"' if point.row is not None else ""
        items.append(
            f'<span class="btb-pt{bar}" tabindex="0" role="img" '
            f'aria-label="{esc(point.name)}" data-value="{point.value!r}"{row} '
            f'style="{where}"></span>'
        )
    return f'<div class="btb-points">{"".join(items)}</div>'


def svg_markup(fig, *, alt: str, prefix: str, layout: str) -> str:
    """``fig`` as an inline SVG that scales to its box, its text as text, named by ``alt``."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = _lighter(_ids_prefixed(svg, prefix))
    head, _, rest = svg.partition(">")
    head = re.sub(r'\s(width|height)="[^"]*"', "", head) + f' font-family="{FONT_STACK}"'
    hidden = ' style="display:none"' if layout == "phone" else ""  # without the book's CSS
    return (
        f'{head} class="btb-chart btb-chart-{layout}" role="img" aria-label="{html.escape(alt)}"'
        f"{hidden}>{rest}"
    )


def _phone_layout(fig) -> None:
    """Redraw ``fig`` for a phone: narrower and taller, no text below PHONE_MIN_FONT_PT, titles
    wrapped, fewer year ticks, category labels upright, and one legend in one column above the
    axes (off the data)."""
    width, height = fig.get_size_inches()
    fig.set_size_inches(PHONE_WIDTH_IN, height * 1.3)
    for text in fig.findobj(matplotlib.text.Text):
        if text.get_text() and text.get_fontsize() < PHONE_MIN_FONT_PT:
            text.set_fontsize(PHONE_MIN_FONT_PT)
    handles, labels = [], []
    for ax in fig.axes:
        axes_pt = ax.get_position().width * PHONE_WIDTH_IN * 72
        for title in (ax.title, ax._left_title, ax._right_title):
            if title.get_text():  # wrapped to the width of its own axes, not the figure's
                per_line = max(12, int(axes_pt / (title.get_fontsize() * 0.68)))
                title.set_text(textwrap.fill(title.get_text().replace("\n", " "), per_line))
        ticks = [t for t in ax.get_xticklabels() if t.get_text()]
        categories = isinstance(ax.xaxis.get_major_locator(), matplotlib.ticker.FixedLocator)
        if categories and len(ticks) > 1:
            longest = max(len(t.get_text()) for t in ticks) * ticks[0].get_fontsize() * 0.6
            if longest > axes_pt / len(ticks) * 0.9:  # category labels that would collide
                ax.tick_params(axis="x", labelrotation=90)
        locator = ax.xaxis.get_major_locator()
        if isinstance(locator, matplotlib.ticker.MaxNLocator):
            locator.set_params(nbins=max(3, round(5 * ax.get_position().width)))
        legend = ax.get_legend()
        if legend is not None:
            handles += legend.legend_handles
            labels += [t.get_text() for t in legend.texts]
            legend.remove()
    title = fig._suptitle.get_text() if fig._suptitle is not None else ""
    if handles:  # one legend in one column above the axes, off the data, under the figure's title
        legend = fig.legend(
            handles,
            labels,
            loc="outside upper left",
            ncols=1,
            fontsize=PHONE_MIN_FONT_PT,
            title=textwrap.fill(title, 34) or None,
            alignment="left",
        )
        legend.get_title().set_fontweight("bold")
        legend.get_title().set_fontsize(12)
        if title:
            fig._suptitle.set_visible(False)
            fig._suptitle.set_in_layout(False)
    elif title:
        fig._suptitle.set_text(textwrap.fill(title, 34))


def _png_base64(fig) -> str:
    """The figure as a PNG reduced to a 256-colour palette (flat colours: same look, a third of
    the bytes)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    image = Image.open(buffer).convert("RGB")
    palette = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small = io.BytesIO()
    palette.save(small, format="PNG", optimize=True)
    return base64.b64encode(small.getvalue()).decode("ascii")


def csv_data_uri(data: pd.DataFrame) -> str:
    """The frame as a ``data:`` URI, so the download needs no file beside the page."""
    text = data.to_csv(index=False, lineterminator="\n")
    return "data:text/csv;charset=utf-8;base64," + base64.b64encode(text.encode()).decode("ascii")


def svg_data_uri(svg: str) -> str:
    """A standalone SVG file of the drawing as a ``data:`` URI."""
    text = '<?xml version="1.0" encoding="utf-8"?>\n' + svg.replace(' style="display:none"', "")
    return "data:image/svg+xml;base64," + base64.b64encode(text.encode()).decode("ascii")


def caption_html(caption: str) -> str:
    """What the chart shows (the first sentence) in the caption's weight; method notes, the rest,
    in normal weight."""
    first, *rest = re.split(r"(?<=[.!?])\s+(?=[A-Z])", caption.strip(), maxsplit=1)
    notes = f' <span class="btb-method">{html.escape(rest[0])}</span>' if rest else ""
    return f'<span class="btb-caption">{html.escape(first)}</span>{notes}'


def anchor_id(data_name: str) -> str:
    """The figure's stable anchor: ``chart-`` and its data name, as a URL-safe id."""
    return "chart-" + re.sub(r"[^a-z0-9]+", "-", data_name.lower()).strip("-")


@dataclass
class Figure:
    """A finished chart: renders as an accessible, self-contained HTML ``<figure>``."""

    wide_svg: str
    phone_svg: str
    points_html: str
    png_base64: str
    alt: str
    caption: str
    sources: list[DatasetInfo]
    data: pd.DataFrame
    data_name: str
    points: list[Point] = field(default_factory=list)
    units: list[str] = field(default_factory=list)

    def value_types(self) -> list[str]:
        if "value_type" in self.data.columns:
            return sorted(self.data["value_type"].dropna().astype(str).unique())
        return sorted({s.value_type for s in self.sources})

    def data_as_of(self) -> str:
        return "; ".join(dict.fromkeys(s.data_as_of for s in self.sources))

    def table_html(self) -> str:
        """The rows behind the chart, as in the CSV download, with units, value types, sources."""
        esc = html.escape
        # the cells exactly as the CSV writes them
        as_csv = pd.read_csv(
            io.StringIO(self.data.to_csv(index=False)), dtype=str, keep_default_na=False
        )
        table = as_csv.to_html(index=False, classes="btb-table btb-chart-table", border=0)
        units = (
            ", ".join(self.units)
            if self.units
            else ", ".join(sorted({s.unit for s in self.sources}))
        )
        sources = "; ".join(esc(s.source) for s in self.sources)
        return (
            f'<div class="btb-chart-table-wrap" role="region" tabindex="0" '
            f'aria-label="The data behind the chart: {esc(self.caption[:80])}">'
            f'<p class="btb-table-note">The {len(self.data)} rows behind the chart, as in the CSV. '
            f"Unit: {esc(units)}. Value types: {esc(', '.join(self.value_types()))}. "
            f"Source: {sources}.</p>{table}</div>"
        )

    def _repr_html_(self) -> str:
        from .toggle import HTML, Switch  # toggle shows figures: import here, not at the top

        esc = html.escape
        anchor = anchor_id(self.data_name)
        sources = "; ".join(
            f'<a href="{esc(s.source_url)}">{esc(s.source)}</a>' for s in self.sources
        )
        chart = HTML(
            f'<div class="btb-chart-box">{self.wide_svg}{self.phone_svg}{self.points_html}</div>'
        )
        views = Switch(label="View", views={"Chart": chart, "Table": HTML(self.table_html())})
        name = esc(self.data_name)
        return (
            f'<figure class="btb-figure" id="{anchor}" data-dataset="{name}">'
            f"{views.static_html()}"
            f"<figcaption>{caption_html(self.caption)} "
            f'<span class="btb-source">Source: {sources}. '
            f"Value type: {esc(', '.join(self.value_types()))}. "
            f'Data as of <span class="btb-as-of">{esc(self.data_as_of())}</span>.</span> '
            f'<span class="btb-take">'
            f'<a class="btb-download" download="{name}.csv" href="{csv_data_uri(self.data)}">'
            f"Download the data behind this chart (CSV)</a> · "
            f'<a class="btb-download-svg" download="{name}.svg" href="{svg_data_uri(self.wide_svg)}">'
            f"chart as SVG</a> · "
            f'<a class="btb-download-png" download="{name}.png" '
            f'href="data:image/png;base64,{self.png_base64}">chart as PNG</a> · '
            f'<a class="btb-permalink" href="#{anchor}">link to this chart</a>'
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
    points: pd.DataFrame | None = None,
    unit: str | None = None,
    value_column: str | None = None,
) -> Figure:
    """Finish ``fig``: print the source line under it and wrap it with caption, alt text and data.

    ``alt`` should state the finding (what a sighted reader sees), not describe the chart type.
    ``data`` is exactly what is plotted; readers can download it and read it as a table.
    Optional hints for the focusable points: ``unit`` (words after each value), ``value_column``
    (the column of ``data`` holding the plotted values), ``points`` (a tidy frame that replaces
    the derivation, see :func:`points_from_frame`).
    """
    sources = list(sources)
    if not alt.strip() or not caption.strip():
        raise ValueError("every chart needs a caption and alt text")
    if not sources:
        raise ValueError("every chart needs at least one source")
    data = data.reset_index(drop=True)
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

    place_break_labels(fig)
    if points is not None:
        found = points_from_frame(fig, points)
    else:
        found, _ = derive_points(fig, data, sources, unit=unit, value_column=value_column)
    if not found:
        raise ValueError(f"chart {data_name!r}: no data points found in the figure")
    prefix = anchor_id(data_name) + "-"
    wide = svg_markup(fig, alt=alt, prefix=prefix + "w-", layout="wide")
    wide_boxes = [point_box(p, fig) for p in found]
    png = _png_base64(fig)
    _phone_layout(fig)
    phone_lines = 1 + len(credit) // 55
    bottom = 0.02 + 0.05 * phone_lines * (HEIGHT_IN / fig.get_size_inches()[1])
    fig.get_layout_engine().set(rect=(0, bottom, 1, 1 - bottom))
    place_break_labels(fig)
    phone = svg_markup(fig, alt=alt, prefix=prefix + "p-", layout="phone")
    phone_boxes = [point_box(p, fig) for p in found]
    plt.close(fig)
    return Figure(
        wide_svg=wide,
        phone_svg=phone,
        points_html=points_markup(found, wide_boxes, phone_boxes),
        png_base64=png,
        alt=alt,
        caption=caption,
        sources=sources,
        data=data,
        data_name=data_name,
        points=found,
        units=sorted({p.unit for p in found if p.unit}),
    )
