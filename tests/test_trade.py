"""Issue 3, part A ("The trade shifts"): the Comext pipeline, the built pages, their numbers and switches."""

from __future__ import annotations

import html
import re
import warnings

import openpyxl
import pandas as pd
import pytest

from backtoback import data, trade, trade_prose
from backtoback.paths import RAW_DIR

from .conftest import SHARED, visible_views

PAGES = [
    "chapters/trade/china-russia-trade.html",
    "chapters/trade/partners.html",
    "chapters/trade/eu.html",
]
COMEXT_RAW = RAW_DIR / "eurostat_comext_eu27_russia_2020_2022.xlsx"


# -- the Comext pipeline against the raw workbook ------------------------------------------------------


def raw_states(product_code: str, flow: str, month: str) -> dict[str, float | None]:
    """Each member state's value (None for ':') for one sheet and month, straight from the xlsx."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = openpyxl.load_workbook(COMEXT_RAW)
    for sheet in workbook.worksheets[2:]:
        rows = list(sheet.values)
        header = {r[0]: r[2] for r in rows[:8] if r and r[0]}
        if product_code in str(header.get("PRODUCT [PRODUCT]")) and header.get("FLOW") == flow:
            col = list(next(r for r in rows if r[0] == "TIME")).index(month)
            return {
                r[0].split(" (")[0]: (None if r[col] == ":" else float(r[col]))
                for r in rows
                if r[1] == "Russian Federation (Russia)"
            }
    raise AssertionError(f"no sheet for {product_code} {flow}")


def raw_month(product_code: str, flow: str, month: str) -> tuple[float, int]:
    """Sum and number of ':' cells over member states' trade with Russia, read straight from the xlsx."""
    states = raw_states(product_code, flow, month)
    assert len(states) == 27
    values = [v for v in states.values() if v is not None]
    return sum(values) / 1e6, len(states) - len(values)


@pytest.mark.parametrize(
    "product_code, raw_flow, month, product, flow",
    [
        ("[TOTAL]", "IMPORT", "2022-02", "TOTAL all products", "imports_from_russia"),
        ("[TOTAL]", "EXPORT", "2022-04", "TOTAL all products", "exports_to_russia"),
        ("[27]", "IMPORT", "2021-07", "HS 27 mineral fuels, oils", "imports_from_russia"),
        ("[27]", "EXPORT", "2020-01", "HS 27 mineral fuels, oils", "exports_to_russia"),
    ],
)
def test_comext_month_equals_the_raw_workbook(product_code, raw_flow, month, product, flow):
    expected, missing = raw_month(product_code, raw_flow, month)
    year, mon = map(int, month.split("-"))
    frame = data.load("eu_russia_trade_monthly")
    row = frame[
        (frame.year == year)
        & (frame.month == mon)
        & (frame["product"] == product)
        & (frame.flow == flow)
    ]
    assert len(row) == 1
    assert row["value"].iloc[0] == pytest.approx(expected, abs=0.0005)
    assert row["reporters_missing"].iloc[0] == missing
    if missing:
        assert f"{missing} of 27 reporters not available" in row["note"].iloc[0]


def test_comext_covers_35_months_and_never_counts_missing_as_zero():
    frame = data.load("eu_russia_trade_monthly")
    assert len(frame) == 35 * 4
    assert (frame["reporters_missing"] > 0).any()
    assert (
        frame.loc[frame["reporters_missing"] == 0, "note"].str.contains("not available").sum() == 0
    )


def same_states_change_pct(product_code: str, flow: str, start: str, end: str) -> float:
    """% change over only the member states with a value in both months (from the raw workbook)."""
    a, b = raw_states(product_code, flow, start), raw_states(product_code, flow, end)
    both = [s for s in a if a[s] is not None and b[s] is not None]
    return (sum(b[s] for s in both) / sum(a[s] for s in both) - 1) * 100


def test_missing_reporters_name_the_missing_cells():
    frame = data.load("eu_russia_trade_monthly")
    names = frame["missing_reporters"].fillna("").map(lambda n: n.split("; ") if n else [])
    assert (names.map(len) == frame["reporters_missing"]).all()
    nov = frame.query("year == 2022 and month == 11 and flow == 'imports_from_russia'")
    total = nov[nov["product"] == "TOTAL all products"].iloc[0]
    assert total["missing_reporters"] == "Netherlands"
    assert "slightly" not in " ".join(frame["note"])  # a missing state can be a large one


def test_eu_endpoint_change_is_over_the_same_member_states():
    """The page's 'imports since the invasion' change must not count a missing member state as a fall.

    November 2022 lacks the Netherlands' import figure, so comparing its sum with February's (as the
    page once did) overstates the fall; the change is taken to the last month in which the same
    member states (all of them) reported, and it equals the raw workbook's same-states change.
    """
    frame = data.load("eu_russia_trade_monthly")
    series = trade.EU_IMPORTS_TOTAL
    feb, nov = pd.Timestamp("2022-02-01"), pd.Timestamp("2022-11-01")
    with pytest.raises(ValueError, match="not over the same member states"):
        trade.eu_change_pct(frame, series, feb, nov)
    end = trade.eu_last_complete_month(frame, series)
    assert trade.eu_missing(frame, series, end) == trade.eu_missing(frame, series, feb) == []
    raw = same_states_change_pct("[TOTAL]", "IMPORT", "2022-02", f"{end:%Y-%m}")
    assert trade.eu_change_pct(frame, series, feb, end) == pytest.approx(raw, abs=0.01)
    assert all(v is not None for v in raw_states("[TOTAL]", "IMPORT", f"{end:%Y-%m}").values())


def test_eu_share_with_a_missing_part_is_flagged_as_a_lower_bound():
    frame = data.load("eu_russia_trade_monthly")
    share, lower = trade.eu_share_pct(
        frame, trade.EU_IMPORTS_FUELS, trade.EU_IMPORTS_TOTAL, pd.Timestamp("2022-10-01")
    )
    assert lower and 0 < share < 100
    with pytest.raises(ValueError):  # the whole lacks a member state: no bound either way
        trade.eu_share_pct(
            frame, trade.EU_IMPORTS_FUELS, trade.EU_IMPORTS_TOTAL, pd.Timestamp("2022-11-01")
        )


def test_comext_matches_the_research_extract():
    shared = SHARED / "data" / "eu_russia_trade_monthly_eurostat_comext_2020_2022.csv"
    if not shared.exists():
        pytest.skip(
            f"skipped: {shared} is absent (the shared research folder is not beside this clone)"
        )
    key = ["year", "month", "flow", "product"]
    theirs = pd.read_csv(shared).set_index(key)["value"]
    ours = (
        data.load("eu_russia_trade_monthly")
        .astype({"year": int, "month": int})
        .set_index(key)["value"]
    )
    joined = pd.concat({"ours": ours, "theirs": theirs}, axis=1)
    assert len(joined) == len(ours) == len(theirs)
    assert (joined["ours"] - joined["theirs"]).abs().max() < 0.001


def test_copied_datasets_equal_the_research_files():
    for name, file in [
        ("china_russia_trade_gacc", "china_russia_trade_annual_gacc.csv"),
        ("russia_trade_partner_shares", "russia_trade_partner_shares.csv"),
    ]:
        shared = SHARED / "data" / file
        if not shared.exists():
            pytest.skip(f"skipped: {shared} is absent")
        assert data.info(name).path.read_bytes() == shared.read_bytes()


# -- the words the pages glue (backtoback/trade_prose.py) ---------------------------------------------


def test_a_latest_total_is_still_above_only_past_the_peak():
    rose_then_eased = pd.Series({2021: 100.0, 2022: 150.0, 2023: 120.0})
    assert trade_prose.change_words(rose_then_eased, 2023, 2021) == "still 20% above"
    assert trade_prose.change_words(rose_then_eased, 2022, 2021) == "50% above"  # the peak itself
    fell_below = pd.Series({2021: 100.0, 2022: 110.0, 2023: 90.0})
    assert trade_prose.change_words(fell_below, 2023, 2021) == "10% below"


def test_imports_ahead_counts_only_years_with_both_flows():
    rows = [
        (2021, trade.EXPORTS, 10.0),
        (2021, trade.IMPORTS, 12.0),
        (2022, trade.EXPORTS, 15.0),
        (2022, trade.IMPORTS, 11.0),
        (2023, trade.EXPORTS, 9.0),
        (2023, trade.IMPORTS, 14.0),
        (2024, trade.TOTAL, 30.0),  # no split: not counted either way
        (2020, trade.EXPORTS, 1.0),  # before the start
        (2020, trade.IMPORTS, 2.0),
    ]
    long = pd.DataFrame(rows, columns=["year", "series", "value"])
    ahead, years = trade.imports_ahead_of_exports(long, since=2021)
    assert (ahead, list(years)) == (2, [2021, 2022, 2023])


def test_the_flagged_customs_year_must_be_unique():
    gacc = pd.DataFrame(
        {"year": [2014, 2015, 2015, 2016], "note": ["rounded headline", None, "DISAGREES", ""]}
    )
    assert trade.gacc_flagged_year(gacc, [2014, 2015, 2016], "DISAGREES") == 2015
    assert trade.gacc_flagged_year(gacc, [2014, 2015, 2016], "rounded") == 2014
    with pytest.raises(ValueError, match="expected one year"):
        trade.gacc_flagged_year(gacc, [2015, 2016], "rounded")


def test_mirror_gap_is_the_importers_figure_against_the_exporters():
    wide = pd.DataFrame({"exporter": [100.0, 50.0], "importer": [110.0, 40.0]}, index=[2019, 2020])
    assert trade.mirror_gap_pct(wide).round(6).tolist() == [10.0, -20.0]


def shares(rows, **columns):
    frame = pd.DataFrame(rows, columns=["year", "partner", "share_pct"])
    return frame.assign(**columns)


def test_the_overtake_sentence_depends_on_the_data():
    computed = shares(
        [(2019, "China", 16.0), (2019, "European Union", 40.0)]
        + [(2020, "China", 18.0), (2020, "European Union", 36.0)]
    )
    behind = shares([(2021, "China", 18.0), (2021, "European Union", 35.0)], quality="clear")
    assert trade_prose.overtake_sentence(computed, behind) == (
        "In none of the years for which both shares exist on one definition (2019–2020 computed "
        "from DOTS; 2021 as reported) is China's share larger than the EU's"
    )
    # two reports for one year are averaged before comparing: 30 and 36 (33) are below 34
    ahead = shares(
        [(2022, "China", 30.0), (2022, "China", 36.0), (2022, "European Union", 34.0)]
        + [(2023, "China", 35.0), (2023, "European Union", 34.0)],
        quality="clear",
    )
    assert trade.first_years_china_ahead(computed, ahead) == (None, 2023)
    assert trade_prose.overtake_sentence(computed, ahead) == (
        "China's share first exceeds the EU's in 2023, on a single definition"
    )


def test_reported_shares_split_into_clear_and_flagged():
    reported = shares(
        [(2021, "China", 18.0), (2023, "China", 34.0)],
        quality=["clear", "flagged: period not stated"],
    )
    clear, flagged = trade.clear_and_flagged(reported)
    assert clear["year"].tolist() == [2021] and flagged["year"].tolist() == [2023]


def comext_rows(months, flow, product, values, missing=None):
    """Synthetic Comext rows: one per month start, with the member states missing from each sum."""
    missing = missing or [[] for _ in months]
    return pd.DataFrame(
        {
            "year": [m.year for m in months],
            "month": [m.month for m in months],
            "flow": flow,
            "product": product,
            "value": values,
            "reporters_missing": [len(names) for names in missing],
            "missing_reporters": ["; ".join(names) or None for names in missing],
        }
    )


MONTHS = list(pd.date_range("2022-01-01", periods=4, freq="MS"))
FEB = MONTHS[1]
NL_IN_APRIL = [[], [], [], ["Netherlands"]]
MALTA_IN_FEB = [[], ["Malta"], [], []]


def test_eu_imports_opening_says_whether_imports_fell_after_the_event():
    rose = pd.Series([20.0, 21.0, 25.0, 15.0], index=MONTHS)
    assert trade_prose.eu_imports_opening(rose, FEB) == "Imports did not fall at first."
    fell = pd.Series([20.0, 21.0, 18.0, 15.0], index=MONTHS)
    assert trade_prose.eu_imports_opening(fell, FEB) == "Imports fell too, from March 2022."


def test_eu_imports_end_sentence_explains_a_last_month_left_out():
    values = [20000.0, 20000.0, 25000.0, 15000.0]
    imports = pd.Series([v / 1000 for v in values], index=MONTHS)
    complete = comext_rows(MONTHS, *trade.EU_IMPORTS_TOTAL, values)
    assert trade_prose.eu_imports_end_sentence(complete, imports, FEB, MONTHS[3], MONTHS[3]) == (
        "by April 2022 imports were €15.0 billion, -25% against February."
    )
    gap = comext_rows(MONTHS, *trade.EU_IMPORTS_TOTAL, values, NL_IN_APRIL)
    end = trade.eu_last_complete_month(gap, trade.EU_IMPORTS_TOTAL)
    assert end == MONTHS[2]
    sentence = trade_prose.eu_imports_end_sentence(gap, imports, FEB, end, MONTHS[3])
    assert sentence.startswith("by March 2022, the last month in which every member state's")
    assert "€25.0 billion, 25% against February. The extract runs to April 2022" in sentence
    assert sentence.endswith("lacks the figure for the Netherlands, so it is not compared.")


def test_eu_exports_low_is_compared_only_over_the_same_member_states():
    values = [8000.0, 8000.0, 3000.0, 4000.0]
    same = comext_rows(MONTHS, *trade.EU_EXPORTS_TOTAL, values)
    assert trade_prose.eu_exports_low_words(same, FEB, MONTHS[2]) == "-62% against February"
    lacking = comext_rows(
        MONTHS, *trade.EU_EXPORTS_TOTAL, values, [[], [], ["Cyprus", "Malta"], []]
    )
    assert trade_prose.eu_exports_low_words(lacking, FEB, MONTHS[2]) == (
        "a lower bound, as the figure for Cyprus and Malta is not available for that month"
    )


def test_eu_key_months_and_incomplete_sums():
    comext = pd.concat(
        [
            comext_rows(MONTHS, *trade.EU_IMPORTS_TOTAL, [20.0, 35.0, 30.0, 10.0], NL_IN_APRIL),
            comext_rows(MONTHS, *trade.EU_EXPORTS_TOTAL, [1.0, 9.0, 3.0, 2.0]),
            comext_rows(MONTHS, *trade.EU_IMPORTS_FUELS, [10.0, 11.0, 12.0, 4.0], MALTA_IN_FEB),
            comext_rows(MONTHS, "exports_to_russia", "HS 27 mineral fuels, oils", [0.1] * 4),
        ]
    )
    wide = trade.eu_wide(trade.eu_monthly(comext.assign(value_type="computed")))
    # exports were lowest in January, but the low that counts is from the event on
    assert trade.eu_key_months(comext, wide, FEB) == trade.EuKeyMonths(
        last=MONTHS[3], end=MONTHS[2], exports_low=MONTHS[3], imports_peak=MONTHS[1]
    )
    rows, totals = trade.eu_incomplete_sums(comext)
    assert (len(rows), totals) == (2, 1)
    assert trade_prose.eu_fuel_share_words(comext, FEB) == "at least 31%"  # Malta's fuels missing
    assert trade_prose.eu_fuel_share_words(comext, MONTHS[2]) == "40%"


# -- the built pages ------------------------------------------------------------------------------------


def page_text(site, path: str) -> str:
    raw = (site / path).read_text(encoding="utf-8")
    main = raw[raw.index("<main") : raw.index("</main>")]
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", "", main))  # inline glue spans: no extra spaces
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2212", "-")  # smart quotes
    return re.sub(r"\s+", " ", text)


@pytest.mark.build
@pytest.mark.parametrize("path", PAGES)
def test_charts_have_images_with_alt_text(site, path):
    raw = (site / path).read_text(encoding="utf-8")
    images = re.findall(
        r'<figure class="btb-figure"[^>]*>\s*<img src="data:image/png;base64,([^"]{1000,})" alt="([^"]*)"',
        raw,
    )
    assert images, f"{path}: no chart image"
    for _, alt in images:
        assert len(alt.strip()) > 40 and re.search(r"\d", alt), alt


def expected_china_russia() -> list[str]:
    dots = data.load("imf_dots_trade")
    china = dots[(dots.reporter == "China (mainland)") & (dots.partner == "Russia")]
    dots_total = china.groupby("year")["value"].sum() / 1000
    gacc = data.load("china_russia_trade_gacc")
    news_total = gacc[gacc.flow == "total"].set_index("year")["value"]
    total = pd.concat([dots_total, news_total[news_total.index > dots_total.index.max()]])
    first, last_dots, latest = total.index.min(), dots_total.index.max(), total.index.max()
    first_news, peak = last_dots + 1, total.idxmax()
    split_2021 = gacc[(gacc.year == first_news) & (gacc.flow != "total")]["value"].sum()
    return [
        f"In {first}, China reported US$ {total[first]:.1f} billion",
        f"By {last_dots}, the last year in the DOTS extract, the figure was US$ {total[last_dots]:.1f} billion",
        f"reported for {first_news} put it at US$ {total[first_news]:.1f} billion",
        f"peaks in {peak} at US$ {total[peak]:.1f} billion, {(total[peak] / total[first_news] - 1) * 100:.0f}% above",
        f"For {latest}, the latest year available, the reported total is US$ {total[latest]:.1f} billion, "
        f"a change of {(total[latest] / total[latest - 1] - 1) * 100:.1f}% on the year before and still "
        f"{(total[latest] / total[first_news] - 1) * 100:.0f}% above {first_news}",
        f"add up to US$ {split_2021:.2f} billion",
        f"2015 figures quoted in the news are {(news_total[2015] / dots_total[2015] - 1) * 100:.1f}% off the DOTS value",
    ]


def expected_partners() -> list[str]:
    dots = data.load("imf_dots_trade")
    russia = dots[dots.reporter == "Russia"].groupby(["year", "partner"])["value"].sum().unstack()
    share = russia[["China (mainland)", "European Union"]].div(russia["World"], axis=0) * 100
    first, last = share.index.min(), share.index.max()
    eu = share["European Union"]
    return [
        f"In {first}, China accounted for {share.at[first, 'China (mainland)']:.1f}% of Russia's reported "
        f"trade and the EU for {eu[first]:.1f}%",
        f"highest in {eu.idxmax()} ({eu.max():.1f}%)",
        f"By {last} China's share had risen to {share.at[last, 'China (mainland)']:.1f}% and the EU's had "
        f"fallen to {eu[last]:.1f}%",
        f"US$ {russia.at[last, 'European Union'] / 1000:.1f} billion of trade with the EU in {last} and "
        f"US$ {russia.at[last, 'China (mainland)'] / 1000:.1f} billion with China",
        "In none of the years for which both shares exist on one definition",
    ]


def expected_eu() -> list[str]:
    frame = data.load("eu_russia_trade_monthly")
    frame["date"] = pd.to_datetime(
        dict(year=frame.year.astype(int), month=frame.month.astype(int), day=1)
    )
    totals = frame[frame["product"] == "TOTAL all products"]
    total = totals.pivot(index="date", columns="flow", values="value") / 1000
    gaps = totals.pivot(index="date", columns="flow", values="reporters_missing")
    imports, exports = total["imports_from_russia"], total["exports_to_russia"]
    feb = pd.Timestamp("2022-02-01")
    low = exports[exports.index >= feb].idxmin()
    end = gaps.index[gaps["imports_from_russia"] == 0].max()  # every member state reported
    same_states = same_states_change_pct("[TOTAL]", "IMPORT", "2022-02", f"{end:%Y-%m}")
    missing = frame[frame.reporters_missing > 0]
    low_row = totals[(totals.date == low) & (totals.flow == "exports_to_russia")].iloc[0]
    assert low_row["reporters_missing"] == 1  # the wording below is for one missing member state
    low_missing = low_row["missing_reporters"]
    return [
        f"imports from Russia of €{imports[feb]:.1f} billion and exports to Russia of €{exports[feb]:.1f} billion",
        f"their lowest month was {low:%B %Y}, at €{exports[low]:.1f} billion, a lower bound, as the figure "
        f"for {low_missing} is not available for that month",
        f"peaked in {imports.idxmax():%B %Y} at €{imports.max():.1f} billion, against a 2021 monthly average "
        f"of €{imports.loc['2021'].mean():.1f} billion",
        f"by {end:%B %Y}, the last month in which every member state's import figure is available, imports "
        f"were €{imports[end]:.1f} billion, {same_states:.0f}% against February",
        f"The extract runs to {imports.index.max():%B %Y}, but that month's import total lacks the figure "
        f"for the Netherlands",
        f"Of the {len(frame)} monthly values in the data, {len(missing)} are sums",
        f"at most {frame.reporters_missing.max()} of 27",
    ]


@pytest.mark.build
@pytest.mark.parametrize(
    "path, expected",
    [(PAGES[0], expected_china_russia), (PAGES[1], expected_partners), (PAGES[2], expected_eu)],
)
def test_glued_numbers_equal_the_data(site, path, expected):
    text = page_text(site, path)
    for snippet in expected():
        assert snippet in text, f"{path}: expected {snippet!r}"


# -- the switches in a browser ---------------------------------------------------------------------------


@pytest.mark.build
@pytest.mark.browser
@pytest.mark.parametrize(
    "path, first, second, second_text",
    [
        (
            "chapters/trade/partners.html",
            "Shares (%)",
            "Values (US$ billion)",
            "US$ billion, as reported by Russia",
        ),
        (
            "chapters/trade/china-russia-trade.html",
            "China → Russia",
            "Russia → China",
            "Goods going Russia → China",
        ),
    ],
)
def test_switches_change_the_view(open_page, path, first, second, second_text):
    visit = open_page(path)
    switch = visit.page.locator(".btb-switch").first
    assert visible_views(switch) == [first]
    before = switch.locator(".btb-switch-panel:visible").inner_text()
    switch.locator("label", has_text=second).click()
    assert visible_views(switch) == [second]
    after = switch.locator(".btb-switch-panel:visible").inner_text()
    assert after != before and second_text in after
    switch.locator("label", has_text=first).click()
    assert visible_views(switch) == [first]
    assert not visit.blocked_requests and not visit.console_errors
