"""The page "Settlement currencies": the rule for conflicting reports, the sparse-data drawing,
its facts and checks, the built page."""

from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd
import pytest

from backtoback.pages import settlement

from .conftest import (
    check_switch,
)

PAGE = "settlement"
CHARTS = 2  # figures on the built page
LABELS = ["fig-settlement-currencies"]  # figure targets other pages link to


# -- the page's rule ----------------------------------------------------------------------------


def test_a_published_combined_usd_eur_share_beats_the_sum_of_its_parts(page):
    shares, points, aside = page["shares"], page["points"], page["set_aside"]
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


def test_every_row_is_either_drawn_once_or_set_aside_with_a_reason(page):
    shares, points, aside = page["shares"], page["points"], page["set_aside"]
    assert not points.duplicated(["flow", "group", "period"]).any()
    assert aside["reason"].str.len().gt(0).all()
    assert "point" not in set(points["period_type"])
    assert "derived" not in set(points["value_type"])
    # each file row is used: drawn directly, summed into a drawn USD+EUR point, or set aside
    direct = points[points["value_type"] != "computed"]
    assert len(direct) + len(aside[aside["value_type"] != "computed"]) == len(shares)


def test_a_figure_whose_period_the_research_inferred_is_set_aside(page):
    shares, points, aside = page["shares"], page["points"], page["set_aside"]
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


def frame(rows):
    out = pd.DataFrame(rows, columns=["flow", "group", "period", "period_type", "value"])
    out["start"], out["end"] = settlement.period_bounds(out["period"], out["period_type"])
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
    assert settlement.monthly_segments(points) == [(0, 1), (6, 7)]


def test_the_drawn_chart_has_no_line_across_more_than_one_month(page):
    points = page["points"]
    for flow in ["exports", "imports"]:
        fig, ax = settlement.plot(points, flow, flow)
        joined = 0
        for line in ax.get_lines():
            xs = mdates.date2num(pd.to_datetime(pd.Series(line.get_xdata())))
            if line.get_linestyle() in ("None", "") or len(xs) < 2 or xs.min() == xs.max():
                continue  # markers only, the legend stand-in, or the vertical break line
            assert len(xs) == 2 and xs.max() - xs.min() <= 31, (flow, line.get_label(), xs)
            joined += 1
        assert joined == len(settlement.monthly_segments(points[points["flow"] == flow]))
        # every monthly observation is drawn as a marker
        markers = sum(
            len(ln.get_xdata()) for ln in ax.get_lines() if ln.get_linestyle() in ("None", "")
        )
        assert markers == len(points[points["flow"] == flow])


def test_the_chart_data_is_what_the_chart_draws(page):
    for flow, rows in page["drawn"].items():
        assert set(rows["flow"]) == {flow}
        assert len(rows) == (page["points"]["flow"] == flow).sum()
        assert rows["start"].str.match(r"^\d{4}-\d{2}-\d{2}$").all()


# -- the facts ----------------------------------------------------------------------------------


def test_quoted_upper_bounds_are_worded_as_such(page, facts):
    points = page["points"]
    row = points.query("period == '2022-01' and flow == 'exports' and group == 'Yuan'").iloc[0]
    assert "не превышала" in row["note"]  # "did not exceed"
    assert settlement.share_words(row) == f"at most {row['value']:.1f}"
    july = points.query("period == '2023-07' and flow == 'exports'").iloc[0]
    assert settlement.share_words(july).startswith("less than ")
    plain = points.query("period == '2021' and flow == 'exports' and group == 'Rouble'").iloc[0]
    assert settlement.share_words(plain) == f"{plain['value']:.1f}"
    assert facts.bound["cny_exp_first"] == "at most" and facts.cny_exp_first == row["value"]


def test_a_point_is_dated_by_its_year_or_its_month():
    annual, monthly = frame(
        [("exports", "Yuan", "2021", "year", 0.5), ("exports", "Yuan", "2022-01", "month", 0.5)]
    ).to_dict("records")
    assert settlement.when_words(annual) == "2021"
    assert settlement.when_words(monthly) == "January 2022"


def test_the_facts_quote_each_groups_first_and_latest_point():
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
    facts = settlement.facts(points, set_aside=points.head(2))
    assert (facts.cny_exp_first, facts.when["cny_exp_first"]) == (0.5, "2021")
    assert (facts.cny_exp_latest, facts.when["cny_exp_latest"]) == (40.0, "January 2024")
    assert facts.bound["cny_imp_first"] == facts.bound["cny_imp_latest"] == "at most"
    assert facts.when["usdeur_imp_latest"] == "June 2023"
    assert facts.annual_years == [2021]
    assert facts.upper_bounds == [("2022-01", "Yuan", "imports")]
    assert (facts.n_points, facts.n_aside) == (8, 2)
    assert facts.alt["imports"] == (
        "Chart of sparse observations. The yuan's share of Russia's import payments rose from "
        "at most 4.0% in January 2022 to at most 4.0% in January 2022; US dollar and euro fell "
        "from 33.0% (June 2023) to 33.0% (June 2023); the rouble went from 28.0% (January 2022) "
        "to 28.0% (January 2022)."
    )
    assert "from 0.5% in 2021 to 40.0% in January 2024;" in facts.alt["exports"]


def test_the_page_stops_when_a_typed_date_is_no_longer_true(run_with_data):
    """'the rouble's share had reached ... by June 2024': a later quote must fail the page."""

    def later_rouble_quote(shares):
        june = (
            (shares.period == "2024-06") & (shares.flow == "exports") & (shares.currency == "RUB")
        )
        shares.loc[june, "period"] = "2024-07"

    with pytest.raises(AssertionError, match="rub_exp_latest to June 2024"):
        run_with_data(PAGE, russia_settlement_currency_shares=later_rouble_quote)


# -- the built page ---------------------------------------------------------------------------


def built_snippets(facts) -> list[str]:
    """What the built page says, formatted from its facts object (tests/pages/test_built.py)."""
    f = facts
    return [
        f"settled {f.usdeur_exp_first:.1f} per cent of Russia",
        f"the rouble {f.rub_exp_first:.1f} per cent",
        f"in January 2022 its share of export payments was at most {f.cny_exp_first:.1f} per cent",
        "plus annual shares for 2021 and 2023 (other annual rows",
        f"for January 2024, was {f.cny_exp_latest:.1f} per cent",
        f"for 2023, was {f.usdeur_exp_latest:.1f} per cent",
        f"reached {f.rub_exp_latest:.1f} per cent by June 2024",
        f"went from {f.cny_imp_first:.1f} per cent in January 2022 to "
        f"{f.cny_imp_latest:.1f} per cent in January 2024",
        f"fell from {f.usdeur_imp_first:.1f} per cent (2021)",
        f"to {f.usdeur_imp_latest:.1f} per cent (June 2023)",
        f"was {f.rub_imp_latest:.1f} per cent in April 2025",
        f"Only {f.n_points} observations exist",
        f"The {f.n_aside} rows of the data file that are not drawn",
    ]


@pytest.mark.build
@pytest.mark.browser
def test_the_export_import_switch_changes_the_visible_chart(open_page):
    check_switch(
        open_page, PAGE, "Exports", "Imports", "Russia's import payments for goods and services"
    )
