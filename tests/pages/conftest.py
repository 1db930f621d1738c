"""Run a trade page's code cells as plain Python, without a book build, to get its facts object.

``run_page("partners")`` executes every code cell of ``chapters/trade/partners.md`` in order (the
hidden facts cells with their checks of the typed words included) and returns the page's
variables, so a test reads ``page["facts"]`` exactly as the page computed it.
"""

from __future__ import annotations

import functools
from pathlib import Path

import jupytext
import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[2]
TRADE = ROOT / "chapters" / "trade"


def run_page(name: str) -> dict:
    """The variables of chapters/trade/<name>.md after running all its code cells.

    Charts are drawn but not rendered to an image (the facts are the point here, and rendering
    is most of a page's run time); the built-book tests check the images.
    """
    import matplotlib.pyplot as plt

    from backtoback import prose, style

    path = TRADE / f"{name}.md"
    glued: dict = {}
    namespace: dict = {"__name__": f"page_{name.replace('-', '_')}", "__glued__": glued}
    # Skip the drawing (most of a page's run time): the SVG and PNG renderers return nothing.
    renderers = {name: getattr(style, name) for name in ("_png_base64", "svg_markup")}
    glue = prose.glue
    style._png_base64 = lambda fig: ""
    style.svg_markup = lambda fig, **kwargs: ""
    prose.glue = lambda key, value: glued.setdefault(key, glue(key, value))
    try:
        for number, cell in enumerate(jupytext.read(path).cells):
            if cell.cell_type == "code":
                exec(compile(cell.source, f"{path.name} (code cell {number})", "exec"), namespace)
    finally:
        for name, renderer in renderers.items():
            setattr(style, name, renderer)
        prose.glue = glue
        plt.close("all")
    return namespace


@functools.cache
def page_once(name: str) -> dict:
    """:func:`run_page` on the committed data, once per test session."""
    return run_page(name)


@pytest.fixture
def no_glue(monkeypatch):
    """Glue nothing: for runs of a page on changed data, where only its checks matter."""
    from backtoback import prose

    monkeypatch.setattr(prose, "glue", lambda name, value: value)


@pytest.fixture
def page_stops(request, monkeypatch, no_glue):
    """``page_stops("sentence", dataset=change)``: the test module's page (its ``PAGE``), run on
    data where ``change(frame)`` has edited the named dataset in place (every other dataset as
    committed), must stop with an AssertionError whose message contains ``sentence`` word for word:
    the check of the typed words that the edit makes untrue."""
    from backtoback import data

    def stops(sentence: str, **changes) -> None:
        load = data.load
        changed: set[str] = set()

        def changed_load(dataset, *args, **kwargs):
            frame = load(dataset, *args, **kwargs)
            if dataset in changes:
                changes[dataset](frame)
                changed.add(dataset)
            return frame

        monkeypatch.setattr(data, "load", changed_load)
        with pytest.raises(AssertionError) as stopped:
            run_page(request.module.PAGE)
        assert changed == set(changes), f"the page never loaded {sorted(set(changes) - changed)}"
        assert sentence in str(stopped.value), (
            f"the page stopped, but not on {sentence!r}: {stopped.value}"
        )

    return stops


def built_text(site: Path, page: str) -> str:
    """The text of a built trade page's main area, whitespace squashed, quotes and minus plain."""
    import html
    import re

    raw = (site / "chapters" / "trade" / f"{page}.html").read_text(encoding="utf-8")
    main = raw[raw.index("<main") : raw.index("</main>")]
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", "", main))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2212", "-")
    return re.sub(r"\s+", " ", text)


def check_built_figures(site: Path, page: str, charts: int) -> None:
    """The built page shows ``charts`` figures, each with an image, alt text stating a number,
    a caption, the value types and the data behind it as a download."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(
        (site / "chapters" / "trade" / f"{page}.html").read_text(encoding="utf-8"), "html.parser"
    )
    figures = soup.select("figure.btb-figure")
    assert len(figures) == charts, f"{page}: {len(figures)} charts, expected {charts}"
    for fig in figures:
        image = fig.find("img") or fig.find("svg")
        assert image is not None, f"{page}: a figure without a chart"
        alt = image.get("alt") or image.get("aria-label") or ""
        assert len(alt.strip()) > 40 and any(c.isdigit() for c in alt), alt
        assert fig.select_one(".btb-caption").get_text(strip=True)
        assert fig.select_one("a.btb-download")["href"].startswith("data:text/csv")
        assert "Value type:" in fig.get_text()


@pytest.fixture(scope="module")
def page(request) -> dict:
    """The variables of the page named by the test module's ``PAGE``, run once."""
    return page_once(request.module.PAGE)


@pytest.fixture(scope="module")
def facts(page):
    """The page's facts object, as its facts cells built it."""
    return page["facts"]


def one_value(frame, **where) -> float:
    """The ``value`` of the one row of ``frame`` matching every ``column=wanted``."""
    sel = frame
    for column, wanted in where.items():
        sel = sel[sel[column] == wanted]
    assert len(sel) == 1, where
    return float(sel["value"].iloc[0])


def check_built_text(site: Path, page: str, snippets: list[str]) -> None:
    """Every snippet (built from the facts object) is in the built page's text."""
    text = built_text(site, page)
    missing = [snippet for snippet in snippets if snippet not in text]
    assert missing == [], f"{page}: not in the built text: {missing}"


def check_switch(open_page, page: str, first: str, second: str, second_text: str) -> None:
    """Clicking the page's first switch shows ``second`` (with ``second_text``), then ``first``."""
    from ..conftest import visible_views

    visit = open_page(f"chapters/trade/{page}.html")
    # the page's own switch, not a chart's Chart | Table switch
    switch = visit.page.locator(".btb-switch:not(figure .btb-switch)").first
    assert visible_views(switch) == [first]
    before = switch.locator(":scope > .btb-switch-panel:visible").inner_text()
    switch.locator("label", has_text=second).click()
    assert visible_views(switch) == [second]
    after = switch.locator(":scope > .btb-switch-panel:visible").inner_text()
    assert after != before and second_text in after
    switch.locator("label", has_text=first).click()
    assert visible_views(switch) == [first]
    assert not visit.blocked_requests and not visit.console_errors


def check_in_short(site: Path, page: str, words: list[str]) -> None:
    """The built page's first box is the "In short" answer (class ``btb-in-short``), with ``words``."""
    from bs4 import BeautifulSoup

    html = (site / "chapters" / "trade" / f"{page}.html").read_text(encoding="utf-8")
    boxes = BeautifulSoup(html, "html.parser").select("article .admonition")
    assert boxes and "btb-in-short" in boxes[0].get("class", []), f"{page}: no 'In short' box first"
    assert boxes[0].select_one(".admonition-title").get_text(strip=True) == "In short"
    text = " ".join(boxes[0].get_text(" ").split())
    missing = [w for w in words if w not in text]
    assert missing == [], f"{page}: not in the 'In short' box: {missing}"
