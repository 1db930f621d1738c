"""The figures the After-the-visit pages quote, each a row of ``data/after_numbers.csv`` with its source.

:func:`value` is how a page gets a number for its prose (then ``prose.glue``), so every glued number is a
row of the data file; :func:`sources_html` lists the rows behind a page, with the weakest sources marked.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from .. import data
from ..story import source_cite

#: How the ``source_level`` column is shown: aggregators are the weakest and are flagged as such.
LEVEL_LABELS = {
    "official": "official source",
    "agency": "news agency quoting the statistics",
    "newspaper": "newspaper quoting the statistics",
    "aggregator": "aggregator (weak source)",
}


def load() -> pd.DataFrame:
    return data.load("after_numbers")


def row(frame: pd.DataFrame, number_id: str) -> pd.Series:
    match = frame[frame["id"] == number_id]
    if len(match) != 1:
        raise KeyError(f"after_numbers.csv has no single row with id {number_id!r}")
    return match.iloc[0]


def value(frame: pd.DataFrame, number_id: str) -> float:
    """The value of row ``number_id`` (a plain float, ready for ``prose.glue``)."""
    return float(row(frame, number_id)["value"])


def _format(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() and abs(value) >= 1000 else f"{value:g}"


def sources_html(frame: pd.DataFrame, ids: list[str], caption: str) -> str:
    """A compact list: each figure, its period and unit, who published it, and its source."""
    items = []
    for number_id in ids:
        r = row(frame, number_id)
        level = LEVEL_LABELS[r["source_level"]]
        flag = " btb-after-weak" if r["source_level"] == "aggregator" else ""
        computed = "" if r["value_type"] == "reported" else f"; {escape(r['value_type'])}"
        note = f" {escape(r['note'])}" if isinstance(r["note"], str) and r["note"] else ""
        items.append(
            f'<li data-key="{escape(number_id)}"><strong>{_format(r["value"])} {escape(r["unit"])}</strong> '
            f"({escape(r['period'])}{computed}).{note} "
            f'<span class="btb-after-level{flag}">{escape(level)}</span>: '
            f"{source_cite(r['source_title'], r['source_url'], r['verification'])}</li>"
        )
    return (
        f'<div class="btb-after-numbers" data-dataset="after_numbers"><p>{escape(caption)}</p>'
        f"<ul>{''.join(items)}</ul></div>"
    )
