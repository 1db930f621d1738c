"""The data layer: every catalogued dataset validates, and bad input is refused with a clear message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from backtoback import data
from backtoback.data import DataError

FIXTURES = Path(__file__).parent / "fixtures" / "data"
CATALOG = data.catalog_document()


@pytest.mark.parametrize("name", data.dataset_names())
def test_every_catalogued_dataset_loads(name):
    frame = data.load(name)
    assert len(frame) > 0
    meta = frame.attrs["info"]
    for key in data.REQUIRED_METADATA:
        assert getattr(meta, key), f"{name}: empty {key}"
    # every declared column is present and typed as declared
    entry = next(r for r in CATALOG["resources"] if r["name"] == name)
    assert list(frame.columns) == [f["name"] for f in entry["schema"]["fields"]]
    for f in entry["schema"]["fields"]:
        if f["type"] == "number":
            assert pd.api.types.is_float_dtype(frame[f["name"]]), f["name"]


def fixture_catalog(tmp_path: Path, csv_name: str | None) -> Path:
    """A catalogue in tmp_path with the real imf_dots_trade entry, pointed at a fixture file."""
    entry = dict(next(r for r in CATALOG["resources"] if r["name"] == "imf_dots_trade"))
    entry["path"] = csv_name or "not_there.csv"
    if csv_name:
        shutil.copy(FIXTURES / csv_name, tmp_path / csv_name)
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump({"name": "fixture", "resources": [entry]}), encoding="utf-8")
    return path


def test_good_fixture_loads(tmp_path):
    frame = data.load("imf_dots_trade", fixture_catalog(tmp_path, "good.csv"))
    assert frame["value"].tolist() == [2231.03, 2714.579, 3521.659]


@pytest.mark.parametrize(
    "csv_name, expected",
    [
        (
            "missing_column.csv",
            ["missing_column.csv", "header (line 1)", "column 'unit'", "missing"],
        ),
        (
            "non_numeric.csv",
            ["non_numeric.csv", "line 3", "column 'value'", "'27l4.579'", "not a valid number"],
        ),
        (
            "unknown_unit.csv",
            [
                "unknown_unit.csv",
                "line 4",
                "column 'unit'",
                "unknown unit 'USD mn'",
                "Allowed: 'USD million'",
            ],
        ),
        (
            "duplicate_key.csv",
            ["duplicate_key.csv", "line 4", "duplicate key (year, reporter, partner, flow)"],
        ),
        (
            "empty_source.csv",
            ["empty_source.csv", "line 3", "column 'source_title'", "empty", "needs its source"],
        ),
    ],
)
def test_bad_input_is_rejected_with_file_line_and_column(tmp_path, csv_name, expected):
    with pytest.raises(DataError) as excinfo:
        data.load("imf_dots_trade", fixture_catalog(tmp_path, csv_name))
    message = str(excinfo.value)
    for part in expected:
        assert part in message, f"{part!r} not in:\n{message}"


def test_missing_file_is_named(tmp_path):
    with pytest.raises(
        DataError, match=r"not_there\.csv: file not found for dataset 'imf_dots_trade'"
    ):
        data.load("imf_dots_trade", fixture_catalog(tmp_path, None))


def test_unknown_dataset_lists_the_known_ones(tmp_path):
    with pytest.raises(DataError, match=r"no dataset named 'nope'.*imf_dots_trade"):
        data.load("nope", fixture_catalog(tmp_path, "good.csv"))


def test_missing_metadata_is_refused(tmp_path):
    path = fixture_catalog(tmp_path, "good.csv")
    catalog = yaml.safe_load(path.read_text())
    catalog["resources"][0]["licence"] = ""
    path.write_text(yaml.safe_dump(catalog))
    with pytest.raises(DataError, match="lacks metadata licence"):
        data.load("imf_dots_trade", path)
