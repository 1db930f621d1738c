"""The page "China–Russia trade, 2000 to the latest year" (chapters/trade/china-russia-trade.md).

The page builds its tables in visible cells (IMF DOTS to the last DOTS year, then China's customs
figures quoted in the news); this module gives the labels they use, :func:`facts` (every number
the page quotes, its captions and alt text) and the chart decoration.
"""

from __future__ import annotations

import pandas as pd

from .. import style
from . import Facts

#: Labels used in charts and tables.
EXPORTS = "China's exports to Russia"
IMPORTS = "China's imports from Russia"
TOTAL = "Total trade"
DOTS_SOURCE = "IMF DOTS (China-reported)"
GACC_SOURCE = "China customs (GACC), as reported in the news"
PARTIAL_SOURCE = "China customs (GACC), an aggregator's summary of a TASS report"
#: The customs file's flow names -> the labels above.
GACC_FLOWS = {
    "china_exports_to_russia": EXPORTS,
    "china_imports_from_russia": IMPORTS,
    "total": TOTAL,
}
#: ... and back: the label -> the customs files' flow name.
FLOW_NAMES = {label: flow for flow, label in GACC_FLOWS.items()}
SERIES_COLOURS = {
    EXPORTS: style.COLOURS["china"],
    IMPORTS: style.COLOURS["russia"],
    TOTAL: style.COLOURS["neutral"],
}


def period_label(period: str) -> str:
    """'2026-01..04' -> 'Jan–Apr 2026' (a year-to-date period of the customs files)."""
    year, months = period.split("-", 1)
    first, last = (int(m) for m in months.split(".."))
    name = pd.Timestamp(2000, first, 1).strftime("%b"), pd.Timestamp(2000, last, 1).strftime("%b")
    return f"{name[0]}–{name[1]} {year}"


def flagged_year(gacc: pd.DataFrame, years, word: str) -> int:
    """The one year among ``years`` whose notes in the customs file contain ``word``."""
    notes = gacc.groupby("year")["note"].apply(lambda n: " ".join(n.fillna("")))
    flagged = [int(y) for y in years if word in notes[y]]
    if len(flagged) != 1:
        raise ValueError(f"expected one year noted {word!r} among {list(years)}, found {flagged}")
    return flagged[0]


def imports_ahead_of_exports(series: pd.DataFrame, since: int) -> tuple[int, int]:
    """From ``since`` on: in how many years China's imports from Russia exceeded its exports to
    Russia, and how many years have both figures (the split is missing for some years)."""
    split = series[series["year"] >= since].pivot(index="year", columns="series", values="value")
    both = split[[EXPORTS, IMPORTS]].dropna()
    return int((both[IMPORTS] > both[EXPORTS]).sum()), len(both)


def mirror_gap_pct(wide: pd.DataFrame) -> pd.Series:
    """The importer's figure against the exporter's (second column against first), % by year."""
    return (wide.iloc[:, 1] / wide.iloc[:, 0] - 1) * 100


def mirror_facts(name: str, wide: pd.DataFrame) -> Facts:
    """One mirror table (year x [exporter's figure, importer's figure]): the gap and its range."""
    gap = mirror_gap_pct(wide)
    first, last = int(wide.index.min()), int(wide.index.max())
    return Facts(
        year=last,
        gap_last=gap.iloc[-1],
        gap_min=gap.min(),
        gap_max=gap.max(),
        caption=(
            f"Goods going {name}: the exporter's figure and the importer's figure for the same "
            f"flow, {first}–{last}, US$ billion (IMF DOTS). Exports are FOB, imports CIF."
        ),
        alt=(
            f"For goods going {name}, in {last} the importer's figure is {gap.iloc[-1]:+.0f}% "
            f"against the exporter's, and the gap ranges from {gap.min():+.0f}% to "
            f"{gap.max():+.0f}% over the period."
        ),
    )


def last_fall_before(totals: pd.Series, year: int) -> int | None:
    """The last year before ``year`` in which the total fell on the year before."""
    change = totals.sort_index().diff()
    falls = change[(change < 0) & (change.index < year)]
    return int(falls.index.max()) if len(falls) else None


def facts(series: pd.DataFrame, rates: pd.DataFrame, partial_change: float) -> Facts:
    """The numbers of the page's first section, its chart's caption and alt text.

    ``series``: one row per plotted point (year, series, value, value_type, source, period,
    full_year); ``rates``: year x [published, computed] rates of change of the total (%);
    ``partial_change``: the published rate of the partial-year point against the same months a
    year before. The later sections add theirs: ``facts.check`` (:func:`crosscheck_facts`) and
    ``facts.mirror`` (:func:`mirror_facts`), so each number is computed once, beside the
    analysis it reads.
    """
    full = series[series["full_year"]]
    totals = full[full["series"] == TOTAL].set_index("year")["value"]
    first, latest, peak = int(totals.index.min()), int(totals.index.max()), int(totals.idxmax())
    last_dots = int(series.loc[series["source"] == DOTS_SOURCE, "year"].max())
    first_news = last_dots + 1  # the first year of the customs figures quoted in the news
    split = full[full["series"] != TOTAL]
    partial = series[~series["full_year"]]
    if len(partial) != 1:
        raise ValueError(f"expected one partial-year point, found {len(partial)}")
    partial = partial.iloc[0]
    ahead, split_years = imports_ahead_of_exports(full, since=first_news)
    published, computed = rates.at[latest, "published"], rates.at[latest, "computed"]
    return Facts(
        first_year=first,
        last_dots_year=last_dots,
        first_news_year=first_news,
        latest_year=latest,
        peak_year=peak,
        last_fall_before_latest=last_fall_before(totals, latest),
        total_first=totals[first],
        total_dots_last=totals[last_dots],
        total_first_news=totals[first_news],
        total_peak=totals[peak],
        total_latest=totals[latest],
        growth_since_first_news=(totals[latest] / totals[first_news] - 1) * 100,
        peak_growth_since_first_news=(totals[peak] / totals[first_news] - 1) * 100,
        change_latest=(totals[latest] / totals[latest - 1] - 1) * 100,
        published_change_latest=published,
        computed_change_latest=computed,
        partial_year=int(partial["year"]),
        partial_period=str(partial["period"]),
        partial_total=partial["value"],
        partial_change=partial_change,
        split_sum_first_news=split.loc[split["year"] == first_news, "value"].sum(),
        split_first_news_derived=set(split.loc[split["year"] == first_news, "value_type"])
        == {"derived"},
        split_missing_latest=split[split["year"] == latest].empty,
        imports_ahead=ahead,
        split_years=split_years,
        caption=(
            f"China's trade with Russia, {first}–{latest}, in billions of US dollars as China "
            f"reported it: solid lines from the IMF's DOTS to {last_dots}, dashed lines from "
            f"customs figures quoted in the news (secondary) from {first_news}. The hollow dot at "
            f"{int(partial['year'])} covers {partial['period']} only (a partial year) and is not "
            f"comparable with the full years."
        ),
        alt=(
            f"China's reported trade with Russia grew from about {totals[first]:.0f} billion US "
            f"dollars in {first} to about {totals[last_dots]:.0f} billion in {last_dots} (IMF "
            f"data), then, in customs figures reported in the news, to about "
            f"{totals[first_news]:.0f} billion in {first_news} and a peak of about "
            f"{totals[peak]:.0f} billion in {peak}; {latest}: about {totals[latest]:.0f} billion, "
            f"{published:+.1f}% as customs published it. {partial['period']} "
            f"(partial year): about {partial['value']:.0f} billion, {partial_change:+.1f}% on the "
            f"same months a year before. China's imports from Russia exceeded its exports to "
            f"Russia in {ahead} of the {split_years} years from {first_news} with a split."
        ),
    )


def crosscheck_facts(check: pd.DataFrame, gacc: pd.DataFrame) -> Facts:
    """How far the news figures are from DOTS in the overlap years (``check``: year, flow, the two
    figures and ``gap, % of DOTS``), leaving out the two years the customs file's notes flag: a
    rounded headline and a figure that disagrees with DOTS."""
    years = sorted(int(y) for y in check["year"].unique())
    rounded = flagged_year(gacc, years, "rounded")
    disagrees = flagged_year(gacc, years, "DISAGREES")
    clean = check[~check["year"].isin([rounded, disagrees])]
    gap = check[check["flow"] == TOTAL].set_index("year")["gap, % of DOTS"]
    return Facts(
        first_year=years[0],
        last_year=years[-1],
        max_abs_gap=clean["gap, % of DOTS"].abs().max(),
        rounded_year=rounded,
        disagree_year=disagrees,
        gap_disagree=gap[disagrees],
        gap_rounded=gap[rounded],
    )


def plot(series: pd.DataFrame, break_year: int):
    """Lines for the DOTS years, markers for the news years (hollow = derived or partial year),
    a break line, and the partial-year point labelled as such."""
    fig, ax = style.new_chart()
    full = series[series["full_year"]]
    for name, colour in SERIES_COLOURS.items():
        rows = full[full["series"] == name]
        dots = rows[rows["source"] == DOTS_SOURCE]
        news = rows[rows["source"] == GACC_SOURCE]
        ax.plot(dots["year"], dots["value"], color=colour, label=name)
        ax.plot(news["year"], news["value"], color=colour, linestyle="--", marker="o")
        derived = news[news["value_type"] == "derived"]
        style.hollow_points(ax, derived["year"], derived["value"], colour)
    style.hollow_points(
        ax, [], [], style.COLOURS["neutral"], label="hollow: derived (2021 split) or partial year"
    )  # legend key
    for _, point in series[~series["full_year"]].iterrows():
        colour = SERIES_COLOURS[point["series"]]
        style.hollow_points(ax, [point["year"]], [point["value"]], colour)
        ax.annotate(
            f"{point['period']}\n(partial year)",
            (point["year"], point["value"]),
            xytext=(6, -12),
            textcoords="offset points",
            ha="right",
            va="top",
            fontsize=9,
            color=colour,
        )
    style.mark_break(
        ax, break_year + 0.5, "source changes:\nIMF DOTS → customs\nfigures in the news"
    )
    ax.set_title("China's trade with Russia, as reported by China")
    ax.set_ylabel("US$ billion")
    ax.set_ylim(top=series["value"].max() * 1.3)  # room for the break's label above the peak
    ax.legend(loc="upper left", bbox_to_anchor=(0, 0.93))
    style.whole_years(ax)
    return fig, ax


def plot_mirror(name: str, wide: pd.DataFrame):
    """Both sides' figures for one direction of the goods."""
    return style.line_chart(
        wide,
        title=f"Mirror statistics: goods going {name}",
        ylabel="US$ billion",
        colours=[style.COLOURS["china"], style.COLOURS["russia"]],
    )
