"""The built site in a real browser (headless Chromium), with every request outside it blocked."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.build, pytest.mark.browser]


PAGE_BUDGET_BYTES = 1_500_000  # everything a page loads, uncompressed (see DEVELOPERS' budget)


def test_the_sweep_saw_the_whole_book(page_sweep):
    assert len(page_sweep) >= 10, f"too few pages in the built site: {sorted(page_sweep)}"


def test_no_page_requests_anything_outside_the_site_or_logs_errors_or_breaks_the_budget(
    page_sweep,
):
    problems = {}
    for path, swept in page_sweep.items():
        blocked = swept.desktop.blocked_requests + swept.phone.blocked_requests
        errors = swept.desktop.console_errors + swept.phone.console_errors
        weight = swept.desktop.bytes_loaded
        if blocked or errors or weight > PAGE_BUDGET_BYTES:
            problems[path] = {"blocked": blocked, "errors": errors, "bytes": weight}
    assert problems == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_passes_axe_wcag_aa_checks_on_a_phone(page_sweep, scheme):
    """Contrast, names of controls, roles, lang... in both colour schemes (the book follows the
    reader's system setting), at phone width."""
    problems = {path: s.axe_violations[scheme] for path, s in page_sweep.items()}
    assert {path: found for path, found in problems.items() if found} == {}


def test_only_the_search_page_loads_the_search_index_and_search_finds_chapters(open_page):
    chapter = open_page("chapters/trade/eu.html")
    assert chapter.local_requests, "the page loaded nothing"
    assert not [url for url in chapter.local_requests if "search" in url.rsplit("/", 1)[-1]]

    # as a reader would: the header's search button, a query, Enter
    page = chapter.page
    page.locator("button.search-button-field").first.click()
    page.locator("#pst-search-dialog input[name=q]").fill("yuan")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search.html?q=yuan*")
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=10_000)
    found = results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert any("trade/settlement" in href for href in found), found
    assert chapter.console_errors == []


def test_the_example_chart_loads_with_alt_text_caption_and_data_link(open_page):
    page = open_page("chapters/how-this-book-works.html").page
    figure = page.locator("figure.btb-figure").first
    chart = figure.locator("svg.btb-chart-wide")  # an inline vector drawing, named by its alt text
    assert chart.is_visible() and chart.evaluate("svg => svg.getBoundingClientRect().width > 500")
    alt = chart.get_attribute("aria-label")
    assert chart.get_attribute("role") == "img"
    assert "China's reported trade with Russia rose from about" in alt
    assert "China's trade with Russia" in figure.locator("figcaption").inner_text()
    link = figure.locator("a.btb-download")
    assert link.get_attribute("download") == "china_russia_trade_dots.csv"
    assert link.get_attribute("href").startswith("data:text/csv")


def visible_views(page, switch):
    return [
        p.get_attribute("data-view")
        for p in switch.locator(":scope > .btb-switch-panel").all()
        if p.is_visible()
    ]


def test_the_demo_switch_works_by_click_and_by_keyboard(open_page):
    page = open_page("chapters/how-this-book-works.html").page
    switch = page.locator(".btb-switch").first
    assert visible_views(page, switch) == ["Chart"]
    switch.locator("label", has_text="Table").click()
    assert visible_views(page, switch) == ["Table"]
    assert "2020" in switch.locator(".btb-switch-panel:visible table").inner_text()
    # keyboard: focus the selected option, arrow keys move the selection
    switch.locator("input:checked").focus()
    page.keyboard.press("ArrowLeft")
    assert visible_views(page, switch) == ["Chart"]
    page.keyboard.press("ArrowRight")
    assert visible_views(page, switch) == ["Table"]


def test_the_switch_works_with_javascript_off(open_page):
    page = open_page("chapters/how-this-book-works.html", javascript=False).page
    switch = page.locator(".btb-switch").first
    switch.locator("label", has_text="Table").click()
    assert visible_views(page, switch) == ["Table"]


def test_pages_read_at_phone_width_without_sideways_scrolling(page_sweep):
    for scheme in ("light", "dark"):
        assert page_sweep["chapters/how-this-book-works.html"].sideways_scroll[scheme] <= 1
