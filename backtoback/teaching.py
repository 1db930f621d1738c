"""Material for the instructor page, read from the chapters themselves so it never drifts.

Each chapter opens with a "Learning objectives" list and ends with "Discussion questions";
:func:`objectives` and :func:`discussion_questions` pull those lists out of the chapter's source.
Notebook run times come from ``data/notebook_timings.csv``, written by ``scripts/time_notebooks.py``.
"""

from __future__ import annotations

import html
import re

import yaml

from .paths import ROOT

LIST_ITEM = re.compile(r"^\s*(?:\d+[.)]|[-*])\s+(.*\S)\s*$")


def chapter_title(page: str) -> str:
    """The first top-level heading of ``page`` (a path like ``chapters/story/visit``)."""
    for line in (ROOT / f"{page}.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return page


def _list_after(page: str, heading: str) -> list[str]:
    """The first Markdown list after the line that opens with ``heading`` (bold, heading or admonition)."""
    lines = (ROOT / f"{page}.md").read_text(encoding="utf-8").splitlines()
    marker = re.compile(rf"^\s*(?:\*\*|#+\s+|```{{admonition}}\s+){re.escape(heading)}", re.I)
    start = next((i for i, line in enumerate(lines) if marker.match(line)), None)
    if start is None:
        return []
    items: list[str] = []
    for line in lines[start + 1 :]:
        match = LIST_ITEM.match(line)
        if match:
            items.append(match.group(1))
        elif items and line[:1].isspace() and line.strip():
            items[-1] += " " + line.strip()  # a wrapped list item
        elif items and line.strip():
            break
    return items


def objectives(page: str) -> list[str]:
    return _list_after(page, "Learning objectives")


def discussion_questions(page: str) -> list[str]:
    return _list_after(page, "Discussion questions")


def toc_pages() -> list[str]:
    """Every page in ``_toc.yml`` (root first), in reading order, as paths without suffix."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages: list[str] = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                pages.append(entry["file"])
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    return pages


def chapters() -> list[str]:
    """Pages in the table of contents that state learning objectives, in reading order."""
    return [p for p in toc_pages() if (ROOT / f"{p}.md").exists() and objectives(p)]


def overview_html(timings) -> str:
    """Per chapter: title, run time, learning objectives and discussion prompts, as HTML."""
    seconds = dict(zip(timings["notebook"], timings["seconds"], strict=True))
    parts = []
    for page in chapters():
        run = f"{seconds[page]:.1f} s to run" if page in seconds else "not a notebook"
        objectives_html = "".join(f"<li>{html.escape(o)}</li>" for o in objectives(page))
        questions_html = "".join(f"<li>{html.escape(q)}</li>" for q in discussion_questions(page))
        parts.append(
            f'<section class="btb-teach" data-page="{html.escape(page)}">'
            f"<p><strong>{html.escape(chapter_title(page))}</strong> "
            f'<span class="btb-source">({run})</span></p>'
            f"<p>Learning objectives:</p><ul>{objectives_html}</ul>"
            f"<p>Discussion prompts:</p><ol>{questions_html}</ol></section>"
        )
    return "".join(parts)
