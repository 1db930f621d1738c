"""Issue 5: Western, Chinese and Russian readings side by side (backtoback.readings, chapters/readings.md).

- the datasets validate, and malformed files are refused naming file, entry and field;
- dataset text is escaped (HTML or <script> in a data file renders as text);
- the chapter, executed live, saves working widget state (ToggleButtons + Stack + jslink);
- the built page in headless Chromium (every request outside the site blocked): each question x
  perspective chosen by clicking shows the summary and quotes the dataset holds, "Side by side" shows
  all perspectives, the keyboard works, nothing overflows at 375 px, and it works with JavaScript off.

The browser tests open the page in the book built once for the whole test session
(conftest.site), since the page links to the story chapters; each quote must be in the page's HTML
once, and the page under 8,000 words.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from backtoback import data, readings
from backtoback.data import DataError
from backtoback.paths import RAW_DIR

from .conftest import ROOT, visible_views

RESEARCH_NOTES = RAW_DIR / "research" / "notes"

FIXTURES = Path(__file__).parent / "fixtures" / "readings"
CATALOG = data.catalog_document()
BOOK = readings.load()
#: the readings page shows the questions about the May 2024 visit only
PAGE = BOOK.select(readings.VISIT_QUESTIONS)


def fixture_catalog(
    tmp_path: Path, interpretations: str, summaries: str = "readings_good.csv"
) -> Path:
    """A catalogue in tmp_path with the real readings entries, pointed at fixture files."""
    entries = []
    for name, csv_name in (("readings", summaries), ("interpretations", interpretations)):
        entry = dict(next(r for r in CATALOG["resources"] if r["name"] == name))
        entry["path"] = csv_name
        shutil.copy(FIXTURES / csv_name, tmp_path / csv_name)
        entries.append(entry)
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump({"name": "fixture", "resources": entries}), encoding="utf-8")
    return path


# -- data -----------------------------------------------------------------------------------------
def test_every_question_has_every_perspective_with_quotes_and_sources():
    questions = BOOK.summaries["question_id"].unique()
    assert len(questions) == 6
    for question_id in questions:
        for perspective in readings.PERSPECTIVES:
            assert BOOK.summary(question_id, perspective).strip()
            quotes = BOOK.quotes_for(question_id, perspective)
            assert len(quotes) >= 1, (question_id, perspective)
            assert quotes["outlet"].notna().all() and quotes["source_url"].notna().all()
    foreign = BOOK.quotes[BOOK.quotes["quote_lang"] != "en"]
    assert foreign["translation"].notna().all() and foreign["translation_label"].notna().all()


def _pieces(text: str) -> list[str]:
    """The parts of a quote between its cuts (an ellipsis marks a cut, at either end or inside)."""
    return [p.strip() for p in text.split("…") if p.strip()]


def test_quotes_and_translations_are_copied_exactly_from_the_research_notes():
    # the project's copy of the notes (tests/test_pipeline.py checks it still equals ../shared)
    notes = "\n".join(
        (RESEARCH_NOTES / name).read_text(encoding="utf-8")
        for name in ("PERSPECTIVES.md", "FACTS.md")
    )
    for row in BOOK.quotes.itertuples(index=False):
        for piece in _pieces(row.quote):
            assert piece in notes, (row.id, piece)
        if isinstance(row.translation, str):
            for piece in _pieces(row.translation):
                assert piece in notes, (row.id, piece)


def test_quotes_from_outside_the_visit_are_marked_as_context():
    """Words dated before 16 May 2024 or published after 20 May 2024 say so in their note."""
    for row in BOOK.quotes.itertuples(index=False):
        date = str(row.date)
        iso = re.search(r"\d{4}-\d{2}-\d{2}", date)
        outside = (iso and not "2024-05-16" <= iso.group(0) <= "2024-05-20") or date.startswith(
            "late May"
        )
        if outside:
            assert "context" in str(row.note).lower(), (row.id, date)


def test_good_fixture_loads(tmp_path):
    book = readings.load(fixture_catalog(tmp_path, "interpretations_good.csv"))
    assert len(book.quotes) == 4 and len(book.summaries) == 4


@pytest.mark.parametrize(
    "csv_name, expected",
    [
        (
            "interpretations_missing_source.csv",
            [
                "interpretations_missing_source.csv",
                "entry 'equals-r-1'",
                "field 'outlet'",
                "empty",
                "source",
            ],
        ),
        (
            "interpretations_unknown_perspective.csv",
            [
                "interpretations_unknown_perspective.csv",
                "entry 'equals-c-1'",
                "field 'perspective'",
                "unknown perspective 'american'",
            ],
        ),
        (
            "interpretations_empty_translation.csv",
            [
                "interpretations_empty_translation.csv",
                "entry 'equals-r-1'",
                "field 'translation'",
                "'ru'",
            ],
        ),
    ],
)
def test_malformed_files_are_refused_naming_file_entry_and_field(tmp_path, csv_name, expected):
    with pytest.raises(DataError) as caught:
        readings.load(fixture_catalog(tmp_path, csv_name))
    message = str(caught.value)
    for part in expected:
        assert part in message, f"{part!r} not in:\n{message}"


# -- escaping -------------------------------------------------------------------------------------
def script_book(tmp_path):
    return readings.load(
        fixture_catalog(tmp_path, "interpretations_script.csv", "readings_script.csv")
    )


def test_html_in_data_files_is_escaped(tmp_path):
    book = script_book(tmp_path)
    for markup in (readings.widget(book).static_html(), str(readings.all_readings(book))):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
        assert "&lt;b&gt;x&lt;/b&gt;" in markup
        assert "<script" not in markup.lower()
        assert "<b>" not in markup and "<img" not in markup
        # a quote character in a URL cannot close the href attribute
        assert 'href="https://example.org/&quot;&gt;&lt;script&gt;alert(4)' in markup


@pytest.mark.browser
def test_escaped_data_renders_as_text_and_runs_nothing_in_chromium(tmp_path, browser):
    book = script_book(tmp_path)
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.set_content(f"<html><body>{readings.widget(book).static_html()}</body></html>")
    page.wait_for_timeout(300)
    assert dialogs == []
    assert "<script>alert(1)</script> and <b>x</b>" in page.locator("body").inner_text()
    assert page.locator("body b, body img, body script").count() == 0
    page.close()


def test_names_and_notes_in_chinese_or_russian_carry_a_lang_attribute():
    bs4 = pytest.importorskip("bs4")
    markup = str(readings.all_readings(BOOK))
    for tagged in (
        '<span lang="zh-Hant">吳憲昌</span>',
        '<span lang="zh-Hant">華視</span>',
        '<span lang="zh-Hans">内蒙古日报</span>',
        '<span lang="ja">北京共同</span>',
        '<span lang="ru">Никита Корзун</span>',
    ):
        assert tagged in markup, tagged
    soup = bs4.BeautifulSoup(markup, "html.parser")
    for block in soup.select(".rd-source, .rd-note"):
        for node in block.find_all(string=re.compile(r"[\u3400-\u9fff\u0400-\u04ff]")):
            assert node.find_parent(attrs={"lang": True}), str(node)


# -- live widget ----------------------------------------------------------------------------------
def test_the_chapter_executed_live_saves_working_widget_state():
    import jupytext
    from nbclient import NotebookClient

    notebook = jupytext.read(ROOT / "chapters" / "readings.md")
    NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        store_widget_state=True,
        resources={"metadata": {"path": str(ROOT / "chapters")}},
    ).execute()
    state = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    models = {k: v["model_name"] for k, v in state.items()}
    buttons = {k for k, m in models.items() if m == "ToggleButtonsModel"}
    stacks = {k for k, m in models.items() if m == "StackModel"}
    links = [v["state"] for v in state.values() if v["model_name"] == "LinkModel"]
    n_questions = len(readings.VISIT_QUESTIONS)
    assert len(buttons) == len(stacks) == len(links) == 1 + n_questions  # outer + one per question
    for link in links:
        source, target = link["source"], link["target"]
        assert source[0].removeprefix("IPY_MODEL_") in buttons and source[1] == "index"
        assert target[0].removeprefix("IPY_MODEL_") in stacks and target[1] == "selected_index"
    outer = next(
        v["state"]
        for v in state.values()
        if v["model_name"] == "ToggleButtonsModel" and v["state"].get("description") == "Question"
    )
    assert outer["_options_labels"] == [q[2] for q in PAGE.questions]
    inner = [
        v["state"]
        for v in state.values()
        if v["model_name"] == "ToggleButtonsModel"
        and v["state"].get("description") == "Perspective"
    ]
    names = [label for label, _ in readings.PERSPECTIVES.values()]
    assert all(b["_options_labels"] == [*names, readings.SIDE_BY_SIDE] for b in inner)


# -- the built page in Chromium -------------------------------------------------------------------
@pytest.fixture
def open_readings(open_page):
    """Open the chapter in the built book (conftest.open_page: every request outside it blocked)."""
    visits = []

    def _open(width=1280, javascript=True):
        visits.append(open_page("chapters/readings.html", width=width, javascript=javascript))
        return visits[-1].page

    yield _open
    for visit in visits:
        assert visit.blocked_requests == [] and visit.console_errors == []


def outer_switch(page):
    return page.locator(".tag_rd-widget .btb-switch").first


def inner_switch(page):
    outer = outer_switch(page)
    return outer.locator(":scope > .btb-switch-panel:visible > .btb-switch")


def expected_texts(question_id, perspective):
    """What a reading's panel must show: the summary, each quote (or, for a quote a story page
    already tells, the link to that page) with its translation, and each outlet."""
    texts = [BOOK.summary(question_id, perspective)]
    for q in BOOK.quotes_for(question_id, perspective).itertuples(index=False):
        if isinstance(q.shown_on, str) and q.shown_on:
            texts.append(readings.STORY_PAGES[q.shown_on][1])
        else:
            texts.append(q.quote)
            if isinstance(q.translation, str):
                texts.append(q.translation)
        texts.append(q.outlet)
    return texts


@pytest.mark.browser
@pytest.mark.parametrize("javascript", [True, False])
def test_every_question_and_perspective_shows_its_summary_and_quotes(open_readings, javascript):
    page = open_readings(javascript=javascript)
    outer = outer_switch(page)
    for question_id, question, short_label in PAGE.questions:
        outer.locator(":scope > .btb-switch-labels > label", has_text=short_label).click()
        assert visible_views(outer) == [short_label]
        inner = inner_switch(page)
        assert inner.locator(":scope > .btb-switch-caption").inner_text() == question
        for perspective, (label, heading) in readings.PERSPECTIVES.items():
            inner.locator(":scope > .btb-switch-labels > label", has_text=label).click()
            assert visible_views(inner) == [label]
            text = inner.locator(":scope > .btb-switch-panel:visible").inner_text()
            assert heading in text
            for expected in expected_texts(question_id, perspective):
                assert expected in text, (question_id, perspective, expected)
            # the verification badge and source link are under each quote
            panel = inner.locator(":scope > .btb-switch-panel:visible")
            assert panel.locator(".rd-badge").count() == len(
                BOOK.quotes_for(question_id, perspective)
            )
            assert panel.locator(".rd-source a[href^='http']").count() >= 1
            quoted_here = BOOK.quotes_for(question_id, perspective)
            if ((quoted_here["quote_lang"] != "en") & quoted_here["shown_on"].isna()).any():
                assert panel.locator("blockquote[lang]").count() >= 1


@pytest.mark.browser
def test_side_by_side_shows_all_perspectives_and_fits_a_phone(open_readings):
    for width in (1280, 375):
        page = open_readings(width=width)
        outer = outer_switch(page)
        for question_id, _, short_label in PAGE.questions:
            outer.locator(":scope > .btb-switch-labels > label", has_text=short_label).click()
            inner = inner_switch(page)
            inner.locator(
                ":scope > .btb-switch-labels > label", has_text=readings.SIDE_BY_SIDE
            ).click()
            # side by side is a layout of the same four panels, not a fifth copy of them
            names = [label for label, _ in readings.PERSPECTIVES.values()]
            assert visible_views(inner) == names
            cards = inner.locator(":scope > .btb-switch-panel > .rd-reading")
            assert cards.count() == len(readings.PERSPECTIVES)
            text = inner.inner_text()
            for perspective in readings.PERSPECTIVES:
                assert BOOK.summary(question_id, perspective) in text
            lefts = {round(c.bounding_box()["x"]) for c in cards.all()}
            if width == 375:
                assert len(lefts) == 1, "side by side should be one column on a phone"
            else:
                assert len(lefts) > 1, "side by side should be columns on a wide screen"
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{overflow}px sideways scroll at {width}px ({short_label})"


@pytest.mark.browser
def test_keyboard_changes_question_and_perspective(open_readings):
    page = open_readings()
    outer = outer_switch(page)
    labels = [q[2] for q in PAGE.questions]
    # Tab reaches the switch: from the element before it, Tab focuses the checked radio
    outer.locator(":scope > input:checked").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert outer.locator(":scope > input:checked").evaluate("e => e === document.activeElement")
    page.keyboard.press("ArrowRight")
    assert visible_views(outer) == [labels[1]]
    page.keyboard.press("ArrowLeft")
    assert visible_views(outer) == [labels[0]]
    inner = inner_switch(page)
    names = [v[0] for v in readings.PERSPECTIVES.values()]
    inner.locator(":scope > input:checked").focus()
    page.keyboard.press("ArrowRight")
    assert visible_views(inner) == [names[1]]
    page.keyboard.press("ArrowRight")
    assert visible_views(inner) == [names[2]]
    assert visible_views(outer) == [labels[0]]


@pytest.mark.browser
@pytest.mark.parametrize("javascript", [True, False])
def test_print_shows_every_reading_once(open_readings, javascript):
    """Printed (or read without JavaScript, then printed), the page shows every reading of every
    question, from the same markup the switch uses: no plain-list copy."""
    page = open_readings(javascript=javascript)
    page.emulate_media(media="print")
    outer = outer_switch(page)
    assert outer.is_visible()
    assert outer.locator(".btb-switch-labels").first.is_hidden()  # no controls on paper
    text = outer.inner_text()
    for question_id, question, _ in PAGE.questions:
        assert question in text
        for perspective in readings.PERSPECTIVES:
            for expected in expected_texts(question_id, perspective):
                assert expected in text, (question_id, perspective, expected)
    readings_shown = page.locator(".rd-reading")
    assert readings_shown.count() == len(PAGE.summaries)
    assert all(card.is_visible() for card in readings_shown.all())


@pytest.mark.browser
def test_keyboard_reaches_side_by_side_which_shows_every_panel(open_readings):
    page = open_readings()
    inner = inner_switch(page)
    inner.locator(":scope > input:checked").focus()
    names = [label for label, _ in readings.PERSPECTIVES.values()]
    for _ in names[1:]:
        page.keyboard.press("ArrowRight")
    assert visible_views(inner) == [names[-1]]
    page.keyboard.press("ArrowRight")  # the last choice: side by side
    assert visible_views(inner) == names
    checked = inner.locator(":scope > input:checked")
    assert checked.evaluate("e => e === document.activeElement")
    assert "btb-switch-together" in checked.get_attribute("class")


def _page_html(open_readings) -> str:
    page = open_readings(javascript=False)
    return page.content()


def _visible_words(html: str) -> int:
    bs4 = pytest.importorskip("bs4")
    soup = bs4.BeautifulSoup(html, "html.parser")
    for hidden in soup(["script", "style", "noscript", "template"]):
        hidden.decompose()
    return len(re.findall(r"\w+", soup.get_text(" ")))


@pytest.mark.browser
def test_each_quote_is_in_the_page_once_and_the_page_stays_short(open_readings):
    bs4 = pytest.importorskip("bs4")
    markup = _page_html(open_readings)
    text = " ".join(bs4.BeautifulSoup(markup, "html.parser").get_text(" ").split())
    for row in PAGE.quotes.itertuples(index=False):
        times = text.count(" ".join(row.quote.split()))
        linked = isinstance(row.shown_on, str) and bool(row.shown_on)
        assert times == (0 if linked else 1), (row.id, times)
    assert _visible_words(markup) < 8000


def test_the_quote_once_check_can_fail():
    """The side-by-side view must not copy the panels: a switch rendered the old way (a fifth
    panel holding all four readings) repeats every quote."""
    from backtoback import toggle

    question_id = readings.VISIT_QUESTIONS[0]
    inner = {
        label: toggle.HTML(readings.reading_html(PAGE, question_id, key))
        for key, (label, _) in readings.PERSPECTIVES.items()
    }
    inner["Side by side"] = toggle.HTML(readings.side_by_side_html(PAGE, question_id))
    old = toggle.switch("Perspective", inner).static_html()
    new = readings.widget(PAGE, questions=[question_id]).static_html()
    quote = next(
        q.quote
        for q in PAGE.quotes_for(question_id, "western").itertuples(index=False)
        if not (isinstance(q.shown_on, str) and q.shown_on)
    )
    import html as html_lib

    assert old.count(html_lib.escape(quote, quote=False)) == 2
    assert new.count(html_lib.escape(quote, quote=False)) == 1


def test_select_keeps_only_the_questions_asked_for_and_names_unknown_ones():
    one = BOOK.select(["war"])
    assert list(one.summaries["question_id"].unique()) == ["war"]
    assert set(one.quotes["question_id"]) == {"war"}
    with pytest.raises(KeyError, match="kazan"):
        BOOK.select(["war", "kazan"])


def test_stance_is_labelled_by_one_rule_and_parties_to_the_war_are_named():
    markup = readings.widget(PAGE).static_html()
    assert "news outlet · Ukrainian, a party to the war" in markup
    assert "government · Russian, a party to the war" in markup
    assert "state media · Vietnamese" in markup
    assert "Independent and other voices" not in markup
    assert readings.PERSPECTIVES["independent"][1] in markup
