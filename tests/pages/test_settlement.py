"""The page "Settlement currencies": the rule for conflicting reports, the sparse-data drawing,
its facts and checks, the built page."""

from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd
import pytest

from backtoback.pages import settlement

from .conftest import check_in_short, check_switch

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
    made_here = "sum of the published USD and EUR shares"  # the rule's sums are not file rows
    direct = points[points["note"].fillna("") != made_here]
    assert len(direct) + len(aside[aside["note"].fillna("") != made_here]) == len(shares)


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


def test_a_quarter_spans_its_three_months():
    (row,) = frame([("exports", "Rouble", "2025-Q2", "quarter", 53.3)]).to_dict("records")
    assert (row["start"], row["end"]) == (pd.Timestamp("2025-04-01"), pd.Timestamp("2025-06-30"))
    assert settlement.when_words(row) == "Q2 2025"


def quoted(period, value, source_title, currency="RUB", flow="exports"):
    return {
        "period": period,
        "period_type": "month",
        "flow": flow,
        "currency": currency,
        "value": value,
        "value_type": "reported",
        "source_title": source_title,
        "source_url": "https://example.org",
        "note": None,
    }


def test_of_disagreeing_publications_the_latest_is_drawn():
    shares = pd.DataFrame(
        [
            quoted("2025-06", 55.5, "TASS, 15 Aug 2025 (CBR)"),
            quoted("2025-06", 55.6, "RIA Novosti, 17 Oct 2025 (analysis)"),
            quoted("2025-06", 52.9, "Interfax, 15 Sep 2025 (CBR)"),
            quoted("2025-06", 54.3, "Interfax, 16 Oct 2025", flow="exports and imports"),
        ]
    )
    points, aside = settlement.points(shares)
    assert points[["flow", "value"]].values.tolist() == [["exports", 55.6]]
    assert sorted(aside["value"]) == [52.9, 54.3, 55.5]
    assert aside["reason"].str.contains("published latest|not either flow").all()
    # two undated publications that disagree: the page cannot choose, and stops
    with pytest.raises(ValueError, match="two observations for one point"):
        settlement.points(pd.DataFrame([quoted("2025-06", 55.5, "a"), quoted("2025-06", 52, "b")]))


def test_the_chart_marks_the_change_in_what_is_published_above_the_data(page):
    """The yuan stops after January 2024 and 'friendly' currencies take over; a dotted line and
    its label mark it, and the label covers no drawn mark."""
    points = page["points"]
    yuan = points[points["group"] == "Yuan"]
    friendly = points[points["group"] == "All 'friendly' currencies"]
    assert yuan["end"].max() < settlement.PUBLICATION_BREAK <= friendly["start"].max()
    for flow in ["exports", "imports"]:
        fig, ax = settlement.plot(points, flow, flow)
        fig.canvas.draw()
        breaks = [
            line.get_xdata()[0]
            for line in ax.get_lines()
            if line.get_linestyle() == ":" and len(set(line.get_xdata())) == 1
        ]
        assert settlement.PUBLICATION_BREAK in pd.to_datetime(
            [
                mdates.num2date(x).replace(tzinfo=None) if not isinstance(x, pd.Timestamp) else x
                for x in breaks
            ]
        )
        (label,) = [t for t in ax.texts if t.get_text() == settlement.BREAK_LABEL]
        box = label.get_window_extent(fig.canvas.get_renderer())
        marks = [
            ax.transData.transform((mdates.date2num(x), y))
            for line in ax.get_lines()
            if line.get_linestyle() in ("None", "")
            for x, y in zip(pd.to_datetime(line.get_xdata()), line.get_ydata(), strict=True)
        ]
        assert marks and not [m for m in marks if box.contains(*m)], flow
        assert box.x1 <= ax.get_window_extent().x1 + 1, "the label runs off the chart"


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
    facts = settlement.facts(points, set_aside=points.head(2).assign(reason="test", currency="CNY"))
    assert (facts.cny_exp_first, facts.when["cny_exp_first"]) == (0.5, "2021")
    assert (facts.cny_exp_latest, facts.when["cny_exp_latest"]) == (40.0, "January 2024")
    assert facts.bound["cny_imp_first"] == facts.bound["cny_imp_latest"] == "at most"
    assert facts.when["usdeur_imp_latest"] == "June 2023"
    assert facts.annual_years == [2021]
    assert facts.upper_bounds == [("2022-01", "Yuan", "imports")]
    assert (facts.n_points, facts.n_aside) == (8, 2)
    assert facts.alt["imports"] == (
        "Chart of sparse observations. The rouble's share of Russia's import payments went from "
        "28.0% (January 2022) to 28.0% (January 2022). The yuan's share rose from at most 4.0% "
        "in January 2022 to at most 4.0% in January 2022. US dollar and euro fell from 33.0% "
        "(June 2023) to 33.0% (June 2023)."
    )
    assert "from 0.5% in 2021 to 40.0% in January 2024. US" in facts.alt["exports"]
    assert facts.reported_ways == {} and facts.after_break == []  # January 2024 is before it


def test_the_page_stops_when_a_typed_date_is_no_longer_true(page_stops):
    """'In January 2026, the latest month found, the rouble's share was 60.6 per cent': a later
    quote must fail the page."""

    def later_rouble_quote(shares):
        january = (
            (shares.period == "2026-01") & (shares.flow == "exports") & (shares.currency == "RUB")
        )
        shares.loc[january, "period"] = "2026-02"

    page_stops(
        "rouble, exports, January 2026 at 60.6%",
        russia_settlement_currency_shares_2024_2026=later_rouble_quote,
    )


def test_the_page_stops_when_the_rouble_no_longer_settles_more_than_half(page_stops):
    def below_half(shares):
        shares.loc[(shares.period == "2025") & (shares.currency == "RUB"), "value"] = 49.0

    page_stops("53.7 per cent over 2025", russia_settlement_currency_shares_2024_2026=below_half)


def test_the_page_stops_when_friendly_currencies_exceed_about_a_third(page_stops):
    def more_friendly(shares):
        april = (shares.period == "2025-04") & (shares.currency == "friendly currencies")
        shares.loc[april & (shares.flow == "exports"), "value"] = 40.0

    page_stops("'about a third or less'", russia_settlement_currency_shares_2024_2026=more_friendly)


def test_the_page_stops_when_the_yuan_is_published_again_after_the_break(page_stops):
    def yuan_again(shares):
        friendly = (shares.period == "2025-07") & (shares.currency == "friendly currencies")
        shares.loc[friendly, "currency"] = "CNY"

    page_stops(
        "yuan, exports, January 2024 at 40.8%; the data: 30.2% in July 2025",
        russia_settlement_currency_shares_2024_2026=yuan_again,
    )


# -- the built page ---------------------------------------------------------------------------


def built_snippets(facts) -> list[str]:
    """What the built page says, formatted from its facts object (tests/pages/test_built.py)."""
    f = facts
    return [
        f"settled {f.usdeur_exp_first:.1f} per cent of Russia",
        f"the rouble {f.rub_exp_first:.1f} per cent",
        f"in January 2022 its share of export payments was at most {f.cny_exp_first:.1f} per cent",
        "plus annual shares for 2021, 2023, 2024 and 2025 (other annual rows",
        f"for January 2024, was {f.cny_exp_latest:.1f} per cent",
        f"for 2023, was {f.usdeur_exp_latest:.1f} per cent",
        f"the rouble's share was {f.rub_exp_latest:.1f} per cent in January 2026, the latest "
        "month found",
        f"went from {f.cny_imp_first:.1f} per cent in January 2022 to "
        f"{f.cny_imp_latest:.1f} per cent in January 2024",
        f"fell from {f.usdeur_imp_first:.1f} per cent (2021)",
        f"to {f.usdeur_imp_latest:.1f} per cent (June 2023)",
        f"was {f.rub_imp_latest:.1f} per cent in January 2026",
        "As of January 2026, the rouble, not the yuan, settles more than half of Russia's export "
        "payments.",
        "In January 2026, the latest month found, the rouble's share was 60.6 per cent",
        "over 2025 as a whole it was 53.7 per cent, against 41.5 per cent in 2024",
        "last published on its own for January 2024, at 40.8 per cent of export payments",
        f"Only {f.n_points} observations exist",
    ]


@pytest.mark.build
@pytest.mark.browser
def test_the_export_import_switch_changes_the_visible_chart(open_page):
    check_switch(
        open_page, PAGE, "Exports", "Imports", "Russia's import payments for goods and services"
    )


@pytest.mark.build
def test_the_built_page_opens_with_the_in_short_box(site):
    check_in_short(site, PAGE, ["60.6 per cent", "January 2026", "January 2024", "40.8"])
