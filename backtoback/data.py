"""Load catalogued datasets, validated against their declared schema.

Every dataset is a CSV in ``data/`` plus an entry in ``data/catalog.yaml`` (a Frictionless data
package). The entry carries the schema (columns, types, allowed units, required source columns,
primary key) and the metadata readers need (title, unit, source, dates, licence, value type).

:func:`load` is the one door to the data: it refuses a file that does not match its schema with a
:class:`DataError` that names the file, the line, the column and what to fix, so a broken file stops
the book's build instead of drawing a silently wrong chart.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

# jsonschema (used by Frictionless to check schema descriptors) imports the optional package
# rfc3987_syntax when it is installed (JupyterLab brings it), which compiles dozens of grammars and
# costs a notebook about two seconds. It only serves the "iri" string format, which no schema here
# uses, so the book's kernels skip it.
sys.modules.setdefault("rfc3987_syntax", None)

import frictionless  # noqa: E402
import pandas as pd  # noqa: E402
import yaml  # noqa: E402

from .paths import CATALOG  # noqa: E402

#: Metadata every catalogue entry must carry, besides its schema.
REQUIRED_METADATA = (
    "title",
    "unit",
    "source",
    "source_url",
    "date",
    "data_as_of",
    "licence",
    "value_type",
    "notes",
)
VALUE_TYPES = ("reported", "computed", "derived", "mixed")
#: ``data_as_of``: the date the numbers are current to (the source's last update or our retrieval),
#: as a year-month or a full ISO date; charts print it beside their downloads.
DATA_AS_OF = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")


class DataError(ValueError):
    """A dataset is missing, malformed or incomplete. The message says where and what to fix."""


@dataclass(frozen=True)
class DatasetInfo:
    """The catalogue entry of one dataset (everything but the rows)."""

    name: str
    path: Path
    title: str
    unit: str
    source: str
    source_url: str
    date: str
    data_as_of: str
    licence: str
    value_type: str
    notes: str

    def source_line(self) -> str:
        """The one-line credit printed under a chart."""
        return f"Source: {self.source}"


#: libyaml's parser where PyYAML was built with it (the wheels are): ten times faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.lru_cache(maxsize=8)
def _parsed(text: str) -> dict:
    return yaml.load(text, Loader=_YAML_LOADER)


def read_yaml(path: Path) -> dict:
    """The YAML document in ``path``, parsed once per distinct text in this process.

    The catalogue is read hundreds of times by a notebook or the test suite; the file is re-read
    each time (so an edit is always seen) but parsed only when its text changed. Callers get their
    own copy, free to change.
    """
    return copy.deepcopy(_parsed(path.read_text(encoding="utf-8")))


def catalog_document(catalog_path: Path = CATALOG) -> dict:
    """The whole parsed ``data/catalog.yaml``; :class:`DataError` if it is missing or not YAML."""
    try:
        return read_yaml(catalog_path)
    except FileNotFoundError:
        raise DataError(f"{catalog_path}: the data catalogue is missing") from None
    except yaml.YAMLError as exc:
        raise DataError(f"{catalog_path}: not valid YAML: {exc}") from None


def catalog_entry(name: str, catalog_path: Path = CATALOG) -> dict:
    """Dataset ``name``'s catalogue entry (metadata and schema); :class:`DataError` if unknown."""
    entries = {r.get("name"): r for r in catalog_document(catalog_path).get("resources", [])}
    if name not in entries:
        known = ", ".join(sorted(map(str, entries)))
        raise DataError(
            f"{catalog_path}: no dataset named {name!r}. Known datasets: {known}. "
            "Add a resource entry for it (see CONTRIBUTING.md, 'Add a dataset')."
        )
    return entries[name]


def field_names(name: str, catalog_path: Path = CATALOG) -> list[str]:
    """Dataset ``name``'s columns, in the order its catalogue schema lists them."""
    return [field["name"] for field in catalog_entry(name, catalog_path)["schema"]["fields"]]


def dataset_names(catalog_path: Path = CATALOG) -> list[str]:
    """Names of all catalogued datasets, in catalogue order."""
    return [r["name"] for r in catalog_document(catalog_path).get("resources", [])]


def catalogue(catalog_path: Path = CATALOG) -> pd.DataFrame:
    """Every dataset's catalogue metadata (title, source, dates, licence, ...), one row per dataset."""
    entries = catalog_document(catalog_path).get("resources", [])
    rows = [asdict(_info(entry["name"], entry, catalog_path)) for entry in entries]
    return pd.DataFrame(rows).drop(columns="path").set_index("name")


def info(name: str, catalog_path: Path = CATALOG) -> DatasetInfo:
    """The catalogue metadata of dataset ``name``; raises :class:`DataError` if any is missing."""
    return _info(name, catalog_entry(name, catalog_path), catalog_path)


def _info(name: str, entry: dict, catalog_path: Path) -> DatasetInfo:
    missing = [key for key in REQUIRED_METADATA if not str(entry.get(key, "")).strip()]
    if missing:
        raise DataError(
            f"{catalog_path}: dataset {name!r} lacks metadata {', '.join(missing)}. "
            "Every catalogue entry needs: " + ", ".join(REQUIRED_METADATA) + "."
        )
    if entry["value_type"] not in VALUE_TYPES:
        raise DataError(
            f"{catalog_path}: dataset {name!r} has value_type {entry['value_type']!r}; "
            f"use one of {', '.join(VALUE_TYPES)}."
        )
    if not DATA_AS_OF.match(str(entry["data_as_of"]).strip()):
        raise DataError(
            f"{catalog_path}: dataset {name!r} has data_as_of {entry['data_as_of']!r}; "
            "write the date the data are current to as YYYY-MM or YYYY-MM-DD."
        )
    return DatasetInfo(
        name=name,
        path=catalog_path.parent / entry["path"],
        **{key: str(entry[key]).strip() for key in REQUIRED_METADATA},
    )


def _describe(error: frictionless.errors.Error, file: Path, schema: dict) -> str:
    """One reader-friendly line for one Frictionless error."""
    line = getattr(error, "row_number", None)
    column = getattr(error, "field_name", None)
    cell = getattr(error, "cell", None)
    where = f"{file.name}, line {line}" if line else file.name
    kind = error.type
    if kind == "type-error":
        field = next(f for f in schema["fields"] if f["name"] == column)
        return (
            f"{where}, column {column!r}: {cell!r} is not a valid {field['type']}. "
            f"Fix the value (numbers use '.' as decimal separator and no thousands separator)."
        )
    if kind == "constraint-error" and "enum" in error.note:
        field = next(f for f in schema["fields"] if f["name"] == column)
        allowed = ", ".join(map(repr, field["constraints"]["enum"]))
        what = "unknown unit" if column == "unit" else "value not allowed"
        return f"{where}, column {column!r}: {what} {cell!r}. Allowed: {allowed}."
    if kind == "constraint-error" and "required" in error.note:
        hint = " Every row needs its source." if column.startswith("source") else ""
        return f"{where}, column {column!r}: the cell is empty but is required.{hint}"
    if kind in ("primary-key", "unique-error"):
        key = ", ".join(schema.get("primaryKey", []))
        return f"{where}: duplicate key ({key}): {error.note}. Each key may appear only once."
    if kind == "missing-label":
        return (
            f"{file.name}, header (line 1): column {column!r} is missing. "
            "Add it, or change the schema in data/catalog.yaml."
        )
    if kind in ("extra-label", "incorrect-label", "blank-label", "duplicate-label"):
        return f"{file.name}, header (line 1), column {column!r}: {error.note} ({kind}). Match the schema."
    return f"{where}" + (f", column {column!r}" if column else "") + f": {error.message}"


#: Datasets already found valid in this process, by the exact bytes of file and catalogue: a
#: notebook or test suite that loads a dataset many times validates it once (Frictionless takes
#: about half a second a file). Any change to either file is a new key, so it is checked again.
_VALID: set[tuple[str, str, str]] = set()


def _digest(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


def validate(name: str, catalog_path: Path = CATALOG) -> DatasetInfo:
    """Check dataset ``name`` against its schema; raise :class:`DataError` listing every problem."""
    meta = info(name, catalog_path)
    if not meta.path.is_file():
        raise DataError(
            f"{meta.path}: file not found for dataset {name!r} (catalogue entry in {catalog_path.name}). "
            "Restore the file, or run `python -m backtoback.pipeline` if it is derived."
        )
    key = (name, _digest(catalog_path), _digest(meta.path))
    if key in _VALID:
        return meta
    schema = catalog_entry(name, catalog_path)["schema"]
    resource = frictionless.Resource(
        path=meta.path.name,
        basepath=str(meta.path.parent),
        schema=frictionless.Schema.from_descriptor(schema),
        format="csv",
        encoding="utf-8",
    )
    report = resource.validate(limit_errors=20)
    if not report.valid:
        problems = report.tasks[0].errors if report.tasks else report.errors
        lines = [_describe(e, meta.path, schema) for e in problems]
        raise DataError(
            f"{meta.path}: {len(lines)} problem(s) in dataset {name!r}:\n  - "
            + "\n  - ".join(lines)
        )
    _VALID.add(key)
    return meta


def load(name: str, catalog_path: Path = CATALOG) -> pd.DataFrame:
    """Validate dataset ``name`` and return it as a DataFrame (metadata in ``df.attrs['info']``)."""
    meta = validate(name, catalog_path)
    schema = catalog_entry(name, catalog_path)["schema"]
    dtypes = {"integer": "Int64", "number": "float64", "string": "string", "boolean": "boolean"}
    columns = {f["name"]: dtypes.get(f["type"], "string") for f in schema["fields"]}
    frame = pd.read_csv(meta.path, dtype=columns, keep_default_na=False, na_values=[""])
    frame.attrs["info"] = meta
    return frame
