"""What happened next: the dated timeline of ``data/after_timeline.csv`` as an HTML table.

It is built by the visit timeline's builder (:func:`backtoback.story.dated_events_html`), so it has
the same markup and styles (``btb-timeline``: cards on a phone) and the same source badges: each row
shows where it was read and how well it is verified.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from IPython.display import HTML

from .. import data
from ..story import dated_events_html

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
    return dated_events_html(
        frame.assign(
            heading=frame["date"].map(lambda d: str(d.year)),
            key=frame["seq"].astype(str),
            datetime=frame["date"].map(date.isoformat),
        ),
        names="timeline after-timeline",
        dataset="after_timeline",
        caption=f"What happened after the visit, {first:%B %Y} to {last:%B %Y}. Each row names the "
        "source it was read in and how well it is verified.",
        texts={"Where": "place", "What happened": "event", "Who": "who"},
        kinds=KIND_LABELS,
    )


def timeline(frame: pd.DataFrame) -> HTML:
    return HTML(timeline_html(frame))
