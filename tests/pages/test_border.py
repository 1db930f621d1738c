"""The page "Border trade": Heilongjiang's full and part years, its facts and checks, the built page."""

from __future__ import annotations

import pandas as pd
import pytest

from backtoback import data
from backtoback.pages import border

from .conftest import (
    check_in_short,
    one_value,
)

PAGE = "border"
CHARTS = 2  # figures on the built page: full years (US$) and part years (yuan), apart
LABELS = ["fig-heilongjiang", "fig-heilongjiang-yuan"]  # figure targets other pages link to


def test_part_years_are_kept_apart_from_full_years(page):
    full, ytd = page["full"], page["ytd"]
    assert set(full["period"]) == {"Jan-Dec"} and set(full["kind"]) == {"full"}
    assert "Jan-Dec" not in set(ytd["period"]) and set(ytd["kind"]) == {"partial"}
    assert not set(full["year"]) & {2022, 2023, 2024}
    assert ytd["label"].tolist() == sorted(ytd["label"], key=lambda label: (label[:4], len(label)))


def test_the_facts_equal_the_data_file(facts):
    hlj = data.load("heilongjiang_russia_trade")
    t = lambda y, p: one_value(hlj, year=y, period=p, metric="heilongjiang_trade_with_russia")  # noqa: E731
    assert (facts.first, facts.last_full) == (t(2005, "Jan-Dec"), t(2012, "Jan-Dec"))
    assert facts.ytd_2022_aug == t(2022, "Jan-Aug")
    assert facts.ytd_growth == pytest.approx((t(2022, "Jan-Aug") / t(2021, "Jan-Aug") - 1) * 100)
    assert facts.total_2023 == one_value(
        hlj, year=2023, period="Jan-Dec", metric="heilongjiang_total_foreign_trade"
    )
    assert (facts.last_full_year, facts.cny_from_year) == (2012, 2018)
    assert facts.ytd_growth_quoted_by == "Russian Consulate General in Harbin"
    assert facts.rank_period == "the first half of 2021"


def test_yuan_only_from_is_the_first_year_after_which_every_total_is_in_yuan():
    rows = pd.DataFrame(
        {
            "year": [2013, 2017, 2017, 2018, 2021],
            "unit": ["CNY billion", "USD billion", "CNY billion", "CNY billion", "CNY billion"],
        }
    )
    assert border.yuan_only_from(rows) == 2018  # dollars again in 2017, after 2013
    assert border.yuan_only_from(rows.iloc[2:]) == 2017


def test_the_page_stops_when_a_later_full_year_appears(page_stops):
    """'No annual figure ... after 2012 was found' must fail once the data has one."""

    def a_2013_total(hlj):
        row = (hlj.year == 2013) & (hlj.metric == "heilongjiang_trade_with_russia")
        hlj.loc[row.idxmax(), "period"] = "Jan-Dec"

    page_stops("after 2012", heilongjiang_russia_trade=a_2013_total)


def test_the_in_short_figures_equal_the_data_file(facts):
    hlj = data.load("heilongjiang_russia_trade")
    totals = hlj[hlj["metric"] == "heilongjiang_trade_with_russia"]
    latest = totals[totals["year"] == totals["year"].max()]
    assert (int(latest["year"].iloc[0]), latest["period"].iloc[0]) == (2022, "Jan-Aug")
    assert facts.latest_russia_period == "January to August 2022"
    assert facts.ytd_2022_aug == float(latest["value"].iloc[0])
    assert facts.rank_share == 14.7 and facts.latest_total_year == 2023
    assert border.share_of_china_russia("#1 province; 14.7% of China-Russia trade; x") == 14.7
    with pytest.raises(ValueError, match="no share"):
        border.share_of_china_russia("#1 province")


def test_dollars_and_yuan_are_never_on_one_chart(page):
    fig, ax = border.plot_full(page["full"])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2005", "2011", "2012"]
    assert "US$" in ax.get_title("left") and "yuan" not in ax.get_title("left")
    fig, ax = border.plot_ytd(page["ytd"])
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert all(label[:4] in ("2021", "2022") and " " in label for label in labels)
    assert "yuan" in ax.get_title("left") and "US$" not in ax.get_title("left")
    assert set(page["full"]["unit"]) == {"USD billion"} and set(page["ytd"]["unit"]) == {
        "CNY billion"
    }
    assert "not comparable" in page["facts"].caption_ytd


def test_the_page_stops_when_a_later_russia_figure_appears(page_stops):
    """'The latest figure found ... covers January to August 2022' must fail once there is a later one."""

    def a_2023_figure(hlj):
        row = (hlj.year == 2022) & (hlj.metric == "heilongjiang_trade_with_russia")
        extra = hlj[row].assign(year=2023, period="Jan-Mar")
        hlj.loc[len(hlj)] = extra.iloc[0]

    page_stops("latest figure for trade with Russia", heilongjiang_russia_trade=a_2023_figure)


def test_the_page_stops_when_the_quoted_share_changes(page_stops):
    def revised(hlj):
        row = hlj.note.str.startswith("#1 province", na=False)
        hlj.loc[row, "note"] = hlj.loc[row, "note"].str.replace("14.7%", "15.0%")

    page_stops("14.7 per cent of China–Russia trade", heilongjiang_russia_trade=revised)


@pytest.mark.build
def test_the_built_page_opens_with_in_short(site):
    check_in_short(
        site, PAGE, ["January to August 2022", "117.2 billion yuan", "As of 1 December 2026"]
    )


# -- the built page ---------------------------------------------------------------------------


def built_snippets(facts) -> list[str]:
    """What the built page says, formatted from its facts object (tests/pages/test_built.py)."""
    return [
        f"US$ {facts.first:.2f} billion in 2005",
        f"US$ {facts.last_full:.2f} billion in 2012",
        f"came to {facts.ytd_2022_aug:.1f} billion yuan, {facts.ytd_growth:.1f} per cent more "
        f"than the {facts.ytd_2021_aug:.1f} billion",
        f"all partners was found, {facts.total_2023:.1f} billion yuan",
        "No annual figure for Heilongjiang's trade with Russia after 2012 was found.",
        "in US dollars or yuan, and from 2018 in yuan only.",
        "They do show the direction in 2021–2022",
        "no later figure was found in the sources this book draws on",
        "In the only ranking found, for the first half of 2021, Harbin Customs put Heilongjiang "
        "first among Chinese provinces for trade with Russia, with 14.7 per cent",
        f"it differs from the {facts.ytd_growth_quoted:.1f} per cent quoted by the Russian "
        "Consulate General in Harbin.",
    ]
