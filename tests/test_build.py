"""The build: strict, self-contained, fails loudly on broken notebooks or data, and caches execution."""

from __future__ import annotations

import re

import pytest

from backtoback.teaching import toc_pages

from .conftest import ROOT, build_book, mini_book

pytestmark = pytest.mark.build

EXTERNAL = re.compile(
    r'<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)="(?:https?:)?//', re.IGNORECASE
)


NOTEBOOK_HEADER = """---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {display_name: Python 3, language: python, name: python3}
---
"""


def test_book_builds_from_scratch_with_every_toc_page(site):
    pages = toc_pages()
    assert len(pages) >= 10, pages
    missing = [page for page in pages if not (site / f"{page}.html").is_file()]
    assert missing == []
    assert (site / "index.html").is_file()


def test_no_page_links_to_anything_outside_the_site(site):
    offenders = {
        str(p.relative_to(site)): EXTERNAL.findall(p.read_text(encoding="utf-8"))
        for p in site.rglob("*.html")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_widget_pages_carry_no_widget_manager_or_state(site):
    page = (site / "chapters" / "how-this-book-works.html").read_text(encoding="utf-8")
    assert 'class="btb-switch"' in page
    assert "application/vnd.jupyter.widget-state+json" not in page
    assert "application/vnd.jupyter.widget-view+json" not in page
    assert "require.js" not in page and "embed-amd" not in page


def test_a_failing_cell_fails_the_build(tmp_path):
    project = mini_book(
        tmp_path,
        {"broken": NOTEBOOK_HEADER + "# Broken\n\n```{code-cell} ipython3\n1 / 0\n```\n"},
    )
    result = build_book(project)
    assert result.returncode != 0
    assert "ZeroDivisionError" in result.stdout + result.stderr


def test_a_bare_widget_without_static_rendering_fails_the_build(tmp_path):
    project = mini_book(
        tmp_path,
        {
            "bare": NOTEBOOK_HEADER
            + "# Bare\n\n```{code-cell} ipython3\nimport ipywidgets\nipywidgets.IntSlider()\n```\n"
        },
    )
    result = build_book(project)
    assert result.returncode != 0
    assert "widget without a static rendering" in result.stdout + result.stderr


def test_a_corrupted_csv_stops_the_build_naming_file_line_and_column(tmp_path):
    demo = (ROOT / "chapters" / "how-this-book-works.md").read_text()
    project = mini_book(tmp_path, {"how-this-book-works": demo})
    csv = project / "data" / "imf_dots_trade.csv"
    lines = csv.read_text().splitlines(keepends=True)
    lines[4] = lines[4].replace(",USD million,", ",USD mn,", 1)
    csv.write_text("".join(lines))
    result = build_book(project)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "DataError" in output
    assert "imf_dots_trade.csv, line 5, column 'unit': unknown unit 'USD mn'" in output


def test_a_no_change_rebuild_executes_no_notebook(tmp_path):
    demo = (ROOT / "chapters" / "how-this-book-works.md").read_text()
    project = mini_book(tmp_path, {"how-this-book-works": demo})
    first = build_book(project)
    assert first.returncode == 0, first.stdout[-3000:]
    assert "Executing notebook" in first.stdout + first.stderr
    second = build_book(project)
    assert second.returncode == 0
    out = second.stdout + second.stderr
    assert "Executing notebook" not in out


def test_a_data_change_after_a_cached_build_is_not_hidden_by_the_cache(tmp_path):
    demo = (ROOT / "chapters" / "how-this-book-works.md").read_text()
    project = mini_book(tmp_path, {"how-this-book-works": demo})
    assert build_book(project).returncode == 0
    csv = project / "data" / "imf_dots_trade.csv"
    header, first_row, *rest = csv.read_text().split("\n")
    column = header.split(",").index("value")
    cells = first_row.split(",")
    cells[column] = corrupted = cells[column].replace(".", "x.", 1)
    csv.write_text("\n".join([header, ",".join(cells), *rest]))
    result = build_book(project)
    assert result.returncode != 0
    assert f"imf_dots_trade.csv, line 2, column 'value': '{corrupted}' is not a valid number" in (
        result.stdout + result.stderr
    )
