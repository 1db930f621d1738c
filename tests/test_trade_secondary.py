"""Trade chapter, part B: settlement currencies, energy and goods, border trade.

Unit tests of backtoback/trade_secondary.py run without a build; the page tests use the session's built book.
"""

from __future__ import annotations

import html
import re

import matplotlib.dates as mdates
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from backtoback import data, trade_prose, trade_secondary

from .conftest import ROOT, SHARED, visible_views

PAGES = ["settlement", "energy-goods", "border"]
SHARES = "russia_settlement_currency_shares"


# --- data ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(trade_secondary.IMPORTERS))
def test_project_files_are_exactly_what_the_importer_makes_from_the_research_files(name):
    shared = SHARED / "data"
    if not shared.is_dir():
        pytest.skip("skipped: ../shared/research/data absent")
    made = trade_secondary.IMPORTERS[name](shared)
    kept = pd.read_csv(ROOT / "data" / name, dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(made.reset_index(drop=True), kept, check_dtype=False)


# --- the settlement rule and the sparse-data drawing ----------------------------------------------


@pytest.fixture(scope="module")
def settlement():
    shares = data.load(SHARES)
    points, aside = trade_secondary.settlement_points(shares)
    return shares, points, aside


def test_a_published_combined_usd_eur_share_beats_the_sum_of_its_parts(settlement):
    shares, points, aside = settlement
    published = shares.query("period == '2021' and flow == 'exports' and currency == 'USD+EUR'")[
        "value"
    ].item()
    parts = shares.query("period == '2021' and flow == 'exports' and currency in ['USD', 'EUR']")[
        "value"
    ].sum()
    drawn = points.query("period == '2021' and flow == 'exports' and group == 'US dollar + euro'")
    assert drawn["value"].tolist() == [published]
    assert parts in aside.query("period == '2021' and currency == 'USD+EUR'")["value"].tolist()
    # where no combined share is published, the sum is drawn and marked computed
    imports_2021 = points.query(
        "period == '2021' and flow == 'imports' and group == 'US dollar + euro'"
    )
    assert imports_2021["value_type"].tolist() == ["computed"]


def test_every_row_is_either_drawn_once_or_set_aside_with_a_reason(settlement):
    shares, points, aside = settlement
    assert not points.duplicated(["flow", "group", "period"]).any()
    assert aside["reason"].str.len().gt(0).all()
    assert "point" not in set(points["period_type"])
    assert "derived" not in set(points["value_type"])
    # each file row is used: drawn directly, summed into a drawn USD+EUR point, or set aside
    direct = points[points["value_type"] != "computed"]
    assert len(direct) + len(aside[aside["value_type"] != "computed"]) == len(shares)


def frame(rows):
    out = pd.DataFrame(rows, columns=["flow", "group", "period", "period_type", "value"])
    out["start"], out["end"] = trade_secondary.period_bounds(out["period"], out["period_type"])
    return out


def test_only_consecutive_months_of_one_series_are_joined():
    points = frame(
        [
            ("exports", "Yuan", "2023-05", "month", 25.0),
            ("exports", "Yuan", "2023-06", "month", 25.0),
            ("exports", "Yuan", "2023-08", "month", 30.0),  # gap of two months: not joined
            ("exports", "Rouble", "2023-07", "month", 40.0),  # other series: not joined to yuan
            ("exports", "Yuan", "2023", "year", 28.0),  # annual: never joined
            ("imports", "Yuan", "2023-07", "month", 31.0),  # other flow: not joined
            ("exports", "Yuan", "2023-12", "month", 35.0),
            ("exports", "Yuan", "2024-01", "month", 40.0),  # across a year end: joined
        ]
    )
    assert trade_secondary.monthly_segments(points) == [(0, 1), (6, 7)]


def test_the_drawn_settlement_chart_has_no_line_across_more_than_one_month(settlement):
    _, points, _ = settlement
    for flow in ["exports", "imports"]:
        fig, ax = trade_secondary.settlement_chart(points, flow, flow)
        joined = 0
        for line in ax.get_lines():
            xs = mdates.date2num(pd.to_datetime(pd.Series(line.get_xdata())))
            if line.get_linestyle() in ("None", "") or len(xs) < 2 or xs.min() == xs.max():
                continue  # markers only, the legend stand-in, or the vertical break line
            assert len(xs) == 2 and xs.max() - xs.min() <= 31, (flow, line.get_label(), xs)
            joined += 1
        assert joined == len(trade_secondary.monthly_segments(points[points["flow"] == flow]))
        # every monthly observation is drawn as a marker
        markers = sum(
            len(ln.get_xdata()) for ln in ax.get_lines() if ln.get_linestyle() in ("None", "")
        )
        assert markers == len(points[points["flow"] == flow])


def test_a_figure_whose_period_the_research_inferred_is_set_aside(settlement):
    shares, points, aside = settlement
    implied = shares[shares["note"].fillna("").str.contains("implied")]
    assert len(implied) >= 1
    for _, row in implied.iterrows():
        assert not (
            (points["period"] == row["period"])
            & (points["flow"] == row["flow"])
            & (points["value"] == row["value"])
        ).any()
        reasons = aside.query("period == @row.period and currency == @row.currency")["reason"]
        assert reasons.str.contains("reference period not stated").any()


def test_quoted_upper_bounds_are_worded_as_such(settlement):
    shares, points, _ = settlement
    row = points.query("period == '2022-01' and flow == 'exports' and group == 'Yuan'").iloc[0]
    assert "не превышала" in row["note"]  # "did not exceed"
    assert trade_secondary.share_words(row) == f"at most {row['value']:.1f}"
    july = points.query("period == '2023-07' and flow == 'exports'").iloc[0]
    assert trade_secondary.share_words(july).startswith("less than ")
    plain = points.query("period == '2021' and flow == 'exports' and group == 'Rouble'").iloc[0]
    assert trade_secondary.share_words(plain) == f"{plain['value']:.1f}"
    assert trade_secondary.upper_bounds_words(points) == (
        "the yuan's share of export payments in January 2022 and the 'unfriendly' currencies' "
        "shares of export and import payments in July 2023"
    )


def test_barrels_per_day_figures_from_mees_name_mees_as_their_source():
    crude = data.load("china_crude_imports_russia_saudi")
    bpd = crude[crude["metric"] == "barrels_per_day"]
    from_mees = bpd[bpd["note"].fillna("").str.contains("MEES")]
    assert len(from_mees) >= 1
    assert from_mees["source_title"].str.contains("MEES").all()


def test_heilongjiang_quoted_growth_rate_is_its_own_row():
    hlj = data.load("heilongjiang_russia_trade")
    row = hlj.query("metric == 'heilongjiang_trade_with_russia_yoy_change'").iloc[0]
    source = hlj.query(
        "metric == 'heilongjiang_trade_with_russia' and year == @row.year and period == @row.period"
    ).iloc[0]
    assert f"+{row['value']}% y/y" in source["note"]
    assert row["source_title"] == source["source_title"]


def test_period_words():
    assert trade_secondary.period_words(2021, "Jan-Jun") == "the first half of 2021"
    assert trade_secondary.period_words(2017, "Q1") == "the first quarter of 2017"
    assert trade_secondary.period_words(2021, "Jan-Oct") == "January to October 2021"
    assert trade_secondary.period_words(2023, "Aug") == "August 2023"


def test_cars_2024_units_are_derived_and_marked_so():
    units, dollars = trade_secondary.car_frames(data.load("china_vehicle_exports_to_russia"))
    row = units.set_index("period").loc["2024"]
    assert row["kind"] == "derived" and row["value_type"] == "derived"
    assert "2023" not in set(units["period"]) and "2023" not in set(
        dollars["period"]
    )  # no full year 2023


def test_heilongjiang_part_years_are_kept_apart_from_full_years():
    full, ytd = trade_secondary.heilongjiang_frames(data.load("heilongjiang_russia_trade"))
    assert set(full["period"]) == {"Jan-Dec"} and set(full["kind"]) == {"full"}
    assert "Jan-Dec" not in set(ytd["period"]) and set(ytd["kind"]) == {"partial"}
    assert not set(full["year"]) & {2022, 2023, 2024}


# --- the words the pages glue (backtoback/trade_prose.py) ----------------------------------------


def test_a_point_is_dated_by_its_year_or_its_month():
    annual, monthly = frame(
        [("exports", "Yuan", "2021", "year", 0.5), ("exports", "Yuan", "2022-01", "month", 0.5)]
    ).to_dict("records")
    assert trade_secondary.when_words(annual) == "2021"
    assert trade_secondary.when_words(monthly) == "January 2022"


def test_settlement_facts_quote_each_groups_first_and_latest_point():
    points = frame(
        [
            ("exports", "Yuan", "2021", "year", 0.5),
            ("exports", "Yuan", "2024-01", "month", 40.0),
            ("exports", "Yuan", "2022-06", "month", 14.0),
            ("exports", "Rouble", "2021", "year", 13.0),
            ("exports", "US dollar + euro", "2021", "year", 85.0),
            ("imports", "Yuan", "2022-01", "month", 4.0),
            ("imports", "Rouble", "2022-01", "month", 28.0),
            ("imports", "US dollar + euro", "2023-06", "month", 33.0),
        ]
    ).assign(note=None)
    points.loc[5, "note"] = "доля не превышала 4%"  # "did not exceed": an upper bound
    facts = trade_prose.settlement_facts(points, set_aside=points.head(2))
    assert facts["set_cny_exp_first"] == "0.5" and facts["set_cny_exp_first_when"] == "2021"
    assert facts["set_cny_exp_latest"] == "40.0"
    assert facts["set_cny_exp_latest_when"] == "January 2024"
    assert facts["set_cny_imp_first"] == facts["set_cny_imp_latest"] == "at most 4.0"
    assert facts["set_usdeur_imp_latest_when"] == "June 2023"
    assert facts["set_annual_years"] == "2021"
    assert (facts["set_n_points"], facts["set_n_aside"]) == (8, 2)
    assert trade_prose.settlement_alt(points, "imports") == (
        "Chart of sparse observations. The yuan's share of Russia's import payments rose from "
        "at most 4.0% in January 2022 to at most 4.0% in January 2022; US dollar and euro fell "
        "from 33.0% (June 2023) to 33.0% (June 2023); the rouble went from 28.0% (January 2022) "
        "to 28.0% (January 2022)."
    )
    assert "from 0.5% in 2021 to 40.0% in January 2024;" in trade_prose.settlement_alt(
        points, "exports"
    )


def test_saudi_arabia_is_called_the_largest_supplier_only_when_it_alone_ranked_first():
    ranks = pd.DataFrame({"Russia": [2, 1, 1], "Saudi Arabia": [1, 2, 1]}, index=[2018, 2019, 2020])
    assert trade_prose.saudi_words(ranks, 2018) == "Saudi Arabia, its largest supplier that year"
    assert trade_prose.saudi_words(ranks, 2019) == "Saudi Arabia"
    assert trade_prose.saudi_words(ranks, 2020) == "Saudi Arabia"  # a tie is not "largest"


def test_the_crude_path_sentence_names_the_years_volumes_fell():
    russia = pd.Series([77.0, 84.0, 80.0, 86.0, 79.0, 107.0], index=range(2019, 2025))
    assert trade_secondary.years_fallen(russia) == [2021, 2023]
    assert trade_prose.crude_path_words(trade_secondary.years_fallen(russia)) == (
        "Russian volumes did not rise every year (they fell in 2021 and 2023), but in"
    )
    rising = pd.Series([1.0, 2.0, 3.0], index=[2019, 2020, 2021])
    assert trade_prose.crude_path_words(trade_secondary.years_fallen(rising)) == (
        "Russian volumes then grew, and in"
    )
    assert trade_secondary.largest_rise_year(russia) == 2024
    assert trade_prose.crude_back_words([]) == "."
    assert trade_prose.crude_back_words([2016, 2018]).endswith("had given it for 2016 and 2018.")


def test_russia_is_ahead_since_only_if_it_never_falls_behind_again():
    volume = pd.DataFrame(
        {"Russia": [70.0, 90.0, 80.0, 95.0], "Saudi Arabia": [80.0, 85.0, 88.0, 90.0]},
        index=[2019, 2020, 2021, 2022],
    )
    ahead, since = trade_secondary.russia_ahead(volume)
    assert (list(ahead), since) == ([2020, 2022], False)
    assert "; Russia was ahead in 2020 and 2022, and in 2022" in trade_prose.crude_alt(volume)
    volume.loc[2021, "Russia"] = 89.0
    ahead, since = trade_secondary.russia_ahead(volume)
    assert (list(ahead), since) == ([2020, 2021, 2022], True)
    assert trade_prose.crude_alt(volume) == (
        "Line chart. Russia supplied 70.0 million tonnes in 2019, less than Saudi Arabia's 80.0; "
        "from 2020 Russia was ahead, and in 2022 it supplied 95.0 million tonnes against Saudi "
        "Arabia's 90.0."
    )


def test_the_part_year_bar_must_beat_the_full_year_before():
    units = pd.DataFrame(
        {
            "period": ["2022", "2023 Jan-Aug", "2024"],
            "kind": ["full", "partial", "derived"],
            "value": [153.0, 482.0, 1090.0],
        }
    )
    assert trade_secondary.part_year_beat_previous_year(units, 2023)
    assert not trade_secondary.part_year_beat_previous_year(units, 2024)  # the bar is for 2023
    units.loc[1, "value"] = 100.0
    assert not trade_secondary.part_year_beat_previous_year(units, 2023)


def test_car_facts_check_the_reported_2024_value_against_the_2025_fall():
    vehicles = data.load("china_vehicle_exports_to_russia")
    units, dollars = (f.set_index("period")["value"] for f in trade_secondary.car_frames(vehicles))
    facts = trade_prose.car_facts(vehicles, units, dollars)
    assert facts["car_value_2024_check"] == pytest.approx(facts["car_value_2024"], rel=0.02)
    assert facts["car_units_2024_derived"] * 1e6 == pytest.approx(units["2024"])
    with pytest.raises(ValueError, match="expected one"):
        trade_secondary.vehicle_row(
            vehicles, "passenger_cars_units_china_to_russia", 2023, "Jan-Dec"
        )


def test_yuan_only_from_is_the_first_year_after_which_every_total_is_in_yuan():
    rows = pd.DataFrame(
        {
            "year": [2013, 2017, 2017, 2018, 2021],
            "unit": ["CNY billion", "USD billion", "CNY billion", "CNY billion", "CNY billion"],
        }
    )
    assert trade_secondary.yuan_only_from(rows) == 2018  # dollars again in 2017, after 2013
    assert trade_secondary.yuan_only_from(rows.iloc[2:]) == 2017


def test_border_facts_from_the_data_file():
    hlj = data.load("heilongjiang_russia_trade")
    full, part_years = trade_secondary.heilongjiang_frames(hlj)
    facts = trade_prose.border_facts(
        hlj, full.set_index("year")["value"], part_years.set_index("label")["value"]
    )
    assert facts["hlj_last_full_year"] == 2012 and facts["hlj_cny_from_year"] == 2018
    assert facts["hlj_ytd_growth_quoted_by"] == "Russian Consulate General in Harbin"
    assert facts["hlj_rank_period"] == "the first half of 2021"


# --- the built pages -----------------------------------------------------------------------------


def page_soup(site, page):
    return BeautifulSoup(
        (site / "chapters" / "trade" / f"{page}.html").read_text(encoding="utf-8"), "html.parser"
    )


def page_text(site, page):
    main = page_soup(site, page).find("main") or page_soup(site, page)
    return re.sub(r"\s+", " ", html.unescape(main.get_text("")).replace("\u2019", "'"))


@pytest.mark.build
@pytest.mark.parametrize("page, charts", [("settlement", 2), ("energy-goods", 2), ("border", 1)])
def test_pages_show_their_charts_with_alt_text_and_data(site, page, charts):
    figures = page_soup(site, page).select("figure.btb-figure")
    assert len(figures) == charts
    for fig in figures:
        img = fig.find("img")
        assert img["src"].startswith("data:image/png;base64,") and len(img["src"]) > 10_000
        assert len(img.get("alt", "").strip()) > 60
        assert fig.select_one("a.btb-download")["href"].startswith("data:text/csv")
        assert "Value type:" in fig.get_text()
        assert "Secondary source" in fig.get_text()


@pytest.mark.build
@pytest.mark.parametrize(
    "page, label",
    [
        ("settlement", "fig-settlement-currencies"),
        ("energy-goods", "fig-crude-imports"),
        ("energy-goods", "fig-car-exports"),
        ("border", "fig-heilongjiang"),
    ],
)
def test_figure_labels_exist_for_the_story_chapter(site, page, label):
    assert page_soup(site, page).find(id=label) is not None


def value(frame, **where):
    sel = frame
    for column, wanted in where.items():
        sel = sel[sel[column] == wanted]
    assert len(sel) == 1, where
    return float(sel["value"].iloc[0])


def expected_settlement():
    s = data.load(SHARES)
    s = s[s["period_type"] != "point"]
    v = lambda period, flow, cur: value(s, period=period, flow=flow, currency=cur)  # noqa: E731
    return [
        f"settled {v('2021', 'exports', 'USD+EUR'):.1f} per cent of Russia",
        f"the rouble {v('2021', 'exports', 'RUB'):.1f} per cent",
        f"in January 2022 its share of export payments was at most {v('2022-01', 'exports', 'CNY'):.1f} per cent",
        "plus annual shares for 2021 and 2023 (other annual rows",
        f"for January 2024, was {v('2024-01', 'exports', 'CNY'):.1f} per cent",
        f"for 2023, was {v('2023', 'exports', 'USD+EUR'):.1f} per cent",
        f"reached {v('2024-06', 'exports', 'RUB'):.1f} per cent by June 2024",
        f"went from {v('2022-01', 'imports', 'CNY'):.1f} per cent in January 2022 to "
        f"{v('2024-01', 'imports', 'CNY'):.1f} per cent in January 2024",
        f"fell from {v('2021', 'imports', 'USD') + v('2021', 'imports', 'EUR'):.1f} per cent (2021)",
        f"to {v('2023-06', 'imports', 'USD+EUR'):.1f} per cent (June 2023)",
        f"was {v('2025-04', 'imports', 'RUB'):.1f} per cent in April 2025",
    ]


def expected_energy():
    c = data.load("china_crude_imports_russia_saudi")
    vol = lambda y, s: value(c, year=y, supplier=s, metric="volume")  # noqa: E731
    cars = data.load("china_vehicle_exports_to_russia")
    car = lambda y, p, m: value(cars, year=y, period=p, metric=m)  # noqa: E731
    units25 = car(2025, "Jan-Dec", "passenger_cars_units_china_to_russia")
    change = car(2025, "Jan-Dec", "passenger_cars_units_yoy_change")
    return [
        f"China imported {vol(2019, 'Russia'):.1f} million tonnes",
        f"and {vol(2019, 'Saudi Arabia'):.1f} million tonnes from Saudi Arabia",
        f"with {vol(2023, 'Russia'):.1f} million tonnes against Saudi Arabia's {vol(2023, 'Saudi Arabia'):.1f}",
        f"shipped {vol(2024, 'Russia'):.1f} million tonnes (about "
        f"{value(c, year=2024, supplier='Russia', metric='barrels_per_day'):.2f} million barrels",
        f"{(vol(2024, 'Russia') / vol(2019, 'Russia') - 1) * 100:.0f} per cent more",
        f"US$ {value(c, year=2021, supplier='Russia', metric='import_value'):.1f} billion in 2021",
        f"exported {car(2022, 'Jan-Dec', 'passenger_cars_units_china_to_russia') / 1000:.1f} thousand passenger cars",
        f"exported {car(2023, 'Jan-Aug', 'passenger_cars_units_china_to_russia') / 1000:.0f} thousand, worth "
        f"US$ {car(2023, 'Jan-Aug', 'passenger_cars_value_china_to_russia'):.2f} billion",
        f"US$ {car(2024, 'Jan-Dec', 'passenger_cars_value_china_to_russia'):.1f} billion. In 2025",
        f"about {units25 / (1 + change / 100) / 1e6:.2f} million cars in 2024",
        f"from about {car(2021, 'Jan-Dec', 'china_share_of_russia_car_imports'):.0f} per cent in 2021",
        "Both rose sharply in 2023, the year after Russia's invasion",
        "from Saudi Arabia, its largest supplier that year.",
        "Russian volumes did not rise every year (they fell in 2021), but in 2023 Russia moved ahead",
        "taking back the first place among China's suppliers that MEES had given it for 2018.",
        "values were found only for 2021 and 2023.",
    ]


def expected_border():
    h = data.load("heilongjiang_russia_trade")
    t = lambda y, p: value(h, year=y, period=p, metric="heilongjiang_trade_with_russia")  # noqa: E731
    return [
        f"US$ {t(2005, 'Jan-Dec'):.2f} billion in 2005",
        f"US$ {t(2012, 'Jan-Dec'):.2f} billion in 2012",
        f"came to {t(2022, 'Jan-Aug'):.1f} billion yuan, "
        f"{(t(2022, 'Jan-Aug') / t(2021, 'Jan-Aug') - 1) * 100:.1f} per cent more than the "
        f"{t(2021, 'Jan-Aug'):.1f} billion",
        f"all partners was found, {value(h, year=2023, period='Jan-Dec', metric='heilongjiang_total_foreign_trade'):.1f} billion yuan",
        "No annual figure for Heilongjiang's trade with Russia after 2012 was found.",
        "in US dollars or yuan, and from 2018 in yuan only.",
        "for trade with Russia in the first half of 2021.",
        f"it differs from the {value(h, year=2022, period='Jan-Aug', metric='heilongjiang_trade_with_russia_yoy_change'):.1f} "
        "per cent quoted by the Russian Consulate General in Harbin.",
    ]


@pytest.mark.build
@pytest.mark.parametrize(
    "page, expected",
    [
        ("settlement", expected_settlement),
        ("energy-goods", expected_energy),
        ("border", expected_border),
    ],
)
def test_glued_numbers_equal_the_values_computed_from_the_data(site, page, expected):
    text = page_text(site, page)
    missing = [phrase for phrase in expected() if phrase not in text]
    assert missing == []


@pytest.mark.build
@pytest.mark.browser
def test_the_export_import_switch_changes_the_visible_chart(open_page):
    page = open_page("chapters/trade/settlement.html").page
    switch = page.locator(".btb-switch").first

    assert visible_views(switch) == ["Exports"]
    assert "export payments" in switch.locator(".btb-switch-panel:visible img").get_attribute("alt")
    switch.locator("label", has_text="Imports").click()
    assert visible_views(switch) == ["Imports"]
    assert "import payments" in switch.locator(".btb-switch-panel:visible img").get_attribute("alt")
