"""Derived CSVs are exactly what the pipeline makes from the raw extracts, and the raw extracts
agree with independent ones.

The research team's extracts that the pipeline reads or is checked against are copied into
``data/raw/research/``, so every check here runs on a clone without ``../shared``; only the check
that those copies still equal the research folder needs it.
"""

from __future__ import annotations

import functools
import warnings

import openpyxl
import pandas as pd
import pytest

from backtoback import data
from backtoback.paths import RAW_DIR
from backtoback.pipeline import DERIVED, research

from .conftest import SHARED

RESEARCH = RAW_DIR / "research"
COMEXT_RAW = RAW_DIR / "eurostat_comext_eu27_russia_2020_2022.xlsx"


@pytest.mark.parametrize("name", DERIVED)
def test_committed_csv_equals_a_fresh_derivation(name):
    committed = pd.read_csv(data.info(name).path, keep_default_na=False)
    fresh = DERIVED[name]()
    fresh = pd.read_csv(pd.io.common.StringIO(fresh.to_csv(index=False)), keep_default_na=False)
    pd.testing.assert_frame_equal(committed, fresh, check_dtype=False)


def test_the_research_step_is_part_of_the_pipeline():
    assert set(research.DERIVED) <= set(DERIVED)
    assert set(research.DERIVED) == {
        "russia_settlement_currency_shares",
        "china_crude_imports_russia_saudi",
        "china_vehicle_exports_to_russia",
        "heilongjiang_russia_trade",
    }


def test_research_copies_equal_the_research_folder():
    """data/raw/research/ (extracts and notes) and the datasets copied as they are must not drift
    from ../shared: the one check, with the source-article checks, that needs it."""
    shared = SHARED / "data"
    if not shared.is_dir():
        pytest.skip(
            f"skipped: {shared} is absent (the shared research folder is not beside this clone)"
        )
    # after_visit_rechecked.csv is the project's own re-check of those figures, not a copy
    own = {"after_visit_rechecked.csv"}
    copies = {
        path: shared / path.name for path in sorted(RESEARCH.glob("*.csv")) if path.name not in own
    }
    copies[data.info("china_russia_trade_gacc").path] = (
        shared / "china_russia_trade_annual_gacc.csv"
    )
    copies[data.info("russia_trade_partner_shares").path] = (
        shared / "russia_trade_partner_shares.csv"
    )
    # the research notes that tests/test_readings.py checks the book's quotes against
    for note in sorted((RESEARCH / "notes").glob("*.md")):
        copies[note] = SHARED / note.name
    assert len(copies) == 12
    for ours, theirs in copies.items():
        assert ours.read_bytes() == theirs.read_bytes(), f"{ours} differs from {theirs}"


def test_the_research_import_transcribes_changes_quoted_in_notes():
    """A year-on-year change that the research gives only in a note becomes its own row."""
    vehicles = research.vehicles()
    change = vehicles.query("metric == 'passenger_cars_units_yoy_change'").iloc[0]
    assert (change["value"], change["unit"]) == ("-42", "percent change on previous year")
    hlj = research.heilongjiang()
    row = hlj.query("metric == 'heilongjiang_trade_with_russia_yoy_change'").iloc[0]
    source = hlj.query(
        "metric == 'heilongjiang_trade_with_russia' and year == @row.year and period == @row.period"
    ).iloc[0]
    assert f"+{row['value']}% y/y" in source["note"]
    assert row["source_title"] == source["source_title"]


def test_a_note_that_no_longer_says_the_quoted_change_stops_the_import(tmp_path):
    for path in RESEARCH.glob("*.csv"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    file = tmp_path / "heilongjiang_russia_trade.csv"
    file.write_text(file.read_text().replace("+41.6% y/y", "+40% y/y"))
    with pytest.raises(ValueError, match="no longer says"):
        research.heilongjiang(tmp_path)


def test_barrels_per_day_figures_from_mees_name_mees_as_their_source():
    crude = data.load("china_crude_imports_russia_saudi")
    bpd = crude[crude["metric"] == "barrels_per_day"]
    from_mees = bpd[bpd["note"].fillna("").str.contains("MEES")]
    assert len(from_mees) >= 1
    assert from_mees["source_title"].str.contains("MEES").all()


# -- IMF DOTS ---------------------------------------------------------------------------------


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
    """Cross-check against the researchers' independent extract (copied into data/raw/research)."""
    theirs = pd.read_csv(RESEARCH / "imf_dots_china_russia_eu_2000_2020.csv")
    theirs = theirs.set_index(["year", "reporter", "partner", "flow"])["value"]
    ours = (
        data.load("imf_dots_trade")
        .astype({"year": int})
        .set_index(["year", "reporter", "partner", "flow"])["value"]
    )
    assert len(ours) == len(theirs)
    joined = pd.concat({"ours": ours, "theirs": theirs}, axis=1)
    assert joined.notna().all().all()
    assert (joined["ours"] - joined["theirs"]).abs().max() < 0.001


# -- Eurostat Comext --------------------------------------------------------------------------


@functools.cache
def comext_sheets() -> list[list[tuple]]:
    """The rows of each product x flow sheet of the raw Comext workbook (read once)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = openpyxl.load_workbook(COMEXT_RAW)
        return [list(sheet.values) for sheet in workbook.worksheets[2:]]


def raw_states(product_code: str, flow: str, month: str) -> dict[str, float | None]:
    """Each member state's value (None for ':') for one sheet and month, straight from the xlsx."""
    for rows in comext_sheets():
        header = {r[0]: r[2] for r in rows[:8] if r and r[0]}
        if product_code in str(header.get("PRODUCT [PRODUCT]")) and header.get("FLOW") == flow:
            col = list(next(r for r in rows if r[0] == "TIME")).index(month)
            return {
                r[0].split(" (")[0]: (None if r[col] == ":" else float(r[col]))
                for r in rows
                if r[1] == "Russian Federation (Russia)"
            }
    raise AssertionError(f"no sheet for {product_code} {flow}")


def raw_month(product_code: str, flow: str, month: str) -> tuple[float, int]:
    """Sum and number of ':' cells over member states' trade with Russia, read straight from the xlsx."""
    states = raw_states(product_code, flow, month)
    assert len(states) == 27
    values = [v for v in states.values() if v is not None]
    return sum(values) / 1e6, len(states) - len(values)


def same_states_change_pct(product_code: str, flow: str, start: str, end: str) -> float:
    """% change over only the member states with a value in both months (from the raw workbook)."""
    a, b = raw_states(product_code, flow, start), raw_states(product_code, flow, end)
    both = [s for s in a if a[s] is not None and b[s] is not None]
    return (sum(b[s] for s in both) / sum(a[s] for s in both) - 1) * 100


@pytest.mark.parametrize(
    "product_code, raw_flow, month, product, flow",
    [
        ("[TOTAL]", "IMPORT", "2022-02", "TOTAL all products", "imports_from_russia"),
        ("[TOTAL]", "EXPORT", "2022-04", "TOTAL all products", "exports_to_russia"),
        ("[27]", "IMPORT", "2021-07", "HS 27 mineral fuels, oils", "imports_from_russia"),
        ("[27]", "EXPORT", "2020-01", "HS 27 mineral fuels, oils", "exports_to_russia"),
    ],
)
def test_comext_month_equals_the_raw_workbook(product_code, raw_flow, month, product, flow):
    expected, missing = raw_month(product_code, raw_flow, month)
    year, mon = map(int, month.split("-"))
    frame = data.load("eu_russia_trade_monthly")
    row = frame[
        (frame.year == year)
        & (frame.month == mon)
        & (frame["product"] == product)
        & (frame.flow == flow)
    ]
    assert len(row) == 1
    assert row["value"].iloc[0] == pytest.approx(expected, abs=0.0005)
    assert row["reporters_missing"].iloc[0] == missing
    if missing:
        assert f"{missing} of 27 reporters not available" in row["note"].iloc[0]


def test_comext_covers_35_months_and_never_counts_missing_as_zero():
    frame = data.load("eu_russia_trade_monthly")
    assert len(frame) == 35 * 4
    assert (frame["reporters_missing"] > 0).any()
    assert (
        frame.loc[frame["reporters_missing"] == 0, "note"].str.contains("not available").sum() == 0
    )


def test_missing_reporters_name_the_missing_cells():
    frame = data.load("eu_russia_trade_monthly")
    names = frame["missing_reporters"].fillna("").map(lambda n: n.split("; ") if n else [])
    assert (names.map(len) == frame["reporters_missing"]).all()
    nov = frame.query("year == 2022 and month == 11 and flow == 'imports_from_russia'")
    total = nov[nov["product"] == "TOTAL all products"].iloc[0]
    assert total["missing_reporters"] == "Netherlands"
    assert "slightly" not in " ".join(frame["note"])  # a missing state can be a large one


def test_comext_matches_the_research_extract():
    """Cross-check against the researchers' independent extract (copied into data/raw/research)."""
    key = ["year", "month", "flow", "product"]
    theirs = pd.read_csv(RESEARCH / "eu_russia_trade_monthly_eurostat_comext_2020_2022.csv")
    theirs = theirs.set_index(key)["value"]
    ours = (
        data.load("eu_russia_trade_monthly")
        .astype({"year": int, "month": int})
        .set_index(key)["value"]
    )
    joined = pd.concat({"ours": ours, "theirs": theirs}, axis=1)
    assert len(joined) == len(ours) == len(theirs)
    assert (joined["ours"] - joined["theirs"]).abs().max() < 0.001
