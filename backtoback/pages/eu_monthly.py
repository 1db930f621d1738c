"""The page "The EU falls away" (chapters/trade/eu.md): the EU's monthly trade with Russia.

The page labels and pivots the Comext rows in visible cells. This module has the rule for
comparing two EU-27 sums (only over the same member states: a missing member state's cell must not
count as a fall or a rise), :func:`facts` and the chart decoration.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from .. import style
from . import Facts
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
