"""Issue 11: the "After the visit" part (chapters/after/, backtoback/after/).

- data: every timeline row and every statement-comparison cell has a source and a verification level;
  a row without one is refused; the comparison grid is complete; no title is filled in where none was
  read; every verdict names a real claim and a real figure;
- readings: the later meetings' questions stay off the May 2024 readings page and appear here;
- copying: the new pages and their data text are in the source-article copy check;
- built HTML (``site``, or ``BACKTOBACK_SITE``): glued numbers and rendered tables equal the data;
- browser: the later-meetings switch shows the panel of the perspective clicked.
"""

from __future__ import annotations

import csv
import functools
import html
import http.server
import os
import re
import threading
from pathlib import Path

import pytest
import yaml

from backtoback import data, readings
from backtoback.after import later_readings, numbers, statements, thesis, timeline
from backtoback.data import DataError
from tests.conftest import QuietHandler, visible_views
from tests.test_story import (
    _allowed_quotes,
    _own_text,
    _source_article,
    assert_every_row_sourced_and_graded,
    copied_passages,
)

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "index",
    "what-happened-next",
    "statements-compared",
    "thesis-two-years-on",
    "later-readings",
]
#: text columns of the new datasets written in the book's own words (checked against the source article)
OWN_WORDS = {
    "after_timeline": ["event"],
    "after_statement_formulas": ["evidence", "note"],
    "after_statements": ["occasion", "how_read", "note"],
    "after_thesis": ["finding", "other_side"],
    "after_numbers": ["note"],
}


# -- data -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["after_timeline", "after_statement_formulas", "after_thesis"])
def test_every_row_has_a_source_and_a_verification_level(name):
    assert_every_row_sourced_and_graded(name)


def test_the_timeline_runs_from_october_2024_to_may_2026_and_includes_the_sanctions_and_pipeline():
    events = timeline.load()
    assert (min(events["date"]).isoformat()[:7], max(events["date"]).isoformat()[:7]) == (
        "2024-10",
        "2026-05",
    )
    assert "unverified" not in set(events["verification"])  # unverified events are left out
    kinds = events["kind"].value_counts()
    assert kinds["sanctions"] >= 4 and kinds["pipeline"] >= 2


def _copy_with(tmp_path: Path, name: str, edit) -> Path:
    """A catalogue in ``tmp_path`` whose ``name`` points at a copy of its file, with ``edit`` applied."""
    catalog = data.catalog_document()
    entry = dict(next(r for r in catalog["resources"] if r["name"] == name))
    rows = list(csv.DictReader((data.CATALOG.parent / entry["path"]).open(encoding="utf-8")))
    edit(rows)
    with (tmp_path / entry["path"]).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump({"name": "t", "resources": [entry]}, allow_unicode=True))
    return path


@pytest.mark.parametrize(
    "name, column, value, expected",
    [
        ("after_timeline", "source_url", "", ["line 2", "'source_url'", "needs its source"]),
        ("after_timeline", "verification", "probably", ["line 2", "'verification'", "'probably'"]),
        (
            "after_statement_formulas",
            "source_title",
            "",
            ["line 2", "'source_title'", "needs its source"],
        ),
        ("after_statement_formulas", "status", "maybe", ["line 2", "'status'", "'maybe'"]),
        ("after_numbers", "source_level", "blog", ["line 2", "'source_level'", "'blog'"]),
    ],
)
def test_a_row_without_source_or_level_is_refused(tmp_path, name, column, value, expected):
    def edit(rows):
        rows[0][column] = value

    with pytest.raises(DataError) as excinfo:
        data.load(name, _copy_with(tmp_path, name, edit))
    for part in expected:
        assert part in str(excinfo.value), f"{part!r} not in {excinfo.value}"


def test_every_statement_has_a_cell_for_every_formula_and_unknown_is_never_graded():
    texts, cells = statements.load()
    assert list(texts["statement"]) == ["2022-02", "2023-03", "2024-05", "2025-05", "2026-05"]
    grid = cells.pivot(index="formula", columns="statement", values="status")
    assert set(grid.index) == set(statements.FORMULAS) and not grid.isna().any().any()
    assert len(cells) == len(texts) * len(statements.FORMULAS)
    unknown = cells["status"] == "not verified"
    assert (cells.loc[unknown, "verification"] == "unverified").all()
    assert (cells.loc[~unknown, "verification"] != "unverified").all()
    # a quoted wording always says its language
    quoted = cells["quote"].notna()
    assert cells.loc[quoted, "quote_lang"].notna().all()


def test_no_title_is_given_where_none_was_read():
    texts, _ = statements.load()
    rows = texts.set_index("statement")
    assert rows["title_as_read"].isna()["2026-05"] and rows["title_as_read"].isna()["2024-05"]
    html_text = statements.statements_html(texts)
    assert html_text.count("Title as read") == int(texts["title_as_read"].notna().sum()) == 3
    assert "No title given here" in html_text


def test_the_yearly_trade_totals_quoted_here_are_the_trade_pages_figures_to_rounding():
    """after_numbers and the trade chapter cite different copies of one customs figure (244.8 and
    244.81 for 2024); they must stay the same number, or one page would contradict the other."""
    quoted = data.load("after_numbers").query("topic == 'trade' and unit == 'USD billion'")
    charted = data.load("china_russia_trade_gacc").query("flow == 'total'")
    charted = dict(zip(charted["year"].astype(str), charted["value"], strict=True))
    compared = 0
    for row in quoted.itertuples():
        if row.period in charted:  # whole years; part years are quoted on this page only
            assert abs(row.value - charted[row.period]) <= 0.05, (row.id, charted[row.period])
            compared += 1
    assert compared >= 2


def test_every_verdict_names_a_claim_and_a_real_figure():
    claims, verdicts = thesis.load()
    assert set(verdicts["claim_id"]) == set(claims["id"])
    assert set(verdicts["verdict"]) <= set(thesis.VERDICTS)
    figures = numbers.load()
    for figure_id in verdicts["figure_id"].dropna():
        numbers.row(figures, figure_id)  # raises if the id is not a row of after_numbers


def test_a_verdict_for_an_unknown_claim_is_refused(tmp_path, monkeypatch):
    def edit(rows):
        rows[0]["claim_id"] = "no-such-claim"

    catalog = _copy_with(tmp_path, "after_thesis", edit)
    real_load = data.load
    monkeypatch.setattr(
        data,
        "load",
        lambda name, catalog_path=data.CATALOG: real_load(
            name, catalog if name == "after_thesis" else catalog_path
        ),
    )
    with pytest.raises(DataError, match="no-such-claim"):
        thesis.load()


def test_percentages_typed_in_the_verdicts_are_figures_of_the_data():
    """The verdict texts are data, not glued prose: each percentage in them must be (within rounding)
    a value of after_numbers, or be stated in one of its notes."""
    figures = numbers.load()
    values = [abs(v) for v in figures["value"]]
    notes = " ".join(figures["note"].dropna())
    _, verdicts = thesis.load()
    for text in [*verdicts["finding"], *verdicts["other_side"]]:
        for typed in re.findall(r"(\d+(?:\.\d+)?)(?:%| points)", text):
            x = float(typed)
            assert any(abs(v - x) < 0.5 for v in values) or typed in notes, (typed, text)


def test_aggregator_figures_are_flagged_where_they_are_listed():
    figures = numbers.load()
    weak = figures.loc[figures["source_level"] == "aggregator", "id"].tolist()
    assert weak, "the data holds at least one aggregator figure"
    listing = numbers.sources_html(figures, weak, "x")
    assert listing.count("btb-after-weak") == len(weak)
    assert listing.count("aggregator (weak source)") == len(weak)


def test_the_june_2025_disagreement_is_kept_and_charted():
    figures = numbers.load()
    june = thesis.settlement_series(figures).query("period == '2025-06'")
    assert sorted(june["value"]) == [52.9, 55.5, 55.6]
    chart = thesis.settlement_chart(figures)
    assert "52.9%" in chart.alt and "55.6%" in chart.alt
    assert chart.data.equals(thesis.settlement_series(figures))


# -- readings of the later meetings ---------------------------------------------------------------------
def test_later_questions_stay_off_the_readings_page_and_appear_here():
    visit, later = readings.load(), later_readings.load()
    assert set(visit.summaries["meeting"]) == {"2024-05"}
    assert set(later.summaries["question_id"]) == {"pipeline", "terms", "wedge"}
    assert not set(visit.quotes["id"]) & set(later.quotes["id"])
    everything = readings.load(meetings=None)
    assert len(everything.quotes) == len(visit.quotes) + len(later.quotes)
    for question_id in later.summaries["question_id"].unique():
        for perspective in readings.PERSPECTIVES:
            assert later.summary(question_id, perspective).strip()
            assert len(later.quotes_for(question_id, perspective)) >= 1, (question_id, perspective)


def test_the_later_rows_are_appended_at_the_end_of_interpretations():
    ids = [
        r["id"]
        for r in csv.DictReader((ROOT / "data" / "interpretations.csv").open(encoding="utf-8"))
    ]
    later = set(later_readings.load().quotes["id"])
    assert set(ids[-len(later) :]) == later


# -- copying ------------------------------------------------------------------------------------------
def test_the_copy_check_covers_the_new_pages():
    own = _own_text()
    for page in PAGES:
        first = (ROOT / "chapters" / "after" / f"{page}.md").read_text(encoding="utf-8")
        heading = next(line for line in first.splitlines() if line.startswith("# "))
        assert heading in own, f"{page} is not in the copy check"


def test_no_sentence_of_the_new_data_follows_the_source_article():
    source = _source_article()
    parts = []
    for name, columns in OWN_WORDS.items():
        frame = data.load(name)
        for column in columns:
            parts += [str(v) for v in frame[column].dropna()]
    later = later_readings.load().summaries["summary"].tolist()
    hits = copied_passages("\n".join(parts + later), source, allowed=_allowed_quotes())
    assert not hits, hits[:10]


# -- built pages -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def after_site(request) -> Path:
    override = os.environ.get("BACKTOBACK_SITE")
    return Path(override) if override else request.getfixturevalue("site")


def page(site: Path, name: str) -> tuple[str, str]:
    raw = (site / "chapters" / "after" / f"{name}.html").read_text(encoding="utf-8")
    main = raw[raw.index("<main") : raw.index("</main>")]
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", "", text)).replace("\u2019", "'")
    return main, re.sub(r"\s+", " ", text)


@pytest.mark.build
def test_glued_numbers_equal_the_data(after_site):
    figures = numbers.load()
    value = lambda i: numbers.value(figures, i)  # noqa: E731
    _, index = page(after_site, "index")
    assert f"trade fell by {-value('trade-growth-2025-usd'):.1f}% in 2025" in index
    assert (
        f"({value('rub-exports-2025'):.1f}%, against {value('rub-exports-2024'):.1f}% in 2024)"
        in index
    )
    counts = thesis.verdict_counts(thesis.load()[1])
    assert (
        f"{counts['supported']} still look supported, {counts['complicated']} are complicated"
        in index
    )
    _, nxt = page(after_site, "what-happened-next")
    assert f"{value('pos2-volume'):.0f} billion cubic metres a year" in nxt
    assert f"from {value('pos1-volume-old'):.0f} to {value('pos1-volume-new'):.0f} billion" in nxt
    assert f"{len(timeline.load())} events" in nxt
    _, th = page(after_site, "thesis-two-years-on")
    assert f"dropped to {value('china-share-ru-imports-2025'):.0f}%" in th
    assert f"{value('friendly-share-ru-exports-2025'):.0f}% of Russia's exports" in th
    assert f"in 2025 {value('rub-exports-2025'):.1f}% of Russia's export earnings" in th


@pytest.mark.build
def test_the_rendered_tables_equal_the_data(after_site):
    main, _ = page(after_site, "what-happened-next")
    events = timeline.load()
    keys = re.findall(r'<tr data-key="(\d+)" data-kind="(\w+)"', main)
    assert sorted((int(k), kind) for k, kind in keys) == sorted(
        zip(events["seq"], events["kind"], strict=True)
    )
    main, _ = page(after_site, "statements-compared")
    _, cells = statements.load()
    shown = re.findall(r'<td class="btb-cmp-\w+" data-status="([^"]+)"', main)
    assert len(shown) == len(cells)
    for formula, status in zip(
        re.findall(r'<tr data-formula="([^"]+)"', main),
        [shown[i : i + 5] for i in range(0, 30, 5)],
        strict=True,
    ):
        expected = cells[cells["formula"] == formula].sort_values("statement")["status"].tolist()
        assert status == expected, formula
    main, _ = page(after_site, "thesis-two-years-on")
    shown = dict(re.findall(r'data-key="([^"]+)" data-verdict="([^"]+)"', main))
    assert shown == dict(zip(*[thesis.load()[1][c] for c in ("claim_id", "verdict")], strict=True))


@pytest.fixture(scope="module")
def after_server(after_site):
    """The built site (``after_site``, so ``BACKTOBACK_SITE`` works here too) on a local port."""
    handler = functools.partial(QuietHandler, directory=str(after_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.mark.build
@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 375])
def test_the_later_meetings_switch_shows_the_perspective_clicked(browser, after_server, width):
    book = later_readings.load()
    context = browser.new_context(viewport={"width": width, "height": 900})
    blocked, errors = [], []

    def route(request_route):
        local = request_route.request.url.startswith((after_server, "data:"))
        if not local:
            blocked.append(request_route.request.url)
        (request_route.continue_ if local else request_route.abort)()

    context.route("**/*", route)
    pg = context.new_page()
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(f"{after_server}/chapters/after/later-readings.html")
    assert pg.evaluate("document.documentElement.scrollWidth") <= width
    outer = pg.locator(".tag_rd-widget .btb-switch").first
    for question_id, question, short_label in book.questions:
        outer.locator(":scope > .btb-switch-labels > label", has_text=short_label).click()
        assert visible_views(outer) == [short_label]
        inner = outer.locator(":scope > .btb-switch-panel:visible > .btb-switch")
        # the question is said once, above its perspective buttons, not inside every panel
        caption = inner.locator(":scope > .btb-switch-caption")
        assert caption.is_visible() and caption.inner_text() == question
        for perspective, (label, heading) in readings.PERSPECTIVES.items():
            inner.locator(":scope > .btb-switch-labels > label", has_text=label).click()
            assert visible_views(inner) == [label]
            assert caption.is_visible()
            text = inner.locator(":scope > .btb-switch-panel:visible").inner_text()
            assert heading in text
            assert book.summary(question_id, perspective) in text
            for quote in book.quotes_for(question_id, perspective)["quote"]:
                assert quote in text, (question_id, perspective, quote)
    assert blocked == [] and errors == []
    context.close()
