"""The page "Border trade": Heilongjiang's full and part years, its facts and checks, the built page."""

from __future__ import annotations

import pandas as pd
import pytest

from backtoback import data
from backtoback.pages import border

from .conftest import (
    one_value,
)

PAGE = "border"
CHARTS = 1  # figures on the built page
LABELS = ["fig-heilongjiang"]  # figure targets other pages link to


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


def test_the_page_stops_when_a_later_full_year_appears(run_with_data):
    """'No annual figure ... after 2012 was found' must fail once the data has one."""

    def a_2013_total(hlj):
        row = (hlj.year == 2013) & (hlj.metric == "heilongjiang_trade_with_russia")
        hlj.loc[row.idxmax(), "period"] = "Jan-Dec"

    with pytest.raises(AssertionError, match="after 2012"):
        run_with_data(PAGE, heilongjiang_russia_trade=a_2013_total)


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
        "for trade with Russia in the first half of 2021.",
        f"it differs from the {facts.ytd_growth_quoted:.1f} per cent quoted by the Russian "
        "Consulate General in Harbin.",
    ]
