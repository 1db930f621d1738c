"""The story chapters (visit, statement, Gabuev, glossary): sourced rows, sourced quotes, data-driven HTML,
language tags, and no copying from the source article.

HTML tests use the ``site`` fixture (the whole book, built once). To check a quicker private build of
just these pages, set ``BACKTOBACK_SITE`` to its ``_build/html`` folder.
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
import yaml

from backtoback import data, story
from backtoback.data import DataError

ROOT = Path(__file__).resolve().parent.parent
SOURCE_ARTICLE = ROOT.parent / "shared" / "research" / "source-article.md"
FIXTURES = Path(__file__).parent / "fixtures" / "story"
CHAPTERS = ["visit", "statement", "gabuev", "glossary"]
DATASETS = ["visit_timeline", "statement_titles", "statement_passages", "glossary", "gabuev_claims"]
LEVELS = set(story.VERIFICATION_LEVELS)
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


# ---------------------------------------------------------------- data: every row sourced and graded


def assert_every_row_sourced_and_graded(name: str) -> None:
    """Dataset ``name`` has rows, each with a source title, a source URL and a verification level."""
    frame = data.load(name)
    assert len(frame) > 0
    for i, row in frame.iterrows():
        assert str(row["source_title"]).strip(), f"{name} row {i}: no source_title"
        assert re.match(r"https?://\S+$", str(row["source_url"])), f"{name} row {i}: bad source_url"
        assert row["verification"] in LEVELS, (
            f"{name} row {i}: verification {row['verification']!r}"
        )


@pytest.mark.parametrize("name", DATASETS)
def test_every_row_has_source_and_verification(name):
    assert_every_row_sourced_and_graded(name)


def _fixture_catalog(tmp_path: Path, name: str, csv_name: str) -> Path:
    catalog = data.catalog_document()
    entry = dict(next(r for r in catalog["resources"] if r["name"] == name))
    entry["path"] = csv_name
    shutil.copy(FIXTURES / csv_name, tmp_path / csv_name)
    path = tmp_path / "catalog.yaml"
    path.write_text(
        yaml.safe_dump({"name": "fixture", "resources": [entry]}, allow_unicode=True),
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    "name, csv_name, expected",
    [
        (
            "visit_timeline",
            "timeline_no_source.csv",
            ["line 3", "column 'source_url'", "needs its source"],
        ),
        (
            "visit_timeline",
            "timeline_bad_level.csv",
            ["line 2", "column 'verification'", "'probably'"],
        ),
        (
            "statement_passages",
            "passage_no_source.csv",
            ["line 2", "column 'source_title'", "needs its source"],
        ),
        ("statement_passages", "passage_bad_label.csv", ["line 2", "column 'translation_label'"]),
    ],
)
def test_unsourced_or_ungraded_rows_are_rejected(tmp_path, name, csv_name, expected):
    with pytest.raises(DataError) as excinfo:
        data.load(name, _fixture_catalog(tmp_path, name, csv_name))
    for part in expected:
        assert part in str(excinfo.value), f"{part!r} not in {excinfo.value}"


def test_translations_are_labelled_official_only_where_allowed():
    """No full official English text exists: every passage translation is unofficial, and says whose."""
    passages = data.load("statement_passages")
    assert all(label.startswith("unofficial (") for label in passages["translation_label"])
    titles = data.load("statement_titles")
    official = titles[titles["translation_status"] == "official"]
    assert list(official["id"]) == ["en-title"]  # only the MFA's English title is official
    assert not (titles["language"].eq("ru") & titles["kind"].eq("title")).any(), (
        "exact Russian title is unverified"
    )


# ---------------------------------------------------------------- the copying check


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).lower()
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text)


def _latin_chars(text: str) -> str:
    return " ".join(_words(text))


def _cjk(text: str) -> str:
    return "".join(CJK.findall(unicodedata.normalize("NFKC", text)))


def copied_passages(
    text: str,
    source: str,
    *,
    n_chars: int = 50,
    n_words: int = 8,
    n_cjk: int = 20,
    allowed: tuple[str, ...] = (),
) -> list[str]:
    """Runs of ``text`` that repeat ``source``: 8+ words, 50+ normalised characters, or 20+ Chinese characters.

    Passages in ``allowed`` (the joint statement's own text, which may be quoted) are removed first.
    """
    for passage in sorted(filter(None, allowed), key=len, reverse=True):
        text = text.replace(passage, " ")
    hits = []
    src_words, own_words = _words(source), _words(text)
    src_grams = {tuple(src_words[i : i + n_words]) for i in range(len(src_words) - n_words + 1)}
    hits += [
        " ".join(own_words[i : i + n_words])
        for i in range(len(own_words) - n_words + 1)
        if tuple(own_words[i : i + n_words]) in src_grams
    ]
    src_latin, own_latin = _latin_chars(source), _latin_chars(text)
    src_char_grams = {src_latin[i : i + n_chars] for i in range(len(src_latin) - n_chars + 1)}
    hits += [
        own_latin[i : i + n_chars]
        for i in range(len(own_latin) - n_chars + 1)
        if own_latin[i : i + n_chars] in src_char_grams
    ]
    src_cjk = _cjk(source)
    for chunk in {
        _cjk(part) for part in re.split(r"[^\u3400-\u9fff\u3000-\u303f\uff00-\uffef]+", text)
    }:
        hits += [
            chunk[i : i + n_cjk]
            for i in range(len(chunk) - n_cjk + 1)
            if chunk[i : i + n_cjk] in src_cjk
        ]
    return hits


def _own_text() -> str:
    """Everything the book says in its own words: every page plus the rendered text columns."""
    pages = [ROOT / "intro.md", *sorted((ROOT / "chapters").rglob("*.md"))]
    parts = [page.read_text(encoding="utf-8") for page in pages]
    for name, cols in {
        "visit_timeline": ["event"],
        "statement_titles": ["note"],
        "statement_passages": ["translation_en", "topic"],
        "glossary": ["definition"],
        "gabuev_claims": ["claim", "evidence"],
        "readings": ["summary"],
    }.items():
        frame = data.load(name)
        for col in cols:
            parts += [str(v) for v in frame[col].dropna()]
    return "\n".join(parts)


def _allowed_quotes() -> tuple[str, ...]:
    """The joint statement's text and titles, which the book may quote (official documents)."""
    passages = data.load("statement_passages")["text_zh"].tolist()
    titles = data.load("statement_titles")["text"].tolist()
    cjk_only = [_cjk(p) for p in passages + titles]
    return tuple(p for p in passages + titles + cjk_only if p)


def test_copy_check_catches_planted_copies():
    source = (
        "这是一段用来测试的中文句子，它足够长，可以被检测出来，而且不会被误判为巧合的重合部分。"
        " The quick brown fox jumps over the lazy dog while the farmer watches from the gate."
    )
    assert copied_passages(
        "Intro. The quick brown fox jumps over the lazy dog while nobody looks.", source
    )
    assert copied_passages("前言：这是一段用来测试的中文句子，它足够长，可以被检测出来。", source)
    assert not copied_passages("A fox, quick and brown, leapt over a dog that was lazy.", source)
    # quoting an allowed official passage is fine
    assert not copied_passages(
        "这是一段用来测试的中文句子，它足够长，可以被检测出来",
        source,
        allowed=("这是一段用来测试的中文句子，它足够长，可以被检测出来",),
    )


def _source_article() -> str:
    if not SOURCE_ARTICLE.is_file():
        pytest.skip(
            f"skipped: {SOURCE_ARTICLE} absent (the shared research folder is not next to the repo)"
        )
    return SOURCE_ARTICLE.read_text(encoding="utf-8")


def test_copy_check_catches_a_planted_sentence_from_the_source_article():
    source = _source_article()
    sentence = max(re.split(r"[。！？\n]", source), key=lambda s: len(_cjk(s)))
    assert copied_passages(_own_text() + "\n" + sentence, source, allowed=_allowed_quotes())


def test_no_sentence_follows_the_source_article():
    source = _source_article()
    hits = copied_passages(_own_text(), source, allowed=_allowed_quotes())
    assert not hits, "passages repeating the source article's wording:\n" + "\n".join(
        sorted(set(hits))[:20]
    )


# ---------------------------------------------------------------- HTML from the data


def test_dated_events_get_a_table_body_per_heading_their_kind_and_their_source():
    """The one builder of both timelines (visit, after the visit), on three made-up events."""
    bs4 = pytest.importorskip("bs4")
    source = {
        "source_title": "A report",
        "source_url": "https://example.org/r",
        "verification": "verified",
    }
    frame = pd.DataFrame(
        [
            {"heading": "2024", "key": "1", "datetime": "2024-05-16", "when": "16 May",
             "place": "北京 <Beijing>", "kind": "meeting", **source},
            {"heading": "2024", "key": "2", "datetime": "2024-10-22", "when": "22 October",
             "place": "Kazan", "kind": "treaty", **source},
            {"heading": "2025", "key": "3", "datetime": "2025-05-08", "when": "8 May",
             "place": "Moscow", "kind": "meeting", **source},
        ]
    )  # fmt: skip
    html = story.dated_events_html(
        frame,
        names="timeline demo",
        dataset="demo_events",
        caption="Three events.",
        texts={"Where": "place"},
        kinds={"meeting": "Meeting", "treaty": "Treaty"},
    )
    table = bs4.BeautifulSoup(html, "html.parser").table
    assert table["class"] == ["table", "btb-timeline", "btb-demo"]
    assert table["data-dataset"] == "demo_events" and table.caption.get_text() == "Three events."
    assert [th.get_text() for th in table.thead.find_all("th")] == ["When", "Where", "Source"]
    bodies = table.find_all("tbody")
    assert [(b.th.get_text(), b.th["colspan"]) for b in bodies] == [("2024", "3"), ("2025", "3")]
    rows = table.select("tr[data-key]")
    assert [(r["data-key"], r["data-kind"]) for r in rows] == [
        ("1", "meeting"),
        ("2", "treaty"),
        ("3", "meeting"),
    ]
    when, where, cited = rows[0].find_all("td")
    assert when.time["datetime"] == "2024-05-16" and when.time.get_text() == "16 May"
    assert when.select_one(".btb-event-kind").get_text() == "Meeting"
    assert where.get_text() == "北京 <Beijing>" and where.span["lang"] == "zh-Hans"
    assert cited.select_one("cite a")["href"] == "https://example.org/r"
    assert _level(cited) == "verified"


# ---------------------------------------------------------------- built HTML


@pytest.fixture(scope="module")
def story_site(request) -> Path:
    override = os.environ.get("BACKTOBACK_SITE")
    return Path(override) if override else request.getfixturevalue("site")


@pytest.fixture(scope="module")
def pages(story_site):
    bs4 = pytest.importorskip("bs4")
    out = {}
    for chapter in CHAPTERS:
        html = (story_site / "chapters" / "story" / f"{chapter}.html").read_text(encoding="utf-8")
        out[chapter] = bs4.BeautifulSoup(html, "html.parser")
    return out


def _main(soup):
    return soup.select_one("article.bd-article") or soup.select_one("main") or soup


def _text(node) -> str:
    return re.sub(r"\s+", " ", node.get_text(" ")).strip()


def _level(node) -> str:
    """The verification level named by the one badge in ``node`` (e.g. ``verified (mirror)``)."""
    (badge,) = node.select(".btb-verification")
    return badge["title"].lower()


def _norm(text: str) -> str:
    return (
        re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))
        .replace("’", "'")
        .replace("‘", "'")
        .strip()
    )


@pytest.mark.build
def test_timeline_matches_its_data_file(pages):
    frame = data.load("visit_timeline")
    table = pages["visit"].select_one('table[data-dataset="visit_timeline"]')
    assert table is not None, "timeline table missing from visit.html"
    rows = {tr["data-key"]: tr for tr in table.select("tr[data-key]")}
    assert len(rows) == len(frame)
    for row in frame.itertuples():
        tr = rows[f"{row.date}/{row.seq}"]
        cells = tr.find_all("td")
        assert cells[0].time["datetime"] == row.datetime
        assert _norm(_text(cells[1])) == _norm(row.place)
        assert _norm(_text(cells[2])) == _norm(row.event)
        assert cells[3].select_one("cite a")["href"] == row.source_url
        assert _level(cells[3]) == row.verification


@pytest.mark.build
def test_titles_match_their_data_file(pages):
    frame = data.load("statement_titles")
    table = pages["statement"].select_one('table[data-dataset="statement_titles"]')
    assert table is not None
    rows = {tr["data-key"]: tr for tr in table.select("tr[data-key]")}
    assert set(rows) == set(frame["id"])
    for row in frame.itertuples():
        span = rows[row.id].select_one(".btb-title-text")
        assert span.get_text() == row.text and span["lang"] == row.language
        assert rows[row.id].select_one("cite a")["href"] == row.source_url
        assert _level(rows[row.id]) == row.verification


@pytest.mark.build
def test_passages_match_their_data_file(pages):
    frame = data.load("statement_passages").set_index("id")
    figures = pages["statement"].select("figure.btb-quote")
    assert {f["data-key"] for f in figures} == set(frame.index)
    for fig in figures:
        row = frame.loc[fig["data-key"]]
        assert fig.blockquote.get_text().strip() == row.text_zh
        assert row.translation_label in _text(fig)


@pytest.mark.build
def test_every_quote_sits_next_to_a_citation(pages):
    for chapter, soup in pages.items():
        for quote in _main(soup).find_all("blockquote"):
            box = quote.find_parent("figure") or quote
            links = box.select("cite a[href]") + box.select('a[href*="references.html"]')
            assert links, f"{chapter}: blockquote without a citation: {_text(quote)[:80]}"


@pytest.mark.build
def test_every_quoted_phrase_in_prose_sits_next_to_a_citation(pages):
    """A paragraph or list item quoting three or more words in quotation marks must cite a source."""
    quoted = re.compile(r"[“\"]([^”\"]+)[”\"]")
    for chapter, soup in pages.items():
        main = _main(soup)
        for block in main.find_all(["p", "li"]):
            if block.find(["p", "li"]) or block.find_parent(["table", "figure", "dl"]):
                continue
            long_quotes = [q for q in quoted.findall(block.get_text()) if len(q.split()) >= 3]
            if long_quotes and "Discussion questions" not in _text(
                block.find_previous(["h2"]) or block
            ):
                cites = block.select('a[href*="references.html"]') + block.select("cite a[href]")
                assert cites, (
                    f"{chapter}: quote without citation: {long_quotes[0]!r} in {_text(block)[:120]}"
                )


@pytest.mark.build
def test_glossary_terms_are_generated_and_linked(pages):
    frame = data.load("glossary")
    glossary = pages["glossary"]
    terms = {
        _text(dt).rstrip("#").strip().lower(): dt.get("id")
        for dt in glossary.select("dl.glossary dt")
    }
    assert set(terms) == {t.lower() for t in frame["term_en"]}
    ids = set(terms.values())
    links = [
        a
        for soup in pages.values()
        for a in _main(soup).select('a[href*="glossary.html#term-"], a[href^="#term-"]')
    ]
    assert len(links) >= 10, "chapters should link their terms to the glossary"
    for a in links:
        assert a["href"].split("#", 1)[1] in ids, f"broken term link {a['href']}"


def text_without_lang(root) -> list[str]:
    """Chinese text whose nearest ``lang`` is not zh-*, and Russian text whose nearest is not ru."""
    bare = []
    for node in root.find_all(string=True):
        if node.parent.name in ("script", "style"):
            continue
        langs = [
            p.get("lang", "") for p in node.parents if getattr(p, "get", None) and p.get("lang")
        ]
        inner = langs[0] if langs else ""
        if CJK.search(node) and not inner.startswith("zh-"):
            bare.append(f"Chinese without lang: {node.strip()[:60]!r}")
        if CYRILLIC.search(node) and inner != "ru":
            bare.append(f"Russian without lang: {node.strip()[:60]!r}")
    return bare


@pytest.mark.build
def test_chinese_and_russian_text_carries_a_lang_attribute(pages):
    for chapter, soup in pages.items():
        assert text_without_lang(_main(soup)) == [], chapter
    assert pages["visit"].html.get("lang") == "en"


def test_lang_attribute_check_can_fail():
    bs4 = pytest.importorskip("bs4")
    soup = bs4.BeautifulSoup(
        '<html lang="en"><p>中文 <span lang="zh-Hans">中文</span> <span lang="zh-Hans">да</span>'
        '<span lang="ru">да</span></p></html>',
        "html.parser",
    )
    assert len(text_without_lang(soup)) == 2  # the bare Chinese, and Russian tagged as Chinese
