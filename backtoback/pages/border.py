"""The page "Border trade" (chapters/trade/border.md): Heilongjiang province's trade with Russia.

The page separates full years from part-year totals in visible cells; this module has
:func:`facts` and the chart decoration.
"""

from __future__ import annotations

import re

import pandas as pd

from .. import style
from . import Facts
from .charts import bar_legend, period_bars
from .wording import period_words


def yuan_only_from(rows: pd.DataFrame) -> int:
    """The first year from which every row of ``rows`` (trade totals) is in yuan."""
    in_yuan = rows["unit"] == "CNY billion"
    return int(min(y for y in rows["year"] if in_yuan[rows["year"] >= y].all()))


def quoted_by(source_title: str) -> str:
    """Who a source title says gave the figure: 'news.ati.su (Russian Consulate General in Harbin)'
    -> 'Russian Consulate General in Harbin'."""
    return source_title.split("(")[1].rstrip(")")


def facts(hlj: pd.DataFrame, full: pd.DataFrame, ytd: pd.DataFrame) -> Facts:
    """Every number the page quotes: ``full`` years (US$ bn) and ``ytd`` part-year totals (yuan
    bn, labelled such as '2021 Jan-Aug'), as the page builds them from the data file ``hlj``."""
    by_year = full.set_index("year")["value"]
    part = ytd.set_index("label")["value"]
    totals = hlj[hlj["metric"] == "heilongjiang_trade_with_russia"]
    quoted = hlj[
        (hlj["metric"] == "heilongjiang_trade_with_russia_yoy_change")
        & (hlj["year"] == 2022)
        & (hlj["period"] == "Jan-Aug")
    ].iloc[0]
    rankings = totals[totals["note"].str.startswith("#1 province")]
    ranked = rankings.iloc[0]
    all_partners = hlj[
        (hlj["metric"] == "heilongjiang_total_foreign_trade") & (hlj["year"] == 2023)
    ]
    first, last = int(by_year.index.min()), int(by_year.index.max())
    # the latest figure for trade with Russia in the whole file (one period in its latest year)
    latest = totals[totals["year"] == totals["year"].max()]
    if len(latest) != 1:
        raise ValueError(f"expected one Russia total in {totals['year'].max()}, got {len(latest)}")
    latest = latest.iloc[0]
    latest_words = period_words(int(latest["year"]), latest["period"])
    return Facts(
        first_year=first,
        first=by_year.iloc[0],
        last_full_year=last,
        last_full=by_year.iloc[-1],
        ytd_2021_aug=part["2021 Jan-Aug"],
        ytd_2021_oct=part["2021 Jan-Oct"],
        ytd_2022_aug=part["2022 Jan-Aug"],
        ytd_growth=(part["2022 Jan-Aug"] / part["2021 Jan-Aug"] - 1) * 100,
        ytd_growth_quoted=quoted["value"],
        ytd_growth_quoted_by=quoted_by(quoted["source_title"]),
        cny_from_year=yuan_only_from(totals[totals["year"] > last]),
        rank_period=period_words(int(ranked["year"]), ranked["period"]),
        total_2023=all_partners["value"].iloc[0],
        rank_share=share_of_china_russia(ranked["note"]),
        rankings_found=len(rankings),
        latest_russia_period=latest_words,
        latest_total_year=int(all_partners["year"].max()),
        caption_full=(
            f"Heilongjiang province's trade with Russia in the full years found, {first}–{last}, "
            f"US$ billion; a year without a bar is a year with no figure found. No annual figure "
            f"after {last} was found. Secondary source: figures "
            "from the provincial government and Xinhua, quoted by Chinese outlets."
        ),
        alt_full=(
            f"Bar chart. Heilongjiang's trade with Russia was {by_year.iloc[0]:.2f} billion "
            f"dollars in {first} and {by_year.iloc[-1]:.2f} billion in {last}, the last full year "
            "with a published figure."
        ),
        caption_ytd=(
            "Heilongjiang province's trade with Russia from January to the month shown, 2021 and "
            "2022, yuan billion: part years only (dotted), in another currency from the chart of "
            "full years and not comparable with it. Secondary source: Harbin Customs figures "
            "quoted by Chinese and Russian outlets and by the Russian Consulate General in Harbin."
        ),
        alt_ytd=(
            f"Bar chart. In yuan, January-to-August trade rose from {part['2021 Jan-Aug']:.1f} "
            f"billion in 2021 to {part['2022 Jan-Aug']:.1f} billion in 2022, above the "
            f"{part['2021 Jan-Oct']:.1f} billion of January to October 2021. {latest_words} is the "
            "latest period found."
        ),
    )


def share_of_china_russia(note: str) -> float:
    """The share of China–Russia trade a row's note gives: '#1 province; 14.7% of China-Russia
    trade; ...' -> 14.7."""
    found = re.search(r"([\d.]+)% of China-Russia trade", note)
    if found is None:
        raise ValueError(f"no share of China-Russia trade in the note {note!r}")
    return float(found.group(1))


def plot_full(full: pd.DataFrame):
    """The full years, US$ billion: a chart of its own, so no part year in yuan stands beside it."""
    fig, ax = style.new_chart(height=3.6)
    colour = style.COLOURS["china"]
    # on a year axis, so that the years with no figure found show as gaps
    period_bars(
        ax, full, label="label", value="value", kind="kind", colour=colour, fmt="{:.2f}", x="year"
    )
    ax.set_xticks(list(full["year"]), list(full["label"]))
    ax.set_title("Heilongjiang–Russia trade, full years: US$ billion")
    return fig, ax


def plot_ytd(ytd: pd.DataFrame):
    """The part years, yuan billion, dotted: a chart of its own."""
    fig, ax = style.new_chart(height=3.6)
    colour = style.COLOURS["china"]
    period_bars(ax, ytd, label="label", value="value", kind="kind", colour=colour, fmt="{:.1f}")
    ax.set_title("Heilongjiang–Russia trade, part years: yuan billion")
    ax.set_xlabel("from January to the month shown", fontsize=10)
    bar_legend(ax, colour, ["partial"])
    return fig, ax
