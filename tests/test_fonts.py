"""The served Chinese font (backtoback.fonts): it covers the book's characters and is used."""

from __future__ import annotations

import html
import re

import pytest

from backtoback import fonts

#: A page's font stays well inside its budget (1.5 MB for everything a page loads).
FONT_BUDGET_BYTES = 300_000
LINKED_FONT = re.compile(r'src:url\("([^"]+/cjk-[0-9a-f]+\.woff2)"\)')


def test_each_page_links_a_font_with_every_cjk_character_it_shows_and_no_more(site):
    ttlib = pytest.importorskip("fontTools.ttLib")
    pages = 0
    for page in fonts.pages_of(site):
        text = page.read_text(encoding="utf-8")
        used = set(fonts.CJK.findall(html.unescape(text)))
        if not used:
            continue
        pages += 1
        linked = LINKED_FONT.findall(text)
        assert len(linked) == 1, (page, linked)
        font = page.parent / linked[0]
        cmap = ttlib.TTFont(font).getBestCmap()
        missing = sorted(c for c in used if ord(c) not in cmap)
        assert not missing, f"{page.name}: characters its font lacks: {''.join(missing)}"
        # its own characters (and a passage's digits and letters), not the whole book's
        assert len(cmap) < 2 * len(fonts.characters_in(text)) + 10, page
        assert font.stat().st_size < FONT_BUDGET_BYTES
    assert pages >= 5, "the book has Chinese text on several pages: the scan found almost none"


def test_a_face_names_exactly_its_characters_as_its_unicode_range():
    assert fonts.unicode_range(set("中华人民共和国") | {"1", "2", "3", "5"}) == (
        "U+31-33,U+35,U+4E2D,U+4EBA,U+5171,U+534E,U+548C,U+56FD,U+6C11"
    )


def test_only_pages_with_cjk_text_link_the_font(site):
    for page in fonts.pages_of(site):
        text = page.read_text(encoding="utf-8")
        has_cjk = bool(fonts.CJK.search(html.unescape(text)))
        assert ('id="backtoback-cjk-font-' in text) == has_cjk, page


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
