"""The page "Russia's partners" (chapters/trade/partners.md).

The page computes China's and the EU's shares of Russia's trade from IMF DOTS and picks the shares
reported in the news in visible cells; this module has the rule that marks a reported share as
clear or flagged, :func:`facts` and the chart decoration.
"""

from __future__ import annotations

import pandas as pd

from .. import style
from . import Facts

#: DOTS partner names -> the names used on the page.
PARTNERS = {"China (mainland)": "China", "European Union": "European Union"}
PARTNER_COLOURS = {"China": style.COLOURS["china"], "European Union": style.COLOURS["eu"]}


def quality(row) -> str:
    """How a reported share row is used: 'clear', or 'flagged: <reason>' from its note, source and
    (in the files that have it) its ``period_type``: only a calendar year with a stated period and
    a clear basis is 'clear'."""
    period_type = row.get("period_type", "year")
    if period_type == "year_to_date":
        return "flagged: part of a year"
    if str(period_type).startswith("statement"):
        return "flagged: period not stated"
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


def by_year(shares: pd.DataFrame) -> pd.DataFrame:
    """Year x partner table of ``share_pct`` (one share per year and partner)."""
    return shares.pivot(index="year", columns="partner", values="share_pct")


def first_year_above(shares: pd.DataFrame, leader: str, other: str) -> int | None:
    """First year in which ``leader``'s share exceeds ``other``'s, on one definition."""
    wide = by_year(shares).dropna()
    above = wide.index[wide[leader] > wide[other]]
    return int(above.min()) if len(above) else None


def yearly_mean(reported: pd.DataFrame) -> pd.DataFrame:
    """One reported share per year and partner: the mean where two reports give one each."""
    return reported.groupby(["year", "partner"], as_index=False)["share_pct"].mean()


def latest(rows: pd.DataFrame, partner: str) -> pd.Series:
    """The latest row of ``partner`` among ``rows``."""
    return rows[rows["partner"] == partner].sort_values("year").iloc[-1]


def facts(computed: pd.DataFrame, reported: pd.DataFrame, values: pd.DataFrame) -> Facts:
    """Every number the page quotes.

    ``computed``: the DOTS shares (year, partner, share_pct); ``reported``: the news shares with a
    ``quality`` column; ``values``: year x partner trade in US$ bn (China, European Union, World).
    """
    wide = by_year(computed)
    first, last = int(wide.index.min()), int(wide.index.max())
    clear = reported[reported["quality"] == "clear"]
    flagged = reported[reported["quality"] != "clear"]
    eu = wide["European Union"]
    ahead_computed = first_year_above(computed, "China", "European Union")
    ahead_reported = first_year_above(yearly_mean(clear), "China", "European Union")
    # on every reported figure, flagged ones included: a rough date, not one definition
    ahead_any = first_year_above(yearly_mean(reported), "China", "European Union")
    china_reported, eu_reported = latest(clear, "China"), latest(clear, "European Union")
    china_flagged, eu_flagged = latest(flagged, "China"), latest(flagged, "European Union")
    if ahead_computed is None and ahead_reported is None:
        lead = "the EU stays ahead in every year with comparable data"
        if ahead_any is not None:
            lead += f", while the rougher reported figures put China ahead from {ahead_any}"
    else:
        year = min(y for y in (ahead_computed, ahead_reported) if y is not None)
        lead = f"China's share first exceeds the EU's in {year}, on a single definition"
    return Facts(
        first_year=first,
        last_year=last,
        china_first=wide.at[first, "China"],
        china_last=wide.at[last, "China"],
        eu_first=wide.at[first, "European Union"],
        eu_last=wide.at[last, "European Union"],
        eu_max_year=int(eu.idxmax()),
        eu_max=eu.max(),
        # the same year on another definition: a figure quoted from Russian customs
        eu_last_reported=clear.query("partner == 'European Union' and year == @last")[
            "share_pct"
        ].iloc[0],
        china_value_last=values.at[last, "China"],
        eu_value_last=values.at[last, "European Union"],
        china_reported=china_reported["share_pct"],
        china_reported_year=int(china_reported["year"]),
        eu_reported=eu_reported["share_pct"],
        eu_reported_year=int(eu_reported["year"]),
        china_flagged=china_flagged["share_pct"],
        china_flagged_year=int(china_flagged["year"]),
        eu_flagged=eu_flagged["share_pct"],
        eu_flagged_year=int(eu_flagged["year"]),
        china_ahead_computed=ahead_computed,  # None: never, on this definition
        china_ahead_reported=ahead_reported,
        china_ahead_any=ahead_any,
        last_reported_year=int(reported["year"].max()),
        years_both_reported=[int(y) for y in by_year(yearly_mean(clear)).dropna().index],
        share_caption=(
            f"China's and the EU's shares of Russia's trade (exports plus imports): lines computed "
            f"from Russia's reports to the IMF, {first}–{last}; points reported in the news, "
            f"{reported['year'].min()}–{int(reported['year'].max())}, mostly from Russian customs "
            f"(secondary). Hollow points are part of a year, a statement without a stated period, "
            f"or of unclear basis, and the points use a different definition from the lines."
        ),
        share_alt=(
            f"Russia's trade: the EU's share fell from {wide.at[first, 'European Union']:.0f}% in "
            f"{first} to {wide.at[last, 'European Union']:.0f}% in {last}, while China's rose "
            f"from {wide.at[first, 'China']:.0f}% to {wide.at[last, 'China']:.0f}%; {lead}. "
            f"The latest reported figures, statements by Russian customs officials, put the EU at "
            f"{eu_flagged['share_pct']:.0f}% ({int(eu_flagged['year'])}) and China at "
            f"{china_flagged['share_pct']:.0f}% ({int(china_flagged['year'])})."
        ),
        value_caption=(
            f"Russia's trade (exports plus imports) with China and with the EU, {first}–{last}, "
            f"US$ billion, as reported by Russia to the IMF (DOTS): sums of reported exports and "
            f"imports."
        ),
        value_alt=(
            f"In US dollars, Russia's reported trade with the EU was about "
            f"{values.at[last, 'European Union']:.0f} billion in {last} against about "
            f"{values.at[last, 'China']:.0f} billion with China; the EU figure peaked at about "
            f"{values['European Union'].max():.0f} billion in {values['European Union'].idxmax()}."
        ),
    )


def direction_facts(by_direction: pd.DataFrame, ranked: pd.Series) -> Facts:
    """China's shares of Russia's exports and imports (``by_direction``: year x [value,
    value_type] x [exports, imports]) and its rank among Russia's partners (``ranked``: the rank
    row; its note gives the run of years, '<n> consecutive years')."""
    import re

    latest, before = int(by_direction.index.max()), int(by_direction.index.min())
    years = re.search(r"(\d+) consecutive years", str(ranked["note"]))
    return Facts(
        latest_year=latest,
        exports=by_direction.at[latest, ("value", "exports")],
        imports=by_direction.at[latest, ("value", "imports")],
        latest_reported=set(by_direction.loc[latest, "value_type"]) == {"reported"},
        imports_before=by_direction.at[before, ("value", "imports")],
        before_derived=set(by_direction.loc[before, "value_type"]) == {"derived"},
        rank=int(ranked["value"]),
        rank_years=int(years.group(1)) if years else None,
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
            label=f"{partner} (reported, hollow: flagged)",
        )
    style.mark_break(ax, break_year + 0.5, "DOTS ends;\nnews figures")
    ax.set_title("China's and the EU's shares of Russia's trade")
    ax.set_ylabel("% of Russia's exports + imports")
    ax.set_ylim(0, 72)  # room above the lines for the legend
    ax.legend(loc="upper left", fontsize=8.5, ncols=2)
    style.whole_years(ax)
    return fig, ax


def plot_values(values: pd.DataFrame):
    """Russia-reported trade with China and the EU in US$ bn (DOTS)."""
    return style.line_chart(
        values[list(PARTNER_COLOURS)],
        title="Russia's trade with China and the EU, as reported by Russia",
        ylabel="US$ billion (exports + imports)",
        colours=list(PARTNER_COLOURS.values()),
    )
