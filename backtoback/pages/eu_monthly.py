"""The page "The EU falls away" (chapters/trade/eu.md): the EU's monthly trade with Russia.

The page labels and pivots the Comext rows in visible cells. This module has the rule for
comparing two EU-27 sums (only over the same member states: a missing member state's cell must not
count as a fall or a rise), :func:`facts` and the chart decoration.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from .. import style
from . import Facts, charts
from .wording import month_words

#: (flow, product) in the Comext file -> the series label on the page, in the chart's order.
EU_SERIES = {
    ("imports_from_russia", "TOTAL all products"): "EU imports from Russia, all goods",
    ("imports_from_russia", "HS 27 mineral fuels, oils"): "EU imports from Russia, fuels (HS 27)",
    ("exports_to_russia", "TOTAL all products"): "EU exports to Russia, all goods",
    ("exports_to_russia", "HS 27 mineral fuels, oils"): "EU exports to Russia, fuels (HS 27)",
}


EU_IMPORTS_TOTAL = ("imports_from_russia", "TOTAL all products")
EU_IMPORTS_FUELS = ("imports_from_russia", "HS 27 mineral fuels, oils")
EU_EXPORTS_TOTAL = ("exports_to_russia", "TOTAL all products")


def row(comext: pd.DataFrame, series: tuple[str, str], month: pd.Timestamp) -> pd.Series:
    """The one data row of ``series`` (flow, product) for ``month``."""
    flow, product = series
    rows = comext[
        (comext["flow"] == flow)
        & (comext["product"] == product)
        & (comext["year"] == month.year)
        & (comext["month"] == month.month)
    ]
    if len(rows) != 1:
        raise ValueError(
            f"expected one {flow} / {product} row for {month:%Y-%m}, found {len(rows)}"
        )
    return rows.iloc[0]


def missing(comext: pd.DataFrame, series: tuple[str, str], month: pd.Timestamp) -> list[str]:
    """Member states whose figure is not available in ``month``'s sum (empty list if none)."""
    names = row(comext, series, month)["missing_reporters"]
    return [] if pd.isna(names) or not str(names).strip() else str(names).split("; ")


def last_complete_month(comext: pd.DataFrame, series: tuple[str, str]) -> pd.Timestamp:
    """The latest month in which every member state has a figure for ``series``."""
    flow, product = series
    rows = comext[
        (comext["flow"] == flow)
        & (comext["product"] == product)
        & (comext["reporters_missing"] == 0)
    ]
    last = rows.sort_values(["year", "month"]).iloc[-1]
    return pd.Timestamp(year=int(last["year"]), month=int(last["month"]), day=1)


def change_pct(
    comext: pd.DataFrame, series: tuple[str, str], start: pd.Timestamp, end: pd.Timestamp
) -> float:
    """Percentage change of an EU27 sum from ``start`` to ``end``, over the same member states.

    The data hold sums only, so the two months are comparable only if the same member states are
    missing from both (usually: none). Otherwise a member state's missing cell would be counted as a
    fall or a rise, and this raises ``ValueError`` instead of returning a wrong number.
    """
    before, after = missing(comext, series, start), missing(comext, series, end)
    if before != after:
        raise ValueError(
            f"{series}: {start:%Y-%m} lacks {before or 'no member state'} but {end:%Y-%m} lacks "
            f"{after or 'no member state'}; the two sums are not over the same member states"
        )
    first = row(comext, series, start)["value"]
    return float((row(comext, series, end)["value"] / first - 1) * 100)


def share_pct(
    comext: pd.DataFrame, part: tuple[str, str], whole: tuple[str, str], month: pd.Timestamp
) -> tuple[float, bool]:
    """``part`` as a % of ``whole`` in ``month``, and whether that is only a lower bound.

    ``whole`` must be complete (every member state reported); if ``part`` lacks some member states,
    their share is left out and the result is a lower bound.
    """
    if missing(comext, whole, month):
        raise ValueError(f"{whole} for {month:%Y-%m} lacks member states: no bound on the share")
    share = row(comext, part, month)["value"] / row(comext, whole, month)["value"] * 100
    return float(share), bool(missing(comext, part, month))


class KeyMonths(NamedTuple):
    """The months the EU page compares."""

    last: pd.Timestamp  # the last month in the extract
    end: pd.Timestamp  # the last month with every member state's import figure (see change_pct)
    exports_low: pd.Timestamp  # the lowest month of exports, from the event on
    imports_peak: pd.Timestamp  # the highest month of imports


def key_months(comext: pd.DataFrame, wide: pd.DataFrame, event: pd.Timestamp) -> KeyMonths:
    """The months the EU page compares (``wide`` from the page's month x series table; ``event`` a month start)."""
    imports, exports = wide[EU_SERIES[EU_IMPORTS_TOTAL]], wide[EU_SERIES[EU_EXPORTS_TOTAL]]
    return KeyMonths(
        last=wide.index.max(),
        # so that a change since the event is over the same member states in both months
        end=last_complete_month(comext, EU_IMPORTS_TOTAL),
        exports_low=exports[wide.index >= event].idxmin(),
        imports_peak=imports.idxmax(),
    )


def incomplete_sums(comext: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The rows whose sum lacks at least one member state, and how many of them are all-goods totals."""
    rows = comext[comext["reporters_missing"] > 0]
    return rows, int((rows["product"] == "TOTAL all products").sum())


def facts(
    comext: pd.DataFrame, wide: pd.DataFrame, event: pd.Timestamp, shares_before: pd.Series
) -> Facts:
    """Every number the page quotes.

    ``comext``: the data file; ``wide``: month x series (EUR bn, columns as :data:`EU_SERIES`);
    ``event``: the invasion month; ``shares_before``: partner -> share of Russia's trade in the
    last IMF year (%), named by that year.
    """
    imports, exports = wide[EU_SERIES[EU_IMPORTS_TOTAL]], wide[EU_SERIES[EU_EXPORTS_TOTAL]]
    last, end, low, peak = key_months(comext, wide, event)
    incomplete, incomplete_totals = incomplete_sums(comext)
    fuel_event, fuel_event_bound = share_pct(comext, EU_IMPORTS_FUELS, EU_IMPORTS_TOTAL, event)
    fuel_end, fuel_end_bound = share_pct(comext, EU_IMPORTS_FUELS, EU_IMPORTS_TOTAL, end)
    imp_change = change_pct(comext, EU_IMPORTS_TOTAL, event, end)
    first_after = imports.index[imports.index > event].min()
    fuel_words = f"{'at least ' if fuel_event_bound else ''}{fuel_event:.0f}%"
    return Facts(
        pre_year=int(shares_before.name),
        pre_eu_share=shares_before["European Union"],
        pre_cn_share=shares_before["China"],
        first_month=wide.index.min(),
        last_month=last,
        end_month=end,  # the last month with every member state's import figure
        imp_event=imports[event],
        imports_fell_after_event=bool(imports[first_after] < imports[event]),
        imp_peak_month=peak,
        imp_peak=imports[peak],
        imp_2021_mean=imports[imports.index.year == 2021].mean(),
        imp_end=imports[end],
        imp_change=imp_change,
        last_month_lacks=missing(comext, EU_IMPORTS_TOTAL, last),
        exp_event=exports[event],
        exp_low_month=low,
        exp_low=exports[low],
        exp_low_lacks=missing(comext, EU_EXPORTS_TOTAL, low),
        exp_event_lacks=missing(comext, EU_EXPORTS_TOTAL, event),
        fuel_share_event=fuel_event,
        fuel_share_event_is_lower_bound=fuel_event_bound,
        fuel_share_end=fuel_end,
        fuel_share_end_is_lower_bound=fuel_end_bound,
        rows=len(comext),
        rows_missing=len(incomplete),
        missing_max=int(comext["reporters_missing"].max()),
        rows_missing_total=incomplete_totals,
        caption=(
            f"EU-27 trade with Russia by month, {month_words(wide.index.min())} to "
            f"{month_words(last)}, € billion: imports from and exports to Russia, all goods and "
            f"mineral fuels (HS 27). Sums over the 27 member states computed from Eurostat Comext; "
            f"in {len(incomplete)} of {len(comext)} monthly values at least one member state's "
            f"figure was not available ({incomplete_totals} of them all-goods totals), so those "
            f"sums are lower bounds. Euros, not comparable with the US-dollar series elsewhere "
            f"without conversion."
        ),
        alt=(
            f"EU exports to Russia fell from about {exports[event]:.1f} billion euros in "
            f"{month_words(event)} to about {exports[low]:.1f} billion in {month_words(low)}. EU "
            f"imports from Russia (fuels were {fuel_words} of them in {month_words(event)}) "
            f"reached a peak of about {imports[peak]:.1f} billion in {month_words(peak)} and were "
            f"about {imports[end]:.1f} billion in {month_words(end)}, the last month with every "
            f"member state's import figure ({imp_change:.0f}% against {month_words(event)})."
        ),
    )


def plot(wide: pd.DataFrame, event: pd.Timestamp, event_label: str):
    """Imports in the Russia colour, exports in the EU colour; fuels dashed."""
    fig, ax = style.new_chart()
    colours = [
        style.COLOURS["russia"],
        style.COLOURS["russia"],
        style.COLOURS["eu"],
        style.COLOURS["eu"],
    ]
    for column, colour, dash in zip(wide.columns, colours, ["-", "--", "-", "--"], strict=False):
        ax.plot(wide.index, wide[column], color=colour, linestyle=dash, label=column)
    style.mark_break(ax, event, event_label)
    ax.set_title("The EU's monthly trade with Russia")
    ax.set_ylabel("€ billion per month")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", fontsize=8.5)
    return fig, ax


# -- after 2022: the annual figures reported from Eurostat ---------------------------------------

#: How each reported figure was read, best first (the data's ``source_level``).
SOURCE_LEVELS = ["primary", "secondary", "secondary (mirror)", "secondary (low quality)"]
#: A source level as the chart's axis labels print it.
LEVEL_WORDS = {
    "computed here": "computed",
    "primary": "Eurostat",
    "secondary": "secondary",
    "secondary (mirror)": "secondary, copy",
    "secondary (low quality)": "low-quality source",
}
MONTH_ABBR = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def best_sourced(reported: pd.DataFrame) -> pd.DataFrame:
    """One row per period: the report read at the best source level; on a tie, the figure that
    most reports of that period give (then the first in the file).

    Several reports often give the same figure (or nearly: 67.5 and 67.7 for 2024); the one drawn
    is the best-sourced, and the page says where the others differ.
    """
    unknown = set(reported["source_level"]) - set(SOURCE_LEVELS)
    if unknown:
        raise ValueError(f"source_level {sorted(unknown)} is not one of {SOURCE_LEVELS}")
    ordered = reported.assign(
        rank=reported["source_level"].map(SOURCE_LEVELS.index),
        reports=reported.groupby(["period", "value"])["value"].transform("size"),
    ).sort_values(["rank", "reports"], ascending=[True, False], kind="stable")
    best = ordered.drop_duplicates("period").drop(columns=["rank", "reports"])
    return best.sort_values("period")


def period_label(period: str, full_year: bool) -> str:
    """'2024' for a full year, '2025 Jan–Sep' for '2025-01..09'."""
    if full_year:
        return period
    year, months = period.split("-", 1)
    first, last = (int(m) for m in months.split(".."))
    return f"{year} {MONTH_ABBR[first - 1]}–{MONTH_ABBR[last - 1]}"


def annual_facts(annual: pd.DataFrame, eurostat: pd.DataFrame) -> Facts:
    """The numbers the section on the years after 2022 quotes.

    ``annual``: the page's one row per period drawn (year, period, full_year, value_eur_bn,
    value_type, source_level); ``eurostat``: the reported file, for the published change of the
    latest part-year and the same months of the year before.
    """
    by_period = annual.set_index("period")
    full = annual[annual["full_year"]]
    first, last_full = full.iloc[0], full.iloc[-1]
    latest = annual.iloc[-1]
    totals = eurostat[eurostat["flow"] == "total_trade"]
    change = eurostat[
        (eurostat["flow"] == "total_trade_change") & (eurostat["period"] == latest["period"])
    ]["value"]
    year_before = f"{int(latest['year']) - 1}{latest['period'][4:]}"
    before = best_sourced(totals[totals["period"] == year_before])
    q2 = eurostat[(eurostat["period"] == f"{int(latest['year'])}-Q2")].set_index("flow")["value"]
    labels = [
        f"{period_label(r.period, r.full_year)}\n{LEVEL_WORDS[r.source_level]}"
        for r in annual.itertuples()
    ]
    return Facts(
        first_year=int(first["year"]),
        total_first=first["value_eur_bn"],
        last_full_year=int(last_full["year"]),
        total_last_full=last_full["value_eur_bn"],
        ratio_last_full_to_first=last_full["value_eur_bn"] / first["value_eur_bn"],
        values={p: by_period.loc[p, "value_eur_bn"] for p in by_period.index},
        levels={p: by_period.loc[p, "source_level"] for p in by_period.index},
        latest_period=latest["period"],
        latest_full_year=bool(latest["full_year"]),
        latest_change_published=float(change.item()),
        year_before_period=year_before,
        year_before=float(before["value"].item()),
        latest_change_computed=(latest["value_eur_bn"] / before["value"].item() - 1) * 100,
        q2_surplus=bool(q2["eu_exports_to_russia"] > q2["eu_imports_from_russia"]),
        labels=labels,
        caption=(
            f"EU-27 trade in goods with Russia (imports plus exports), € billion, "
            f"{int(first['year'])}–{int(latest['year'])}: by {int(last_full['year'])} about "
            f"{last_full['value_eur_bn'] / first['value_eur_bn']:.0%} of the {int(first['year'])} "
            "level, and lower again in 2025. Solid bars are full years, dotted ones part-years. Left of the dotted line: sums of the member states' "
            "monthly figures computed on this page (2022 without December, and a lower bound, as "
            "some member states' figures are not available); right of it: Eurostat's figures as "
            "reported by others, the source level under each year."
        ),
        alt=(
            f"EU trade with Russia in goods was about {first['value_eur_bn']:.0f} billion euros in "
            f"{int(first['year'])}, {by_period['value_eur_bn'].iloc[2]:.1f} billion in "
            f"{int(annual['year'].iloc[2])} (a low-quality source), about "
            f"{last_full['value_eur_bn']:.1f} billion in {int(last_full['year'])}, and "
            f"{latest['value_eur_bn']:.1f} billion in {period_label(latest['period'], False)} "
            "alone, the latest period found."
        ),
    )


def plot_annual(annual: pd.DataFrame, labels: list[str], first_reported: int):
    """Bars by period (solid full years, dotted part-years) and the change of source marked."""
    fig, ax = style.new_chart(height=3.8)
    bars = annual.assign(
        label=labels, kind=annual["full_year"].map({True: "full", False: "partial"})
    )
    charts.period_bars(
        ax,
        bars,
        label="label",
        value="value_eur_bn",
        kind="kind",
        colour=style.COLOURS["eu"],
        fmt="€{:.1f}bn",
    )
    # between the last computed bar and the first reported one; the label sits above the low bars
    style.mark_break(ax, first_reported - 0.5, "from here: Eurostat's\nfigures as reported")
    charts.bar_legend(ax, style.COLOURS["eu"], sorted(set(bars["kind"])))
    ax.legend_.set_loc("center right")
    ax.set_title("EU–Russia trade in goods by year")
    ax.set_ylabel("€ billion")
    ax.set_ylim(bottom=0)
    return fig, ax
