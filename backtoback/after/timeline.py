"""What happened next: the dated timeline of ``data/after_timeline.csv`` as an HTML table.

It reuses the visit timeline's table styles (``btb-timeline``: cards on a phone) and the story's source
badges, so each row shows where it was read and how well it is verified.
"""

from __future__ import annotations

from datetime import date
from html import escape

import pandas as pd
from IPython.display import HTML

from .. import data
from ..story import auto_lang, source_cite

KIND_LABELS = {
    "meeting": "Meeting",
    "sanctions": "Sanctions",
    "pipeline": "Pipeline",
    "treaty": "Treaty",
    "data": "Data",
}


def load() -> pd.DataFrame:
    """The timeline, with ``date`` as :class:`datetime.date` (the file holds ISO dates)."""
    frame = data.load("after_timeline")
    frame["date"] = frame["date"].map(date.fromisoformat)
    return frame


def timeline_html(frame: pd.DataFrame) -> str:
    """One table body per year, one row per event, in date order."""
    frame = frame.sort_values(["date", "seq"])
    first, last = frame["date"].min(), frame["date"].max()
    parts = [
        '<table class="table btb-timeline btb-after-timeline" data-dataset="after_timeline">'
        f"<caption>What happened after the visit, {first:%B %Y} to {last:%B %Y}. Each row names the "
        "source it was read in and how well it is verified.</caption><thead><tr>"
        + "".join(
            f"<th scope='col'>{c}</th>" for c in ("When", "Where", "What happened", "Who", "Source")
        )
        + "</tr></thead>"
    ]
    for year, rows in frame.groupby(frame["date"].map(lambda d: d.year), sort=True):
        parts.append(f'<tbody><tr><th colspan="5" scope="rowgroup">{year}</th></tr>')
        for r in rows.itertuples():
            parts.append(
                f'<tr data-key="{r.seq}" data-kind="{escape(r.kind)}">'
                f'<td><time datetime="{r.date.isoformat()}">{escape(r.when)}</time>'
                f' <span class="btb-after-kind">{KIND_LABELS[r.kind]}</span></td>'
                f"<td>{auto_lang(r.place)}</td><td>{auto_lang(r.event)}</td>"
                f"<td>{auto_lang(r.who)}</td>"
                f"<td>{source_cite(r.source_title, r.source_url, r.verification)}</td></tr>"
            )
        parts.append("</tbody>")
    parts.append("</table>")
    return "".join(parts)


def timeline(frame: pd.DataFrame) -> HTML:
    return HTML(timeline_html(frame))
