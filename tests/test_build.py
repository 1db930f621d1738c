"""The build: strict, self-contained, fails loudly on broken notebooks or data, and caches execution."""

from __future__ import annotations

import re

import pytest

from backtoback.teaching import toc_pages

from .conftest import build_book, mini_book

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
    # A cell error stops the build at once (nb_execution_raise_on_error), so this failure cannot
    # share the broken book below: the build would end before it reported the others.
    project = mini_book(
        tmp_path,
        {"broken": NOTEBOOK_HEADER + "# Broken\n\n```{code-cell} ipython3\n1 / 0\n```\n"},
    )
    result = build_book(project)
    assert result.returncode != 0
    assert "ZeroDivisionError" in result.stdout + result.stderr


#: Pages broken in ways that --keep-going reports all at once, each naming the page.
BROKEN_PAGES = {
    "bare-widget": NOTEBOOK_HEADER
    + "# Bare\n\n```{code-cell} ipython3\nimport ipywidgets\nipywidgets.IntSlider()\n```\n",
    "unresolved": NOTEBOOK_HEADER
    + "# Unresolved\n\nSee {ref}`no-such-label`, {doc}`no-such-page` and {glue:text}`no_such_value`."
    + "\n\n```{code-cell} ipython3\n1\n```\n",
}


@pytest.fixture(scope="module")
def broken_book(tmp_path_factory) -> str:
    """One book with every page in BROKEN_PAGES, built once: the build's output."""
    result = build_book(mini_book(tmp_path_factory.mktemp("broken"), BROKEN_PAGES))
    assert result.returncode != 0, "the broken book built without an error"
    return result.stdout + result.stderr


def warning(output: str, page: str, message: str) -> bool:
    """Whether the build warned ``message`` at a line of chapters/``page``.md."""
    return re.search(rf"chapters/{page}\.md:\d+: WARNING: {re.escape(message)}", output) is not None


def test_a_bare_widget_without_static_rendering_fails_the_build(broken_book):
    assert warning(broken_book, "bare-widget", "a widget without a static rendering")


@pytest.mark.parametrize(
    "message",
    [
        "undefined label: 'no-such-label'",
        "unknown document: 'no-such-page'",
        "No key 'no_such_value' found in glue data for this document",
    ],
)
def test_an_unresolved_reference_or_glued_value_fails_the_build(broken_book, message):
    assert warning(broken_book, "unresolved", message)


def test_a_corrupted_csv_stops_the_build_naming_file_line_and_column_of_each_bad_cell(
    demo_builds,
):
    output = demo_builds.corrupted.stdout + demo_builds.corrupted.stderr
    assert demo_builds.corrupted.returncode != 0
    assert "DataError" in output
    assert "imf_dots_trade.csv, line 5, column 'unit': unknown unit 'USD mn'" in output
    assert (
        f"imf_dots_trade.csv, line 2, column 'value': '{demo_builds.corrupted_value}' is not a "
        "valid number"
    ) in output


def test_a_no_change_rebuild_executes_no_notebook(demo_builds):
    first, second = demo_builds.first, demo_builds.rebuild
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert "Executing notebook" in first.stdout + first.stderr
    assert second.returncode == 0
    assert "Executing notebook" not in second.stdout + second.stderr


def test_a_data_change_after_a_cached_build_is_not_hidden_by_the_cache(demo_builds):
    # the corrupted build ran on the cache of the two good ones: the error shows it re-executed
    assert demo_builds.rebuild.returncode == 0
    result = demo_builds.corrupted
    assert result.returncode != 0
    assert (
        f"imf_dots_trade.csv, line 2, column 'value': '{demo_builds.corrupted_value}' is not a "
        "valid number"
    ) in result.stdout + result.stderr
