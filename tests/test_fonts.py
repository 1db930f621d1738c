"""The served Chinese font (backtoback.fonts): it covers the book's characters and is used."""

from __future__ import annotations

import html
import re

import pytest

from backtoback import fonts

#: The font stays well inside a page's budget (1.5 MB for everything a page loads).
FONT_BUDGET_BYTES = 300_000


def served_font(site):
    found = list((site / fonts.FONT_DIR).glob("cjk-*.woff2"))
    assert len(found) == 1, f"expected one served CJK font, found {found}"
    return found[0]


def test_font_covers_every_cjk_character_of_the_built_book(site):
    ttlib = pytest.importorskip("fontTools.ttLib")
    cmap = ttlib.TTFont(served_font(site)).getBestCmap()
    used = set()
    for page in fonts.pages_of(site):
        used |= set(fonts.CJK.findall(html.unescape(page.read_text(encoding="utf-8"))))
    assert len(used) > 100, "the book has Chinese text: the scan found almost none"
    missing = sorted(c for c in used if ord(c) not in cmap)
    assert not missing, f"characters the font lacks: {''.join(missing)}"
    assert served_font(site).stat().st_size < FONT_BUDGET_BYTES


def test_only_pages_with_cjk_text_link_the_font(site):
    for page in fonts.pages_of(site):
        text = page.read_text(encoding="utf-8")
        has_cjk = bool(fonts.CJK.search(html.unescape(text)))
        assert ('id="backtoback-cjk-font"' in text) == has_cjk, page


def test_chinese_passage_is_set_in_the_served_font(open_page):
    visit = open_page("chapters/story/statement.html", width=375)
    page = visit.page
    passage = page.locator('blockquote[lang="zh-Hans"]').first
    passage.scroll_into_view_if_needed()
    page.evaluate("document.fonts.ready")
    family = passage.evaluate("el => getComputedStyle(el).fontFamily")
    assert family.startswith(f'"{fonts.FAMILY}"'), family
    assert page.evaluate(
        f"""() => [...document.fonts].some(f => f.family.replace(/"/g, '') === {fonts.FAMILY!r}
              && f.status === 'loaded')"""
    ), "the CJK font face did not load"
    assert any(
        re.search(r"/_static/fonts/cjk-[0-9a-f]+\.woff2$", url) for url in visit.local_requests
    )
    # The text is drawn with the font: a line of it is as wide as the font's ideographs make it,
    # not the width of fallback boxes (checked against the same text forced into a missing font).
    widths = passage.evaluate(
        """el => { const probe = document.createElement('span'); probe.textContent = '中华人民共和国';
                   el.append(probe); const served = probe.getBoundingClientRect().width;
                   probe.style.fontFamily = 'no-such-font'; const fallback = probe.getBoundingClientRect().width;
                   probe.remove(); return [served, fallback]; }"""
    )
    assert widths[0] > 0 and widths[0] != widths[1], widths


def test_pages_without_chinese_do_not_load_the_font(open_page):
    visit = open_page("chapters/trade/eu.html")
    assert not any("/_static/fonts/" in url for url in visit.local_requests)
