"""Chart drawing shared by the trade pages: bars for full, partial and derived periods.

Page-specific decoration lives in each page's module; what two pages draw alike is here.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.patches import Patch

from .. import style


def period_bars(
    ax,
    frame: pd.DataFrame,
    *,
    label: str,
    value: str,
    kind: str,
    colour: str,
    missing: dict[str, str] | None = None,
    fmt: str = "{:,.0f}",
    x: str | None = None,
    width: float = 0.65,
) -> None:
    """Bars in the order of ``frame``; ``kind`` column: 'full' solid, 'partial' dotted, 'derived' hatched.

    ``missing`` maps a category with no data to the words printed where its bar would be; the
    category is placed after the frame's row whose label sorts just below it. With ``x`` (a
    column of numbers, such as a year with an offset) the bars stand at those positions instead,
    ``width`` wide, and the caller sets the ticks (for two series side by side on a time axis).
    """
    if x is not None:
        for _, row in frame.iterrows():
            _bar(ax, row[x], row[value], row[kind], colour, fmt, width)
        ax.margins(y=0.18)
        ax.grid(axis="x", visible=False)
        return
    order = list(frame[label])
    for cat in missing or {}:
        position = sum(str(c) < str(cat) for c in order)
        order.insert(position, cat)
    xs = {c: i for i, c in enumerate(order)}
    for _, row in frame.iterrows():
        _bar(ax, xs[row[label]], row[value], row[kind], colour, fmt, width)
    for cat, words in (missing or {}).items():
        ax.annotate(
            words,
            (xs[cat], 0),
            xytext=(0, 6),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8.5,
            color=style.COLOURS["neutral"],
            rotation=90,
        )
    ax.set_xticks(range(len(order)), [str(c) for c in order], fontsize=8)
    ax.margins(y=0.18)
    ax.grid(axis="x", visible=False)


def _bar(ax, x, value, kind: str, colour: str, fmt: str, width: float) -> None:
    """One bar in the style of its kind, its value printed above it."""
    style_kw = {
        "full": {"color": colour},
        "partial": {"color": "white", "edgecolor": colour, "hatch": "..", "linewidth": 1.5},
        "derived": {"color": "white", "edgecolor": colour, "hatch": "//", "linewidth": 1.5},
    }[kind]
    ax.bar(x, value, width=width, **style_kw)
    ax.annotate(
        fmt.format(value),
        (x, value),
        xytext=(0, 3),
        textcoords="offset points",
        ha="center",
        fontsize=9,
    )


def bar_legend(ax, colour: str, kinds: list[str]) -> None:
    """Legend entries for the bar kinds used on ``ax``."""
    words = {
        "full": "full year",
        "partial": "part of the year only",
        "derived": "derived, not reported",
    }
    hatch = {"full": None, "partial": "..", "derived": "//"}
    handles = [
        Patch(
            facecolor=colour if k == "full" else "white",
            edgecolor=colour,
            hatch=hatch[k],
            label=words[k],
        )
        for k in kinds
    ]
    ax.legend(handles=handles, loc="upper left", fontsize=8.5)
