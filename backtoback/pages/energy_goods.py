"""The page "Energy and goods" (chapters/trade/energy-goods.md): Russian crude to China, Chinese
cars to Russia.

The page pivots the crude volumes and builds the passenger-car bars (full years, a part year, and
2024 units derived from the 2025 fall) in visible cells. This module has :func:`facts`,
:func:`car_facts` and the chart decoration.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.patches import Patch

from .. import style
from . import Facts
from .charts import bar_legend, period_bars
from .wording import MONTHS, fmt_list

#: The source columns every drawn row keeps, so the download says where each number was read.
KEEP = ["value_type", "source_title", "source_url", "note"]


def vehicle_row(vehicles: pd.DataFrame, metric: str, year: int, period: str) -> pd.Series:
    """The one row of the vehicle file for ``metric`` in ``year`` and ``period``."""
    row = vehicles[
        (vehicles["metric"] == metric) & (vehicles["year"] == year) & (vehicles["period"] == period)
    ]
    if len(row) != 1:
        raise ValueError(f"expected one {metric} row for {year} {period}, found {len(row)}")
    return row.iloc[0]


def part_year_beat_previous_year(units: pd.DataFrame, year: int) -> bool:
    """Whether the part-year bar of the page's unit bars is for ``year`` and already above the full
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


def facts(crude: pd.DataFrame, volume: pd.DataFrame) -> Facts:
    """The crude section's numbers (``volume``: year x supplier, million tonnes); the cars
    section adds ``facts.cars`` (:func:`car_facts`)."""
    first, last = int(volume.index.min()), int(volume.index.max())
    ahead, ahead_since = russia_ahead(volume)
    first_ahead = int(ahead.min())
    value = crude_by_year(crude, "import_value")
    ranks = crude_ranks(crude)
    russia = volume["Russia"]
    if ahead_since:
        when_ahead = f"from {first_ahead} Russia was ahead"
    else:
        when_ahead = f"Russia was ahead in {fmt_list([int(y) for y in ahead])}"
    return Facts(
        first_year=first,
        last_year=last,
        ru_first=volume.loc[first, "Russia"],
        sa_first=volume.loc[first, "Saudi Arabia"],
        ru_last=volume.loc[last, "Russia"],
        sa_last=volume.loc[last, "Saudi Arabia"],
        ru_growth=(volume.loc[last, "Russia"] / volume.loc[first, "Russia"] - 1) * 100,
        first_ahead=first_ahead,
        ahead_since_first=ahead_since,
        ru_ahead=volume.loc[first_ahead, "Russia"],
        sa_ahead=volume.loc[first_ahead, "Saudi Arabia"],
        value_years=[int(y) for y in value.index],
        value_a=value.iloc[0],
        value_b=value.iloc[-1],
        bpd_last=crude_by_year(crude, "barrels_per_day").loc[last],
        leaders_first_year=list(ranks.columns[ranks.loc[first] == 1]),
        years_fallen=years_fallen(russia),
        ranked_first_before=[
            int(y) for y in ranks.index[(ranks.index < first) & (ranks["Russia"] == 1)]
        ],
        jump_year=largest_rise_year(russia),
        caption=(
            f"China's crude oil imports from Russia and Saudi Arabia, {first}–{last}, million "
            "tonnes a year. Secondary source: China customs (GACC) figures quoted by Reuters, "
            "TASS and MEES."
        ),
        alt=(
            f"Line chart. Russia supplied {volume.loc[first, 'Russia']:.1f} million tonnes in "
            f"{first}, less than Saudi Arabia's {volume.loc[first, 'Saudi Arabia']:.1f}; "
            f"{when_ahead}, and in {last} it supplied {volume.loc[last, 'Russia']:.1f} million "
            f"tonnes against Saudi Arabia's {volume.loc[last, 'Saudi Arabia']:.1f}."
        ),
    )


def one_row(rows: pd.DataFrame, **where) -> pd.Series:
    """The one row of ``rows`` matching every ``column=wanted`` (an error naming them otherwise)."""
    sel = rows
    for column, wanted in where.items():
        sel = sel[sel[column] == wanted]
    if len(sel) != 1:
        raise ValueError(f"expected one row for {where}, found {len(sel)}")
    return sel.iloc[0]


def short_period(period: str) -> str:
    """The newer files' '2025-01..09' as a chart label: 'Jan–Sep 2025'."""
    first, last = (MONTHS[int(m) - 1][:3] for m in period[5:].split(".."))
    return f"{first}–{last} {period[:4]}"


def latest_crude(latest: pd.DataFrame, recent: pd.DataFrame, crude_facts: Facts) -> Facts:
    """The latest customs part year (``latest``: one period of the newer crude file), the later
    value-only period and the January 2026 ship-tracking rows (``recent``: the whole newer file).
    ``crude_facts`` (:func:`facts`) gives the full years the caption and alt text continue."""
    if latest["period"].nunique() != 1:
        raise ValueError(f"the latest period must be one period, got {sorted(latest['period'])}")

    def value(supplier, metric, rows=latest):
        return one_row(rows, supplier=supplier, metric=metric)["value"]

    period = latest["period"].iloc[0]
    volumes = latest[latest["metric"] == "volume"].set_index("supplier")["value"]
    customs = recent[~recent["metric"].str.contains("kpler")]
    later = customs[(customs["year"] >= latest["year"].iloc[0]) & (customs["period"] > period)]
    yuan = later[(later["metric"] == "import_value") & (later["unit"] == "CNY billion")]
    kpler = recent[recent["metric"] == "seaborne_shipments_bpd_kpler"]
    months = int(period[-2:]) - int(period[5:7]) + 1
    first, last = crude_facts.first_year, crude_facts.last_year
    return Facts(
        period=period,
        months=months,
        full_year=bool(latest["full_year"].any()),
        russia=value("Russia", "volume"),
        russia_change=value("Russia", "volume_change"),
        saudi=value("Saudi Arabia", "volume"),
        russia_first=volumes.idxmax() == "Russia",
        saudi_second=one_row(latest, supplier="Saudi Arabia", metric="volume")["note"] == "rank 2",
        value=value("Russia", "import_value"),
        value_change=value("Russia", "import_value_change"),
        later_full_year=bool(customs.loc[customs["year"] >= 2025, "full_year"].any()),
        yuan_to=yuan["period"].iloc[0],
        yuan_value=yuan["value"].iloc[0],
        yuan_change=one_row(later, metric="import_value_change", period=yuan["period"].iloc[0])[
            "value"
        ],
        kpler_bpd=value("Russia", "seaborne_shipments_bpd_kpler", rows=kpler),
        kpler_change=one_row(
            recent, supplier="Russia", metric="seaborne_shipments_bpd_kpler_change"
        )["value"],
        kpler_not_customs=kpler["note"].str.contains("not China customs").any(),
        caption=(
            f"China's crude oil imports from Russia and Saudi Arabia: full years {first}–{last} "
            f"(lines), and January–September 2025 (hollow points: a part year of {months} months, "
            "not joined to the full years). Million tonnes. Secondary source: China customs "
            "(GACC) figures quoted by Reuters, TASS and MEES."
        ),
        alt=(
            f"{crude_facts.alt} In January to September 2025, a part year, Russia supplied "
            f"{volumes['Russia']:.1f} million tonnes and Saudi Arabia {volumes['Saudi Arabia']:.1f}."
        ),
    )


def car_facts(
    vehicles: pd.DataFrame,
    units: pd.DataFrame,
    dollars: pd.DataFrame,
    cpca: pd.DataFrame,
    new_cars: pd.DataFrame,
    fee: pd.DataFrame,
) -> Facts:
    """The cars section: ``units``, ``dollars`` (customs) and ``cpca`` are the bars drawn
    (period, kind, value, ...); the rest is read from the vehicle files and the fee file."""
    if units["period"].duplicated().any():
        raise ValueError(f"two unit bars for one period: {list(units['period'])}")
    u = units.set_index("period")["value"]
    d = dollars.set_index("period")["value"]

    def value(metric, year, period):
        return vehicle_row(vehicles, metric, year, period)["value"]

    def new(metric, year, period):
        return one_row(new_cars, metric=metric, year=year, period=period)["value"]

    change = value("passenger_cars_value_yoy_change", 2025, "Jan-Dec")
    cpca_part = cpca[cpca["kind"] == "partial"].iloc[0]
    cpca_period = cpca_part["period"].split(" ")[1]
    rises = fee[(fee["metric"] == "fee") & (fee["status"] == "in force from this date")]
    fees = rises.set_index("effective_date")["value"].sort_index()
    customs_2024 = vehicles[
        (vehicles["metric"] == "passenger_cars_units_china_to_russia")
        & (vehicles["year"] == 2024)
        & (vehicles["period"] == "Jan-Dec")
    ]
    value_2024 = vehicle_row(vehicles, "passenger_cars_value_china_to_russia", 2024, "Jan-Dec")
    return Facts(
        units_2022=u["2022"] / 1000,
        units_2023_ytd=u["2023 Jan-Aug"] / 1000,
        units_2024_derived=u["2024"] / 1e6,
        units_2025=u["2025"] / 1000,
        value_2022=d["2022"],
        value_2023_ytd=d["2023 Jan-Aug"],
        value_2024=d["2024"],
        value_2025=d["2025"],
        # the reported 2024 value, recomputed the way the 2024 units are derived: a check
        value_2024_check=d["2025"] / (1 + change / 100),
        share_2021=value("china_share_of_russia_car_imports", 2021, "Jan-Dec"),
        share_2023=value("china_share_of_russia_car_imports", 2023, "Jan-Aug"),
        all_vehicles_2024=value("motor_vehicles_all_types_units_china_to_russia", 2024, "Jan-Dec")
        / 1e6,
        kinds={period: kind for period, kind in zip(units["period"], units["kind"], strict=True)},
        cpca_2024=new("vehicles_units_cpca", 2024, "Jan-Dec"),
        cpca_2024_change=new("vehicles_units_cpca_change", 2024, "Jan-Dec"),
        cpca_2025_period=cpca_period,
        cpca_2025_ytd=cpca_part["value"],
        cpca_2025_ytd_change=new("vehicles_units_cpca_change", 2025, cpca_period),
        cpca_2025_full_year=bool(
            ((new_cars["metric"] == "vehicles_units_cpca") & (new_cars["year"] == 2025))
            .where(new_cars["full_year"], False)
            .any()
        ),
        units_2025_exact=u["2025"],
        units_2025_change=value("passenger_cars_units_yoy_change", 2025, "Jan-Dec"),
        value_2024_record="record" in value_2024["note"],
        customs_2024_count_found=not customs_2024.empty,
        russia_side_2025=new("russia_car_imports_from_china_value", 2025, "Jan-Dec"),
        russia_side_2025_change=new("russia_car_imports_from_china_value_change", 2025, "Jan-Dec"),
        fee_dates=sorted(fees.index),
        fee_first_rise=fees.iloc[0],
        fee_first_rise_change=one_row(fee, metric="fee_change", effective_date=fees.index[0])[
            "value"
        ],
        fee_second_rise=fees.iloc[1],
        fee_2030=one_row(fee, metric="fee", status="planned")["value"],
        caption=(
            "China's car exports to Russia. Top: the number of cars on two counts that differ, "
            "customs' passenger cars and the CPCA's vehicles, side by side and never joined; the "
            "dotted lines mark Russia's recycling-fee rises of 1 October 2024 and 1 January 2025. "
            "Bottom: customs' value. Dotted bars cover part of a year, hatched ones are derived "
            "here; no full-year 2023 figure was found."
        ),
        alt=(
            f"Bar charts. On customs' count China exported {u.iloc[0] / 1000:.0f} thousand "
            f"passenger cars to Russia in 2022, {u.iloc[1] / 1000:.0f} thousand in January to "
            f"August 2023 alone, a derived {u['2024'] / 1e6:.2f} million in 2024 and "
            f"{u['2025'] / 1000:.0f} thousand in 2025; the CPCA counted "
            f"{cpca['value'].iloc[0] / 1e6:.2f} million vehicles in 2024 and "
            f"{cpca_part['value'] / 1000:.0f} thousand in {cpca_period.replace('-', ' to ')} 2025. "
            f"In value, customs' figures went from {d['2022']:.2f} billion dollars in 2022 to "
            f"{d['2024']:.1f} billion in 2024, then {d['2025']:.2f} billion in 2025, after the "
            "recycling fee rose in October 2024 and January 2025."
        ),
    )


def car_chart_rows(
    units: pd.DataFrame, cpca: pd.DataFrame, dollars: pd.DataFrame, rises: pd.DataFrame
) -> pd.DataFrame:
    """Exactly the rows the car chart draws: the bars, and the fee rises it marks as dates."""
    marks = pd.DataFrame(
        {
            "series": "recycling fee rise (marked as a date)",
            "year": rises["effective_date"].str[:4].astype(int),
            "period": rises["effective_date"],
            "kind": "date",
            "value": rises["value"],
            "unit": rises["unit"],
            **{column: rises[column] for column in KEEP},
        }
    )
    return pd.concat([units, cpca, dollars, marks], ignore_index=True)


def date_on_year_axis(date: str) -> float:
    """A date on an axis where the bar of year Y stands at Y and the year runs from Y - 0.5."""
    day = pd.Timestamp(date)
    start = pd.Timestamp(year=day.year, month=1, day=1)
    length = (pd.Timestamp(year=day.year + 1, month=1, day=1) - start).days
    return day.year - 0.5 + (day - start).days / length


def plot_crude(volume: pd.DataFrame, part_year: pd.DataFrame):
    """Russia against Saudi Arabia, markers on each year, the invasion marked; the part year
    (``part_year``: volume rows, one period) as hollow points after a break, labelled 'partial'."""
    colours = {"Russia": style.COLOURS["russia"], "Saudi Arabia": style.COLOURS["saudi"]}
    fig, ax = style.line_chart(
        volume,
        title="China's crude oil imports by supplier",
        ylabel="million tonnes",
        colours=[colours[s] for s in volume.columns],
    )
    for line in ax.get_lines():
        line.set_marker("o")
    style.mark_break(ax, 2022, "invasion of Ukraine (Feb 2022)")
    year = int(part_year["year"].iloc[0])
    style.mark_break(ax, year - 0.5, f"{short_period(part_year['period'].iloc[0])}\n(partial)")
    for _, row in part_year.iterrows():
        style.hollow_points(ax, [year], [row["value"]], colours[row["supplier"]])
        ax.annotate(
            f"{row['value']:.1f} partial",
            (year, row["value"]),
            xytext=(0, -14),
            textcoords="offset points",
            ha="center",
            fontsize=9,
            color=colours[row["supplier"]],
        )
    ax.set_xlim(right=year + 0.8)
    # room under the lowest point for its label
    # room under the lowest point for its label, and above the highest for the break labels
    ax.set_ylim(
        bottom=min(part_year["value"].min(), volume.min().min()) * 0.85,
        top=volume.max().max() * 1.12,
    )
    ax.legend(loc="upper left")
    return fig, ax


#: where each series' bar stands within its year (customs left, CPCA right), and how wide
CAR_OFFSETS, CAR_WIDTH = {"customs": -0.25, "cpca": 0.05}, 0.3


def plot_cars(units: pd.DataFrame, cpca: pd.DataFrame, dollars: pd.DataFrame, rises: pd.DataFrame):
    """Top: customs' and the CPCA's counts side by side on a year axis, the fee rises marked by
    date with one label above the bars; bottom: customs' value, with the missing 2023 year."""
    fig, (top, bottom) = style.new_chart(2, 1, height=7.4)
    customs_colour, cpca_colour = style.COLOURS["china"], style.COLOURS["russia"]
    for frame, key, colour in [(units, "customs", customs_colour), (cpca, "cpca", cpca_colour)]:
        period_bars(
            top,
            frame.assign(value=frame["value"] / 1000, x=frame["year"] + CAR_OFFSETS[key]),
            label="period",
            value="value",
            kind="kind",
            colour=colour,
            x="x",
            width=CAR_WIDTH,
        )
    years = sorted(set(units["year"]) | set(cpca["year"]))
    parts = {}  # year -> 'customs: Jan–Aug': which series covers only part of that year
    for frame, name in [(units, "customs"), (cpca, "CPCA")]:
        for year, period in zip(frame["year"], frame["period"], strict=True):
            if " " in period:
                parts[year] = f"{name}: " + period.split(" ")[1].replace("-", "–")
    top.set_xticks(
        [y - 0.1 for y in years],
        [f"{y}\n{parts[y]}" if y in parts else str(y) for y in years],
        fontsize=9,
    )
    top.set_xlim(min(years) - 0.6, max(years) + 0.6)
    marks = [date_on_year_axis(day) for day in rises["effective_date"]]
    for x in marks:
        style.mark_break(top, x, "")
    highest = max(units["value"].max(), cpca["value"].max()) / 1000
    top.set_ylim(0, highest * 1.6)  # the top band stays free for the legend and the fee label
    # one label for both rises, right of the later one and above the bars: it crosses no line
    top.annotate(
        "recycling fee raised\n"
        + "\nand ".join(pd.Timestamp(d).strftime("%-d %b %Y") for d in rises["effective_date"]),
        (max(marks), 1),
        xycoords=("data", "axes fraction"),
        xytext=(4, -4),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=9,
        color=style.COLOURS["neutral"],
    )
    top.set_title("Cars exported to Russia, thousands: two counts", fontsize=11)
    handles = [
        Patch(facecolor=customs_colour, label="customs (GACC): passenger cars"),
        Patch(facecolor=cpca_colour, label="CPCA: vehicles (another count)"),
        *kind_handles(["partial", "derived"]),
    ]
    top.legend(handles=handles, loc="upper left", fontsize=8.5)
    period_bars(
        bottom,
        dollars,
        label="period",
        value="value",
        kind="kind",
        colour=customs_colour,
        missing={"2023 full year": "full year not found"},
        fmt="{:.2f}",
    )
    bottom.set_title("Value on customs' count, US$ billion", fontsize=11)
    bar_legend(bottom, customs_colour, ["full", "partial"])
    fig.suptitle("China's car exports to Russia", fontweight="bold", x=0.02, ha="left")
    return fig, (top, bottom)


def kind_handles(kinds: list[str]) -> list[Patch]:
    """Legend entries, in grey, for the fill of partial and derived bars of either colour."""
    hatch = {"partial": "..", "derived": "//"}
    words = {"partial": "part of the year only", "derived": "derived, not reported"}
    grey = style.COLOURS["neutral"]
    return [Patch(facecolor="white", edgecolor=grey, hatch=hatch[k], label=words[k]) for k in kinds]
