"""The page "Settlement currencies" (chapters/trade/settlement.md).

The Bank of Russia's currency shares of Russia's export and import payments reach this book only
as news quotations: sparse, sometimes overlapping or conflicting. :func:`points` applies the
page's rule for them and returns the points drawn and the rows set aside (with why);
:func:`monthly_segments` says which points a line may join. :func:`facts` and the chart
decoration (:func:`plot`) are here too; the page shapes the data behind each chart itself.
"""

from __future__ import annotations

import re

import matplotlib.dates as mdates
import pandas as pd

from .. import style
from . import Facts

#: The groups drawn, in legend order, with their colour and marker. ``unfriendly currencies`` is a
#: wider group than USD + EUR (it also holds e.g. GBP, JPY, CHF), so it keeps its own hollow marker.
SETTLEMENT_SERIES = {
    "Rouble": (style.COLOURS["russia"], "o", True),
    "Yuan": (style.COLOURS["china"], "s", True),
    "US dollar + euro": (style.COLOURS["usd_eur"], "D", True),
    "All 'unfriendly' currencies": (style.COLOURS["usd_eur"], "D", False),
    "All 'friendly' currencies": (style.COLOURS["china"], "s", False),
}
#: After January 2024, the figures found no longer give the yuan on its own: the Bank of Russia's
#: published breakdown groups it with the other 'friendly' currencies (catalogue note of
#: russia_settlement_currency_shares_2024_2026). The chart marks this change of what is published
#: at the end of the last month with a yuan share.
PUBLICATION_BREAK = pd.Timestamp("2024-02-01")
BREAK_LABEL = (
    "after Jan 2024: yuan no longer\npublished on its own, only\nwithin 'friendly' currencies"
)
_GROUP = {
    "RUB": "Rouble",
    "CNY": "Yuan",
    "USD+EUR": "US dollar + euro",
    "unfriendly currencies (mainly USD+EUR)": "All 'unfriendly' currencies",
    "unfriendly currencies": "All 'unfriendly' currencies",
    "friendly currencies": "All 'friendly' currencies",
}


def period_bounds(period: pd.Series, period_type: pd.Series) -> tuple[pd.Series, pd.Series]:
    """First and last day covered by each observation (a month, a quarter or a calendar year)."""
    quarters = period_type == "quarter"
    dated = (period_type != "point") & ~quarters
    start = pd.to_datetime(period.where(dated), format="mixed", errors="coerce")
    start[quarters] = [pd.Period(q, freq="Q").start_time for q in period[quarters]]
    end = pd.Series(pd.NaT, index=period.index, dtype="datetime64[ns]")
    months = period_type == "month"
    years = period_type == "year"
    end[months] = start[months] + pd.offsets.MonthEnd(0)
    end[quarters] = start[quarters] + pd.offsets.QuarterEnd(0)
    end[years] = start[years] + pd.offsets.YearEnd(0)
    return start, end


def published_on(source_title: str) -> pd.Timestamp:
    """The publication date in a source title such as 'TASS, 15 Aug 2025 (CBR)' (NaT if none)."""
    found = re.search(r"\b(\d{1,2} [A-Z][a-z]{2} \d{4})\b", str(source_title))
    return pd.to_datetime(found.group(1), format="%d %b %Y") if found else pd.NaT


def points(shares: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply the page's rule; return ``(points, set_aside)``.

    The rule, in order:

    1. Only rouble, yuan, US dollar + euro, "unfriendly currencies" and "friendly currencies" are
       drawn, each flow on its own. Other groupings ("other friendly", rouble + friendly) overlap
       these, and a share of exports and imports together is not either flow: set aside.
    2. An observation whose reference period is not stated is set aside: undated 'latest' figures
       (``period_type == 'point'``), and rows whose period the research inferred from context (the
       note says "implied").
    3. A derived value (back-calculated by the research, not published) is set aside.
    4. US dollar + euro: a combined share published as such is used. Where only the two separate
       shares are published for a period (same source), their sum is used and marked ``computed``.
       Where both exist, the published combined share wins and the sum is set aside.
    5. Where publications disagree about one period, flow and currency, the figure published
       latest is drawn (probably the Bank of Russia's revised figure) and the others are set aside.
    6. One point per period, flow and group remains; if two rows still collide, that is an error.

    ``points`` has one row per drawn point: flow, group, period, period_type, start, end, value,
    value_type, source_title, source_url, note. ``set_aside`` lists every row not drawn, with why.
    """
    frame = shares.copy()
    frame["start"], frame["end"] = period_bounds(frame["period"], frame["period_type"])
    frame["group"] = frame["currency"].map(_GROUP)
    if "source_level" not in frame:  # the older file does not say how each source was read
        frame["source_level"] = pd.NA
    set_aside = []

    def drop(mask, reason):
        nonlocal frame
        for _, row in frame[mask].iterrows():
            set_aside.append({**row.to_dict(), "reason": reason})
        frame = frame[~mask]

    drop(frame["flow"] == "exports and imports", "exports and imports together (not either flow)")
    drop(frame["period_type"] == "point", "reference month not stated")
    implied = frame["note"].fillna("").str.contains("implied", case=False)
    drop(implied, "reference period not stated (inferred from context by the research)")
    drop(frame["value_type"] == "derived", "derived by the research, not published")
    # sums of separately published USD and EUR shares
    sep = frame[frame["currency"].isin(["USD", "EUR"])]
    sums = []
    for (_period, _flow), group in sep.groupby(["period", "flow"]):
        if set(group["currency"]) != {"USD", "EUR"}:
            continue
        first = group.iloc[0]
        sums.append(
            {
                **first.to_dict(),
                "currency": "USD+EUR",
                "group": "US dollar + euro",
                "value": group["value"].sum(),
                "value_type": "computed",
                "source_title": " + ".join(dict.fromkeys(group["source_title"])),
                "note": "sum of the published USD and EUR shares",
            }
        )
    sums = pd.DataFrame(sums, columns=frame.columns)
    published = frame[frame["currency"] == "USD+EUR"].set_index(["period", "flow"]).index
    clash = sums.set_index(["period", "flow"]).index.isin(published)
    for _, row in sums[clash].iterrows():
        set_aside.append(
            {**row.to_dict(), "reason": "a combined USD + EUR share is published for this period"}
        )
    frame = pd.concat([frame, sums[~clash]], ignore_index=True)
    drop(frame["currency"].isin(["USD", "EUR"]), "drawn as part of US dollar + euro")
    drop(frame["group"].isna(), "a different grouping of currencies (overlaps the groups drawn)")
    # publications that disagree about one figure: the latest-published is drawn
    frame = frame.assign(published=frame["source_title"].map(published_on))
    key = ["flow", "group", "period"]
    repeated = frame.duplicated(key, keep=False) & frame["published"].notna()
    latest = frame[repeated].groupby(key)["published"].transform("max")
    drop(
        repeated & (frame["published"] < latest.reindex(frame.index)),
        "another publication gave this figure differently; the one published latest is drawn",
    )

    if frame.duplicated(key).any():
        raise ValueError(
            f"two observations for one point:\n{frame[frame.duplicated(key, keep=False)]}"
        )
    columns = [
        "flow",
        "group",
        "period",
        "period_type",
        "start",
        "end",
        "value",
        "value_type",
        "source_level",
        "source_title",
        "source_url",
        "note",
    ]
    points = frame[columns].sort_values(["flow", "group", "start"]).reset_index(drop=True)
    aside = pd.DataFrame(set_aside)[
        ["flow", "period", "currency", "value", "value_type", "reason", "source_title", "note"]
    ]
    return points, aside.sort_values(["flow", "period"]).reset_index(drop=True)


#: Observations for which another publication gives a slightly different figure (SOURCES.md,
#: "Cross-checks"); the page lists them with the note that records the other figure.
DISPUTED = [
    ("2021", "exports", "USD+EUR"),
    ("2022-01", "exports", "CNY"),
    ("2022-01", "exports", "RUB"),
    ("2022-01", "exports", "unfriendly currencies (mainly USD+EUR)"),
    ("2022-01", "imports", "CNY"),
    ("2022-01", "imports", "USD+EUR"),
    ("2022-12", "exports", "unfriendly currencies (mainly USD+EUR)"),
]


def disputed(shares: pd.DataFrame) -> pd.DataFrame:
    """The kept observations that another publication reports differently, with the note saying how."""
    keys = pd.MultiIndex.from_tuples(DISPUTED, names=["period", "flow", "currency"])
    rows = shares.set_index(["period", "flow", "currency"]).loc[keys].reset_index()
    return rows[["flow", "period", "currency", "value", "source_title", "note"]]


def monthly_segments(points: pd.DataFrame) -> list[tuple[int, int]]:
    """Pairs of row labels in ``points`` that may be joined by a line.

    Only two monthly observations of the same flow and group in consecutive calendar months are
    joined; everything else stays an unconnected point.
    """
    pairs = []
    monthly = points[points["period_type"] == "month"]
    for _, group in monthly.groupby(["flow", "group"]):
        group = group.sort_values("start")
        months = group["start"].dt.year * 12 + group["start"].dt.month
        labels = list(group.index)
        for i in range(1, len(labels)):
            if months.iloc[i] - months.iloc[i - 1] == 1:
                pairs.append((labels[i - 1], labels[i]))
    return pairs


#: How a quoted upper bound is worded in the Russian sources (in a row's note) -> in English.
UPPER_BOUNDS = {"не превышала": "at most", "менее": "less than"}


def upper_bound(note) -> str | None:
    """'at most' / 'less than' if the row's note quotes the figure as an upper bound, else None."""
    text = "" if pd.isna(note) else str(note)
    return next((words for quoted, words in UPPER_BOUNDS.items() if quoted in text), None)


def first_and_latest(points: pd.DataFrame, flow: str, group: str) -> tuple[pd.Series, pd.Series]:
    """The earliest-starting and the latest-ending drawn observation of one flow and group."""
    sel = points[(points["flow"] == flow) & (points["group"] == group)]
    return sel.sort_values("start").iloc[0], sel.sort_values(["end", "start"]).iloc[-1]


def when_words(point: pd.Series) -> str:
    """When a drawn point was observed, as it reads in a sentence: '2021' or 'January 2022'."""
    start = point["start"]
    if point["period_type"] == "quarter":
        return f"Q{start.quarter} {start.year}"
    return str(start.year) if point["period_type"] == "year" else start.strftime("%B %Y")


def share_words(point: pd.Series) -> str:
    """A drawn share as it reads in a sentence: '84.6', or 'at most 0.5' for a quoted upper bound."""
    bound = upper_bound(point["note"])
    return f"{bound} {point['value']:.1f}" if bound else f"{point['value']:.1f}"


#: The currency groups the page quotes, by the short key in their fact names.
QUOTED_GROUPS = {"cny": "Yuan", "rub": "Rouble", "usdeur": "US dollar + euro"}
FLOWS = {"exp": "exports", "imp": "imports"}


def alt_text(ends: dict[str, pd.Series], flow: str) -> str:
    """The alt text of one chart: each quoted group's first and latest share (``ends``: fact name
    such as 'cny_exp_first' -> the drawn point; 'friendly_exp_latest' where that group is drawn)."""
    f = flow[:3]

    def span(key, joiner):
        first, latest = ends[f"{key}_{f}_first"], ends[f"{key}_{f}_latest"]
        a, b = share_words(first), share_words(latest)
        if joiner == "in":
            return f"{a}% in {when_words(first)} to {b}% in {when_words(latest)}"
        return f"{a}% ({when_words(first)}) to {b}% ({when_words(latest)})"

    friendly = ends.get(f"friendly_{f}_latest")
    after = (
        f", the last month it was published on its own (all 'friendly' currencies together: "
        f"{share_words(friendly)}% in {when_words(friendly)})"
        if friendly is not None
        else ""
    )
    return (
        f"Chart of sparse observations. The rouble's share of Russia's {flow[:-1]} payments went "
        f"from {span('rub', '()')}. The yuan's share rose from {span('cny', 'in')}{after}. US dollar "
        f"and euro fell from {span('usdeur', '()')}."
    )


def facts(points: pd.DataFrame, set_aside: pd.DataFrame) -> Facts:
    """Every number the page quotes, and when and how each quoted share was reported.

    For each quoted group, flow and end (``cny_exp_first``, ``rub_imp_latest``, ...): the share
    (a number), ``when[name]`` ('2021', 'January 2022') and ``bound[name]`` ('at most', 'less
    than' or None for a quoted upper bound); ``level[name]`` says how the source was read.
    ``rub_exp_year`` holds the rouble's annual shares of export payments by year, and
    ``after_break`` the groups drawn from :data:`PUBLICATION_BREAK` on. ``points`` and
    ``set_aside`` come from :func:`points`.
    """
    ends = {}
    for f, flow in FLOWS.items():
        for key, group in QUOTED_GROUPS.items():
            ends[f"{key}_{f}_first"], ends[f"{key}_{f}_latest"] = first_and_latest(
                points, flow, group
            )
    # the group that holds the yuan after the break: quoted in the alt text only
    friendly = {
        f"friendly_{f}_latest": first_and_latest(points, flow, "All 'friendly' currencies")[1]
        for f, flow in FLOWS.items()
        if ((points["flow"] == flow) & (points["group"] == "All 'friendly' currencies")).any()
    }
    bounded = points[points["note"].map(upper_bound).notna()].sort_values(
        ["start", "group", "flow"]
    )
    annual = points[points["period_type"] == "year"]
    rouble_exports_annual = annual[(annual["group"] == "Rouble") & (annual["flow"] == "exports")]
    captions = {}
    for flow in FLOWS.values():
        drawn = points[points["flow"] == flow]
        rouble = ends[f"rub_{flow[:3]}_latest"]
        captions[flow] = (
            f"Currency shares of Russia's {flow[:-1]} payments for goods and services, "
            f"{drawn['start'].min().year}–{drawn['end'].max().year}, per cent: the rouble's share "
            f"was {share_words(rouble)}% in {when_words(rouble)}, the latest month found. After "
            "January 2024 (dotted line) the figures no longer give the yuan on its own, only all "
            "'friendly' currencies together. Dots are single months, shaded bars shares over a "
            "year or quarter; lines join only consecutive months. Hollow marks are wider groups: "
            "all 'unfriendly' currencies (wider than dollar and euro) and all 'friendly' ones "
            "(the yuan among them). Secondary source: Bank of Russia data quoted in the news."
        )
    return Facts(
        **{name: point["value"] for name, point in ends.items()},
        when={name: when_words(point) for name, point in ends.items()},
        bound={name: upper_bound(point["note"]) for name, point in ends.items()},
        level={name: point.get("source_level") for name, point in ends.items()},
        rub_exp_year=dict(
            zip(
                rouble_exports_annual["start"].dt.year.astype(int),
                rouble_exports_annual["value"],
                strict=True,
            )
        ),
        after_break=sorted(set(points.loc[points["start"] >= PUBLICATION_BREAK, "group"])),
        friendly_exp_2025_max=points.loc[
            (points["group"] == "All 'friendly' currencies")
            & (points["flow"] == "exports")
            & (points["period_type"] == "month")
            & (points["start"].dt.year == 2025),
            "value",
        ].max(),
        # (period, flow, currency) -> how many publications gave it, where they disagree
        reported_ways={
            key: len(rows) + 1
            for key, rows in set_aside[
                set_aside["reason"].str.startswith("another publication")
            ].groupby(["period", "flow", "currency"])
        },
        annual_years=sorted(int(y) for y in annual["start"].dt.year.unique()),
        upper_bounds=list(zip(bounded["period"], bounded["group"], bounded["flow"], strict=True)),
        n_points=len(points),
        n_aside=len(set_aside),
        caption=captions,
        alt={flow: alt_text({**ends, **friendly}, flow) for flow in FLOWS.values()},
    )


def plot(points: pd.DataFrame, flow: str, title: str):
    """Points for months, a short bar across the year for annual averages, lines only month to month."""
    fig, ax = style.new_chart(height=4.4)
    sel = points[points["flow"] == flow]
    for label, (colour, marker, filled) in SETTLEMENT_SERIES.items():
        series = sel[sel["group"] == label]
        if series.empty:
            continue
        marks = dict(
            linestyle="none",
            marker=marker,
            color=colour,
            markerfacecolor=colour if filled else "white",
        )
        months = series[series["period_type"] == "month"]
        ax.plot(
            months["start"] + pd.Timedelta(days=14),
            months["value"],
            markersize=7,
            label=label,
            **marks,
        )
        # a share over a year or a quarter: a bar across it, and a larger, fainter mark mid-way
        years = series[series["period_type"].isin(["year", "quarter"])]
        ax.hlines(
            years["value"], years["start"], years["end"], color=colour, linewidth=3, alpha=0.45
        )
        ax.plot(
            years["start"] + (years["end"] - years["start"]) / 2,
            years["value"],
            markersize=9,
            alpha=0.6,
            **marks,
        )
    for a, b in monthly_segments(sel):
        colour = SETTLEMENT_SERIES[sel.loc[a, "group"]][0]
        xs = [
            sel.loc[a, "start"] + pd.Timedelta(days=14),
            sel.loc[b, "start"] + pd.Timedelta(days=14),
        ]
        ax.plot(xs, [sel.loc[a, "value"], sel.loc[b, "value"]], color=colour, linewidth=1.2)
    ax.plot(
        [],
        [],
        color=style.COLOURS["neutral"],
        linewidth=3,
        alpha=0.45,
        label="share over a year or quarter (bar spans it)",
    )
    ax.set_ylim(0, 100)
    ax.set_ylabel("% of settlements")
    ax.set_title(title)
    style.mark_break(ax, pd.Timestamp("2022-02-01"), "invasion of Ukraine (Feb 2022)")
    # above every share drawn from 2024 on (all below 70%), so the label covers no data
    style.mark_break(ax, PUBLICATION_BREAK, BREAK_LABEL)
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=3, fontsize=8.5)
    return fig, ax
