"""Load a named factor set (and the organisation's overrides) into validated Polars frames.

Data files live in ``data/emission_factors/<data_set>.csv`` and ``data/parameters/<data_set>.csv``;
``data/factor_sets.yaml`` names the sets, their edition and their data sets in precedence order.
Overrides are CSV files in one folder (``EMPREINTE_FACTOR_OVERRIDES``): a file whose header
starts with ``factor_id`` holds factor rows, one starting with ``parameter_id`` parameter rows;
``categories.csv`` and ``manufacturers.csv`` there extend the aliases. Overrides get precedence 0.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import yaml

from factors.grid import DEFAULT as DEFAULT_SERIES
from factors.grid import one_series_per_country
from factors.matching import ALIAS_FILES
from factors.schema import (
    EMISSION_FACTOR_TABLE_COLUMNS,
    FACTOR_FILE_COLUMNS,
    PARAMETER_FILE_COLUMNS,
    PARAMETER_TABLE_COLUMNS,
)
from factors.validation import (
    FactorValidationError,
    SourceRow,
    validate_factor_rows,
    validate_parameter_rows,
)

DATA_DIR = Path(__file__).parent / "data"
FACTOR_SETS_FILE = DATA_DIR / "factor_sets.yaml"
FACTOR_SET_ENV = "EMPREINTE_FACTOR_SET"
OVERRIDES_ENV = "EMPREINTE_FACTOR_OVERRIDES"


@dataclass(frozen=True)
class FactorSet:
    """A named, versioned choice of data sets, in precedence order."""

    name: str
    edition: str
    description: str
    emission_factors: tuple[str, ...]
    parameters: tuple[str, ...]
    # Per country (ISO alpha-2) and "default": the grid data sets in order (factors/grid.py).
    grid_series: dict[str, tuple[str, ...]]

    @property
    def factor_data_sets(self) -> tuple[str, ...]:
        """Every factor data set the set reads, in precedence order (grid-only ones last)."""
        listed = list(self.emission_factors)
        for data_sets in self.grid_series.values():
            listed += [data_set for data_set in data_sets if data_set not in listed]
        return tuple(listed)


@dataclass(frozen=True)
class LoadedFactors:
    """A validated factor set ready for the tables: frames carry edition, set and precedence."""

    factor_set: FactorSet
    emission_factors: pl.DataFrame
    parameters: pl.DataFrame
    overrides_dir: Path | None


def factor_sets(path: Path = FACTOR_SETS_FILE) -> dict[str, FactorSet]:
    """Every named factor set of ``factor_sets.yaml``."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    sets = {}
    for entry in document["factor_sets"]:
        emission_factors = tuple(entry["emission_factors"])
        # Without a per-country choice, the set's own order picks each country's one series.
        series = entry.get("grid_series") or {DEFAULT_SERIES: list(emission_factors)}
        sets[entry["name"]] = FactorSet(
            name=entry["name"],
            edition=str(entry["edition"]),
            description=" ".join(str(entry.get("description", "")).split()),
            emission_factors=emission_factors,
            parameters=tuple(entry["parameters"]),
            grid_series={str(key): tuple(value) for key, value in series.items()},
        )
    return sets


def default_factor_set_name(path: Path = FACTOR_SETS_FILE) -> str:
    """The set named by ``EMPREINTE_FACTOR_SET``, else the file's default."""
    return os.environ.get(FACTOR_SET_ENV) or yaml.safe_load(path.read_text())["default"]


def get_factor_set(name: str | None = None) -> FactorSet:
    """One factor set by name (default set when None), or a clear error."""
    sets = factor_sets()
    name = name or default_factor_set_name()
    if name not in sets:
        raise KeyError(f"unknown factor set {name!r}; known sets: {', '.join(sorted(sets))}")
    return sets[name]


def overrides_folder(overrides_dir: Path | str | None = None) -> Path | None:
    """The overrides folder: the argument, else ``EMPREINTE_FACTOR_OVERRIDES``, else none."""
    folder = overrides_dir or os.environ.get(OVERRIDES_ENV)
    return Path(folder) if folder else None


def read_rows(path: Path, expected: tuple[str, ...], override: bool = False) -> list[SourceRow]:
    """Rows of one CSV file; a wrong header is an error naming the file."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = tuple(reader.fieldnames or ())
        missing = [column for column in expected if column not in header]
        extra = [column for column in header if column not in expected]
        if missing or extra:
            raise FactorValidationError(
                [
                    f"{path}:1: header: missing columns {missing}, unexpected columns {extra}",
                ]
            )
        rows = []
        for line, record in enumerate(reader, start=2):
            values = {key: (value or "").strip() for key, value in record.items() if key}
            if override:
                values["_override"] = "true"
            rows.append(SourceRow(path, line, values))
        return rows


def data_set_rows(kind: str, data_set: str) -> list[SourceRow]:
    """Rows of one shipped data set (``kind`` is "emission_factors" or "parameters")."""
    path = DATA_DIR / kind / f"{data_set}.csv"
    if not path.exists():
        raise FactorValidationError([f"{path}: data set {data_set!r} has no file"])
    columns = FACTOR_FILE_COLUMNS if kind == "emission_factors" else PARAMETER_FILE_COLUMNS
    return read_rows(path, columns)


def override_rows(folder: Path | None) -> tuple[list[SourceRow], list[SourceRow]]:
    """(factor rows, parameter rows) of the organisation's override files."""
    factors: list[SourceRow] = []
    parameters: list[SourceRow] = []
    if folder is None:
        return factors, parameters
    if not folder.is_dir():
        raise FactorValidationError([f"{folder}: overrides folder does not exist"])
    for path in sorted(folder.glob("*.csv")):
        if path.name in ALIAS_FILES:
            continue
        kind = override_kind(path)
        if kind == "emission_factors":
            factors += read_rows(path, FACTOR_FILE_COLUMNS, override=True)
        elif kind == "parameters":
            parameters += read_rows(path, PARAMETER_FILE_COLUMNS, override=True)
        else:
            raise FactorValidationError(
                [
                    f"{path}:1: header: expected a factor file (factor_id, ...) or a parameter "
                    "file "
                    "(parameter_id, ...)",
                ]
            )
    return factors, parameters


def override_kind(path: Path) -> str | None:
    """ "emission_factors" or "parameters" from a CSV file's first header column."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        first = next(csv.reader(handle), [""])
    return {"factor_id": "emission_factors", "parameter_id": "parameters"}.get(
        first[0].strip() if first else "",
    )


def load_factor_set(
    name: str | None = None,
    overrides_dir: Path | str | None = None,
) -> LoadedFactors:
    """Read and validate one factor set plus overrides; raise FactorValidationError if invalid."""
    factor_set = get_factor_set(name)
    folder = overrides_folder(overrides_dir)
    extra_factors, extra_parameters = override_rows(folder)
    factor_groups = [(0, extra_factors)] + [
        (rank, data_set_rows("emission_factors", data_set))
        for rank, data_set in enumerate(factor_set.factor_data_sets, start=1)
    ]
    parameter_groups = [(0, extra_parameters)] + [
        (rank, data_set_rows("parameters", data_set))
        for rank, data_set in enumerate(factor_set.parameters, start=1)
    ]
    errors = validate_factor_rows([row for _, rows in factor_groups for row in rows])
    errors += validate_parameter_rows([row for _, rows in parameter_groups for row in rows])
    errors += _grid_only_rows(factor_set, factor_groups)
    if errors:
        raise FactorValidationError(errors)
    factors = to_frame(factor_groups, factor_set, EMISSION_FACTOR_TABLE_COLUMNS)
    return LoadedFactors(
        factor_set,
        one_series_per_country(factors, factor_set.grid_series),
        to_frame(parameter_groups, factor_set, PARAMETER_TABLE_COLUMNS),
        folder,
    )


def _grid_only_rows(factor_set: FactorSet, groups: list[tuple[int, list[SourceRow]]]) -> list[str]:
    """A data set named only under grid_series holds grid rows only."""
    grid_only = set(factor_set.factor_data_sets) - set(factor_set.emission_factors)
    return [
        f"{row.where('scope')}: data set {row.values.get('data_set')!r} is listed under "
        f"grid_series of {factor_set.name!r} but holds a {row.values.get('scope')!r} row"
        for _, rows in groups[1:]
        for row in rows
        if row.values.get("data_set") in grid_only and row.values.get("scope") != "grid"
    ]


def to_frame(
    groups: list[tuple[int, list[SourceRow]]],
    factor_set: FactorSet,
    columns: tuple[str, ...],
) -> pl.DataFrame:
    """Typed frame of validated rows, with edition, factor set and precedence added."""
    records = [
        {**row.values, "precedence": precedence} for precedence, rows in groups for row in rows
    ]
    raw = (
        pl.DataFrame(records, schema={c: pl.String for c in records[0]} | {"precedence": pl.Int32})
        if records
        else pl.DataFrame()
    )
    # No range given: the row's value on both sides; a 'not_covered' row has none of the three.
    typed = raw.with_columns(
        _number("value"),
        pl.coalesce(_number("value_min"), _number("value")).alias("value_min"),
        pl.coalesce(_number("value_max"), _number("value")).alias("value_max"),
        pl.col("source_year").cast(pl.Int32),
        pl.col("valid_from").str.to_date("%Y-%m-%d"),
        _blank("valid_to").str.to_date("%Y-%m-%d"),
        _blank("source_url"),
        _blank("region"),
        _blank("notes"),
        _blank("flag"),
        pl.lit(factor_set.edition).alias("edition"),
        pl.lit(factor_set.name).alias("factor_set"),
    )
    if "is_last_resort" in columns:
        typed = typed.with_columns(
            (pl.col("is_last_resort").str.to_lowercase() == "true")
            .fill_null(False)
            .alias("is_last_resort")
        )
    return typed.select(columns)


def _number(column: str) -> pl.Expr:
    return (
        pl.when(pl.col(column) == "")
        .then(None)
        .otherwise(pl.col(column))
        .cast(pl.Float64)
        .alias(column)
    )


def _blank(column: str) -> pl.Expr:
    return pl.when(pl.col(column) == "").then(None).otherwise(pl.col(column)).alias(column)
