"""The page "Energy and goods": crude and cars, its facts and checks, the built page."""

from __future__ import annotations

import pandas as pd
import pytest

from backtoback import data
from backtoback.pages import energy_goods

from .conftest import (
    check_in_short,
    one_value,
)

PAGE = "energy-goods"
CHARTS = 2  # figures on the built page
LABELS = ["fig-crude-imports", "fig-car-exports"]  # figure targets other pages link to


def test_the_crude_facts_equal_the_data_file(facts):
    crude = data.load("china_crude_imports_russia_saudi")
    vol = lambda y, s: one_value(crude, year=y, supplier=s, metric="volume")  # noqa: E731
    assert (facts.ru_first, facts.sa_first) == (vol(2019, "Russia"), vol(2019, "Saudi Arabia"))
    assert (facts.ru_ahead, facts.sa_ahead) == (vol(2023, "Russia"), vol(2023, "Saudi Arabia"))
    assert facts.ru_last == vol(2024, "Russia")
    assert facts.bpd_last == one_value(
        crude, year=2024, supplier="Russia", metric="barrels_per_day"
    )
    assert facts.ru_growth == pytest.approx((vol(2024, "Russia") / vol(2019, "Russia") - 1) * 100)
    assert facts.value_a == one_value(crude, year=2021, supplier="Russia", metric="import_value")


def test_the_car_facts_equal_the_data_file(facts):
    cars = data.load("china_vehicle_exports_to_russia")
    car = lambda y, p, m: one_value(cars, year=y, period=p, metric=m)  # noqa: E731
    units25 = car(2025, "Jan-Dec", "passenger_cars_units_china_to_russia")
    change = car(2025, "Jan-Dec", "passenger_cars_units_yoy_change")
    c = facts.cars
    assert c.units_2022 * 1000 == car(2022, "Jan-Dec", "passenger_cars_units_china_to_russia")
    assert c.value_2023_ytd == car(2023, "Jan-Aug", "passenger_cars_value_china_to_russia")
    assert c.value_2024 == car(2024, "Jan-Dec", "passenger_cars_value_china_to_russia")
    assert c.units_2024_derived == pytest.approx(units25 / (1 + change / 100) / 1e6)
    assert c.share_2021 == car(2021, "Jan-Dec", "china_share_of_russia_car_imports")


def test_cars_2024_units_are_derived_and_marked_so(page):
    units, dollars = page["units"], page["dollars"]
    row = units.set_index("period").loc["2024"]
    assert row["kind"] == "derived" and row["value_type"] == "derived"
    assert "2023" not in set(units["period"]) and "2023" not in set(dollars["period"])


def test_the_reported_2024_value_matches_the_2025_fall(facts):
    vehicles = data.load("china_vehicle_exports_to_russia")
    assert facts.cars.value_2024_check == pytest.approx(facts.cars.value_2024, rel=0.02)
    with pytest.raises(ValueError, match="expected one"):
        energy_goods.vehicle_row(vehicles, "passenger_cars_units_china_to_russia", 2023, "Jan-Dec")


def test_the_part_year_bar_must_beat_the_full_year_before():
    units = pd.DataFrame(
        {
            "period": ["2022", "2023 Jan-Aug", "2024"],
            "kind": ["full", "partial", "derived"],
            "value": [153.0, 482.0, 1090.0],
        }
    )
    assert energy_goods.part_year_beat_previous_year(units, 2023)
    assert not energy_goods.part_year_beat_previous_year(units, 2024)  # the bar is for 2023
    units.loc[1, "value"] = 100.0
    assert not energy_goods.part_year_beat_previous_year(units, 2023)


def test_years_fallen_and_the_largest_rise():
    russia = pd.Series([77.0, 84.0, 80.0, 86.0, 79.0, 107.0], index=range(2019, 2025))
    assert energy_goods.years_fallen(russia) == [2021, 2023]
    assert energy_goods.years_fallen(pd.Series([1.0, 2.0, 3.0], index=[2019, 2020, 2021])) == []
    assert energy_goods.largest_rise_year(russia) == 2024


def test_russia_is_ahead_since_only_if_it_never_falls_behind_again():
    volume = pd.DataFrame(
        {"Russia": [70.0, 90.0, 80.0, 95.0], "Saudi Arabia": [80.0, 85.0, 88.0, 90.0]},
        index=[2019, 2020, 2021, 2022],
    )
    crude = pd.DataFrame(
        [(2019, "Russia", "import_value", 40.0), (2019, "Russia", "barrels_per_day", 1.5)]
        + [(2022, "Russia", "barrels_per_day", 1.9)]
        + [(y, s, "rank_as_supplier", r) for y in range(2019, 2023) for s, r in [("Russia", 2)]],
        columns=["year", "supplier", "metric", "value"],
    )
    ahead, since = energy_goods.russia_ahead(volume)
    assert (list(ahead), since) == ([2020, 2022], False)
    assert (
        "; Russia was ahead in 2020 and 2022, and in 2022" in energy_goods.facts(crude, volume).alt
    )
    volume.loc[2021, "Russia"] = 89.0
    ahead, since = energy_goods.russia_ahead(volume)
    assert (list(ahead), since) == ([2020, 2021, 2022], True)
    assert energy_goods.facts(crude, volume).alt == (
        "Line chart. Russia supplied 70.0 million tonnes in 2019, less than Saudi Arabia's 80.0; "
        "from 2020 Russia was ahead, and in 2022 it supplied 95.0 million tonnes against Saudi "
        "Arabia's 90.0."
    )


def test_the_page_stops_when_saudi_arabia_was_not_the_largest_supplier(page_stops):
    """'Saudi Arabia, its largest supplier that year' (2019) must fail once Russia ranks first."""

    def russia_first_in_2019(crude):
        rank = (crude.year == 2019) & (crude.metric == "rank_as_supplier")
        crude.loc[rank & (crude.supplier == "Russia"), "value"] = 1
        crude.loc[rank & (crude.supplier == "Saudi Arabia"), "value"] = 2

    page_stops("largest supplier that year", china_crude_imports_russia_saudi=russia_first_in_2019)


def test_the_latest_crude_is_the_2025_part_year_as_published(page, facts):
    recent = data.load("china_crude_imports_2025_2026")
    got = lambda s, m: one_value(recent, period="2025-01..09", supplier=s, metric=m)  # noqa: E731
    latest = facts.latest
    assert (latest.russia, latest.saudi) == (got("Russia", "volume"), got("Saudi Arabia", "volume"))
    assert latest.russia_change == got("Russia", "volume_change") == -8.1
    assert latest.value_change == got("Russia", "import_value_change")
    assert latest.months == 9 and not latest.full_year
    # the chart's part-year rows are exactly that period, marked as not a full year
    part = page["plotted"][page["plotted"]["period"] == "2025-01..09"]
    assert set(part["supplier"]) == {"Russia", "Saudi Arabia"} and not part["full_year"].any()
    assert set(page["plotted"].loc[page["plotted"]["full_year"], "year"]) == set(range(2019, 2025))


def test_the_crude_chart_draws_the_part_year_hollow_after_a_break(page):
    fig, ax = energy_goods.plot_crude(page["volume"], page["part_year"])
    texts = [t.get_text() for t in ax.texts]
    assert "Jan–Sep 2025\n(partial)" in texts  # the break's label
    assert {"74.0 partial", "59.5 partial"} <= set(texts)
    hollow = [line for line in ax.get_lines() if line.get_markerfacecolor() == "white"]
    assert [list(line.get_xdata()) for line in hollow] == [[2025], [2025]]
    breaks = [line for line in ax.get_lines() if line.get_linestyle() == ":"]
    assert sorted(line.get_xdata()[0] for line in breaks) == [2022, 2024.5]
    # the full-year lines stop at 2024: the part year is not joined to them
    full = [line for line in ax.get_lines() if line.get_linestyle() in ("-", "--")]
    assert len(full) == 2 and all(max(line.get_xdata()) == 2024 for line in full)


def test_the_kpler_figure_is_a_note_not_a_chart_point(page, facts):
    assert set(page["part_year"]["metric"]) == {"volume"}
    assert not page["plotted"]["period"].str.startswith("2026").any()
    assert facts.latest.kpler_not_customs and facts.latest.kpler_bpd == 1.86


def test_cars_are_two_counts_never_one_series(page, facts):
    units, cpca = page["units"], page["cpca"]
    assert set(units["series"]) == {"customs (GACC): passenger cars"}
    assert set(cpca["series"]) == {"CPCA: vehicles"}
    assert cpca.set_index("period")["kind"].to_dict() == {"2024": "full", "2025 Jan-Sep": "partial"}
    new_cars = data.load("china_car_exports_to_russia_2024_2025")
    assert facts.cars.cpca_2024 == one_value(
        new_cars, year=2024, period="Jan-Dec", metric="vehicles_units_cpca"
    )
    assert facts.cars.customs_2024_count_found is False
    rows = energy_goods.car_chart_rows(units, cpca, page["dollars"], page["rises"])
    assert rows["value_type"].notna().all() and len(rows) == len(units) + len(cpca) + 4 + 2


def test_the_fee_rises_are_marked_at_their_dates_and_the_label_overlaps_nothing(page):
    fig, (top, _) = energy_goods.plot_cars(
        page["units"], page["cpca"], page["dollars"], page["rises"]
    )
    breaks = sorted(line.get_xdata()[0] for line in top.get_lines() if line.get_linestyle() == ":")
    assert breaks == pytest.approx([2024 - 0.5 + 274 / 366, 2024.5])
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    label = next(t for t in top.texts if t.get_text().startswith("recycling fee raised"))
    assert "1 Oct 2024" in label.get_text() and "1 Jan 2025" in label.get_text()
    box = label.get_window_extent(renderer)
    others = [p.get_window_extent(renderer) for p in top.patches]
    others += [t.get_window_extent(renderer) for t in top.texts if t is not label and t.get_text()]
    others.append(top.get_legend().get_window_extent(renderer))
    assert not any(box.overlaps(other) for other in others)
    # and it crosses neither fee line
    x0, x1 = top.transData.inverted().transform([[box.x0, 0], [box.x1, 0]])[:, 0]
    assert all(not x0 <= x <= x1 for x in breaks)


def test_the_date_on_a_year_axis():
    assert energy_goods.date_on_year_axis("2025-01-01") == 2024.5
    assert energy_goods.date_on_year_axis("2023-07-02") == pytest.approx(2023 - 0.5 + 182 / 365)


def test_the_page_stops_when_a_2024_customs_count_appears(page_stops):
    """'no 2024 customs count of cars were found' must fail once the data has one."""

    def a_2024_count(vehicles):
        row = (vehicles.year == 2024) & (vehicles.period == "Nov")
        vehicles.loc[row, "period"] = "Jan-Dec"

    page_stops("no 2024 customs count", china_vehicle_exports_to_russia=a_2024_count)


def test_the_page_stops_when_the_quoted_crude_figure_changes(page_stops):
    def revised(recent):
        row = (recent.period == "2025-01..09") & (recent.metric == "volume")
        recent.loc[row & (recent.supplier == "Russia"), "value"] = 75.0

    page_stops("74.04 million tonnes", china_crude_imports_2025_2026=revised)


def test_the_page_stops_when_saudi_arabia_leads_the_part_year(page_stops):
    def saudi_first(recent):
        row = (recent.period == "2025-01..09") & (recent.metric == "volume")
        recent.loc[row & (recent.supplier == "Saudi Arabia"), "value"] = 80.0

    page_stops("still China's largest supplier", china_crude_imports_2025_2026=saudi_first)


def test_the_page_stops_when_a_fee_rise_moves(page_stops):
    def later(fee):
        fee.loc[fee.effective_date == "2025-01-01", "effective_date"] = "2025-02-01"

    page_stops("1 October 2024 and 1 January 2025", russia_car_recycling_fee=later)


@pytest.mark.build
def test_the_built_page_opens_with_in_short(site):
    check_in_short(
        site, PAGE, ["As of 1 December 2026", "74.04 million tonnes", "632,341", "1.16 million"]
    )


# -- the built page ---------------------------------------------------------------------------


def built_snippets(facts) -> list[str]:
    """What the built page says, formatted from its facts object (tests/pages/test_built.py)."""
    c = facts.cars
    return [
        f"China imported {facts.ru_first:.1f} million tonnes",
        f"and {facts.sa_first:.1f} million tonnes from Saudi Arabia, its largest supplier that year.",
        "Russian volumes did not rise every year (they fell in 2021), but in 2023 Russia moved ahead",
        f"with {facts.ru_ahead:.1f} million tonnes against Saudi Arabia's {facts.sa_ahead:.1f}, "
        "taking back the first place among China's suppliers that MEES had given it for 2018.",
        f"shipped {facts.ru_last:.1f} million tonnes (about {facts.bpd_last:.2f} million barrels",
        f"{facts.ru_growth:.0f} per cent more",
        f"US$ {facts.value_a:.1f} billion in 2021",
        "full-year values were found only for 2021 and 2023.",
        "Both rose sharply in 2023, the year after Russia's invasion",
        f"exported {c.units_2022:.1f} thousand passenger cars",
        f"exported {c.units_2023_ytd:.0f} thousand, worth US$ {c.value_2023_ytd:.2f} billion",
        f"US$ {c.value_2024:.1f} billion. In 2025",
        f"about {c.units_2024_derived:.2f} million cars in 2024 on the same count",
        "No full-year 2023 figure and no 2024 customs count of cars were found.",
        "counted 1.16 million vehicles exported to Russia, 27 per cent more than in 2023",
        f"the value that period was US$ {facts.latest.value:.2f} billion",
        "from 1 October 2024 and to 667,400 roubles from 1 January 2025",
        f"from about {c.share_2021:.0f} per cent in 2021",
    ]
