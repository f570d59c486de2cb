"""``empreinte factors ...``: list, show, validate, coverage and diff, as plain functions.

Each command returns printable text or raises a clear error; ``register`` adds the argparse
sub-command the project's CLI exposes.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

import polars as pl

from factors.loading import (
    FACTOR_SETS_FILE,
    default_factor_set_name,
    factor_sets,
    get_factor_set,
    load_factor_set,
    override_kind,
    read_rows,
)
from factors.schema import FACTOR_FILE_COLUMNS, PARAMETER_FILE_COLUMNS
from factors.validation import (
    FactorValidationError,
    validate_factor_rows,
    validate_parameter_rows,
)

WAREHOUSE_ENV = "EMPREINTE_WAREHOUSE"
DEFAULT_WAREHOUSE = "data/warehouse.duckdb"


def list_factor_sets() -> str:
    """The factor sets, their edition and data sets, and row counts per data set."""
    default = default_factor_set_name()
    lines = []
    for factor_set in factor_sets().values():
        loaded = load_factor_set(factor_set.name)
        mark = " (default)" if factor_set.name == default else ""
        lines.append(f"{factor_set.name}  edition {factor_set.edition}{mark}")
        lines.append(f"  {factor_set.description}")
        counts = loaded.emission_factors.group_by("data_set", "precedence").len()
        for row in counts.sort("precedence").iter_rows(named=True):
            lines.append(f"  {row['precedence']:>2}. {row['data_set']}: {row['len']} factors")
        counts = loaded.parameters.group_by("data_set", "precedence").len()
        for row in counts.sort("precedence").iter_rows(named=True):
            lines.append(f"  {row['precedence']:>2}. {row['data_set']}: {row['len']} parameters")
    return "\n".join(lines)


def show_factor(factor_id: str, factor_set: str | None = None) -> str:
    """Every field of one factor or parameter row, by id."""
    loaded = load_factor_set(factor_set)
    for frame, column in (
        (loaded.emission_factors, "factor_id"),
        (loaded.parameters, "parameter_id"),
    ):
        found = frame.filter(pl.col(column) == factor_id)
        if found.height:
            row = found.row(0, named=True)
            return "\n".join(
                f"{name:>15}: {'' if value is None else value}" for name, value in row.items()
            )
    raise KeyError(f"no factor or parameter {factor_id!r} in factor set {loaded.factor_set.name!r}")


def validate(path: Path | str | None = None, factor_set: str | None = None) -> str:
    """Validate one CSV file (a data set or an override), a folder of overrides, or a set."""
    if path is None:
        loaded = load_factor_set(factor_set)
        return (
            f"factor set {loaded.factor_set.name} edition {loaded.factor_set.edition}: "
            f"{loaded.emission_factors.height} factors and {loaded.parameters.height} "
            "parameters valid"
        )
    path = Path(path)
    if path.is_dir():
        loaded = load_factor_set(factor_set, overrides_dir=path)
        counts = loaded.emission_factors.filter(pl.col("precedence") == 0).height
        return f"{path}: {counts} override factors valid with factor set {loaded.factor_set.name}"
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    override = (
        path.parent.resolve() != (FACTOR_SETS_FILE.parent / "emission_factors").resolve()
        and path.parent.resolve() != (FACTOR_SETS_FILE.parent / "parameters").resolve()
    )
    kind = override_kind(path)
    if kind == "emission_factors":
        rows = read_rows(path, FACTOR_FILE_COLUMNS, override=override)
        errors = validate_factor_rows(rows)
    elif kind == "parameters":
        rows = read_rows(path, PARAMETER_FILE_COLUMNS, override=override)
        errors = validate_parameter_rows(rows)
    else:
        raise FactorValidationError([f"{path}:1: header: expected factor_id or parameter_id first"])
    if errors:
        raise FactorValidationError(errors)
    return f"{path}: {len(rows)} rows valid"


def coverage(warehouse: Path | str | None = None) -> str:
    """Assets and amortised climate-change footprint per match level, from the published mart."""
    import duckdb

    path = Path(warehouse or os.environ.get(WAREHOUSE_ENV) or DEFAULT_WAREHOUSE)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no published warehouse (run the pipeline first)")
    with duckdb.connect(str(path), read_only=True) as connection:
        result = connection.execute(COVERAGE_SQL)
        columns = [column[0] for column in result.description]
        frame = pl.DataFrame(result.fetchall(), schema=columns, orient="row")
    if frame.is_empty():
        return "no hardware asset in marts.dim_hardware_assets"
    assets, footprint = frame["assets"].sum(), frame["footprint_kgco2e"].sum() or 0.0
    lines = [f"{'match level':<22}{'assets':>10}{'share':>8}{'kgCO2e':>16}{'share':>8}"]
    for row in frame.iter_rows(named=True):
        value = row["footprint_kgco2e"] or 0.0
        lines.append(
            f"{row['match_level'] or 'unmapped':<22}{row['assets']:>10}"
            f"{row['assets'] / assets:>8.1%}{value:>16,.1f}"
            f"{(value / footprint if footprint else 0):>8.1%}"
        )
    lines.append(f"{'total':<22}{assets:>10}{'':>8}{footprint:>16,.1f}")
    return "\n".join(lines)


COVERAGE_SQL = """
-- An asset's level is the one of its manufacturing climate factor (dim_hardware_assets, which
-- also lists unmapped assets); its footprint is all its rows, climate change, amortised.
with footprint as (
    select item_id, sum(value) as value
    from marts.fct_footprint
    where source_kind = 'hardware_asset' and criterion = 'climate_change'
        and method = 'amortised'
    group by item_id
)
select
    assets.match_level,
    count(*) as assets,
    cast(sum(footprint.value) as double) as footprint_kgco2e
from marts.dim_hardware_assets as assets
left join footprint on assets.asset_id = footprint.item_id
group by assets.match_level
order by case assets.match_level when 'configuration' then 1 when 'model' then 2
    when 'manufacturer_category' then 3 when 'category' then 4 else 5 end
"""


def diff(first: str, second: str) -> str:
    """Rows added, removed and changed in value between two factor sets (or editions)."""
    a = _resolved(first)
    b = _resolved(second)
    keys = ["scope", "key", "stage", "criterion", "valid_from"]
    joined = a.join(b, on=keys, how="full", suffix="_b", coalesce=True)
    added = joined.filter(pl.col("factor_id").is_null())
    removed = joined.filter(pl.col("factor_id_b").is_null())
    changed = joined.filter(
        pl.col("factor_id").is_not_null()
        & pl.col("factor_id_b").is_not_null()
        & ((pl.col("value") - pl.col("value_b")).abs() > 1e-12 * pl.col("value").abs().clip(1)),
    )
    lines = [
        f"{first} -> {second}: {added.height} added, {removed.height} removed, "
        f"{changed.height} changed (winning row per scope, key, stage, criterion, "
        "valid_from)"
    ]
    for row in changed.sort(keys).iter_rows(named=True):
        lines.append(
            f"~ {row['scope']} {row['key']} {row['stage']} {row['criterion']}: "
            f"{row['value']:g} ({row['data_set']}) -> {row['value_b']:g} "
            f"({row['data_set_b']})"
        )
    for label, frame, column in (("+", added, "factor_id_b"), ("-", removed, "factor_id")):
        for row in frame.sort(keys).iter_rows(named=True):
            lines.append(f"{label} {row[column]}")
    return "\n".join(lines)


def _resolved(name: str) -> pl.DataFrame:
    """The winning row (lowest precedence) of a set for each scope, key, stage, criterion."""
    get_factor_set(name)
    frame = load_factor_set(name, overrides_dir=None).emission_factors
    return (
        frame.sort("precedence")
        .unique(["scope", "key", "stage", "criterion", "valid_from"], keep="first")
        .select(
            "factor_id", "data_set", "scope", "key", "stage", "criterion", "valid_from", "value"
        )
    )


def _printed(produce: Callable[[argparse.Namespace], str]) -> Callable[[argparse.Namespace], int]:
    """A command handler printing what ``produce`` returns; a bad input exits 1 with its reason."""

    def handler(args: argparse.Namespace) -> int:
        try:
            print(produce(args))
        except (FactorValidationError, KeyError, FileNotFoundError) as error:
            print(f"empreinte factors: {error}", file=sys.stderr)
            return 1
        return 0

    return handler


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add ``factors list | show ID | validate [FILE] | coverage | diff A B``."""
    parser = subparsers.add_parser("factors", help="emission factors: list, check, compare")
    commands = parser.add_subparsers(dest="factors_command", required=True)
    listing = commands.add_parser("list", help="factor sets, editions and data sets")
    listing.set_defaults(handler=_printed(lambda args: list_factor_sets()))
    show = commands.add_parser("show", help="one factor or parameter row")
    show.add_argument("factor_id")
    show.add_argument("--factor-set")
    show.set_defaults(handler=_printed(lambda args: show_factor(args.factor_id, args.factor_set)))
    check = commands.add_parser("validate", help="validate a factor file, overrides or a set")
    check.add_argument("file", nargs="?")
    check.add_argument("--factor-set")
    check.set_defaults(handler=_printed(lambda args: validate(args.file, args.factor_set)))
    cover = commands.add_parser("coverage", help="assets and footprint per match level")
    cover.add_argument("--warehouse")
    cover.set_defaults(handler=_printed(lambda args: coverage(args.warehouse)))
    compare = commands.add_parser("diff", help="what changes between two factor sets")
    compare.add_argument("first")
    compare.add_argument("second")
    compare.set_defaults(handler=_printed(lambda args: diff(args.first, args.second)))
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``factors ...`` on its own: ``python -m factors.commands list``."""
    parser = argparse.ArgumentParser(prog="empreinte")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["factors", *(argv if argv is not None else sys.argv[1:])])
    return args.handler(args)


if __name__ == "__main__":
    raise SystemExit(main())
