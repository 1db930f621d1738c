"""Eurostat Comext extract (EU member states' monthly trade with Russia) -> EU27 monthly sums.

The raw workbook has one sheet per product x flow (listed on its 'Summary' sheet). In each sheet, the
row whose first cell is 'TIME' holds the months; below it every row is one reporter (member state) x
partner, values in euros. A cell holding ':' is "not available" in Eurostat's notation (usually a
confidential value). We never read such a cell as zero: the EU27 sum of a month is the sum of the
member states that have a value, and each row records how many and which reporters were missing
(``reporters_missing``, ``missing_reporters``). Two sums are comparable only when the same member
states are in both: see :func:`backtoback.pages.eu_monthly.change_pct`.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import openpyxl
import pandas as pd

from ..paths import RAW_DIR

RAW_FILE = "eurostat_comext_eu27_russia_2020_2022.xlsx"
SOURCE_TITLE = (
    'Eurostat Comext DS-045409 "EU trade since 1988 by HS2-4-6 and CN8" (custom extract '
    "DS-045409__custom_4630244, data last updated 13/01/2023, extracted 22/01/2023), xlsx stored in "
    "GitHub repo vzemlys/ruimpeks"
)
SOURCE_URL = (
    "https://github.com/vzemlys/ruimpeks/blob/5b5d97ccdfc2fc3ce418233fe340680fe192c18a/"
    "xlsx/eu_total_trade_4630244_spreadsheet.xlsx"
)
PARTNER = "Russian Federation (Russia)"
MISSING = ":"
N_MEMBER_STATES = 27
FIRST_MONTH, LAST_MONTH = "2020-01", "2022-11"  # 2022-12 is empty in the extract

#: Sheet -> (product label, flow label) in our data; checked against the sheet's own header.
SHEETS = {
    "Sheet 1": ("HS 27 mineral fuels, oils", "imports_from_russia", "[27]", "IMPORT"),
    "Sheet 2": ("HS 27 mineral fuels, oils", "exports_to_russia", "[27]", "EXPORT"),
    "Sheet 3": ("TOTAL all products", "imports_from_russia", "[TOTAL]", "IMPORT"),
    "Sheet 4": ("TOTAL all products", "exports_to_russia", "[TOTAL]", "EXPORT"),
}


def short_name(reporter: str) -> str:
    """'Germany (incl. German Democratic Republic ...)' -> 'Germany'; 'Ireland (Eire)' -> 'Ireland'."""
    return reporter.split(" (")[0]


def read_sheet(workbook, sheet: str) -> pd.DataFrame:
    """The member state x month table of one sheet, partner Russia only; ':' kept as NaN."""
    path = Path(RAW_FILE)
    rows = list(workbook[sheet].values)
    header = {row[0]: row[2] for row in rows[:10] if row[0]}
    product, flow, product_code, flow_code = SHEETS[sheet]
    if product_code not in str(header.get("PRODUCT [PRODUCT]")) or header.get("FLOW") != flow_code:
        raise ValueError(
            f"{path.name}, {sheet!r}: header {header} is not {product_code} {flow_code}"
        )
    time_row = next(i for i, row in enumerate(rows) if row[0] == "TIME")
    months = [m for m in rows[time_row][2:] if m]
    table = {}
    for row in rows[time_row + 1 :]:
        if row[1] != PARTNER:
            continue
        values = []
        for month, cell in zip(months, row[2 : 2 + len(months)], strict=False):
            if cell == MISSING:
                values.append(float("nan"))
            elif isinstance(cell, (int, float)):
                values.append(float(cell))
            else:
                raise ValueError(
                    f"{path.name}, {sheet!r}, {row[0]!r}, {month}: unexpected cell {cell!r}"
                )
        table[short_name(row[0])] = values
    if len(table) != N_MEMBER_STATES:
        raise ValueError(f"{path.name}, {sheet!r}: {len(table)} reporters for Russia, expected 27")
    frame = pd.DataFrame.from_dict(table, orient="index", columns=months)
    return frame.loc[:, FIRST_MONTH:LAST_MONTH]


def eu27_monthly(raw_dir: Path = RAW_DIR) -> pd.DataFrame:
    """EU27 (sum of member states) monthly trade with Russia, EUR million, one row per number."""
    records = []
    with warnings.catch_warnings():  # "Workbook contains no default style": harmless
        warnings.simplefilter("ignore", UserWarning)
        workbook = openpyxl.load_workbook(raw_dir / RAW_FILE)
    for sheet, (product, flow, *_) in SHEETS.items():
        table = read_sheet(workbook, sheet)
        for month in table.columns:
            column = table[month]
            missing = sorted(column.index[column.isna()])
            if len(missing) == N_MEMBER_STATES:
                raise ValueError(f"{RAW_FILE}, {sheet!r}, {month}: no member state has a value")
            note = (
                "sum of 27 EU member-state reporters (EU27_2020 composition), partner Russian Federation; "
                f"raw file data/raw/{RAW_FILE}, {sheet!r}; VALUE_IN_EUROS / 1e6"
            )
            if missing:
                note += (
                    f"; {len(missing)} of 27 reporters not available (':', not counted as zero): "
                    + ", ".join(missing)
                    + " -> the sum leaves them out, so it is understated by their (unknown) values"
                )
            year, mon = (int(x) for x in month.split("-"))
            records.append(
                {
                    "year": year,
                    "month": mon,
                    "reporter": "EU27 (sum of member states)",
                    "partner": "Russia",
                    "flow": flow,
                    "product": product,
                    "value": round(column.sum(skipna=True) / 1e6, 3),
                    "unit": "EUR million",
                    "value_type": "computed",
                    "reporters_missing": len(missing),
                    "missing_reporters": "; ".join(missing),
                    "source_title": SOURCE_TITLE,
                    "source_url": SOURCE_URL,
                    "note": note,
                }
            )
    return pd.DataFrame.from_records(records).sort_values(
        ["year", "month", "flow", "product"], ignore_index=True
    )
