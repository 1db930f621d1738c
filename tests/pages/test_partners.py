"""The page "Russia's partners": its facts, its checks, the built page."""

from __future__ import annotations

import pandas as pd
import pytest

from backtoback import data
from backtoback.pages import partners

from .conftest import (
    check_in_short,
    check_switch,
    one_value,
)

PAGE = "partners"
CHARTS = 2  # figures on the built page
LABELS = ["fig-russia-partner-shares"]  # figure targets other pages link to


def raw_shares() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Straight from the DOTS file: Russia's trade by partner (US$ mn) and shares of the world (%)."""
    dots = data.load("imf_dots_trade")
    russia = dots[dots.reporter == "Russia"].groupby(["year", "partner"])["value"].sum().unstack()
    share = russia[["China (mainland)", "European Union"]].div(russia["World"], axis=0) * 100
    return russia, share


def test_the_facts_equal_the_data_file(facts):
    russia, share = raw_shares()
    first, last = share.index.min(), share.index.max()
    eu = share["European Union"]
    assert (facts.first_year, facts.last_year) == (first, last)
    assert facts.china_first == pytest.approx(share.at[first, "China (mainland)"], abs=0.005)
    assert facts.eu_first == pytest.approx(eu[first], abs=0.005)
    assert (facts.eu_max_year, facts.eu_max) == (eu.idxmax(), pytest.approx(eu.max(), abs=0.005))
    assert facts.china_last == pytest.approx(share.at[last, "China (mainland)"], abs=0.005)
    assert facts.eu_last == pytest.approx(eu[last], abs=0.005)
    assert facts.eu_value_last == pytest.approx(russia.at[last, "European Union"] / 1000)
    assert facts.china_value_last == pytest.approx(russia.at[last, "China (mainland)"] / 1000)


def test_reported_shares_keep_full_years_of_china_and_the_eu_only(page):
    reported = page["reported"]
    assert set(reported["partner"]) == {"China", "European Union"}
    assert not reported["source"].str.startswith("IMF DOTS").any()
    assert reported["quality"].str.match(r"^(clear|flagged: .+)$").all()


def test_the_shares_reported_after_2021_join_the_chart_flagged(page, facts):
    later = data.load("russia_partner_shares_reported_2022_2025")
    total = later[
        (later.indicator == "share_of_russia_total_trade")
        & later.partner.isin(["China", "European Union"])
    ]
    reported = page["reported"]
    after = reported[reported["source"].isin(set(total["source_title"]))]
    assert sorted(after["share_pct"]) == sorted(total["value"])
    assert set(after["definition"]) == set(total["definition"])  # each row keeps its own
    # none is a calendar year with a stated period: all drawn hollow
    assert not total["full_year"].any() and after["quality"].str.startswith("flagged").all()
    eu_2024 = one_value(total[total.partner == "European Union"], year=2024)
    china_2024 = one_value(total[total.partner == "China"], year=2024)
    assert (facts.eu_flagged, facts.china_flagged) == (eu_2024, china_2024)
    assert facts.last_reported_year == 2024
    assert f"put the EU at {eu_2024:.0f}% (2024) and China at {china_2024:.0f}% (2024)" in (
        facts.share_alt
    )


def test_china_is_ahead_on_the_rough_reported_figures_from_2023(page, facts):
    reported = page["reported"]
    means = reported.groupby(["year", "partner"])["share_pct"].mean().unstack().dropna()
    assert facts.china_ahead_any == int(means.index[means["China"] > means["European Union"]].min())
    assert "the rougher reported figures put China ahead from 2023" in facts.share_alt


def test_chinas_shares_of_russias_exports_and_imports_equal_the_data(facts):
    later = data.load("russia_partner_shares_reported_2022_2025")
    china = later[later.partner == "China"]
    assert facts.direction.exports == one_value(
        china, year=2025, indicator="share_of_russia_exports"
    )
    assert facts.direction.imports == one_value(
        china, year=2025, indicator="share_of_russia_imports"
    )
    before = one_value(china, year=2024, indicator="share_of_russia_imports")
    assert facts.direction.imports_before == before
    assert before == pytest.approx(facts.direction.imports + 5.8)  # '-5.8 points' in the quote
    rank = china[china.indicator == "rank_among_russia_trading_partners"]
    assert facts.direction.rank == one_value(rank) == 1


def test_quality_flags_part_years_and_statements_without_a_period():
    def row(period_type):
        return {
            "note": "",
            "source_title": "TASS",
            "value_type": "reported",
            "period_type": period_type,
        }

    assert partners.quality(row("year")) == "clear"
    assert partners.quality(row("year_to_date")) == "flagged: part of a year"
    assert partners.quality(row("statement (reference period not stated)")) == (
        "flagged: period not stated"
    )


def test_quality_flags_come_from_the_note_and_the_source():
    def row(note="", source="TASS", value_type="reported"):
        return {"note": note, "source_title": source, "value_type": value_type}

    assert partners.quality(row()) == "clear"
    assert partners.quality(row(source="low-quality blog")) == "flagged: low-quality source"
    assert partners.quality(row(note="FLAG: period?")) == "flagged: period not stated"
    assert partners.quality(row(note="year inferred")).startswith("flagged: reference year")
    assert partners.quality(row(value_type="derived")) == "flagged: derived from mixed sources"


def shares(rows, **columns):
    frame = pd.DataFrame(rows, columns=["year", "partner", "share_pct"])
    return frame.assign(**columns)


def test_china_ahead_is_dated_on_one_definition_at_a_time():
    computed = shares(
        [(2019, "China", 16.0), (2019, "European Union", 40.0)]
        + [(2020, "China", 18.0), (2020, "European Union", 36.0)]
    )
    assert partners.first_year_above(computed, "China", "European Union") is None
    # two reports for one year are averaged before comparing: 30 and 36 (33) are below 34
    ahead = shares(
        [(2022, "China", 30.0), (2022, "China", 36.0), (2022, "European Union", 34.0)]
        + [(2023, "China", 35.0), (2023, "European Union", 34.0)]
    )
    assert partners.first_year_above(partners.yearly_mean(ahead), "China", "European Union") == 2023


def test_the_alt_text_says_china_leads_once_it_does():
    computed = shares([(2020, "China", 18.0), (2020, "European Union", 36.0)])
    reported = shares(
        [(2020, "European Union", 37.0), (2021, "China", 18.0), (2021, "European Union", 35.0)]
        + [(2023, "China", 34.0), (2023, "European Union", 17.0)],
        quality=["clear"] * 3 + ["flagged: period not stated"] * 2,
    )
    values = pd.DataFrame({"China": [104.0], "European Union": [192.0]}, index=[2020])
    behind = partners.facts(computed, reported, values)
    assert "the EU stays ahead in every year with comparable data" in behind.share_alt
    reported.loc[1, "share_pct"] = 40.0  # China ahead in 2021, on the reported definition
    ahead = partners.facts(computed, reported, values)
    assert ahead.china_ahead_reported == 2021
    assert "China's share first exceeds the EU's in 2021, on a single definition" in ahead.share_alt


def test_the_page_stops_when_china_overtakes_in_the_data(page_stops):
    """'In none of the years ... is China's share larger than the EU's' must fail if it becomes false."""

    def china_doubles(dots):
        dots.loc[(dots.reporter == "Russia") & (dots.partner == "China (mainland)"), "value"] *= 3

    page_stops("In none of the years", imf_dots_trade=china_doubles)


def test_the_page_stops_when_a_typed_later_share_is_no_longer_the_data(page_stops):
    """The text types China's '34% in November 2024': a changed row must fail the page."""

    def revised(later):
        later.loc[(later.partner == "China") & (later.value == 34.0), "value"] = 30.0

    page_stops("34%", russia_partner_shares_reported_2022_2025=revised)


# -- the built page ---------------------------------------------------------------------------


def built_snippets(facts) -> list[str]:
    """What the built page says, formatted from its facts object (tests/pages/test_built.py)."""
    return [
        f"In 2000, China accounted for {facts.china_first:.1f}% of Russia's reported trade and the "
        f"EU for {facts.eu_first:.1f}%",
        f"highest in 2006 ({facts.eu_max:.1f}%)",
        f"By 2020 China's share had risen to {facts.china_last:.1f}% and the EU's had fallen to "
        f"{facts.eu_last:.1f}%",
        f"the latest are {facts.china_reported:.1f}% for China (2021) and "
        f"{facts.eu_reported:.1f}% for the EU (2021)",
        f"US$ {facts.eu_value_last:.1f} billion of trade with the EU in 2020 and "
        f"US$ {facts.china_value_last:.1f} billion with China",
        "In none of the years for which both shares exist on one definition",
        "In short Yes: China has taken the European Union's place",
        "the EU's member states together had 35.9% of Russia's trade and China 17.9%",
        "put the EU at 16% (October 2023), and in November 2024 another put China, a single "
        "country, at 34%",
        "China took about 27% of Russia's exports and 39% of its imports",
    ]


@pytest.mark.build
def test_the_built_page_opens_with_the_in_short_box(site):
    check_in_short(site, PAGE, ["35.9%", "17.9%", "16%", "34%", "27%", "39%"])


@pytest.mark.build
@pytest.mark.browser
def test_the_shares_values_switch_changes_the_view(open_page):
    check_switch(
        open_page, PAGE, "Shares (%)", "Values (US$ billion)", "US$ billion, as reported by Russia"
    )
