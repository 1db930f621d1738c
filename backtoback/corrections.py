"""The Corrections page: every fixed error of fact, from ``data/corrections.csv``.

To record a correction, add a row to that file (see its entry in ``data/catalog.yaml``); the page
lists it, newest first, with a link to the corrected page.
"""

from __future__ import annotations

import posixpath
from datetime import date
from html import escape

import pandas as pd

from .paths import ROOT
from .prose import long_date
from .teaching import chapter_title

#: Where the Corrections page sits in the book (links to the corrected pages are relative to it).
PAGE = "chapters/corrections"


def page_title(page: str) -> str:
    """The title of a book page (``page`` as in ``_toc.yml``, without suffix)."""
    if not (ROOT / f"{page}.md").is_file():
        raise ValueError(
            f"data/corrections.csv: page {page!r} is not a page of the book "
            f"(no {page}.md); write the path as in _toc.yml, e.g. chapters/trade/eu"
        )
    return chapter_title(page)


def html(frame: pd.DataFrame) -> str:
    """The corrections as a list, newest first: date, page, what it said, what it says now, source."""
    items = []
    for row in frame.sort_values("date", ascending=False, kind="stable").itertuples():
        day = date.fromisoformat(row.date)
        link = posixpath.relpath(row.page, posixpath.dirname(PAGE)) + ".html"
        items.append(
            '<li class="btb-correction">'
            f'<p><time datetime="{day.isoformat()}">{long_date(day)}</time>: '
            f'<a href="{escape(link)}">{escape(page_title(row.page))}</a></p>'
            "<dl>"
            f'<dt>What it said</dt><dd class="btb-former-wording">{escape(row.was)}</dd>'
            f"<dt>What it says now</dt><dd>{escape(row.now)}</dd>"
            f'<dt>Source</dt><dd><a href="{escape(row.source_url)}">{escape(row.source_title)}</a></dd>'
            "</dl></li>"
        )
    return f'<ol class="btb-corrections" reversed>{"".join(items)}</ol>'
