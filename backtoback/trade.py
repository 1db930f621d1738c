"""Reshaping and plotting helpers for the trade chapter ("The trade shifts").

The notebooks in ``chapters/trade/`` stay short: they load the catalogued data, call a function from
here, and pass the result to :func:`backtoback.style.figure`. Every function returns exactly the rows
that are plotted or printed, with a ``value_type`` column (reported / computed / derived), so the
CSV download under each chart carries it. The sentences and glued numbers the pages build from
these results are in :mod:`backtoback.trade_prose`.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from . import style

#: Labels used in charts and tables.
EXPORTS = "China's exports to Russia"
IMPORTS = "China's imports from Russia"
TOTAL = "Total trade"
DOTS_SOURCE = "IMF DOTS (China-reported)"
GACC_SOURCE = "China customs (GACC), as reported in the news"
GACC_FLOWS = {
    "china_exports_to_russia": EXPORTS,
    "china_imports_from_russia": IMPORTS,
    "total": TOTAL,
}
SERIES_COLOURS = {
    EXPORTS: style.COLOURS["china"],
    IMPORTS: style.COLOURS["russia"],
    TOTAL: style.COLOURS["neutral"],
}


def dots_pair(dots: pd.DataFrame, reporter: str, partner: str) -> pd.DataFrame:
    """Reporter's exports to and imports from partner, year x flow, US$ billion (DOTS)."""
    rows = dots[(dots["reporter"] == reporter) & (dots["partner"] == partner)]
    table = rows.pivot(index="year", columns="flow", values="value").div(1000)
    table.index = table.index.astype(int)
    return table[["exports_fob", "imports_cif"]]


# -- Chart 1: China-Russia trade, two sources ----------------------------------------------------


def china_russia_long(dots: pd.DataFrame, gacc: pd.DataFrame) -> pd.DataFrame:
    """China's trade with Russia, 2000 to the latest year: DOTS to 2020, GACC-news from 2021.

    One row per plotted point: year, series, value (US$ bn), value_type, source.
    """
    pair = dots_pair(dots, "China (mainland)", "Russia")
    pair = pair.rename(columns={"exports_fob": EXPORTS, "imports_cif": IMPORTS})
    pair[TOTAL] = pair[EXPORTS] + pair[IMPORTS]
    dots_long = pair.reset_index().melt(id_vars="year", var_name="series", value_name="value")
    dots_long["value_type"] = dots_long["series"].map(
        lambda s: "computed" if s == TOTAL else "reported"
    )
    dots_long["source"] = DOTS_SOURCE
    after = gacc[gacc["year"] > pair.index.max()]
    news = pd.DataFrame(
        {
            "year": after["year"].astype(int),
            "series": after["flow"].map(GACC_FLOWS),
            "value": after["value"],
            "value_type": after["value_type"].astype(str),
            "source": GACC_SOURCE,
        }
    )
    frame = pd.concat([dots_long, news], ignore_index=True)
    frame["value"] = frame["value"].astype(float).round(3)
    return frame.sort_values(["series", "year"], ignore_index=True)


def plot_china_russia(long: pd.DataFrame, break_year: int):
    """Lines for the DOTS years, markers for the news years (hollow = derived), a break line."""
    fig, ax = style.new_chart()
    for series, colour in SERIES_COLOURS.items():
        rows = long[long["series"] == series]
        dots = rows[rows["source"] == DOTS_SOURCE]
        news = rows[rows["source"] == GACC_SOURCE]
        ax.plot(dots["year"], dots["value"], color=colour, label=series)
        ax.plot(news["year"], news["value"], color=colour, linestyle="--", marker="o")
        derived = news[news["value_type"] == "derived"]
        style.hollow_points(ax, derived["year"], derived["value"], colour)
    style.hollow_points(
        ax, [], [], style.COLOURS["neutral"], label="derived (2021 split)"
    )  # legend key
    style.mark_break(
        ax, break_year + 0.5, "source changes:\nIMF DOTS → customs\nfigures in the news"
    )
    ax.set_title("China's trade with Russia, as reported by China")
    ax.set_ylabel("US$ billion")
    ax.legend(loc="upper left", bbox_to_anchor=(0, 0.93))
    style.whole_years(ax)
    return fig, ax


def crosscheck(dots: pd.DataFrame, gacc: pd.DataFrame) -> pd.DataFrame:
    """Overlap years: GACC figures reported in the news vs IMF DOTS China-reported (US$ bn, % gap)."""
    pair = dots_pair(dots, "China (mainland)", "Russia")
    dots_values = {
        "china_exports_to_russia": pair["exports_fob"],
        "china_imports_from_russia": pair["imports_cif"],
        "total": pair["exports_fob"] + pair["imports_cif"],
    }
    overlap = gacc[gacc["year"] <= pair.index.max()]
    rows = []
    for _, row in overlap.iterrows():
        dots_value = float(dots_values[row["flow"]][int(row["year"])])
        rows.append(
            {
                "year": int(row["year"]),
                "flow": GACC_FLOWS[row["flow"]],
                "GACC (news), US$ bn": float(row["value"]),
                "IMF DOTS, US$ bn": round(dots_value, 3),
                "gap, % of DOTS": round((float(row["value"]) / dots_value - 1) * 100, 2),
                "value_type": "computed",
            }
        )
    return pd.DataFrame(rows).sort_values(["year", "flow"], ignore_index=True)


def imports_ahead_of_exports(long: pd.DataFrame, since: int) -> tuple[int, pd.Index]:
    """From ``since`` on: in how many years China's imports from Russia exceeded its exports to
    Russia, and the years that have both figures (the split is missing for some years)."""
    split = long[long["year"] >= since].pivot(index="year", columns="series", values="value")
    years = split[[EXPORTS, IMPORTS]].dropna().index
    return int((split.loc[years, IMPORTS] > split.loc[years, EXPORTS]).sum()), years


def gacc_flagged_year(gacc: pd.DataFrame, years, word: str) -> int:
    """The one year among ``years`` whose notes in the customs file contain ``word``."""
    notes = gacc.groupby("year")["note"].apply(lambda n: " ".join(n.fillna("")))
    flagged = [int(y) for y in years if word in notes[y]]
    if len(flagged) != 1:
        raise ValueError(f"expected one year noted {word!r} among {list(years)}, found {flagged}")
    return flagged[0]


# -- Mirror statistics -----------------------------------------------------------------------------


def mirror(dots: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The same goods counted by both sides (DOTS, US$ bn): two wide tables, year x reporter."""
    china = dots_pair(dots, "China (mainland)", "Russia")
    russia = dots_pair(dots, "Russia", "China (mainland)")
    return {
        "China → Russia": pd.DataFrame(
            {
                "China-reported exports to Russia (FOB)": china["exports_fob"],
                "Russia-reported imports from China (CIF)": russia["imports_cif"],
            }
        ),
        "Russia → China": pd.DataFrame(
            {
                "Russia-reported exports to China (FOB)": russia["exports_fob"],
                "China-reported imports from Russia (CIF)": china["imports_cif"],
            }
        ),
    }


def mirror_data(wide: pd.DataFrame) -> pd.DataFrame:
    """A mirror table as the long rows behind its chart (all values reported by DOTS)."""
    long = (
        wide.round(3)
        .reset_index()
        .melt(id_vars="year", var_name="series", value_name="value_usd_bn")
    )
    long["value_type"] = "reported"
    return long


def mirror_gap_pct(wide: pd.DataFrame) -> pd.Series:
    """The importer's figure against the exporter's (second column against first), % by year."""
    return (wide.iloc[:, 1] / wide.iloc[:, 0] - 1) * 100


# -- Chart 2: Russia's partners ---------------------------------------------------------------------

PARTNERS = {"China (mainland)": "China", "European Union": "European Union"}
PARTNER_COLOURS = {"China": style.COLOURS["china"], "European Union": style.COLOURS["eu"]}


def russia_partner_values(dots: pd.DataFrame) -> pd.DataFrame:
    """Russia-reported trade (exports + imports) with China, the EU and the world, US$ bn, by year."""
    rows = dots[dots["reporter"] == "Russia"]
    total = rows.groupby(["year", "partner"])["value"].sum().unstack().div(1000)
    total.index = total.index.astype(int)
    return total[[*PARTNERS, "World"]].rename(columns=PARTNERS)


def dots_shares(dots: pd.DataFrame) -> pd.DataFrame:
    """Partner share of Russia's total trade (exports + imports), %, computed from Russia-reported DOTS."""
    values = russia_partner_values(dots)
    shares = values[list(PARTNERS.values())].div(values["World"], axis=0).mul(100)
    long = (
        shares.round(2)
        .reset_index()
        .melt(id_vars="year", var_name="partner", value_name="share_pct")
    )
    long["definition"] = (
        "(exports + imports with partner) / (exports + imports with World), Russia-reported, US$"
    )
    long["value_type"] = "computed"
    long["source"] = "IMF DOTS, Russia-reported"
    long["quality"] = "primary dataset"
    return long


def reported_share_quality(row) -> str:
    """How a reported share row is used: 'clear', or 'flagged: <reason>' from its note and source."""
    text = f"{row['note']} {row['source_title']}".lower()
    if "low-quality" in text:
        return "flagged: low-quality source"
    if "flag" in text:
        return "flagged: period not stated"
    if "inferred" in text:
        return "flagged: reference year inferred, approximate"
    if row["value_type"] == "derived":
        return "flagged: derived from mixed sources"
    return "clear"


def reported_shares(shares: pd.DataFrame) -> pd.DataFrame:
    """Reported full-year shares of Russia's total trade for China and the EU (secondary sources).

    Partial-year rows and regional aggregates ('Asia (all)', 'Europe (all)') are left out: their
    definitions do not match. Each kept row says whether its definition is clear or why it is flagged.
    """
    keep = shares[
        (shares["source_title"].str.startswith("IMF DOTS") == False)  # noqa: E712 (pandas mask)
        & (shares["indicator"] == "share_of_russia_total_trade")
        & (shares["period"] == "Jan-Dec")
        & shares["partner"].isin(["China", "European Union"])
    ].copy()
    keep["quality"] = keep.apply(reported_share_quality, axis=1)
    return pd.DataFrame(
        {
            "year": keep["year"].astype(int),
            "partner": keep["partner"].astype(str),
            "share_pct": keep["value"].astype(float),
            "definition": "share of Russia's total trade as quoted (mostly Russian customs, FCS, basis)",
            "value_type": keep["value_type"].astype(str),
            "source": keep["source_title"].astype(str),
            "quality": keep["quality"],
        }
    ).sort_values(["year", "partner"], ignore_index=True)


def shares_by_year(shares: pd.DataFrame) -> pd.DataFrame:
    """Year x partner table of ``share_pct`` (one share per year and partner)."""
    return shares.pivot(index="year", columns="partner", values="share_pct")


def first_year_above(frame: pd.DataFrame, leader: str, other: str) -> int | None:
    """First year in which ``leader``'s share exceeds ``other``'s in the same (computed) series."""
    wide = shares_by_year(frame).dropna()
    above = wide.index[wide[leader] > wide[other]]
    return int(above.min()) if len(above) else None


def clear_and_flagged(reported: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Reported shares split by quality: those with a clear definition, and the flagged rest."""
    clear = reported["quality"] == "clear"
    return reported[clear], reported[~clear]


def yearly_mean_shares(reported: pd.DataFrame) -> pd.DataFrame:
    """One reported share per year and partner: the mean where two reports give one each."""
    return reported.groupby(["year", "partner"], as_index=False)["share_pct"].mean()


def first_years_china_ahead(
    computed: pd.DataFrame, clear: pd.DataFrame
) -> tuple[int | None, int | None]:
    """First year China's share exceeds the EU's: in the computed DOTS shares, and in the clear
    reported ones (each on its own definition, never mixing the two); None where it never does."""
    return (
        first_year_above(computed, "China", "European Union"),
        first_year_above(yearly_mean_shares(clear), "China", "European Union"),
    )


def plot_shares(computed: pd.DataFrame, reported: pd.DataFrame, break_year: int):
    """Computed DOTS shares as lines; reported shares as markers (hollow = flagged)."""
    fig, ax = style.new_chart()
    for partner, colour in PARTNER_COLOURS.items():
        rows = computed[computed["partner"] == partner]
        ax.plot(
            rows["year"], rows["share_pct"], color=colour, label=f"{partner} (IMF DOTS, computed)"
        )
        points = reported[reported["partner"] == partner]
        clear = points[points["quality"] == "clear"]
        flagged = points[points["quality"] != "clear"]
        ax.plot(
            clear["year"],
            clear["share_pct"],
            linestyle="none",
            marker="o",
            color=colour,
            label=f"{partner} (reported, secondary)",
        )
        style.hollow_points(
            ax,
            flagged["year"],
            flagged["share_pct"],
            colour,
            label=f"{partner} (reported, flagged)",
        )
    style.mark_break(ax, break_year + 0.5, "DOTS ends;\nnews figures")
    ax.set_title("China's and the EU's shares of Russia's trade")
    ax.set_ylabel("% of Russia's exports + imports")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", fontsize=8.5, ncols=2)
    style.whole_years(ax)
    return fig, ax


def partner_values_data(values: pd.DataFrame) -> pd.DataFrame:
    """The rows behind the values chart: year, partner, US$ bn (sums of reported flows = computed)."""
    long = (
        values[list(PARTNER_COLOURS)]
        .round(3)
        .reset_index()
        .melt(id_vars="year", var_name="partner", value_name="trade_usd_bn")
    )
    long["value_type"] = "computed"
    return long


def plot_partner_values(values: pd.DataFrame):
    """Russia-reported trade with China and the EU in US$ bn (DOTS)."""
    fig, ax = style.line_chart(
        values[list(PARTNER_COLOURS)],
        title="Russia's trade with China and the EU, as reported by Russia",
        ylabel="US$ billion (exports + imports)",
        colours=list(PARTNER_COLOURS.values()),
    )
    return fig, ax


# -- Chart 3: the EU's monthly trade with Russia -----------------------------------------------------

EU_SERIES = {
    ("imports_from_russia", "TOTAL all products"): "EU imports from Russia, all goods",
    ("imports_from_russia", "HS 27 mineral fuels, oils"): "EU imports from Russia, fuels (HS 27)",
    ("exports_to_russia", "TOTAL all products"): "EU exports to Russia, all goods",
    ("exports_to_russia", "HS 27 mineral fuels, oils"): "EU exports to Russia, fuels (HS 27)",
}


def eu_monthly(comext: pd.DataFrame) -> pd.DataFrame:
    """EU-27 monthly trade with Russia as the long rows behind the chart (EUR bn)."""
    frame = comext.copy()
    frame["month_start"] = pd.to_datetime(
        {"year": frame["year"].astype(int), "month": frame["month"].astype(int), "day": 1}
    )
    frame["series"] = [
        EU_SERIES[(f, p)] for f, p in zip(frame["flow"], frame["product"], strict=False)
    ]
    frame["value_eur_bn"] = (frame["value"] / 1000).round(4)
    frame["period"] = frame["month_start"].dt.strftime("%Y-%m")
    return frame[
        ["period", "month_start", "series", "value_eur_bn", "value_type", "reporters_missing"]
    ]


def eu_wide(long: pd.DataFrame) -> pd.DataFrame:
    """Month x series table (EUR bn), columns in the order of :data:`EU_SERIES`."""
    return long.pivot(index="month_start", columns="series", values="value_eur_bn")[
        list(EU_SERIES.values())
    ]


def plot_eu_monthly(wide: pd.DataFrame, event: pd.Timestamp, event_label: str):
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


# -- Comparing EU27 sums: only over the same member states ----------------------------------------------

EU_IMPORTS_TOTAL = ("imports_from_russia", "TOTAL all products")
EU_IMPORTS_FUELS = ("imports_from_russia", "HS 27 mineral fuels, oils")
EU_EXPORTS_TOTAL = ("exports_to_russia", "TOTAL all products")


def eu_row(comext: pd.DataFrame, series: tuple[str, str], month: pd.Timestamp) -> pd.Series:
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


def eu_missing(comext: pd.DataFrame, series: tuple[str, str], month: pd.Timestamp) -> list[str]:
    """Member states whose figure is not available in ``month``'s sum (empty list if none)."""
    names = eu_row(comext, series, month)["missing_reporters"]
    return [] if pd.isna(names) or not str(names).strip() else str(names).split("; ")


def eu_last_complete_month(comext: pd.DataFrame, series: tuple[str, str]) -> pd.Timestamp:
    """The latest month in which every member state has a figure for ``series``."""
    flow, product = series
    rows = comext[
        (comext["flow"] == flow)
        & (comext["product"] == product)
        & (comext["reporters_missing"] == 0)
    ]
    last = rows.sort_values(["year", "month"]).iloc[-1]
    return pd.Timestamp(year=int(last["year"]), month=int(last["month"]), day=1)


def eu_change_pct(
    comext: pd.DataFrame, series: tuple[str, str], start: pd.Timestamp, end: pd.Timestamp
) -> float:
    """Percentage change of an EU27 sum from ``start`` to ``end``, over the same member states.

    The data hold sums only, so the two months are comparable only if the same member states are
    missing from both (usually: none). Otherwise a member state's missing cell would be counted as a
    fall or a rise, and this raises ``ValueError`` instead of returning a wrong number.
    """
    before, after = eu_missing(comext, series, start), eu_missing(comext, series, end)
    if before != after:
        raise ValueError(
            f"{series}: {start:%Y-%m} lacks {before or 'no member state'} but {end:%Y-%m} lacks "
            f"{after or 'no member state'}; the two sums are not over the same member states"
        )
    first = eu_row(comext, series, start)["value"]
    return float((eu_row(comext, series, end)["value"] / first - 1) * 100)


def eu_share_pct(
    comext: pd.DataFrame, part: tuple[str, str], whole: tuple[str, str], month: pd.Timestamp
) -> tuple[float, bool]:
    """``part`` as a % of ``whole`` in ``month``, and whether that is only a lower bound.

    ``whole`` must be complete (every member state reported); if ``part`` lacks some member states,
    their share is left out and the result is a lower bound.
    """
    if eu_missing(comext, whole, month):
        raise ValueError(f"{whole} for {month:%Y-%m} lacks member states: no bound on the share")
    share = eu_row(comext, part, month)["value"] / eu_row(comext, whole, month)["value"] * 100
    return float(share), bool(eu_missing(comext, part, month))


def member_states_words(names: list[str]) -> str:
    """'the Netherlands', 'Cyprus and Malta': member-state names as they read in a sentence."""
    names = [f"the {n}" if n == "Netherlands" else n for n in names]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class EuKeyMonths(NamedTuple):
    """The months the EU page compares."""

    last: pd.Timestamp  # the last month in the extract
    end: pd.Timestamp  # the last month with every member state's import figure (see eu_change_pct)
    exports_low: pd.Timestamp  # the lowest month of exports, from the event on
    imports_peak: pd.Timestamp  # the highest month of imports


def eu_key_months(comext: pd.DataFrame, wide: pd.DataFrame, event: pd.Timestamp) -> EuKeyMonths:
    """The months the EU page compares (``wide`` from :func:`eu_wide`; ``event`` a month start)."""
    imports, exports = wide[EU_SERIES[EU_IMPORTS_TOTAL]], wide[EU_SERIES[EU_EXPORTS_TOTAL]]
    return EuKeyMonths(
        last=wide.index.max(),
        # so that a change since the event is over the same member states in both months
        end=eu_last_complete_month(comext, EU_IMPORTS_TOTAL),
        exports_low=exports[wide.index >= event].idxmin(),
        imports_peak=imports.idxmax(),
    )


def eu_incomplete_sums(comext: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The rows whose sum lacks at least one member state, and how many of them are all-goods totals."""
    rows = comext[comext["reporters_missing"] > 0]
    return rows, int((rows["product"] == "TOTAL all products").sum())
