"""The PDF edition and the offline zip (backtoback.pdf), read from the book the tests build."""

from __future__ import annotations

import re
import sys
import unicodedata
import zipfile

import pytest
import yaml

from backtoback import browser, pdf

pypdf = pytest.importorskip("pypdf")

#: The built pages that are pages of the book (not the redirect, search or index).
NOT_BOOK_PAGES = {"index.html", "search.html", "genindex.html"}


def squeeze(text: str) -> str:
    """Text without whitespace: PDF text extraction breaks lines where the page did, and gives
    the font's ligatures as single characters ("ﬃ" for "ffi"), which NFKC spells out."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def book_pages(site):
    return [
        p
        for p in sorted(site.rglob("*.html"))
        if "_static" not in p.parts and p.relative_to(site).as_posix() not in NOT_BOOK_PAGES
    ]


def title_of(page) -> str:
    heading = re.search(
        r'<article class="bd-article">.*?<h1>(.*?)<a class="headerlink"', page.read_text(), re.S
    )
    assert heading, f"{page}: no title in its article"
    return re.sub(r"<[^>]+>", "", heading.group(1)).replace("&amp;", "&").replace("&#8217;", "’")


@pytest.fixture(scope="module")
def book_text(site) -> str:
    reader = pypdf.PdfReader(site / pdf.PDF_DIR / pdf.BOOK_PDF)
    return squeeze("".join(page.extract_text() for page in reader.pages))


def test_book_pdf_has_a_sheet_per_page_contents_and_outline(site):
    reader = pypdf.PdfReader(site / pdf.PDF_DIR / pdf.BOOK_PDF)
    pages = book_pages(site)
    assert len(reader.pages) >= len(pages) + 1  # + the title page with the contents
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline[0] == "Contents"
    contents = squeeze(reader.pages[0].extract_text() + reader.pages[1].extract_text())
    for page in pages:
        assert squeeze(title_of(page)) in contents, f"{page.name}: missing from the contents"


def test_book_pdf_cover_and_footers_carry_the_books_title_and_authors(site, built_project):
    config = yaml.safe_load((built_project / "_config.yml").read_text(encoding="utf-8"))
    reader = pypdf.PdfReader(site / pdf.PDF_DIR / pdf.BOOK_PDF)
    cover, inside = (squeeze(reader.pages[i].extract_text()) for i in (0, len(reader.pages) // 2))
    assert cover.startswith(squeeze(config["title"])) and squeeze(config["author"]) in cover
    assert squeeze(config["title"]) in inside
    assert "Projectnamenotset" not in cover + inside


def test_book_pdf_contains_every_chapter_title(site, book_text):
    for page in book_pages(site):
        assert squeeze(title_of(page)) in book_text, f"{title_of(page)!r} is not in the PDF"


def test_book_pdf_renders_chinese_and_russian(site, book_text):
    statement = (site / "chapters/story/statement.html").read_text()
    chinese = re.search(r'<blockquote lang="zh-Hans"><p>([^<]{12,})', statement)
    russian = re.search(r'lang="ru">([^<]{12,})<', statement)
    assert chinese and russian, "the statement page no longer has a Chinese and a Russian passage"
    assert squeeze(chinese.group(1))[:20] in book_text
    assert squeeze(russian.group(1))[:20] in book_text


def test_page_pdfs_print_every_view_of_every_switch(site, open_page):
    """Every switch view the print stylesheet shows is in the page's PDF (the readings page prints
    its plain list instead of its switch, by design: readings.css)."""
    views_checked = 0
    for page in book_pages(site):
        rel = page.relative_to(site).as_posix()
        path = site / pdf.page_pdf_name(rel.removesuffix(".html"))
        reader = pypdf.PdfReader(path)
        text = squeeze("".join(p.extract_text() for p in reader.pages))
        assert squeeze(title_of(page)) in text, f"{path.name} does not start with its page"
        if "btb-switch-panel" not in page.read_text():
            continue
        visit = open_page(rel)
        visit.page.emulate_media(media="print")
        views = visit.page.eval_on_selector_all(
            ".btb-switch-panel",
            "els => els.filter(el => el.checkVisibility()).map(el => el.dataset.view)",
        )
        for view in views:
            assert squeeze(view) in text, f"{path.name}: switch view {view!r} not printed"
        views_checked += len(views)
    assert views_checked, "no switch view is printed anywhere: the test checks nothing"


def test_every_page_links_its_pdf_the_book_pdf_and_the_zip(site):
    for page in book_pages(site):
        text = page.read_text()
        depth = len(page.relative_to(site).parts) - 1
        up = "../" * depth
        own = up + pdf.page_pdf_name(page.relative_to(site).with_suffix("").as_posix())
        for href in (own, f"{up}{pdf.PDF_DIR}/{pdf.BOOK_PDF}", up + pdf.SITE_ZIP):
            assert f'href="{href}"' in text, f"{page.name}: no link to {href}"


def test_offline_zip_holds_the_site_and_the_book_pdf(site):
    with zipfile.ZipFile(site / pdf.SITE_ZIP) as archive:
        names = set(archive.namelist())
    assert "back-to-back/index.html" in names
    assert "back-to-back/chapters/story/statement.html" in names
    assert f"back-to-back/{pdf.PDF_DIR}/{pdf.BOOK_PDF}" in names
    assert f"back-to-back/{pdf.SITE_ZIP}" not in names
    assert not any(n.startswith(f"back-to-back/{pdf.PDF_DIR}/chapters/") for n in names)


def test_a_missing_chromium_is_named_with_how_to_get_one(monkeypatch, tmp_path):
    nowhere = str(tmp_path / "chromium")
    monkeypatch.setattr(browser, "CHROMIUM", nowhere)
    missing = browser.chromium_missing()
    assert missing and nowhere in missing, missing
    assert "apt-get install chromium" in missing and "CHROMIUM=" in missing, missing
    monkeypatch.setattr(browser, "CHROMIUM", sys.executable)  # any executable file will do
    assert browser.chromium_missing() is None
