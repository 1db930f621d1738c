"""Charts you can read: focusable points derived from the drawing, Chart | Table, downloads, anchors,
glossary popovers. Unit tests of backtoback.style on small synthetic charts first, then the built
book in Chromium (network blocked), on every chart of every page."""

from __future__ import annotations

import base64
import csv
import io
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from backtoback import data, glossary_popover, style
from backtoback.data import DataError, DatasetInfo

INFO = DatasetInfo(
    name="test",
    path=Path("test.csv"),
    title="Test",
    unit="USD million",
    source="Test source",
    source_url="https://example.org",
    date="2026",
    data_as_of="2026-11",
    licence="test",
    value_type="reported",
    notes="",
)


def _finish(fig, frame, **hints):
    return style.figure(
        fig,
        caption="A chart. Notes.",
        alt="It rises.",
        data=frame,
        sources=[INFO],
        data_name="t",
        **hints,
    )


# -- point derivation, on synthetic charts --------------------------------------------------------


def test_a_line_chart_of_a_wide_frame_gets_one_named_point_per_value():
    wide = pd.DataFrame(
        {"Exports": [1.5, 2.25, 3.0], "Imports": [4.0, 5.125, 6.0]}, index=[2020, 2021, 2022]
    )
    wide.index.name = "year"
    fig, ax = style.line_chart(wide, title="Trade", ylabel="US$ billion")
    chart = _finish(fig, wide.reset_index())
    names = sorted(p.name for p in chart.points)
    assert len(names) == 6
    assert "Imports, 2021: 5.125 US$ billion, reported, Test source" in names
    assert "Exports, 2020: 1.5 US$ billion, reported, Test source" in names
    rows = {(p.series, p.period): p.row for p in chart.points}
    assert rows[("Imports", "2022")] == 2


def test_long_rows_give_series_value_type_and_source_per_point_and_hollow_points_are_not_doubled():
    long = pd.DataFrame(
        {
            "year": [2020, 2021, 2020, 2021],
            "series": ["A", "A", "B", "B"],
            "value": [10.0, 11.0, 10.0, 7.5],
            "value_type": ["reported", "derived", "reported", "computed"],
            "source": ["S1", "S2", "S1", "S2"],
        }
    )
    fig, ax = style.new_chart()
    for name in ["A", "B"]:
        rows = long[long["series"] == name]
        ax.plot(rows["year"], rows["value"], marker="o")  # no labels: series come from the rows
    derived = long[long["value_type"] == "derived"]
    style.hollow_points(ax, derived["year"], derived["value"], "#000")  # drawn over a line point
    chart = _finish(fig, long)
    names = sorted(p.name for p in chart.points)
    # 2020: A and B share the value 10.0 at the same place: one mark, one point
    assert names == [
        "A, 2020: 10.0 USD million, reported, S1",
        "A, 2021: 11.0 USD million, derived, S2",
        "B, 2021: 7.5 USD million, computed, S2",
    ]


def test_bars_get_points_from_their_tick_labels_and_rows_even_when_drawn_in_thousands():
    bars = pd.DataFrame(
        {
            "period": ["2022", "2023 Jan-Aug"],
            "kind": ["full", "partial"],
            "value": [160000.0, 583000.0],
            "unit": ["units", "units"],
            "value_type": ["reported", "reported"],
        }
    )
    fig, ax = style.new_chart()
    ax.bar([0, 1], bars["value"] / 1000)
    ax.set_xticks([0, 1], bars["period"])
    chart = _finish(fig, bars)
    by_period = {p.period: p for p in chart.points}
    assert set(by_period) == {"2022", "2023 Jan-Aug"}
    assert by_period["2023 Jan-Aug"].name == (
        "Value, 2023 Jan-Aug: 583,000 units, reported, part of the year only, Test source"
    )
    assert by_period["2023 Jan-Aug"].row == 1 and by_period["2023 Jan-Aug"].mark.kind == "bar"
    assert 'class="btb-pt btb-pt-bar"' in chart.points_html


def test_a_series_break_keeps_the_marks_on_both_sides_and_its_label_covers_no_data():
    years = list(range(2000, 2025))
    values = [float(i * 10) for i in range(len(years))]  # a line rising to the top right corner
    frame = pd.DataFrame({"year": years, "value": values})
    fig, ax = style.new_chart()
    ax.plot(years[:21], values[:21], label="old source")
    ax.plot(years[21:], values[21:], linestyle="--", marker="o", label="new source")
    style.mark_break(ax, 2020.5, "source changes:\nold → new")
    chart = _finish(fig, frame)
    assert sorted(int(p.period) for p in chart.points) == years
    # the label sits where it covers no drawn point (placed after layout, see place_break_labels)
    fig2, ax2 = style.new_chart()
    ax2.plot(years, values)
    style.mark_break(ax2, 2020.5, "source changes:\nold → new")
    style.place_break_labels(fig2)
    label = next(t for t in ax2.texts if t.get_gid() == style.BREAK_LABEL)
    box = label.get_window_extent(fig2.canvas.get_renderer())
    line_xy = ax2.transData.transform(list(zip(years, values, strict=True)))
    assert not any(box.contains(x, y) for x, y in line_xy)


def test_points_are_focusable_named_elements_over_an_inline_svg_with_unique_ids():
    frame = pd.DataFrame({"year": [2020, 2021], "value": [1.0, 2.0]})
    fig, ax = style.new_chart()
    ax.plot(frame["year"], frame["value"], label="Series")
    chart = _finish(fig, frame)
    page = chart._repr_html_()
    assert page.count('tabindex="0" role="img"') == 2
    assert 'aria-label="Series, 2021: 2.0 ' in page
    assert "<img" not in page and page.count("<svg") == 2  # wide and phone layouts, both vector
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "ids repeat"
    assert 'id="chart-t"' in page and 'href="#chart-t"' in page
    assert 'Data as of <span class="btb-as-of">2026-11</span>' in page
    assert 'download="t.svg" href="data:image/svg+xml;base64,' in page
    assert 'download="t.png" href="data:image/png;base64,' in page


def test_a_dotted_hatch_keeps_every_dot_as_a_circle_in_fewer_bytes():
    fig, ax = style.new_chart()
    ax.bar([1, 2], [3.0, 4.0], color="white", edgecolor="black", hatch="..")
    raw = io.StringIO()
    fig.savefig(raw, format="svg")
    drawn = re.sub(r"\s+", " ", raw.getvalue())
    dots = re.findall(r"M (-?[\d.]+) (-?[\d.]+)(?: C(?: -?[\d.]+){6}){8} z", drawn)
    svg = style.svg_markup(fig, alt="Dots.", prefix="t", layout="wide")
    arcs = re.findall(r"M (-?[\d.]+) (-?[\d.]+) a ([\d.]+) [\d.]+ 0 1 0", svg)
    assert len(dots) > 100 and len(arcs) == len(dots) and " C " not in svg
    # matplotlib starts a circle at its bottom (x, y + r); an arc pair starts at its left
    for (x, y), (left, middle, r) in zip(dots, arcs, strict=True):
        assert abs(float(left) + float(r) - float(x)) < 0.02
        assert abs(float(middle) + float(r) - float(y)) < 0.02
    assert len(svg) < len(drawn) / 3


def test_a_figure_without_data_points_is_refused():
    fig, ax = style.new_chart()
    ax.axvline(1)
    with pytest.raises(ValueError, match="no data points"):
        _finish(fig, pd.DataFrame({"year": [2020], "value": [1.0]}))


def test_the_hint_frame_replaces_the_derivation():
    fig, ax = style.new_chart()
    ax.plot([2020], [3.0])
    hint = pd.DataFrame(
        [
            {
                "x": 2020,
                "y": 3.0,
                "series": "S",
                "period": "2020",
                "value": 3.0,
                "unit": "t",
                "row": 0,
            }
        ]
    )
    chart = _finish(fig, pd.DataFrame({"year": [2020], "value": [3.0]}), points=hint)
    assert [p.name for p in chart.points] == ["S, 2020: 3.0 t"]


def test_captions_split_what_the_chart_shows_from_method_notes():
    html = style.caption_html("Trade by year. Dashed lines: news figures.")
    assert html == (
        '<span class="btb-caption">Trade by year.</span> '
        '<span class="btb-method">Dashed lines: news figures.</span>'
    )


# -- the catalogue's data-as-of date --------------------------------------------------------------


def test_every_dataset_has_a_valid_data_as_of_date():
    for name in data.dataset_names():
        assert data.DATA_AS_OF.match(data.info(name).data_as_of), name


def test_a_malformed_data_as_of_date_is_refused_with_a_message(tmp_path):
    catalog = data.catalog_document()
    entry = dict(next(r for r in catalog["resources"] if r["name"] == "glossary"))
    entry["data_as_of"] = "November 2026"
    entry["path"] = "glossary.csv"
    shutil.copy(data.CATALOG.parent / "glossary.csv", tmp_path / "glossary.csv")
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump({"name": "t", "resources": [entry]}), encoding="utf-8")
    with pytest.raises(DataError, match="data_as_of 'November 2026'.*YYYY-MM"):
        data.info("glossary", path)


# -- glossary popovers ------------------------------------------------------------------------------


def test_popovers_carry_the_short_definition_the_chinese_and_a_link():
    frame = data.load("glossary")
    ids = glossary_popover.term_ids(frame)
    row = ids["term-hegemonism"]
    html = glossary_popover.popover_html(row, "hegemonism", "glossary.html#term-hegemonism", "d1")
    assert 'tabindex="0" aria-describedby="d1"' in html
    assert f'<span lang="zh-Hans">{row["zh"]}</span>' in html
    assert glossary_popover.short_definition(row["definition"])[:40] in html
    assert 'href="glossary.html#term-hegemonism"' in html
    assert glossary_popover.short_definition("One. Two.", limit=5) == "One."


# -- in the built book ---------------------------------------------------------------------------------


def chart_pages(site) -> list[str]:
    return sorted(
        str(p.relative_to(site))
        for p in site.rglob("*.html")
        if "_static" not in p.parts and 'class="btb-figure"' in p.read_text(encoding="utf-8")
    )


def csv_rows(figure) -> list[list[str]]:
    href = figure.locator("a.btb-download").get_attribute("href")
    text = base64.b64decode(href.split(",", 1)[1]).decode()
    return list(csv.reader(io.StringIO(text)))


def reveal(page, figure) -> None:
    """Show a chart that sits in an unselected view of an outer switch, as a reader would: click
    the label of that view."""
    if figure.is_visible():
        return
    panel = figure.locator("xpath=ancestor::div[contains(@class, 'btb-switch-panel')][1]")
    page.locator(f"label[for='{panel.get_attribute('id').replace('-panel-', '-')}']").click()
    assert figure.is_visible()


#: A finger's width in CSS px (the usual minimum touch target, 44 px): on a dense chart a tap may
#: focus the neighbouring point within it; the label then names the point it shows.
FINGER = 44


def css_string(value: str) -> str:
    """The text of a computed CSS string such as ``"a\\a b"`` (hex escapes, then ``\\"``)."""
    inner = value[1:-1]
    inner = re.sub(r"\\([0-9a-fA-F]{1,6}) ?", lambda m: chr(int(m.group(1), 16)), inner)
    return re.sub(r"\\(.)", r"\1", inner)


def _number_in(label: str) -> tuple[float, int]:
    """The value a point's label states, and its number of decimals."""
    # the first number after a colon: a series name may hold a colon itself ("…: US$ billion")
    amount = re.search(r": (-?[\d,]+(?:\.(\d+))?)", label)
    return float(amount.group(1).replace(",", "")), len(amount.group(2) or "")


@pytest.mark.build
def test_every_chart_in_the_book_is_an_inline_svg_with_focusable_points(site):
    from bs4 import BeautifulSoup

    pages = chart_pages(site)
    assert len(pages) >= 7, pages
    total = 0
    for path in pages:
        soup = BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")
        main = soup.select_one("main") or soup
        for fig in main.select("figure.btb-figure"):
            total += 1
            assert fig.select("svg.btb-chart-wide") and fig.select("svg.btb-chart-phone"), path
            assert not fig.select("img"), f"{path}: a chart drawn as an image"
            points = fig.select(".btb-pt[tabindex='0'][aria-label]")
            assert points, f"{path}: {fig.get('id')} has no focusable points"
            assert fig.get("id").startswith(style.anchor_id(fig["data-dataset"]))
        ids = [tag["id"] for tag in soup.select("[id]")]
        assert len(ids) == len(set(ids)), f"{path}: repeated ids"
        # no matplotlib output left as a raster image
        assert not main.select("div.cell_output img[src^='data:image/png']"), path
    assert total >= 10


@pytest.mark.build
@pytest.mark.browser
def test_focusing_each_point_by_keyboard_shows_its_value_from_the_data_file(site, open_page):
    checked = 0
    for path in chart_pages(site):
        page = open_page(path).page
        for figure in page.locator("figure.btb-figure").all():
            reveal(page, figure)
            rows = csv_rows(figure)
            header, body = rows[0], rows[1:]
            points = figure.locator(".btb-pt")
            # keyboard: from the chart's own view switch, Tab into the points
            figure.locator("input.btb-switch-input:checked").focus()
            n = points.count()
            for i in range(n):
                page.keyboard.press("Tab")
                active = page.evaluate(
                    "() => { const a = document.activeElement; const after = getComputedStyle(a, '::after');"
                    " return {cls: a.className, label: a.getAttribute('aria-label'), row: a.dataset.row,"
                    " shown: after.display, content: after.content}; }"
                )
                assert "btb-pt" in active["cls"], f"{path}: Tab {i + 1} reached {active['cls']!r}"
                assert active["shown"] == "block", f"{path}: no visible label on {active['label']}"
                assert css_string(active["content"]) == active["label"]
                assert active["row"] is not None, (
                    f"{path}: point not matched to data: {active['label']}"
                )
                row = dict(zip(header, body[int(active["row"])], strict=True))
                shown, decimals = _number_in(active["label"])
                numbers = [
                    float(v) for v in row.values() if re.fullmatch(r"-?\d+(\.\d+)?", v or "")
                ]
                # the label states the file's value (rounded to the decimals it shows)
                assert any(abs(shown - round(v, decimals)) < 1e-9 for v in numbers), (
                    path,
                    active["label"],
                    row,
                )
                year = row.get("year")
                if year:
                    assert year in active["label"], (path, active["label"], row)
                checked += 1
    assert checked >= 300


@pytest.mark.build
@pytest.mark.browser
def test_tapping_a_point_on_a_phone_shows_its_label(site, browser, server):
    context = browser.new_context(
        viewport={"width": 375, "height": 800},
        has_touch=True,
        is_mobile=True,
        device_scale_factor=2,
    )
    blocked = []
    context.route(
        "**/*",
        lambda r: (
            r.continue_()
            if r.request.url.startswith(server) or r.request.url.startswith("data:")
            else (blocked.append(r.request.url), r.abort())
        ),
    )
    page = context.new_page()
    try:
        for path in chart_pages(site):
            page.goto(f"{server}/{path}")
            for figure in page.locator("figure.btb-figure").all():
                reveal(page, figure)
                assert figure.locator("svg.btb-chart-phone").is_visible()
                assert not figure.locator("svg.btb-chart-wide").is_visible()
                # a tap on a point focuses it, or a neighbour within a finger's width (touch
                # hit testing picks the nearest target), and shows that point's label
                figure.scroll_into_view_if_needed()
                points = figure.locator(".btb-pt")
                for index in [0, points.count() - 1]:
                    page.evaluate("document.activeElement && document.activeElement.blur()")
                    point = points.nth(index)
                    point.scroll_into_view_if_needed()
                    box = point.bounding_box()
                    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
                    page.touchscreen.tap(*centre)  # where a finger would: no check for neighbours
                    active = page.evaluate(
                        "() => { const a = document.activeElement, r = a.getBoundingClientRect();"
                        " return {cls: a.className, shown: getComputedStyle(a, '::after').display,"
                        " x: r.x + r.width / 2, y: r.y + r.height / 2, in: !!a.closest('figure')"
                        " && a.closest('figure').id}; }"
                    )
                    assert "btb-pt" in active["cls"] and active["shown"] == "block", path
                    assert active["in"] == figure.get_attribute("id")
                    if "btb-pt-bar" not in active["cls"]:
                        assert (
                            abs(active["x"] - centre[0]) < FINGER
                            and abs(active["y"] - centre[1]) < FINGER
                        )
                # no text in the phone drawing smaller than about 11 CSS px
                smallest = figure.locator("svg.btb-chart-phone").evaluate(
                    "svg => { const k = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;"
                    " return Math.min(...[...svg.querySelectorAll('text')].map("
                    " t => parseFloat(getComputedStyle(t).fontSize) * k)); }"
                )
                assert smallest >= 10.8, f"{path}: chart text of {smallest:.1f} px at 375 px"
        assert blocked == []
    finally:
        context.close()


@pytest.mark.build
@pytest.mark.browser
def test_the_table_view_shows_exactly_the_rows_of_the_csv_download(site, open_page):
    from tests.conftest import visible_views

    for path in chart_pages(site):
        page = open_page(path).page
        for figure in page.locator("figure.btb-figure").all():
            reveal(page, figure)
            switch = figure.locator(".btb-switch").first
            assert visible_views(switch) == ["Chart"]
            switch.locator(":scope > .btb-switch-labels > label", has_text="Table").click()
            assert visible_views(switch) == ["Table"]
            table = switch.locator(".btb-switch-panel:visible table.btb-chart-table")
            shown = table.evaluate(
                "t => [...t.rows].map(r => [...r.cells].map(c => c.textContent))"
            )
            assert shown == csv_rows(figure), path
            note = switch.locator(".btb-table-note").inner_text()
            assert "Unit:" in note and "Value types:" in note and "Source:" in note


@pytest.mark.build
def test_each_chart_has_an_anchor_downloads_and_the_catalogue_date(site):
    from bs4 import BeautifulSoup

    catalog = data.catalog_document()["resources"]
    as_of = {r["source"]: r["data_as_of"] for r in catalog}
    for path in chart_pages(site):
        soup = BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")
        for fig in soup.select("figure.btb-figure"):
            assert fig.select_one("a.btb-permalink")["href"] == "#" + fig["id"]
            # The drawings are files beside the site (backtoback.speed), not bytes in the page.
            svg, png = (fig.select_one(f"a.btb-download-{kind}") for kind in ("svg", "png"))
            assert svg["download"].endswith(".svg") and png["download"].endswith(".png")
            assert (site / path).parent.joinpath(svg["href"]).read_bytes().startswith(b"<?xml")
            assert (site / path).parent.joinpath(png["href"]).read_bytes()[:4] == b"\x89PNG"
            sources = [a.get_text() for a in fig.select(".btb-source a")]
            expected = "; ".join(dict.fromkeys(as_of[s] for s in sources))
            assert fig.select_one(".btb-as-of").get_text() == expected, path


@pytest.mark.build
@pytest.mark.browser
def test_a_glossary_term_shows_its_definition_on_focus_and_over_file_urls(site, open_page, browser):
    frame = data.load("glossary").set_index("term_en")
    page = open_page("chapters/story/statement.html").page
    term = page.locator(".btb-term-word", has_text="hegemonism").first
    popover = term.locator("xpath=following-sibling::span[@class='btb-term-pop']")
    assert not popover.is_visible()
    term.focus()
    assert popover.is_visible()
    text = popover.inner_text()
    assert frame.at["hegemonism", "zh"] in text
    assert glossary_popover.short_definition(frame.at["hegemonism", "definition"])[:30] in text
    page.keyboard.press("Tab")  # on to the popover's own link, which keeps it open
    assert popover.is_visible() and "glossary.html#term-" in page.evaluate(
        "document.activeElement.getAttribute('href')"
    )
    # the same page opened from disk, no server
    context = browser.new_context(java_script_enabled=False)
    try:
        local = context.new_page()
        local.goto((site / "chapters/story/statement.html").as_uri())
        word = local.locator(".btb-term-word").first
        word.focus()
        assert word.locator("xpath=following-sibling::span").is_visible()
    finally:
        context.close()


def test_a_chart_shown_twice_on_a_page_gets_its_own_ids_the_second_time():
    from backtoback.figure_ids import unique_figure_ids

    copy = (
        '<figure class="btb-figure" id="chart-a"><input name="s1" id="s1-0"><label for="s1-0">'
        '<svg><clipPath id="c"/><use xlink:href="#m"/><g clip-path="url(#c)"/></svg>'
        '<a href="#chart-a">link</a></figure>'
    )
    page = unique_figure_ids(f"<p>x</p>{copy}<p>y</p>{copy}")
    first, second = page.split("<p>y</p>")
    assert first == f"<p>x</p>{copy}"
    assert second == (
        '<figure class="btb-figure" id="chart-a-2"><input name="s1-2" id="s1-0-2"><label for="s1-0-2">'
        '<svg><clipPath id="c-2"/><use xlink:href="#m-2"/><g clip-path="url(#c-2)"/></svg>'
        '<a href="#chart-a-2">link</a></figure>'
    )
