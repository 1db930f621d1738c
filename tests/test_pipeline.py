"""Derived CSVs are exactly what the pipeline makes from the raw extracts."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from backtoback import data
from backtoback.paths import RAW_DIR
from backtoback.pipeline import DERIVED

from .conftest import SHARED


@pytest.mark.parametrize("name", DERIVED)
def test_committed_csv_equals_a_fresh_derivation(name):
    committed = pd.read_csv(data.info(name).path, keep_default_na=False)
    fresh = DERIVED[name]()
    fresh = pd.read_csv(pd.io.common.StringIO(fresh.to_csv(index=False)), keep_default_na=False)
    pd.testing.assert_frame_equal(committed, fresh, check_dtype=False)


def raw_cell(file: str, sheet: str, partner: str, year: int) -> float:
    """Read one value straight from the workbook, independently of the pipeline's parser."""
    rows = list(openpyxl.load_workbook(RAW_DIR / file, read_only=True)[sheet].values)
    years = next(r for r in rows if r[2] is not None and str(r[2]).isdigit())
    row = next(r for r in rows if r[1] == partner)
    return float(row[list(years).index(str(year))])


@pytest.mark.parametrize(
    "file, sheet, raw_partner, reporter, partner, flow, year",
    [
        (
            "DOTS_40.xlsx",
            "Exports, FOB",
            "Russian Federation",
            "China (mainland)",
            "Russia",
            "exports_fob",
            2013,
        ),
        (
            "DOTS_40.xlsx",
            "Imports, CIF",
            "Russian Federation",
            "China (mainland)",
            "Russia",
            "imports_cif",
            2020,
        ),
        (
            "DOTS_162.xlsx",
            "Exports, FOB",
            "European Union",
            "Russia",
            "European Union",
            "exports_fob",
            2008,
        ),
        (
            "DOTS_162.xlsx",
            "Imports, CIF",
            "China, P.R.: Mainland",
            "Russia",
            "China (mainland)",
            "imports_cif",
            2016,
        ),
    ],
)
def test_dots_values_match_the_raw_workbook(
    file, sheet, raw_partner, reporter, partner, flow, year
):
    frame = data.load("imf_dots_trade")
    row = frame.query(
        "reporter == @reporter and partner == @partner and flow == @flow and year == @year"
    )
    assert len(row) == 1
    assert row["value"].iloc[0] == pytest.approx(
        raw_cell(file, sheet, raw_partner, year), abs=0.0005
    )


def test_dots_matches_the_research_extract():
    """Cross-check against the researchers' independent extract in ../shared (when present)."""
    shared = SHARED / "data" / "imf_dots_china_russia_eu_2000_2020.csv"
    if not shared.exists():
        pytest.skip(
            f"skipped: {shared} is absent (the shared research folder is not beside this clone)"
        )
    theirs = pd.read_csv(shared).set_index(["year", "reporter", "partner", "flow"])["value"]
    ours = (
        data.load("imf_dots_trade")
        .astype({"year": int})
        .set_index(["year", "reporter", "partner", "flow"])["value"]
    )
    assert len(ours) == len(theirs)
    joined = pd.concat({"ours": ours, "theirs": theirs}, axis=1)
    assert joined.notna().all().all()
    assert (joined["ours"] - joined["theirs"]).abs().max() < 0.001
