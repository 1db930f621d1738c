"""The page "Border trade" (chapters/trade/border.md): Heilongjiang province's trade with Russia.

The page separates full years from part-year totals in visible cells; this module has
:func:`facts` and the chart decoration.
"""

from __future__ import annotations

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
    ranked = totals[totals["note"].str.startswith("#1 province")].iloc[0]
    all_partners = hlj[
        (hlj["metric"] == "heilongjiang_total_foreign_trade") & (hlj["year"] == 2023)
    ]
    first, last = int(by_year.index.min()), int(by_year.index.max())
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
        caption=(
            "Heilongjiang province's trade with Russia. Left: the full years found, US$ billion. "
            "Right: cumulative totals from January, 2021 and 2022, yuan billion (part years, "
            "dotted). The two panels use different currencies and periods and are not comparable. "
            f"No annual figure after {last} was found. Secondary source: figures from Harbin "
            "Customs and the provincial government, quoted by Chinese and Russian outlets and by "
            "the Russian Consulate General in Harbin."
        ),
        alt=(
            f"Two bar charts. Full-year trade with Russia was {by_year.iloc[0]:.2f} billion "
            f"dollars in {first} and {by_year.iloc[-1]:.2f} billion in {last}. In yuan, "
            f"January-to-August trade rose from {part['2021 Jan-Aug']:.1f} billion in 2021 to "
            f"{part['2022 Jan-Aug']:.1f} billion in 2022, above the {part['2021 Jan-Oct']:.1f} "
            f"billion of January to October 2021. No annual figures after {last} are shown because "
            "none were found."
        ),
    )


def plot(full: pd.DataFrame, ytd: pd.DataFrame):
    """Full years (US$) on the left, part years (yuan) on the right: never on one axis."""
    fig, (left, right) = style.new_chart(1, 2, height=4.2, gridspec_kw={"width_ratios": [3, 5]})
    colour = style.COLOURS["china"]
    period_bars(left, full, label="label", value="value", kind="kind", colour=colour, fmt="{:.2f}")
    left.set_title("Full years, US$ billion", fontsize=11)
    period_bars(right, ytd, label="label", value="value", kind="kind", colour=colour, fmt="{:.1f}")
    right.set_title("January to month shown, yuan billion", fontsize=11)
    bar_legend(right, colour, ["partial"])
    fig.suptitle("Heilongjiang's trade with Russia", fontweight="bold", x=0.02, ha="left")
    return fig, (left, right)
