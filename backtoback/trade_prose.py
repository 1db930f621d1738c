"""The numbers and sentences that the trade chapter's pages glue into their text.

Each ``*_facts`` function returns ``{glue name: value}`` for one page (or one section of it), so a
page's hidden cell only loads the data, calls the function and glues what it returns. Where the
wording depends on the data (a fall or a rise, a complete or a partial sum), a small function here
chooses the sentence, so that the choice is tested rather than typed. The ``*_alt`` functions do
the same for the alt text of a chart whose wording depends on the data.

Reshaping stays in :mod:`backtoback.trade` and :mod:`backtoback.trade_secondary`; this module only
reads their results and puts them into words.
"""

from __future__ import annotations

import pandas as pd

from . import trade, trade_secondary
from .trade import EU_EXPORTS_TOTAL, EU_IMPORTS_FUELS, EU_IMPORTS_TOTAL, EU_SERIES
from .trade_secondary import fmt_list


def month_words(month: pd.Timestamp) -> str:
    """'February 2022'."""
    return month.strftime("%B %Y")


# -- China-Russia trade, 2000 to the latest year ----------------------------------------------------


def change_words(totals: pd.Series, year: int, base_year: int) -> str:
    """``year``'s total against ``base_year``'s: '12% below', '30% above', or 'still 30% above'
    when ``year`` is past the peak but the total has not fallen back below the base."""
    change = (totals[year] / totals[base_year] - 1) * 100
    still = "still " if year != totals.idxmax() and change > 0 else ""
    return f"{still}{abs(change):.0f}% {'above' if change > 0 else 'below'}"


def china_russia_facts(long: pd.DataFrame, totals: pd.Series, last_dots_year: int) -> dict:
    """The opening paragraph: ``long`` from :func:`trade.china_russia_long`, ``totals`` its totals by year."""
    first, latest, peak = int(totals.index.min()), int(totals.index.max()), int(totals.idxmax())
    first_news = last_dots_year + 1  # the first year of the customs figures quoted in the news
    split_news = long[(long["year"] == first_news) & (long["series"] != trade.TOTAL)]
    return {
        "crt_first_year": first,
        "crt_dots_last_year": last_dots_year,
        "crt_first_news_year": first_news,
        "crt_latest_year": latest,
        "crt_peak_year": peak,
        "crt_total_first": totals[first],
        "crt_total_dots_last": totals[last_dots_year],
        "crt_total_first_news": totals[first_news],
        "crt_total_peak": totals[peak],
        "crt_total_latest": totals[latest],
        "crt_growth_since_first_news": (totals[latest] / totals[first_news] - 1) * 100,
        "crt_peak_growth_since_first_news": (totals[peak] / totals[first_news] - 1) * 100,
        "crt_change_latest": (totals[latest] / totals[latest - 1] - 1) * 100,
        "crt_latest_vs_first_news": change_words(totals, latest, first_news),
        "crt_split_sum_first_news": split_news["value"].sum(),
    }


def crosscheck_facts(check: pd.DataFrame, gacc: pd.DataFrame) -> dict:
    """How far the news figures are from DOTS (``check`` from :func:`trade.crosscheck`), leaving
    out the two years that the customs file's notes flag: a rounded headline and a disagreement."""
    years = sorted(int(y) for y in check["year"].unique())
    rounded = trade.gacc_flagged_year(gacc, years, "rounded")
    disagrees = trade.gacc_flagged_year(gacc, years, "DISAGREES")
    clean = check[~check["year"].isin([rounded, disagrees])]
    gap = check[check["flow"] == trade.TOTAL].set_index("year")["gap, % of DOTS"]
    return {
        "crt_xcheck_first_year": int(check["year"].min()),
        "crt_xcheck_last_year": int(check["year"].max()),
        "crt_xcheck_max_abs_gap": clean["gap, % of DOTS"].abs().max(),
        "crt_xcheck_problem_years": f"{min(rounded, disagrees)} and {max(rounded, disagrees)}",
        "crt_xcheck_disagree_year": disagrees,
        "crt_xcheck_rounded_year": rounded,
        "crt_xcheck_gap_disagree": gap[disagrees],
        "crt_xcheck_gap_rounded": gap[rounded],
    }


def mirror_facts(wide: pd.DataFrame) -> dict:
    """The gap between the two sides' figures for goods going from China to Russia."""
    gap = trade.mirror_gap_pct(wide)
    return {
        "crt_mirror_year": int(wide.index.max()),
        "crt_mirror_gap_last": gap.iloc[-1],
        "crt_mirror_gap_min": gap.min(),
        "crt_mirror_gap_max": gap.max(),
    }


# -- Russia's partners ----------------------------------------------------------------------------------


def overtake_sentence(computed: pd.DataFrame, clear: pd.DataFrame) -> str:
    """Whether and when China's share first exceeds the EU's, on one definition at a time.

    ``computed``: the DOTS shares; ``clear``: the reported shares with a clear definition.
    """
    on_dots, on_reports = trade.first_years_china_ahead(computed, clear)
    if on_dots is None and on_reports is None:
        dots_years = trade.shares_by_year(computed).index
        both = trade.shares_by_year(trade.yearly_mean_shares(clear)).dropna().index
        return (
            f"In none of the years for which both shares exist on one definition "
            f"({int(dots_years.min())}–{int(dots_years.max())} computed from DOTS; "
            f"{', '.join(map(str, both))} as reported) is China's share larger than the EU's"
        )
    year = min(y for y in (on_dots, on_reports) if y is not None)
    return f"China's share first exceeds the EU's in {year}, on a single definition"


def partners_facts(computed: pd.DataFrame, reported: pd.DataFrame, values: pd.DataFrame) -> dict:
    """The shares and values the partners page quotes (from :func:`trade.dots_shares`,
    :func:`trade.reported_shares` and :func:`trade.russia_partner_values`)."""
    wide = trade.shares_by_year(computed)
    first, last = int(wide.index.min()), int(wide.index.max())
    clear, flagged = trade.clear_and_flagged(reported)
    eu = wide["European Union"]
    facts = {
        "pt_first_year": first,
        "pt_last_year": last,
        "pt_china_first": wide.at[first, "China"],
        "pt_china_last": wide.at[last, "China"],
        "pt_eu_first": wide.at[first, "European Union"],
        "pt_eu_last": wide.at[last, "European Union"],
        "pt_eu_max_year": int(eu.idxmax()),
        "pt_eu_max": eu.max(),
        # the same year on another definition: a figure quoted from Russian customs
        "pt_eu_last_reported": clear.query("partner == 'European Union' and year == @last")[
            "share_pct"
        ].iloc[0],
        "pt_china_value_last": values.at[last, "China"],
        "pt_eu_value_last": values.at[last, "European Union"],
        "pt_overtake_sentence": overtake_sentence(computed, clear),
    }
    for partner, key in [("China", "china"), ("European Union", "eu")]:
        for kind, rows in [("reported", clear), ("flagged", flagged)]:
            latest = rows[rows["partner"] == partner].sort_values("year")
            facts[f"pt_{key}_{kind}_year"] = int(latest["year"].iloc[-1])
            facts[f"pt_{key}_{kind}"] = latest["share_pct"].iloc[-1]
    return facts


# -- The EU's monthly trade with Russia ---------------------------------------------------------------


def at_least(share: float, lower_bound: bool) -> str:
    """'34%', or 'at least 34%' where the share is a lower bound."""
    return f"{'at least ' if lower_bound else ''}{share:.0f}%"


def eu_fuel_share_words(comext: pd.DataFrame, month: pd.Timestamp) -> str:
    """Mineral fuels' share of EU imports from Russia in ``month``, 'at least' if a lower bound."""
    return at_least(*trade.eu_share_pct(comext, EU_IMPORTS_FUELS, EU_IMPORTS_TOTAL, month))


def eu_imports_opening(imports: pd.Series, event: pd.Timestamp) -> str:
    """Whether imports (by month) fell in the month after ``event``, as a sentence."""
    first_after = imports.index[imports.index > event].min()
    if imports[first_after] >= imports[event]:
        return "Imports did not fall at first."
    return f"Imports fell too, from {month_words(first_after)}."


def eu_imports_end_sentence(
    comext: pd.DataFrame,
    imports: pd.Series,
    event: pd.Timestamp,
    end: pd.Timestamp,
    last: pd.Timestamp,
) -> str:
    """Imports in ``end`` against ``event``; if ``end`` is not the extract's ``last`` month, why not."""
    change = trade.eu_change_pct(comext, EU_IMPORTS_TOTAL, event, end)
    against = f"{change:.0f}% against {event:%B}"
    if end == last:
        return f"by {month_words(end)} imports were €{imports[end]:.1f} billion, {against}."
    lacking = trade.member_states_words(trade.eu_missing(comext, EU_IMPORTS_TOTAL, last))
    return (
        f"by {month_words(end)}, the last month in which every member state's import figure is "
        f"available, imports were €{imports[end]:.1f} billion, {against}. The extract runs to "
        f"{month_words(last)}, but that month's import total lacks the figure for {lacking}, so it "
        f"is not compared."
    )


def eu_exports_low_words(comext: pd.DataFrame, event: pd.Timestamp, low: pd.Timestamp) -> str:
    """The lowest export month against ``event``: a change over the same member states, or why
    there is none (the low month's sum lacks member states that the event month's has)."""
    lacking = trade.eu_missing(comext, EU_EXPORTS_TOTAL, low)
    if trade.eu_missing(comext, EU_EXPORTS_TOTAL, event) == lacking:
        change = trade.eu_change_pct(comext, EU_EXPORTS_TOTAL, event, low)
        return f"{change:.0f}% against {event:%B}"
    return (
        f"a lower bound, as the figure for {trade.member_states_words(lacking)} is not available "
        f"for that month"
    )


def eu_facts(
    comext: pd.DataFrame, wide: pd.DataFrame, event: pd.Timestamp, dots: pd.DataFrame
) -> dict:
    """The EU page's numbers and sentences (``wide`` from :func:`trade.eu_wide`); its opening
    also quotes the EU's and China's shares of Russia's trade from ``dots``."""
    imports, exports = wide[EU_SERIES[EU_IMPORTS_TOTAL]], wide[EU_SERIES[EU_EXPORTS_TOTAL]]
    last, end, low, peak = trade.eu_key_months(comext, wide, event)
    incomplete, incomplete_totals = trade.eu_incomplete_sums(comext)
    before = trade.shares_by_year(trade.dots_shares(dots))
    return {
        "eu_pre_year": int(before.index.max()),
        "eu_pre_eu_share": before["European Union"].iloc[-1],
        "eu_pre_cn_share": before["China"].iloc[-1],
        "eu_first_month": month_words(wide.index.min()),
        "eu_last_month": month_words(last),
        "eu_event_month": month_words(event),
        "eu_imp_event": imports[event],
        "eu_imports_opening": eu_imports_opening(imports, event),
        "eu_imp_peak_month": month_words(peak),
        "eu_imp_peak": imports[peak],
        "eu_imp_end_sentence": eu_imports_end_sentence(comext, imports, event, end, last),
        "eu_imp_2021_mean": imports.loc["2021"].mean(),
        "eu_exp_event": exports[event],
        "eu_exp_low_month": month_words(low),
        "eu_exp_low": exports[low],
        "eu_exp_low_words": eu_exports_low_words(comext, event, low),
        "eu_fuel_share_event": eu_fuel_share_words(comext, event),
        "eu_fuel_share_end": eu_fuel_share_words(comext, end),
        "eu_end_month": month_words(end),
        "eu_rows": len(comext),
        "eu_rows_missing": len(incomplete),
        "eu_missing_max": int(comext["reporters_missing"].max()),
        "eu_rows_missing_total": incomplete_totals,
    }


# -- Settlement currencies ------------------------------------------------------------------------------

#: The currency groups the settlement page quotes, by the short key in their glue names.
SETTLEMENT_GROUPS = {"cny": "Yuan", "rub": "Rouble", "usdeur": "US dollar + euro"}


def settlement_ends(points: pd.DataFrame) -> dict[tuple[str, str], tuple[pd.Series, pd.Series]]:
    """(flow, short key) -> the first and the latest drawn observation of that currency group."""
    return {
        (flow, key): trade_secondary.first_and_latest(points, flow, group)
        for flow in ["exports", "imports"]
        for key, group in SETTLEMENT_GROUPS.items()
    }


def settlement_facts(points: pd.DataFrame, set_aside: pd.DataFrame) -> dict:
    """Each quoted group's first and latest share, in words, and when it was observed; how many
    points are drawn and how many rows set aside (both from :func:`trade_secondary.settlement_points`)."""
    facts = {}
    for (flow, key), (first, latest) in settlement_ends(points).items():
        for which, point in [("first", first), ("latest", latest)]:
            facts[f"set_{key}_{flow[:3]}_{which}"] = trade_secondary.share_words(point)
            facts[f"set_{key}_{flow[:3]}_{which}_when"] = trade_secondary.when_words(point)
    annual = points.loc[points["period_type"] == "year", "start"].dt.year.unique()
    facts["set_annual_years"] = fmt_list(sorted(annual))
    facts["set_upper_bounds"] = trade_secondary.upper_bounds_words(points)
    facts["set_n_points"] = len(points)
    facts["set_n_aside"] = len(set_aside)
    return facts


def settlement_alt(points: pd.DataFrame, flow: str) -> str:
    """The alt text of one settlement chart: each quoted group's first and latest share."""
    ends = settlement_ends(points)
    (cny0, cny1), (usdeur0, usdeur1), (rub0, rub1) = (
        ends[(flow, key)] for key in ["cny", "usdeur", "rub"]
    )
    share, when = trade_secondary.share_words, trade_secondary.when_words
    return (
        f"Chart of sparse observations. The yuan's share of Russia's {flow[:-1]} payments rose from "
        f"{share(cny0)}% in {when(cny0)} to {share(cny1)}% in {when(cny1)}; "
        f"US dollar and euro fell from {share(usdeur0)}% ({when(usdeur0)}) to "
        f"{share(usdeur1)}% ({when(usdeur1)}); the rouble went from "
        f"{share(rub0)}% ({when(rub0)}) to {share(rub1)}% ({when(rub1)})."
    )


# -- Energy and goods -----------------------------------------------------------------------------------


def saudi_words(ranks: pd.DataFrame, year: int) -> str:
    """'Saudi Arabia', with ', its largest supplier that year' if it alone ranked first in ``year``."""
    leaders = list(ranks.columns[ranks.loc[year] == 1])
    return (
        "Saudi Arabia, its largest supplier that year"
        if leaders == ["Saudi Arabia"]
        else "Saudi Arabia"
    )


def crude_path_words(fell: list[int]) -> str:
    """How Russian volumes went before Russia moved ahead (the sentence runs on with the year)."""
    if fell:
        return f"Russian volumes did not rise every year (they fell in {fmt_list(fell)}), but in"
    return "Russian volumes then grew, and in"


def crude_back_words(earlier_first: list[int]) -> str:
    """The end of the 'moved ahead' sentence: whether Russia had been China's first supplier before."""
    if earlier_first:
        return (
            f", taking back the first place among China's suppliers that MEES had given it for "
            f"{fmt_list(earlier_first)}."
        )
    return "."


def crude_facts(crude: pd.DataFrame, volume: pd.DataFrame) -> dict:
    """The crude paragraph (``volume``: year x supplier, million tonnes) and the page's opening year."""
    first, last = int(volume.index.min()), int(volume.index.max())
    ahead, _ = trade_secondary.russia_ahead(volume)
    first_ahead = int(ahead.min())
    value = trade_secondary.crude_by_year(crude, "import_value")
    ranks = trade_secondary.crude_ranks(crude)
    russia = volume["Russia"]
    earlier_first = [int(y) for y in ranks.index[(ranks.index < first) & (ranks["Russia"] == 1)]]
    return {
        "crude_first_year": first,
        "crude_last_year": last,
        "crude_ru_first": volume.loc[first, "Russia"],
        "crude_sa_first": volume.loc[first, "Saudi Arabia"],
        "crude_ru_last": volume.loc[last, "Russia"],
        "crude_sa_last": volume.loc[last, "Saudi Arabia"],
        "crude_ru_growth": (volume.loc[last, "Russia"] / volume.loc[first, "Russia"] - 1) * 100,
        "crude_first_ahead": first_ahead,
        "crude_ru_ahead": volume.loc[first_ahead, "Russia"],
        "crude_sa_ahead": volume.loc[first_ahead, "Saudi Arabia"],
        "crude_value_year_a": int(value.index.min()),
        "crude_value_a": value.iloc[0],
        "crude_value_year_b": int(value.index.max()),
        "crude_value_b": value.iloc[-1],
        "crude_bpd_last": trade_secondary.crude_by_year(crude, "barrels_per_day").loc[last],
        "crude_sa_words": saudi_words(ranks, first),
        "crude_path": crude_path_words(trade_secondary.years_fallen(russia)),
        "crude_back": crude_back_words(earlier_first),
        "crude_value_years": fmt_list([int(y) for y in value.index]),
        "energy_jump_year": trade_secondary.largest_rise_year(russia),
    }


def crude_alt(volume: pd.DataFrame) -> str:
    """The crude chart's alt text: the first and last year, and when Russia was ahead."""
    first, last = int(volume.index.min()), int(volume.index.max())
    ahead, ahead_since = trade_secondary.russia_ahead(volume)
    if ahead_since:
        when_ahead = f"from {int(ahead.min())} Russia was ahead"
    else:
        when_ahead = f"Russia was ahead in {fmt_list([int(y) for y in ahead])}"
    return (
        f"Line chart. Russia supplied {volume.loc[first, 'Russia']:.1f} million tonnes in {first}, "
        f"less than Saudi Arabia's {volume.loc[first, 'Saudi Arabia']:.1f}; {when_ahead}, and in "
        f"{last} it supplied {volume.loc[last, 'Russia']:.1f} million tonnes against Saudi "
        f"Arabia's {volume.loc[last, 'Saudi Arabia']:.1f}."
    )


def car_facts(vehicles: pd.DataFrame, units: pd.Series, dollars: pd.Series) -> dict:
    """The cars paragraphs: ``units`` and ``dollars`` are the values of the bars drawn (from
    :func:`trade_secondary.car_frames`) by period label; the rest is read from the vehicle file."""

    def value(metric, year, period):
        return trade_secondary.vehicle_row(vehicles, metric, year, period)["value"]

    change = value("passenger_cars_value_yoy_change", 2025, "Jan-Dec")
    return {
        "car_units_2022": units["2022"] / 1000,
        "car_units_2023_ytd": units["2023 Jan-Aug"] / 1000,
        "car_units_2024_derived": units["2024"] / 1e6,
        "car_units_2025": units["2025"] / 1000,
        "car_value_2022": dollars["2022"],
        "car_value_2023_ytd": dollars["2023 Jan-Aug"],
        "car_value_2024": dollars["2024"],
        "car_value_2025": dollars["2025"],
        # the reported 2024 value, recomputed the way the 2024 units are derived: a check
        "car_value_2024_check": dollars["2025"] / (1 + change / 100),
        "car_share_2021": value("china_share_of_russia_car_imports", 2021, "Jan-Dec"),
        "car_share_2023": value("china_share_of_russia_car_imports", 2023, "Jan-Aug"),
        "car_all_vehicles_2024": value(
            "motor_vehicles_all_types_units_china_to_russia", 2024, "Jan-Dec"
        )
        / 1e6,
    }


# -- Border trade ----------------------------------------------------------------------------------------


def border_facts(hlj: pd.DataFrame, full: pd.Series, part_years: pd.Series) -> dict:
    """Heilongjiang's trade with Russia: ``full`` years (US$ bn, by year) and ``part_years``
    (yuan bn, by label such as '2021 Jan-Aug'), from :func:`trade_secondary.heilongjiang_frames`."""
    totals = hlj[hlj["metric"] == "heilongjiang_trade_with_russia"]
    quoted = hlj[
        (hlj["metric"] == "heilongjiang_trade_with_russia_yoy_change")
        & (hlj["year"] == 2022)
        & (hlj["period"] == "Jan-Aug")
    ].iloc[0]
    ranked = totals[totals["note"].str.startswith("#1 province")].iloc[0]
    all_partners = hlj[
        (hlj["metric"] == "heilongjiang_total_foreign_trade") & (hlj["year"] == 2023)
    ]
    return {
        "hlj_first_year": int(full.index.min()),
        "hlj_first": full.iloc[0],
        "hlj_last_full_year": int(full.index.max()),
        "hlj_last_full": full.iloc[-1],
        "hlj_ytd_2021_aug": part_years["2021 Jan-Aug"],
        "hlj_ytd_2021_oct": part_years["2021 Jan-Oct"],
        "hlj_ytd_2022_aug": part_years["2022 Jan-Aug"],
        "hlj_ytd_growth": (part_years["2022 Jan-Aug"] / part_years["2021 Jan-Aug"] - 1) * 100,
        "hlj_ytd_growth_quoted": quoted["value"],
        "hlj_ytd_growth_quoted_by": trade_secondary.quoted_by(quoted["source_title"]),
        "hlj_cny_from_year": trade_secondary.yuan_only_from(
            totals[totals["year"] > full.index.max()]
        ),
        "hlj_rank_period": trade_secondary.period_words(int(ranked["year"]), ranked["period"]),
        "hlj_total_2023": all_partners["value"].iloc[0],
    }
