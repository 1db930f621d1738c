"""The page "China–Russia trade, 2000 to the latest year": its facts, its checks, the built page."""

from __future__ import annotations

import pandas as pd
import pytest

from backtoback import data
from backtoback.pages import china_russia
from backtoback.pages.china_russia import EXPORTS, IMPORTS, TOTAL

from .conftest import (
    check_in_short,
    check_switch,
    one_value,
)

PAGE = "china-russia-trade"
CHARTS = 3  # figures on the built page
LABELS = ["fig-china-russia-trade"]  # figure targets other pages link to


def raw_totals() -> tuple[pd.Series, pd.Series, pd.Series]:
    """Straight from the data files: China-reported DOTS totals, the news totals, both joined."""
    dots = data.load("imf_dots_trade")
    china = dots[(dots.reporter == "China (mainland)") & (dots.partner == "Russia")]
    dots_total = china.groupby("year")["value"].sum() / 1000
    gacc = data.load("china_russia_trade_gacc")
    news_total = gacc[gacc.flow == "total"].set_index("year")["value"]
    joined = pd.concat([dots_total, news_total[news_total.index > dots_total.index.max()]])
    return dots_total, news_total, joined


def test_the_facts_equal_the_data_files(facts):
    dots_total, news_total, total = raw_totals()
    first_news = dots_total.index.max() + 1
    assert (facts.first_year, facts.last_dots_year) == (total.index.min(), dots_total.index.max())
    assert (facts.peak_year, facts.latest_year) == (total.idxmax(), total.index.max())
    assert facts.total_first == pytest.approx(total[facts.first_year], abs=5e-4)
    assert facts.total_dots_last == pytest.approx(dots_total.iloc[-1], abs=5e-4)
    assert facts.total_first_news == news_total[first_news]
    assert facts.peak_growth_since_first_news == pytest.approx(
        (total.max() / total[first_news] - 1) * 100
    )
    latest = total.index.max()
    assert facts.change_latest == pytest.approx((total[latest] / total[latest - 1] - 1) * 100)
    gacc = data.load("china_russia_trade_gacc")
    split = gacc[(gacc.year == first_news) & (gacc.flow != "total")]["value"].sum()
    assert facts.split_sum_first_news == pytest.approx(split)
    assert facts.check.gap_disagree == pytest.approx(
        (news_total[2015] / dots_total[2015] - 1) * 100, abs=0.005
    )


def test_the_2025_rate_is_the_published_one_and_the_computed_one_is_kept_beside_it(facts):
    later = data.load("china_russia_trade_2021_2026")
    total_2025 = later[(later.period == "2025") & (later.flow == "total")]
    published = total_2025[(total_2025.value_type == "reported") & (total_2025.currency == "USD")]
    computed = total_2025[total_2025.value_type == "computed"]
    assert facts.published_change_latest == one_value(published, measure="change_yoy")
    assert facts.computed_change_latest == one_value(computed, measure="change_yoy")
    assert facts.published_change_latest != facts.computed_change_latest  # why the page shows both
    _, _, total = raw_totals()
    assert facts.computed_change_latest == pytest.approx(
        (total[2025] / total[2024] - 1) * 100, abs=0.05
    )
    assert "-6.9% as customs published it" in facts.alt


def test_the_partial_year_point_is_the_latest_year_to_date_total_and_is_marked(page, facts):
    later = data.load("china_russia_trade_2021_2026")
    ytd = later[(later.flow == "total") & (later.period_type == "year_to_date")]
    newest = ytd[ytd.period == ytd.period.max()]
    assert newest.period.iloc[0] == "2026-01..04"
    partial = page["series"][~page["series"]["full_year"]]
    assert len(partial) == 1 and partial["year"].iloc[0] == 2026
    assert partial["value"].iloc[0] == one_value(newest, measure="level", currency="USD")
    assert facts.partial_change == one_value(newest, measure="change_yoy")
    assert partial["period"].iloc[0] == "Jan–Apr 2026" == facts.partial_period
    assert partial["source"].iloc[0] == china_russia.PARTIAL_SOURCE
    # the full-year facts ignore it: the latest full year stays 2025
    assert facts.latest_year == 2025 and facts.total_latest == 228.1
    assert "Jan–Apr 2026 only (a partial year)" in facts.caption
    assert "(partial year)" in facts.alt


def test_the_partial_point_is_drawn_hollow_and_labelled(page):
    fig, ax = china_russia.plot(page["series"], break_year=page["last_dots_year"])
    hollow_2026 = [
        line
        for line in ax.get_lines()
        if list(line.get_xdata()) == [2026] and line.get_markerfacecolor() == "white"
    ]
    assert len(hollow_2026) == 1
    assert any("partial year" in text.get_text() for text in ax.texts)


def test_period_labels_and_the_last_fall():
    assert china_russia.period_label("2026-01..04") == "Jan–Apr 2026"
    assert china_russia.period_label("2025-01..10") == "Jan–Oct 2025"
    totals = pd.Series([10.0, 9.0, 12.0, 13.0, 11.0], index=[2019, 2020, 2021, 2022, 2023])
    assert china_russia.last_fall_before(totals, 2023) == 2020
    assert china_russia.last_fall_before(totals.loc[2021:], 2023) is None


def test_the_chart_data_joins_the_sources_at_the_break(page):
    series = page["series"]
    last_dots = page["last_dots_year"]
    sources = series.groupby("source")["year"].agg(["min", "max"])
    assert sources.loc[china_russia.DOTS_SOURCE, "max"] == last_dots
    assert sources.loc[china_russia.GACC_SOURCE, "min"] == last_dots + 1
    assert not series.duplicated(["year", "series"]).any()
    assert set(series["value_type"]) <= {"reported", "computed", "derived"}
    dots_totals = series[(series.series == TOTAL) & (series.source == china_russia.DOTS_SOURCE)]
    assert set(dots_totals["value_type"]) == {"computed"}


def test_mirror_alt_text_quotes_the_importers_gap(page, facts):
    mirrors = page["mirrors"]
    wide = mirrors["China → Russia"]
    gap = (wide.iloc[-1, 1] / wide.iloc[-1, 0] - 1) * 100
    assert facts.mirror["China → Russia"].gap_last == pytest.approx(gap)
    assert f"is {gap:+.0f}% against the exporter's" in facts.mirror["China → Russia"].alt


def test_imports_ahead_counts_only_years_with_both_flows():
    rows = [
        (2021, EXPORTS, 10.0),
        (2021, IMPORTS, 12.0),
        (2022, EXPORTS, 15.0),
        (2022, IMPORTS, 11.0),
        (2023, EXPORTS, 9.0),
        (2023, IMPORTS, 14.0),
        (2024, TOTAL, 30.0),  # no split: not counted either way
        (2020, EXPORTS, 1.0),  # before the start
        (2020, IMPORTS, 2.0),
    ]
    series = pd.DataFrame(rows, columns=["year", "series", "value"])
    assert china_russia.imports_ahead_of_exports(series, since=2021) == (2, 3)


def test_the_flagged_customs_year_must_be_unique():
    gacc = pd.DataFrame(
        {"year": [2014, 2015, 2015, 2016], "note": ["rounded headline", None, "DISAGREES", ""]}
    )
    assert china_russia.flagged_year(gacc, [2014, 2015, 2016], "DISAGREES") == 2015
    assert china_russia.flagged_year(gacc, [2014, 2015, 2016], "rounded") == 2014
    with pytest.raises(ValueError, match="expected one year"):
        china_russia.flagged_year(gacc, [2015, 2016], "rounded")


def test_mirror_gap_is_the_importers_figure_against_the_exporters():
    wide = pd.DataFrame({"exporter": [100.0, 50.0], "importer": [110.0, 40.0]}, index=[2019, 2020])
    assert china_russia.mirror_gap_pct(wide).round(6).tolist() == [10.0, -20.0]


def test_the_page_stops_when_the_typed_peak_year_is_no_longer_true(page_stops):
    """'The series peaks in 2024 ... still ...% above 2021': a higher 2025 total must fail the page."""

    def record_2025(gacc):
        gacc.loc[(gacc.year == 2025) & (gacc.flow == "total"), "value"] = 300.0

    page_stops("peaks in 2024", china_russia_trade_gacc=record_2025)


def test_the_page_stops_when_the_typed_2026_figure_is_no_longer_the_data(page_stops):
    """The 'In short' box types 'January–April 2026: US$ 85.24 billion': a new figure must fail it."""

    def revised(later):
        later.loc[(later.period == "2026-01..04") & (later.flow == "total"), "value"] = 90.0

    page_stops("85.24", china_russia_trade_2021_2026=revised)


# -- the built page ---------------------------------------------------------------------------


def built_snippets(facts) -> list[str]:
    """What the built page says, formatted from its facts object (tests/pages/test_built.py)."""
    c, m = facts.check, facts.mirror["China → Russia"]
    return [
        f"In 2000, China reported US$ {facts.total_first:.1f} billion",
        f"By 2020, the last year in the DOTS extract, the figure was US$ {facts.total_dots_last:.1f} billion",
        f"reported for 2021 put it at US$ {facts.total_first_news:.1f} billion",
        f"peaks in 2024 at US$ {facts.total_peak:.1f} billion, "
        f"{facts.peak_growth_since_first_news:.0f}% above",
        f"For 2025, the latest full year available as of December 2026, the reported total is "
        f"US$ {facts.total_latest:.1f} billion, down 6.9% on the year before as customs published "
        f"it, and still {facts.growth_since_first_news:.0f}% above 2021",
        "In short In China's customs figures, trade with Russia peaked at US$ 244.8 billion in 2024",
        "January–April 2026: US$ 85.24 billion, 19.7% more than in the same months of 2025",
        "put China's exports to Russia down 9.9% and its imports from Russia down 3.4%",
        f"add up to US$ {facts.split_sum_first_news:.2f} billion",
        f"the news figures are within {c.max_abs_gap:.1f}% of DOTS",
        f"2015 figures quoted in the news are {c.gap_disagree:.1f}% off the DOTS value",
        f"by between {m.gap_min:.0f}% and {m.gap_max:.0f}% over the period ({m.gap_last:.0f}% in 2020)",
    ]


@pytest.mark.build
def test_the_built_page_opens_with_the_in_short_box(site):
    check_in_short(site, PAGE, ["6.9%", "228.1", "85.24", "partial year"])


@pytest.mark.build
@pytest.mark.browser
def test_the_mirror_switch_changes_the_view(open_page):
    check_switch(open_page, PAGE, "China → Russia", "Russia → China", "Goods going Russia → China")
