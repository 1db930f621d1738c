"""Helpers for the trade chapter's pages on settlement currencies, energy and goods, and border trade.

Three jobs, kept out of the notebooks so that each page stays short:

1. :func:`import_research` turns four research CSVs (``../shared/research/data/``) into the project's
   files in ``data/`` (one number per row, with its unit, value type and source). It is how the files
   were made; ``tests/test_trade_secondary.py`` re-runs it and checks that nothing drifted.
2. Settlement currencies: :func:`settlement_points` applies the page's rule for conflicting or
   overlapping observations and returns the plotted points plus a table of what was set aside;
   :func:`monthly_segments` says which points may be joined by a line (consecutive months only).
3. Plotting: :func:`settlement_chart`, :func:`period_bars`, so no notebook repeats plotting code.

The sentences the pages build from these results are in :mod:`backtoback.trade_prose`.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.dates as mdates
import pandas as pd

from . import style

# --- 1. importing the research files -------------------------------------------------------------

SOURCE_COLUMNS = ["value_type", "source_title", "source_url", "note"]


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def import_settlement(shared: Path) -> pd.DataFrame:
    """Copied unchanged: the research file already has one number per row, a unit and a value type."""
    return _read(shared / "russia_settlement_currency_shares_cbr.csv")


def import_crude(shared: Path) -> pd.DataFrame:
    """The wide crude file (volume, b/d, rank, value on one row) as one number per row."""
    wide = _read(shared / "china_crude_imports_from_russia_gacc.csv")
    measures = {
        "volume": ("volume", "million tonnes"),
        "barrels_per_day_million": ("barrels_per_day", "million barrels per day"),
        "rank_as_china_crude_supplier": ("rank_as_supplier", "rank"),
        "import_value_usd_bn": ("import_value", "USD billion"),
    }
    rows = []
    for _, row in wide.iterrows():
        for column, (metric, unit) in measures.items():
            if row[column].strip():
                title = row["source_title"]
                if metric == "barrels_per_day" and "MEES" in row["note"] and "MEES" not in title:
                    title = f"{title}; MEES for b/d"  # the note says this b/d figure is MEES's
                rows.append(
                    {
                        "year": row["year"],
                        "supplier": row["supplier"],
                        "metric": metric,
                        "value": row[column],
                        "unit": unit,
                        "value_type": "reported",
                        "source_title": title,
                        "source_url": row["source_url"],
                        "note": row["note"],
                    }
                )
    return pd.DataFrame(rows)


def _with_value_type(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``value_type`` (every research row in these files is a reported figure) before the sources."""
    frame = frame.copy()
    frame.insert(frame.columns.get_loc("source_title"), "value_type", "reported")
    return frame


#: Year-on-year changes that the research file gives only inside a row's note; transcribed here as
#: their own rows (with that row's source) so that code, not prose, does the arithmetic.
VEHICLE_CHANGES = {
    "passenger_cars_units_china_to_russia": ("passenger_cars_units_yoy_change", "-42% y/y"),
    "passenger_cars_value_china_to_russia": ("passenger_cars_value_yoy_change", "-44.3% y/y"),
}


def import_vehicles(shared: Path) -> pd.DataFrame:
    frame = _with_value_type(_read(shared / "china_vehicle_exports_to_russia.csv"))
    extra = []
    for _, row in frame.query("year == '2025' and period == 'Jan-Dec'").iterrows():
        if row["metric"] in VEHICLE_CHANGES:
            metric, quoted = VEHICLE_CHANGES[row["metric"]]
            if quoted not in row["note"]:
                raise ValueError(f"the research note no longer says {quoted!r}: {row['note']!r}")
            extra.append(
                {
                    **row.to_dict(),
                    "metric": metric,
                    "value": quoted.split("%")[0],
                    "unit": "percent change on previous year",
                    "note": f"transcribed from the note of the {row['metric']} row ({quoted})",
                }
            )
    return pd.concat([frame, pd.DataFrame(extra)], ignore_index=True)


#: (year, period) of a Heilongjiang row whose note gives a year-on-year change -> that change as quoted.
HEILONGJIANG_CHANGES = {("2022", "Jan-Aug"): "+41.6% y/y"}


def import_heilongjiang(shared: Path) -> pd.DataFrame:
    frame = _with_value_type(_read(shared / "heilongjiang_russia_trade.csv"))
    extra = []
    for (year, period), quoted in HEILONGJIANG_CHANGES.items():
        row = frame[
            (frame["year"] == year)
            & (frame["period"] == period)
            & (frame["metric"] == "heilongjiang_trade_with_russia")
        ].iloc[0]
        if quoted not in row["note"]:
            raise ValueError(f"the research note no longer says {quoted!r}: {row['note']!r}")
        extra.append(
            {
                **row.to_dict(),
                "metric": "heilongjiang_trade_with_russia_yoy_change",
                "value": quoted.split("%")[0].lstrip("+"),
                "unit": "percent change on previous year",
                "note": f"transcribed from the note of the heilongjiang_trade_with_russia row ({quoted})",
            }
        )
    return pd.concat([frame, pd.DataFrame(extra)], ignore_index=True)


#: project file name -> importer
IMPORTERS = {
    "russia_settlement_currency_shares.csv": import_settlement,
    "china_crude_imports_russia_saudi.csv": import_crude,
    "china_vehicle_exports_to_russia.csv": import_vehicles,
    "heilongjiang_russia_trade.csv": import_heilongjiang,
}


def import_research(shared: Path, data_dir: Path) -> list[Path]:
    """Write the project's four files from the research folder; returns the paths written."""
    written = []
    for name, importer in IMPORTERS.items():
        path = data_dir / name
        importer(shared).to_csv(path, index=False, lineterminator="\n")
        written.append(path)
    return written


# --- 2. settlement currencies ---------------------------------------------------------------------

#: The groups drawn, in legend order, with their colour and marker. ``unfriendly currencies`` is a
#: wider group than USD + EUR (it also holds e.g. GBP, JPY, CHF), so it keeps its own hollow marker.
SETTLEMENT_SERIES = {
    "Rouble": (style.COLOURS["russia"], "o", True),
    "Yuan": (style.COLOURS["china"], "s", True),
    "US dollar + euro": (style.COLOURS["usd_eur"], "D", True),
    "All 'unfriendly' currencies": (style.COLOURS["usd_eur"], "D", False),
}
_GROUP = {
    "RUB": "Rouble",
    "CNY": "Yuan",
    "USD+EUR": "US dollar + euro",
    "unfriendly currencies (mainly USD+EUR)": "All 'unfriendly' currencies",
    "unfriendly currencies": "All 'unfriendly' currencies",
}


def period_bounds(period: pd.Series, period_type: pd.Series) -> tuple[pd.Series, pd.Series]:
    """First and last day covered by each observation (a month or a calendar year)."""
    start = pd.to_datetime(period.where(period_type != "point"), format="mixed", errors="coerce")
    end = pd.Series(pd.NaT, index=period.index, dtype="datetime64[ns]")
    months = period_type == "month"
    years = period_type == "year"
    end[months] = start[months] + pd.offsets.MonthEnd(0)
    end[years] = start[years] + pd.offsets.YearEnd(0)
    return start, end


def settlement_points(shares: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply the page's rule; return ``(points, set_aside)``.

    The rule, in order:

    1. Only rouble, yuan, US dollar + euro and "unfriendly currencies" are drawn. Other groupings
       (all "friendly" currencies, "other friendly", rouble + friendly) overlap these and are set aside.
    2. An observation whose reference period is not stated is set aside: undated 'latest' figures
       (``period_type == 'point'``), and rows whose period the research inferred from context (the
       note says "implied").
    3. A derived value (back-calculated by the research, not published) is set aside.
    4. US dollar + euro: a combined share published as such is used. Where only the two separate
       shares are published for a period (same source), their sum is used and marked ``computed``.
       Where both exist, the published combined share wins and the sum is set aside.
    5. One point per period, flow and group remains; if two rows still collide, that is an error.

    ``points`` has one row per drawn point: flow, group, period, period_type, start, end, value,
    value_type, source_title, source_url, note. ``set_aside`` lists every row not drawn, with why.
    """
    frame = shares.copy()
    frame["start"], frame["end"] = period_bounds(frame["period"], frame["period_type"])
    frame["group"] = frame["currency"].map(_GROUP)
    set_aside = []

    def drop(mask, reason):
        nonlocal frame
        for _, row in frame[mask].iterrows():
            set_aside.append({**row.to_dict(), "reason": reason})
        frame = frame[~mask]

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

    key = ["flow", "group", "period"]
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


def share_words(row) -> str:
    """A drawn share as it reads in a sentence: '84.6', or 'at most 0.5' for a quoted upper bound."""
    bound = upper_bound(row["note"])
    return f"{bound} {row['value']:.1f}" if bound else f"{row['value']:.1f}"


_POSSESSIVE = {
    "Rouble": "the rouble's",
    "Yuan": "the yuan's",
    "US dollar + euro": "the dollar and euro",
    "All 'unfriendly' currencies": "the 'unfriendly' currencies'",
}


def upper_bounds_words(points: pd.DataFrame) -> str:
    """Which drawn points are quoted upper bounds, in words: "the yuan's share of export payments in
    January 2022 and the 'unfriendly' currencies' shares of export and import payments in July 2023"."""
    bounded = points[points["note"].map(upper_bound).notna()].sort_values(
        ["start", "group", "flow"]
    )
    parts = []
    for (_start, group), rows in bounded.groupby(["start", "group"], sort=False):
        flows = fmt_list([f[:-1] for f in rows["flow"]])
        shares = "share" if len(rows) == 1 else "shares"
        parts.append(
            f"{_POSSESSIVE[group]} {shares} of {flows} payments in {when_words(rows.iloc[0])}"
        )
    return fmt_list(parts)


def when_words(point: pd.Series) -> str:
    """When a drawn point was observed, as it reads in a sentence: '2021' or 'January 2022'."""
    start = point["start"]
    return str(start.year) if point["period_type"] == "year" else start.strftime("%B %Y")


def first_and_latest(points: pd.DataFrame, flow: str, group: str) -> tuple[pd.Series, pd.Series]:
    """The earliest-starting and the latest-ending drawn observation of one flow and group."""
    sel = points[(points["flow"] == flow) & (points["group"] == group)]
    return sel.sort_values("start").iloc[0], sel.sort_values(["end", "start"]).iloc[-1]


def settlement_chart(points: pd.DataFrame, flow: str, title: str):
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
        # an annual share: a bar across its year, and a larger, fainter mark at mid-year
        years = series[series["period_type"] == "year"]
        ax.hlines(
            years["value"], years["start"], years["end"], color=colour, linewidth=3, alpha=0.45
        )
        ax.plot(
            years["start"] + pd.Timedelta(days=182),
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
        label="annual average (bar spans the year)",
    )
    ax.set_ylim(0, 100)
    ax.set_ylabel("% of settlements")
    ax.set_title(title)
    style.mark_break(ax, pd.Timestamp("2022-02-01"), "invasion of Ukraine (Feb 2022)")
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=3, fontsize=8.5)
    return fig, ax


def plotted_settlement_data(points: pd.DataFrame, flow: str) -> pd.DataFrame:
    """Exactly what one settlement chart draws, for the CSV download."""
    frame = points[points["flow"] == flow].copy()
    frame["start"] = frame["start"].dt.strftime("%Y-%m-%d")
    frame["end"] = frame["end"].dt.strftime("%Y-%m-%d")
    return frame.rename(columns={"group": "currency_group", "value": "share_percent"})


# --- 3. bars for full and partial periods ---------------------------------------------------------


def period_bars(
    ax,
    frame: pd.DataFrame,
    *,
    label: str,
    value: str,
    kind: str,
    colour: str,
    missing: dict[str, str] | None = None,
    fmt: str = "{:,.0f}",
) -> None:
    """Bars in the order of ``frame``; ``kind`` column: 'full' solid, 'partial' dotted, 'derived' hatched.

    ``missing`` maps a category with no data to the words printed where its bar would be; the
    category is placed after the frame's row whose label sorts just below it.
    """
    order = list(frame[label])
    for cat in missing or {}:
        position = sum(str(c) < str(cat) for c in order)
        order.insert(position, cat)
    xs = {c: i for i, c in enumerate(order)}
    for _, row in frame.iterrows():
        style_kw = {
            "full": {"color": colour},
            "partial": {"color": "white", "edgecolor": colour, "hatch": "..", "linewidth": 1.5},
            "derived": {"color": "white", "edgecolor": colour, "hatch": "//", "linewidth": 1.5},
        }[row[kind]]
        ax.bar(xs[row[label]], row[value], width=0.65, **style_kw)
        ax.annotate(
            fmt.format(row[value]),
            (xs[row[label]], row[value]),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            fontsize=9,
        )
    for cat, words in (missing or {}).items():
        ax.annotate(
            words,
            (xs[cat], 0),
            xytext=(0, 6),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8.5,
            color=style.COLOURS["neutral"],
            rotation=90,
        )
    ax.set_xticks(range(len(order)), [str(c) for c in order], fontsize=8)
    ax.margins(y=0.18)
    ax.grid(axis="x", visible=False)


def bar_legend(ax, colour: str, kinds: list[str]) -> None:
    """Legend entries for the bar kinds used on ``ax``."""
    from matplotlib.patches import Patch

    words = {
        "full": "full year",
        "partial": "part of the year only",
        "derived": "derived, not reported",
    }
    hatch = {"full": None, "partial": "..", "derived": "//"}
    handles = [
        Patch(
            facecolor=colour if k == "full" else "white",
            edgecolor=colour,
            hatch=hatch[k],
            label=words[k],
        )
        for k in kinds
    ]
    ax.legend(handles=handles, loc="upper left", fontsize=8.5)


# --- 4. tables for the energy and border pages, and what their text reads off them ---------------

KEEP = ["value_type", "source_title", "source_url", "note"]


def vehicle_row(vehicles: pd.DataFrame, metric: str, year: int, period: str) -> pd.Series:
    """The one row of the vehicle file for ``metric`` in ``year`` and ``period``."""
    row = vehicles[
        (vehicles["metric"] == metric) & (vehicles["year"] == year) & (vehicles["period"] == period)
    ]
    if len(row) != 1:
        raise ValueError(f"expected one {metric} row for {year} {period}, found {len(row)}")
    return row.iloc[0]


def car_frames(vehicles: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The passenger-car bars: (units, US dollars), one row per bar, with what kind of period it is.

    Full years where published; for 2023 only the longest year-to-date total found (January to
    August); 2024 units are derived from the 2025 total and its reported fall, and marked derived.
    """
    cars = vehicles[vehicles["metric"].str.startswith("passenger_cars_")]
    out = {}
    for measure in ["units", "value"]:
        metric = f"passenger_cars_{measure}_china_to_russia"
        rows = []
        for year, period in [
            (2022, "Jan-Dec"),
            (2023, "Jan-Aug"),
            (2024, "Jan-Dec"),
            (2025, "Jan-Dec"),
        ]:
            have = cars[
                (cars["metric"] == metric) & (cars["year"] == year) & (cars["period"] == period)
            ]
            if len(have):
                row = have.iloc[0]
                rows.append(
                    {
                        "period": f"{year}" if period == "Jan-Dec" else f"{year} {period}",
                        "kind": "full" if period == "Jan-Dec" else "partial",
                        "value": row["value"],
                        "unit": row["unit"],
                        **{k: row[k] for k in KEEP},
                    }
                )
            elif year == 2024 and measure == "units":
                later = vehicle_row(vehicles, metric, 2025, "Jan-Dec")
                change = vehicle_row(
                    vehicles, f"passenger_cars_{measure}_yoy_change", 2025, "Jan-Dec"
                )
                rows.append(
                    {
                        "period": "2024",
                        "kind": "derived",
                        "value": later["value"] / (1 + change["value"] / 100),
                        "unit": later["unit"],
                        "value_type": "derived",
                        "source_title": later["source_title"],
                        "source_url": later["source_url"],
                        "note": f"derived: 2025 total divided by (1 {change['value']:+.0f}%); not reported",
                    }
                )
        out[measure] = pd.DataFrame(rows)
    return out["units"], out["value"]


def part_year_beat_previous_year(units: pd.DataFrame, year: int) -> bool:
    """Whether the part-year bar of :func:`car_frames` is for ``year`` and already above the full
    year before it (so that cars too rose sharply in ``year``, whatever the rest of the year did)."""
    by_period = units.set_index("period")["value"]
    part_year = units.loc[units["kind"] == "partial", "period"].iloc[0]
    return int(part_year[:4]) == year and by_period[part_year] > by_period[str(year - 1)]


def crude_by_year(crude: pd.DataFrame, metric: str, supplier: str = "Russia") -> pd.Series:
    """One supplier's figures for one metric of the crude file, by year."""
    return crude[(crude["metric"] == metric) & (crude["supplier"] == supplier)].set_index("year")[
        "value"
    ]


def crude_ranks(crude: pd.DataFrame) -> pd.DataFrame:
    """Year x supplier: each supplier's rank among China's crude suppliers, where reported."""
    rows = crude[crude["metric"] == "rank_as_supplier"]
    return rows.pivot(index="year", columns="supplier", values="value")


def russia_ahead(volume: pd.DataFrame) -> tuple[pd.Index, bool]:
    """The years in which Russia shipped more crude to China than Saudi Arabia (``volume``: year x
    supplier), and whether Russia stayed ahead in every year after it first moved ahead."""
    ahead = volume.index[volume["Russia"] > volume["Saudi Arabia"]]
    since = volume.index[volume.index >= ahead.min()]
    return ahead, list(ahead) == list(since)


def years_fallen(series: pd.Series) -> list[int]:
    """The years in which ``series`` was lower than in the year before it in the series."""
    return [
        int(y) for y in series.index[1:] if series[y] < series[series.index[series.index < y].max()]
    ]


def largest_rise_year(series: pd.Series) -> int:
    """The year of the largest rise in ``series`` relative to the year before."""
    return int((series / series.shift() - 1).idxmax())


def heilongjiang_frames(hlj: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(full years in USD, year-to-date totals for 2021 and 2022 in CNY): trade with Russia only."""
    trade = hlj[hlj["metric"] == "heilongjiang_trade_with_russia"]
    full = trade[trade["period"] == "Jan-Dec"].assign(kind="full")
    full = full.assign(label=full["year"].astype(str))
    months = {"Jan-Jun": 6, "Jan-Jul": 7, "Jan-Aug": 8, "Jan-Oct": 10}
    ytd = trade[trade["year"].isin([2021, 2022]) & trade["period"].isin(list(months))].assign(
        kind="partial"
    )
    ytd = ytd.assign(
        label=ytd["year"].astype(str) + " " + ytd["period"], months=ytd["period"].map(months)
    ).sort_values(["year", "months"])
    columns = ["label", "year", "period", "kind", "value", "unit", *KEEP]
    return full[columns].reset_index(drop=True), ytd[columns].reset_index(drop=True)


def yuan_only_from(rows: pd.DataFrame) -> int:
    """The first year from which every row of ``rows`` (trade totals) is in yuan."""
    in_yuan = rows["unit"] == "CNY billion"
    return int(min(y for y in rows["year"] if in_yuan[rows["year"] >= y].all()))


def quoted_by(source_title: str) -> str:
    """Who a source title says gave the figure: 'news.ati.su (Russian Consulate General in Harbin)'
    -> 'Russian Consulate General in Harbin'."""
    return source_title.split("(")[1].rstrip(")")


MONTHS = (
    "January February March April May June July August September October November December".split()
)


def period_words(year: int, period: str) -> str:
    """A data file's period as it reads in a sentence: 'Jan-Jun', 2021 -> 'the first half of 2021'."""
    if period == "Jan-Dec":
        return str(year)
    if period in ("Q1", "Jan-Mar"):
        return f"the first quarter of {year}"
    if period == "Jan-Jun":
        return f"the first half of {year}"
    first, _, last = period.partition("-")
    names = {m[:3]: m for m in MONTHS}
    if last:
        return f"{names[first]} to {names[last]} {year}"
    return f"{names[first]} {year}"


def fmt_list(items) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


__all__ = [name for name in dir() if not name.startswith("_") and name not in {"np", "pd", "Path"}]
