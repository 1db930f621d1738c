"""Instructor-facing promises: runnable .ipynb downloads, measured timings, objectives per chapter."""

from __future__ import annotations

import base64
import re
from html import escape

import nbclient
import nbformat
import pytest

from backtoback import data, teaching

from .conftest import ROOT

#: A chart's PNG download (backtoback.style draws charts as inline SVG and offers this PNG of the
#: same drawing): comparing them compares the figures.
IMG = re.compile(r'download="[^"]+\.png" href="data:image/png;base64,([^"]+)"')


def notebook_pages(site):
    return sorted(
        p.relative_to(site / "_sources").with_suffix("")
        for p in (site / "_sources").rglob("*.ipynb")
    )


@pytest.mark.build
def test_every_notebook_page_offers_its_ipynb(site):
    pages = notebook_pages(site)
    assert pages, "no .ipynb downloads were generated"
    for page in pages:
        html = (site / f"{page}.html").read_text(encoding="utf-8")
        assert f'_sources/{page}.ipynb"' in html, page


def figures_drawn_afresh(notebook, **client_options) -> list[str]:
    """Run ``notebook`` from scratch, as a reader would, and return the PNGs its outputs show."""
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    nbclient.NotebookClient(notebook, timeout=300, **client_options).execute()
    return IMG.findall(
        "".join(
            output.get("data", {}).get("text/html", "")
            for cell in notebook.cells
            if cell.cell_type == "code"
            for output in cell.outputs
        )
    )


def book_figures(site, page) -> list[str]:
    """The PNG downloads of the built page (files beside the site, see backtoback.speed), base64."""
    html = (site / f"{page}.html").read_text(encoding="utf-8")
    files = re.findall(r'download="[^"]+\.png" href="([^"]+)"', html)
    return [base64.b64encode((site / page).parent.joinpath(f).read_bytes()).decode() for f in files]


@pytest.mark.build
def test_downloaded_ipynbs_run_and_draw_the_books_figures(site, built_project, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(built_project))  # the kernel imports the built copy's code
    pages = notebook_pages(site)
    assert pages, "no .ipynb downloads were generated"
    drawn = 0
    for page in pages:
        notebook = nbformat.read(site / "_sources" / f"{page}.ipynb", as_version=4)
        rerun = figures_drawn_afresh(
            notebook,
            kernel_name="python3",
            resources={"metadata": {"path": str(built_project / page.parent)}},
        )
        assert rerun == book_figures(site, page), f"{page}: figures differ from the book's"
        drawn += len(rerun)
    assert drawn > 0, "no figure was compared"


def test_timings_cover_every_notebook_in_the_toc():
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from time_notebooks import notebooks

    timed = set(data.load("notebook_timings")["notebook"])
    expected = {str(p.relative_to(ROOT).with_suffix("")) for p in notebooks()}
    assert expected <= timed, (
        f"re-run scripts/time_notebooks.py --write; missing: {expected - timed}"
    )


def test_every_chapter_states_objectives_and_discussion_questions():
    pages = teaching.chapters()
    assert len(pages) >= 3
    for page in pages:
        assert len(teaching.objectives(page)) >= 2, page
        assert len(teaching.discussion_questions(page)) >= 2, page


@pytest.mark.build
@pytest.mark.parametrize(
    "page", ["chapters/trade/china-russia-trade", "chapters/trade/partners", "chapters/trade/eu"]
)
def test_data_pages_end_with_an_exercise_whose_solution_is_hidden(site, page):
    html = (site / f"{page}.html").read_text(encoding="utf-8")
    exercise = html.find("Exercise:")
    assert exercise > 0, "no exercise"
    after = html[exercise:]
    assert "tag_hide-cell" in after and "# Solution" in after, (
        "no hidden solution after the exercise"
    )
    assert "Traceback" not in after


@pytest.mark.build
def test_instructor_page_lists_every_chapters_objectives(site):
    html = (site / "chapters" / "instructors.html").read_text(encoding="utf-8")
    for page in teaching.chapters():
        assert f'data-page="{page}"' in html
        for objective in teaching.objectives(page):
            assert f"<li>{escape(objective)}</li>" in html
