"""``empreinte factors ...``: list, show, validate, coverage and diff, as plain functions.

Each command returns printable text or raises a clear error; ``register`` adds the argparse
sub-command the project's CLI exposes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import polars as pl

from factors.coverage import coverage
from factors.loading import (
    DATA_DIR,
    default_factor_set_name,
    factor_sets,
    get_factor_set,
    load_factor_set,
    read_file,
)
from factors.validation import (
    FactorValidationError,
    validate_factor_rows,
    validate_parameter_rows,
)

FILE_KINDS_DIRS = ("emission_factors", "parameters")


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
        if loaded.rejects:  # the pipeline leaves these rows out; a check reports them all
            raise FactorValidationError(list(loaded.rejects))
        counts = loaded.emission_factors.filter(pl.col("precedence") == 0).height
        return f"{path}: {counts} override factors valid with factor set {loaded.factor_set.name}"
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    shipped = path.parent.resolve() in {(DATA_DIR / kind).resolve() for kind in FILE_KINDS_DIRS}
    kind, table = read_file(path, override=not shipped)
    check = validate_factor_rows if kind == "emission_factors" else validate_parameter_rows
    errors = table.problems + check(table.rows)
    if errors:
        raise FactorValidationError(errors)
    return f"{path}: {len(table.rows)} rows valid"


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
    """The winning row of a set for each scope, key, stage, criterion: the lowest precedence
    among rows with a value (a not_covered row wins only where no row has one)."""
    get_factor_set(name)
    frame = load_factor_set(name, overrides_dir=None).emission_factors
    return (
        frame.sort(pl.col("value").is_null(), "precedence")
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
        except (FactorValidationError, KeyError, FileNotFoundError, duckdb.Error) as error:
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
    cover = commands.add_parser(
        "coverage", help="stages not covered per criterion; assets and footprint per match level"
    )
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
