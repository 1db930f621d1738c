"""The page "The EU falls away": comparing EU-27 sums over the same member states, its facts,
its checks, the built page."""

from __future__ import annotations

import pandas as pd
import pytest

from backtoback import data
from backtoback.pages import eu_monthly
from backtoback.pages.eu_monthly import (
    EU_EXPORTS_TOTAL,
    EU_IMPORTS_FUELS,
    EU_IMPORTS_TOTAL,
    EU_SERIES,
)

from ..test_pipeline import raw_states, same_states_change_pct
from .conftest import check_in_short

PAGE = "eu"
CHARTS = 2  # figures on the built page
LABELS = ["fig-eu-russia-monthly", "fig-eu-russia-annual"]  # figure targets other pages link to
FEB = pd.Timestamp("2022-02-01")


def test_the_change_since_the_invasion_is_over_the_same_member_states(facts):
    """November 2022 lacks the Netherlands' import figure, so comparing its sum with February's
    (as the page once did) overstates the fall; the change is taken to the last month in which
    all member states reported, and it equals the raw workbook's same-states change."""
    comext = data.load("eu_russia_trade_monthly")
    nov = pd.Timestamp("2022-11-01")
    with pytest.raises(ValueError, match="not over the same member states"):
        eu_monthly.change_pct(comext, EU_IMPORTS_TOTAL, FEB, nov)
    end = facts.end_month
    assert end == eu_monthly.last_complete_month(comext, EU_IMPORTS_TOTAL)
    assert eu_monthly.missing(comext, EU_IMPORTS_TOTAL, end) == []
    assert eu_monthly.missing(comext, EU_IMPORTS_TOTAL, FEB) == []
    raw = same_states_change_pct("[TOTAL]", "IMPORT", "2022-02", f"{end:%Y-%m}")
    assert facts.imp_change == pytest.approx(raw, abs=0.01)
    assert all(v is not None for v in raw_states("[TOTAL]", "IMPORT", f"{end:%Y-%m}").values())


def test_a_share_with_a_missing_part_is_a_lower_bound():
    comext = data.load("eu_russia_trade_monthly")
    share, lower = eu_monthly.share_pct(
        comext, EU_IMPORTS_FUELS, EU_IMPORTS_TOTAL, pd.Timestamp("2022-10-01")
    )
    assert lower and 0 < share < 100
    with pytest.raises(ValueError):  # the whole lacks a member state: no bound either way
        eu_monthly.share_pct(comext, EU_IMPORTS_FUELS, EU_IMPORTS_TOTAL, pd.Timestamp("2022-11-01"))


def test_the_facts_equal_the_data_file(facts):
    frame = data.load("eu_russia_trade_monthly")
    frame["date"] = pd.to_datetime(
        dict(year=frame.year.astype(int), month=frame.month.astype(int), day=1)
    )
    totals = frame[frame["product"] == "TOTAL all products"]
    total = totals.pivot(index="date", columns="flow", values="value") / 1000
    imports, exports = total["imports_from_russia"], total["exports_to_russia"]
    low = exports[exports.index >= FEB].idxmin()
    close = lambda value: pytest.approx(value, abs=5e-5)  # noqa: E731 (the page rounds to 4 dp)
    assert (facts.imp_event, facts.exp_event) == (close(imports[FEB]), close(exports[FEB]))
    assert (facts.exp_low_month, facts.exp_low) == (low, close(exports[low]))
    assert (facts.imp_peak_month, facts.imp_peak) == (imports.idxmax(), close(imports.max()))
    assert facts.imp_2021_mean == close(imports.loc["2021"].mean())
    assert facts.rows == len(frame)
    assert facts.rows_missing == (frame.reporters_missing > 0).sum()
    assert facts.missing_max == frame.reporters_missing.max()


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
NL_IN_APRIL = [[], [], [], ["Netherlands"]]
MALTA_IN_FEB = [[], ["Malta"], [], []]


def synthetic() -> tuple[pd.DataFrame, pd.DataFrame]:
    comext = pd.concat(
        [
            comext_rows(MONTHS, *EU_IMPORTS_TOTAL, [20.0, 35.0, 30.0, 10.0], NL_IN_APRIL),
            comext_rows(MONTHS, *EU_EXPORTS_TOTAL, [1.0, 9.0, 3.0, 2.0]),
            comext_rows(MONTHS, *EU_IMPORTS_FUELS, [10.0, 11.0, 12.0, 4.0], MALTA_IN_FEB),
            comext_rows(MONTHS, "exports_to_russia", "HS 27 mineral fuels, oils", [0.1] * 4),
        ]
    )
    months = [
        pd.Timestamp(year=y, month=m, day=1) for y, m in zip(comext.year, comext.month, strict=True)
    ]
    series = [EU_SERIES[key] for key in zip(comext["flow"], comext["product"], strict=True)]
    long = pd.DataFrame({"month_start": months, "series": series, "value": comext["value"]})
    wide = long.pivot(index="month_start", columns="series", values="value")
    return comext, wide[list(EU_SERIES.values())]


def test_key_months_and_incomplete_sums():
    comext, wide = synthetic()
    # exports were lowest in January, but the low that counts is from the event on
    assert eu_monthly.key_months(comext, wide, FEB) == eu_monthly.KeyMonths(
        last=MONTHS[3], end=MONTHS[2], exports_low=MONTHS[3], imports_peak=MONTHS[1]
    )
    rows, totals = eu_monthly.incomplete_sums(comext)
    assert (len(rows), totals) == (2, 1)


def test_the_facts_say_which_sums_are_bounds_and_what_they_lack():
    comext, wide = synthetic()
    before = pd.Series({"European Union": 34.0, "China": 18.0}, name=2020)
    facts = eu_monthly.facts(comext, wide, FEB, before)
    assert facts.fuel_share_event_is_lower_bound and round(facts.fuel_share_event) == 31
    assert not facts.fuel_share_end_is_lower_bound and facts.fuel_share_end == 40.0
    assert facts.last_month_lacks == ["Netherlands"] and facts.end_month == MONTHS[2]
    assert facts.imports_fell_after_event  # 35 in February, 30 in March
    assert "fuels were at least 31% of them in February 2022" in facts.alt


def test_the_page_stops_when_a_typed_lower_bound_is_no_longer_one(page_stops):
    """'a lower bound, as the figure for Cyprus is not available': must fail once Cyprus reports."""

    def cyprus_reports(comext):
        april = (comext.year == 2022) & (comext.month == 4) & (comext.flow == "exports_to_russia")
        comext.loc[april, ["reporters_missing", "missing_reporters"]] = [0, ""]

    page_stops("Cyprus", eu_russia_trade_monthly=cyprus_reports)


# -- after 2022: the annual figures reported from Eurostat ------------------------------------


def reports(*rows):
    return pd.DataFrame(rows, columns=["period", "value", "source_level", "source_title"])


def test_of_several_reports_the_best_sourced_is_drawn_then_the_most_repeated():
    rows = reports(
        ("2024", 67.5, "secondary (mirror)", "a copy"),
        ("2024", 67.7, "secondary", "the mission"),
        ("2024", 67.5, "secondary", "the institute"),
        ("2024", 67.5, "secondary (low quality)", "a weak site"),
        ("2023", 88.9, "secondary (low quality)", "the only one"),
    )
    best = eu_monthly.best_sourced(rows)
    assert best[["period", "source_title"]].values.tolist() == [
        ["2023", "the only one"],
        ["2024", "the institute"],
    ]
    with pytest.raises(ValueError, match="source_level"):
        eu_monthly.best_sourced(reports(("2024", 1.0, "a blog", "x")))


def test_a_part_year_is_labelled_by_its_months():
    assert eu_monthly.period_label("2025-01..09", False) == "2025 Jan–Sep"
    assert eu_monthly.period_label("2024", True) == "2024"


def test_the_annual_table_joins_the_sums_and_the_reports(page, facts):
    annual, later = page["annual"], facts.annual
    comext = data.load("eu_russia_trade_monthly")
    totals_2021 = comext.query("year == 2021 and product == 'TOTAL all products'")["value"]
    assert later.total_first == pytest.approx(totals_2021.sum() / 1000, abs=1e-3)
    assert annual["period"].tolist() == ["2021", "2022-01..11", "2023", "2024", "2025-01..09"]
    # computed on the page left of the break, reported right of it, each with its source level
    assert annual["value_type"].tolist() == ["computed"] * 2 + ["reported"] * 3
    assert annual["source_level"].iloc[2:].tolist() == [
        "secondary (low quality)",
        "secondary",
        "secondary",
    ]
    assert annual["full_year"].tolist() == [True, False, True, True, False]
    assert later.latest_change_published == -12.9
    assert later.latest_change_computed == pytest.approx((43.9 / 50.7 - 1) * 100)
    assert "low-quality source" in later.labels[2] and "Jan–Sep" in later.labels[4]


def test_the_annual_chart_marks_part_years_and_the_change_of_source(page, facts):
    annual = page["annual"]
    fig, ax = eu_monthly.plot_annual(annual, facts.annual.labels, first_reported=2)
    bars = ax.patches
    assert len(bars) == len(annual)
    partial = [bar.get_hatch() for bar, full in zip(bars, annual["full_year"], strict=True)]
    assert [h is not None for h in partial] == (~annual["full_year"]).tolist()
    (line,) = [ln for ln in ax.get_lines() if ln.get_linestyle() == ":"]
    assert line.get_xdata()[0] == 1.5  # between 2022 (computed) and 2023 (reported)
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == facts.annual.labels


def test_the_page_stops_when_a_full_year_2025_figure_arrives(page_stops):
    def full_2025(eurostat):
        row = (eurostat.period == "2025-01..09") & (eurostat.flow == "total_trade")
        eurostat.loc[row, ["period", "period_type", "full_year"]] = ["2025", "year", True]

    page_stops("the text compares 2021 and 2024", eu_russia_trade_eurostat_2023_2025=full_2025)


def test_the_page_stops_when_the_2023_source_is_better_than_the_text_says(page_stops):
    def better_2023(eurostat):
        eurostat.loc[eurostat.period == "2023", "source_level"] = "secondary"

    page_stops("low-quality", eu_russia_trade_eurostat_2023_2025=better_2023)


def test_the_page_stops_when_the_eu_no_longer_sold_more_in_q2_2025(page_stops):
    def deficit(eurostat):
        q2 = (eurostat.period == "2025-Q2") & (eurostat.flow == "eu_exports_to_russia")
        eurostat.loc[q2, "value"] = 6.0

    page_stops(
        "sold Russia more than it bought in Q2 2025", eu_russia_trade_eurostat_2023_2025=deficit
    )


# -- the built page ---------------------------------------------------------------------------


def built_snippets(facts) -> list[str]:
    """What the built page says, formatted from its facts object (tests/pages/test_built.py)."""
    return [
        f"accounted for {facts.pre_eu_share:.0f}% of Russia's trade and China for "
        f"{facts.pre_cn_share:.0f}%",
        f"imports from Russia of €{facts.imp_event:.1f} billion and exports to Russia of "
        f"€{facts.exp_event:.1f} billion",
        f"their lowest month was April 2022, at €{facts.exp_low:.1f} billion, a lower bound, as "
        "the figure for Cyprus is not available for that month",
        f"peaked in March 2022 at €{facts.imp_peak:.1f} billion, against a 2021 monthly average "
        f"of €{facts.imp_2021_mean:.1f} billion",
        "by October 2022, the last month in which every member state's import figure is "
        f"available, imports were €{facts.imp_end:.1f} billion, {facts.imp_change:.0f}% against "
        "February",
        "The extract runs to November 2022, but that month's import total lacks the figure for "
        "the Netherlands",
        f"at least {facts.fuel_share_event:.0f}% of the value of EU imports from Russia",
        f"Of the {facts.rows} monthly values in the data, {facts.rows_missing} are sums",
        f"at most {facts.missing_max} of 27",
        "By 2024 EU trade with Russia in goods had fallen to about a quarter of its 2021 level",
        f"exports to Russia came to €{facts.annual.total_first:.1f} billion in 2021",
        "give €88.9 billion for 2023, a total found only on a low-quality site",
        "about €67.5 billion for 2024",
        "January to September 2025 came to €43.9 billion, 12.9 per cent less than a year earlier",
        f"it would be {facts.annual.latest_change_computed:.1f}%",
    ]


@pytest.mark.build
def test_the_built_page_opens_with_the_in_short_box(site):
    check_in_short(site, PAGE, ["about a quarter of its 2021 level", "€43.9 billion", "2025"])
