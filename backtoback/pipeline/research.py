"""Research extracts (``data/raw/research/``) -> four of the project's CSVs in ``data/``.

The research team's files for the settlement, energy-and-goods and border pages are copied into
``data/raw/research/`` unchanged (``tests/test_pipeline.py`` checks that the copies still equal the
research folder where it is present). This step turns each into one number per row, with its
unit, value type and source; where a research note gives a year-on-year change in words, the
change becomes a row of its own, so that code, not prose, does the arithmetic.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..paths import RAW_DIR

RESEARCH_DIR = RAW_DIR / "research"


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def settlement(research: Path = RESEARCH_DIR) -> pd.DataFrame:
    """Copied unchanged: the research file already has one number per row, a unit and a value type."""
    return _read(research / "russia_settlement_currency_shares_cbr.csv")


def crude(research: Path = RESEARCH_DIR) -> pd.DataFrame:
    """The wide crude file (volume, b/d, rank, value on one row) as one number per row."""
    wide = _read(research / "china_crude_imports_from_russia_gacc.csv")
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


def vehicles(research: Path = RESEARCH_DIR) -> pd.DataFrame:
    frame = _with_value_type(_read(research / "china_vehicle_exports_to_russia.csv"))
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


def heilongjiang(research: Path = RESEARCH_DIR) -> pd.DataFrame:
    frame = _with_value_type(_read(research / "heilongjiang_russia_trade.csv"))
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


#: The project's dataset (data/catalog.yaml) -> the function that makes it.
DERIVED = {
    "russia_settlement_currency_shares": settlement,
    "china_crude_imports_russia_saudi": crude,
    "china_vehicle_exports_to_russia": vehicles,
    "heilongjiang_russia_trade": heilongjiang,
}
