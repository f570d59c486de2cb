"""Load a named factor set (and the organisation's overrides) into validated Polars frames.

Data files live in ``data/emission_factors/<data_set>.csv`` and ``data/parameters/<data_set>.csv``;
``data/factor_sets.yaml`` names the sets, their edition and their data sets in precedence order.
Overrides are CSV files in one folder (``EMPREINTE_FACTOR_OVERRIDES``): a file whose header
starts with ``factor_id`` holds factor rows, one starting with ``parameter_id`` parameter rows;
``categories.csv``, ``manufacturers.csv`` and ``computer_names.csv`` there extend the aliases.
Overrides get precedence 0. Every file is read strictly (``csv_files``): a shipped file with any
problem is an error; an override file that cannot be trusted is refused whole, and its rows
that cannot be used are left out and reported (``LoadedFactors.rejects``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import yaml

from factors.csv_files import CsvTable, check_header, read_csv, refuse
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
    Problem,
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
    # Override rows left out, each with its file, line, field and reason.
    rejects: tuple[Problem, ...] = ()


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


FILE_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "factor_id": ("emission_factors", FACTOR_FILE_COLUMNS),
    "parameter_id": ("parameters", PARAMETER_FILE_COLUMNS),
}


def read_file(path: Path, override: bool = False) -> tuple[str, CsvTable]:
    """("emission_factors" or "parameters", its rows) of one file; its first column says which.

    A file that cannot be trusted raises FactorValidationError; rows that cannot be read are
    in ``table.problems``.
    """
    table = read_csv(path)
    kind, columns = FILE_KINDS.get(table.header[0], (None, ()))
    if kind is None:
        refuse(
            path,
            1,
            "header: expected a factor file (factor_id, ...) or a parameter file "
            "(parameter_id, ...)",
        )
    check_header(path, 1, table.header, columns)
    if override:
        for row in table.rows:
            row.values["_override"] = "true"
    return kind, table


def data_set_rows(kind: str, data_set: str) -> list[SourceRow]:
    """Rows of one shipped data set (``kind`` is "emission_factors" or "parameters"); any
    problem is an error, as shipped files pass the same validation as a user's."""
    path = DATA_DIR / kind / f"{data_set}.csv"
    if not path.exists():
        raise FactorValidationError([f"{path}: data set {data_set!r} has no file"])
    read_kind, table = read_file(path)
    if read_kind != kind:
        refuse(path, 1, f"header: a {read_kind} file listed among the {kind}")
    if table.problems:
        raise FactorValidationError(table.problems)
    return table.rows


@dataclass(frozen=True)
class OverrideRows:
    """The organisation's factor and parameter rows, and the rows that could not be read."""

    factors: list[SourceRow]
    parameters: list[SourceRow]
    problems: list[Problem]


def override_rows(folder: Path | None) -> OverrideRows:
    """Rows of the organisation's override files (every ``*.csv`` but the alias files)."""
    rows = OverrideRows([], [], [])
    if folder is None:
        return rows
    if not folder.is_dir():
        raise FactorValidationError([f"{folder}: overrides folder does not exist"])
    paths = sorted(path for path in folder.iterdir() if path.suffix.lower() == ".csv")
    for path in paths:
        if path.name.lower() in ALIAS_FILES:
            continue
        kind, table = read_file(path, override=True)
        (rows.factors if kind == "emission_factors" else rows.parameters).extend(table.rows)
        rows.problems.extend(table.problems)
    return rows


def load_factor_set(
    name: str | None = None,
    overrides_dir: Path | str | None = None,
) -> LoadedFactors:
    """Read and validate one factor set plus overrides; raise FactorValidationError if invalid."""
    factor_set = get_factor_set(name)
    folder = overrides_folder(overrides_dir)
    overrides = override_rows(folder)
    factor_groups = [(0, [])] + [
        (rank, data_set_rows("emission_factors", data_set))
        for rank, data_set in enumerate(factor_set.factor_data_sets, start=1)
    ]
    parameter_groups = [(0, [])] + [
        (rank, data_set_rows("parameters", data_set))
        for rank, data_set in enumerate(factor_set.parameters, start=1)
    ]
    shipped_factors = [row for _, rows in factor_groups for row in rows]
    shipped_parameters = [row for _, rows in parameter_groups for row in rows]
    errors = validate_factor_rows(shipped_factors)
    errors += validate_parameter_rows(shipped_parameters)
    errors += _grid_only_rows(factor_set, factor_groups)
    if errors:
        raise FactorValidationError(errors)
    factor_groups[0], factor_rejects = _usable(
        overrides.factors, shipped_factors, "factor_id", validate_factor_rows
    )
    parameter_groups[0], parameter_rejects = _usable(
        overrides.parameters, shipped_parameters, "parameter_id", validate_parameter_rows
    )
    factors = to_frame(factor_groups, factor_set, EMISSION_FACTOR_TABLE_COLUMNS)
    return LoadedFactors(
        factor_set,
        one_series_per_country(factors, factor_set.grid_series),
        to_frame(parameter_groups, factor_set, PARAMETER_TABLE_COLUMNS),
        folder,
        tuple(overrides.problems + factor_rejects + parameter_rejects),
    )


def _usable(
    rows: list[SourceRow],
    shipped: list[SourceRow],
    id_field: str,
    validate: Callable[[list[SourceRow]], list[Problem]],
) -> tuple[tuple[int, list[SourceRow]], list[Problem]]:
    """((0, the override rows without a problem), the problems of the others)."""
    shipped_ids = {row.values[id_field]: row for row in shipped}
    problems = validate(rows)
    for row in rows:
        first = shipped_ids.get(row.values.get(id_field, ""))
        if first:
            problems.append(
                row.problem(
                    id_field,
                    f"duplicate id {row.values[id_field]!r} (first at {first.path.name}:"
                    f"{first.line})",
                )
            )
    rejected = {id(problem.row) for problem in problems}
    return (0, [row for row in rows if id(row) not in rejected]), problems


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
