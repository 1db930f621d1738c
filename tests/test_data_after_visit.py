"""The after-the-visit trade datasets: derived exactly from the research extracts, every row sourced,
partial periods marked, published and computed rates side by side, nothing repeated from older files.

Pure pandas, no build: runs in a second or two.
"""

from __future__ import annotations

import shutil
from functools import cache

import pandas as pd
import pytest

from backtoback import data
from backtoback.paths import CATALOG, DATA_DIR
from backtoback.pipeline import after_visit

NAMES = list(after_visit.DERIVED)


@cache
def _load(name: str) -> pd.DataFrame:
    return data.load(name)


def committed(name: str) -> pd.DataFrame:
    """The validated committed file (validated once per test session; a copy for each test)."""
    return _load(name).copy()


@pytest.mark.parametrize("name", NAMES)
def test_committed_csv_equals_a_fresh_derivation(name):
    on_disk = pd.read_csv(data.info(name).path, keep_default_na=False)
    fresh = after_visit.DERIVED[name]()
    fresh = pd.read_csv(pd.io.common.StringIO(fresh.to_csv(index=False)), keep_default_na=False)
    pd.testing.assert_frame_equal(on_disk, fresh, check_dtype=False)


def test_every_research_trade_row_is_used_or_skipped_with_a_reason():
    left_out = after_visit.unused_rows()
    assert left_out.empty, (
        f"research rows neither used nor in SKIPPED:\n{left_out[['dataset', 'period', 'series']]}"
    )


@pytest.mark.parametrize("name", NAMES)
def test_every_row_has_its_source_value_type_and_quote_or_note(name):
    frame = committed(name)
    for column in ("source_title", "source_url", "value_type", "source_level"):
        empty = frame[frame[column].isna() | (frame[column].str.strip() == "")]
        assert empty.empty, f"{name}: rows without {column}: {empty.index.tolist()}"
    no_words = frame[
        frame["quote"].fillna("").str.strip().eq("") & frame["note"].fillna("").str.strip().eq("")
    ]
    assert no_words.empty, f"{name}: rows with neither quote nor note: {no_words.index.tolist()}"


@pytest.mark.parametrize("name", NAMES)
def test_weak_sources_are_flagged_low_quality(name):
    frame = committed(name)
    weak = frame["source_title"].str.contains("LOW|aggregator", regex=True)
    assert (frame.loc[weak, "source_level"] == "secondary (low quality)").all()
    assert (frame.loc[frame["value_type"] == "computed", "source_level"] != "primary").all()


@pytest.mark.parametrize("name", NAMES)
def test_no_duplicate_keys(name):
    key = data.catalog_entry(name)["schema"]["primaryKey"]
    frame = committed(name)
    assert not frame.duplicated(key).any(), frame[frame.duplicated(key, keep=False)][key]


@pytest.mark.parametrize(
    "name",
    [
        n
        for n in NAMES
        if n not in ("russia_car_recycling_fee", "russia_settlement_currency_shares_2024_2026")
    ],
)
def test_partial_periods_are_marked(name):
    frame = committed(name)
    assert frame["full_year"].notna().all()
    if "period_type" in frame:
        assert (frame["full_year"] == (frame["period_type"] == "year")).all()
    part_year = frame["period"].str.contains(r"\.\.|-Q|^(?:Jan|Feb)-(?!Dec)|\(", regex=True)
    assert not frame.loc[part_year, "full_year"].any(), frame.loc[
        part_year & frame["full_year"], "period"
    ]
    # 2026 had not ended when the data were compiled (2026-12-01): no 2026 row may claim a full year
    assert not frame.loc[frame["year"] >= 2026, "full_year"].any() if "year" in frame else True


def test_2026_trade_is_year_to_date_and_latest_period_is_named():
    trade = committed("china_russia_trade_2021_2026")
    latest = trade[trade["year"] == 2026]
    assert set(latest["period_type"]) <= {"year_to_date", "month"}
    assert "2026-01..04" in set(latest["period"])


def test_published_and_computed_rates_stand_side_by_side():
    trade = committed("china_russia_trade_2021_2026")
    rates = trade[(trade["measure"] == "change_yoy") & trade["full_year"]]
    computed = rates[rates["value_type"] == "computed"]
    assert not computed.empty
    for _, row in computed.iterrows():
        published = rates[
            (rates["value_type"] == "reported")
            & (rates["year"] == row["year"])
            & (rates["flow"] == row["flow"])
            & (rates["currency"] != "CNY")
        ]
        assert not published.empty, (
            f"{row['year']} {row['flow']}: computed rate without a published one"
        )
        if row["value"] not in set(published["value"]):
            assert "DIFFERS" in row["note"] or "rounding" in row["note"], row["note"]
    total_2025 = rates[(rates["year"] == 2025) & (rates["flow"] == "total")]
    assert -6.8 in set(total_2025.loc[total_2025["value_type"] == "computed", "value"])
    assert -6.9 in set(total_2025.loc[total_2025["value_type"] == "reported", "value"])
    assert -6.5 in set(total_2025.loc[total_2025["currency"] == "CNY", "value"])


def test_settlement_rows_carry_the_publication_break_and_no_yuan_only_share():
    new = committed("russia_settlement_currency_shares_2024_2026")
    assert new["cbr_breakdown"].str.contains("yuan not published separately").all()
    assert "CNY" not in set(new["currency"])
    assert new["period"].max() == "2026-01"


def _overlap(new: pd.DataFrame, old: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    return new[key].astype(str).merge(old[key].astype(str).drop_duplicates())


def test_new_files_do_not_repeat_observations_of_the_older_files():
    pairs = [
        (
            committed("russia_settlement_currency_shares_2024_2026"),
            _load("russia_settlement_currency_shares"),
            ["period", "flow", "currency"],
        ),
        (
            committed("china_car_exports_to_russia_2024_2025"),
            _load("china_vehicle_exports_to_russia"),
            ["year", "period", "metric"],
        ),
        (
            committed("china_crude_imports_2025_2026").query("full_year"),
            _load("china_crude_imports_russia_saudi"),
            ["year", "supplier", "metric"],
        ),
        (
            committed("china_russia_trade_2021_2026").query(
                "full_year and measure == 'level' and reporter == 'China (GACC)'"
            ),
            _load("china_russia_trade_gacc"),
            ["year", "flow", "unit"],
        ),
    ]
    for new, old, key in pairs:
        repeated = _overlap(new, old, key)
        assert repeated.empty, (
            f"observations already in the older file: {repeated.to_dict('records')}"
        )


def test_partner_shares_state_their_definition_and_the_fcs_eu_share():
    shares = committed("russia_partner_shares_reported_2022_2025")
    assert shares["definition"].str.len().gt(20).all()
    eu = shares[
        (shares["partner"] == "European Union")
        & (shares["source_url"] == "https://tass.com/economy/1699657")
    ]
    assert eu["value"].tolist() == [16.0]
    assert eu["partner_kind"].tolist() == ["bloc"]
    assert not eu["full_year"].any()


def test_cars_keep_cpca_and_customs_definitions_apart():
    cars = committed("china_car_exports_to_russia_2024_2025")
    cpca_2024 = cars[(cars["year"] == 2024) & (cars["metric"] == "vehicles_units_cpca")]
    assert cpca_2024["value"].tolist() == [1160000.0]
    assert cpca_2024["definition"].str.contains("not the customs").all()


def test_a_bad_row_is_refused_with_file_line_and_column(tmp_path):
    name = "china_russia_trade_2021_2026"
    shutil.copy(CATALOG, tmp_path / "catalog.yaml")
    frame = pd.read_csv(DATA_DIR / f"{name}.csv", dtype=str, keep_default_na=False)
    frame.loc[0, "full_year"] = "partly"
    frame.loc[1, "source_url"] = ""
    frame.to_csv(tmp_path / f"{name}.csv", index=False)
    with pytest.raises(data.DataError) as error:
        data.load(name, tmp_path / "catalog.yaml")
    message = str(error.value)
    assert "line 2, column 'full_year'" in message
    assert "line 3, column 'source_url'" in message
