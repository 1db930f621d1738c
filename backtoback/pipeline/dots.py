"""IMF Direction of Trade Statistics (DOTS) xlsx exports -> one tidy CSV.

Each raw workbook (one per reporting country) has a sheet per flow. In each sheet, row 7 holds the
years and column B the partner names; values are US dollars, millions.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

from ..paths import RAW_DIR

SOURCE_TITLE = (
    "IMF Direction of Trade Statistics (DOTS), 'Exports, FOB to Partner Countries' / "
    "'Imports, CIF from Partner Countries', US dollars, millions; xlsx export (Feb 2022)"
)
SOURCE_URL = (
    "https://github.com/SamLeBlanc/Direction-of-Trade-Map/blob/"
    "a0b40afbac7cefc59a4b35c1ebe541ac546aafad/data/DOTS/{file}"
)
SHEETS = {"exports_fob": "Exports, FOB", "imports_cif": "Imports, CIF"}
YEARS = range(2000, 2021)

#: Reporter file -> (reporter label, {label in the raw file: partner label in our data}).
REPORTERS = {
    "DOTS_40.xlsx": (
        "China (mainland)",
        {"Russian Federation": "Russia", "World": "World"},
    ),
    "DOTS_162.xlsx": (
        "Russia",
        {
            "China, P.R.: Mainland": "China (mainland)",
            "European Union": "European Union",
            "Euro Area": "Euro Area",
            "Germany": "Germany",
            "World": "World",
        },
    ),
}


def read_sheet(path: Path, sheet: str) -> pd.DataFrame:
    """One DOTS sheet as a partner x year table of floats (missing cells are NaN)."""
    rows = list(openpyxl.load_workbook(path, read_only=True)[sheet].values)
    header_index = next(
        i for i, row in enumerate(rows) if row[2] is not None and str(row[2]).isdigit()
    )
    years = [int(y) for y in rows[header_index][2:] if y is not None]
    table = {
        row[1]: row[2 : 2 + len(years)] for row in rows[header_index + 1 :] if row[1] is not None
    }
    return pd.DataFrame.from_dict(table, orient="index", columns=years).astype(float)


def tidy_trade(raw_dir: Path = RAW_DIR) -> pd.DataFrame:
    """All reporter/partner/flow/year values the book uses, one row per number, source on every row."""
    records = []
    for file, (reporter, partners) in REPORTERS.items():
        for flow, sheet in SHEETS.items():
            table = read_sheet(raw_dir / file, sheet)
            for raw_label, partner in partners.items():
                if raw_label not in table.index:
                    raise ValueError(
                        f"{file}, sheet {sheet!r}: partner row {raw_label!r} not found"
                    )
                for year in YEARS:
                    value = table.at[raw_label, year]
                    if pd.isna(value):
                        raise ValueError(
                            f"{file}, sheet {sheet!r}: no value for {raw_label!r} in {year}"
                        )
                    records.append(
                        {
                            "year": year,
                            "reporter": reporter,
                            "partner": partner,
                            "flow": flow,
                            "value": round(float(value), 3),
                            "unit": "USD million",
                            "value_type": "reported",
                            "source_title": SOURCE_TITLE,
                            "source_url": SOURCE_URL.format(file=file),
                            "note": f"raw file data/raw/{file}, sheet '{sheet}', row '{raw_label}'",
                        }
                    )
    return pd.DataFrame.from_records(records).sort_values(
        ["reporter", "partner", "flow", "year"], ignore_index=True
    )
