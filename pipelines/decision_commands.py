"""``empreinte what-if`` and ``empreinte scenario list | run | compare``.

Both build the project's dbt models into scratch files beside the published warehouse (see
``pipelines/variant_builds.py``) and read the comparison dbt computes; the published warehouse
is never written. One what-if or scenario run builds at a time in an installation (the lock of
``<data>/scenarios/work``); another waits for it as a second writer of a data folder does
(``pipelines/lock.py``). ``register`` adds the sub-commands to the project's CLI.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import polars as pl

from connectors.servicenow.settings import SettingsError
from factors.tables import write_factor_tables
from pipelines.config_file import configured_dbt_vars
from pipelines.lock import writer_lock
from pipelines.scenarios import list_scenarios, load_scenario
from pipelines.variant_builds import (
    COMPARISON_MART,
    ScenarioPaths,
    VariantBuildError,
    archive_run,
    build_comparison,
    build_footprint,
    cached_baseline,
)
from pipelines.warehouse import WarehousePaths, connect_within_limit
from pipelines.what_if import (
    Devices,
    Proposal,
    Replacement,
    read_contract,
    read_proposal,
    read_trip,
    write_lakes,
)

# A difference this small relative to the baseline is the two builds' summing order, not a change.
CHANGE_TOLERANCE = 1e-9
# The criteria DESIGN.md names first; `--criterion all` shows every one.
MAIN_CRITERIA = ("climate_change", "abiotic_depletion", "primary_energy")
SHOWN = [
    "reporting_year",
    "method",
    "criterion",
    "unit",
    "baseline_value",
    "scenario_value",
    "difference",
    "difference_min",
    "difference_max",
]


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``what-if`` and ``scenario`` to the CLI's sub-commands."""
    what_if = commands.add_parser(
        "what-if",
        help="the footprint of a change before it is made (devices, servers, replacements, "
        "contracts, trips)",
        description="Evaluate a proposed change from a YAML file (scenarios/README.md) or flags: "
        "the impact per year and criterion with its range, from the same factors and SQL as the "
        "actuals. The published warehouse is not touched.",
    )
    what_if.add_argument("file", nargs="?", type=Path, help="a proposal file (YAML)")
    what_if.add_argument("--title", default="what-if")
    what_if.add_argument("--on", type=date.fromisoformat, help="the change's day (YYYY-MM-DD)")
    what_if.add_argument("--years", type=int, default=5, help="years of use counted (default 5)")
    what_if.add_argument(
        "--replace",
        nargs=3,
        action="append",
        default=[],
        metavar=("COUNT", "FROM_MODEL", "TO_MODEL"),
        help="replace COUNT devices in use of one model (the oldest first) by another",
    )
    what_if.add_argument(
        "--add",
        nargs=2,
        action="append",
        default=[],
        metavar=("COUNT", "MODEL"),
        help="add COUNT new devices of a model (at --site)",
    )
    what_if.add_argument("--site", help="the site of the added devices (sys_id or name)")
    what_if.add_argument(
        "--trip",
        nargs=2,
        action="append",
        default=[],
        metavar=("MODE", "KM"),
        help="an agent's trip on the day: a mode of the trip log (train, plane, car_diesel...)",
    )
    what_if.add_argument(
        "--contract",
        nargs=2,
        action="append",
        default=[],
        metavar=("MODEL", "YEARLY_COST"),
        help="a contract of a contract model (Maintenance, Service...) covering the added devices",
    )
    _output_options(what_if)
    what_if.set_defaults(handler=_what_if)

    scenario = commands.add_parser(
        "scenario", help="scenarios: list, run one against the baseline, compare its last run"
    )
    actions = scenario.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="the scenario files")
    _data_dir(listing)
    listing.set_defaults(handler=_scenario_list)
    run = actions.add_parser("run", help="build scenarios and their baseline, compare them")
    run.add_argument("names", nargs="+", metavar="NAME")
    _output_options(run)
    run.set_defaults(handler=_scenario_run)
    compare = actions.add_parser("compare", help="the scenario's last run against its baseline")
    compare.add_argument("name")
    _output_options(compare)
    compare.set_defaults(handler=_scenario_compare)


def _data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir", help="the data folder (default: EMPREINTE_DATA_DIR, else ./data)"
    )


def _output_options(parser: argparse.ArgumentParser) -> None:
    _data_dir(parser)
    parser.add_argument(
        "--criterion", default="main", help="a criterion, `main` (the three of DESIGN.md) or `all`"
    )
    parser.add_argument("--format", choices=["table", "csv", "json"], default="table")


def proposal_from_arguments(arguments: argparse.Namespace) -> Proposal:
    """The proposal a file or the flags describe."""
    if arguments.file:
        return read_proposal(arguments.file)
    if not (arguments.add or arguments.replace or arguments.trip or arguments.contract):
        raise SettingsError("give a proposal file, or --add, --replace, --trip or --contract")
    today = date.today()
    devices = [Devices(_count(count), model, arguments.site) for count, model in arguments.add]
    replacements = [Replacement(_count(count), old, new) for count, old, new in arguments.replace]
    trips = [
        read_trip(f"--trip {mode} {km}", {"mode": mode, "km": _number(km)})
        for mode, km in arguments.trip
    ]
    contracts = [
        read_contract(f"--contract {model} {cost}", {"model": model, "yearly_cost": _number(cost)})
        for model, cost in arguments.contract
    ]
    if not 1 <= arguments.years <= 30:
        raise SettingsError(f"--years: {arguments.years} is not between 1 and 30")
    return Proposal(
        title=arguments.title,
        starts_on=arguments.on or date(today.year + 1, 1, 1),
        years=arguments.years,
        devices=devices,
        replacements=replacements,
        trips=trips,
        contracts=contracts,
    )


def evaluate(proposal: Proposal, paths: WarehousePaths) -> pl.DataFrame:
    """Build the proposal's two small lakes and compare them; return the comparison rows of the
    years it covers."""
    scenario_paths = ScenarioPaths.of(paths)
    run_folder = scenario_paths.what_if / f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}"
    overrides = os.environ.get("EMPREINTE_FACTOR_OVERRIDES")
    dbt_vars = configured_dbt_vars() | {"as_of": proposal.horizon.isoformat()}
    with writer_lock(scenario_paths.work, "empreinte what-if"):
        baseline_lake, scenario_lake = write_lakes(proposal, paths.lake, run_folder / "lakes")
        for lake in (baseline_lake, scenario_lake):
            write_factor_tables(
                lake,
                factor_set=os.environ.get("EMPREINTE_FACTOR_SET") or None,
                overrides_dir=Path(overrides) if overrides else None,
            )
        builds = [
            build_footprint(scenario_paths, f"what-if-{variant}", dbt_vars, lake=lake)
            for variant, lake in (("baseline", baseline_lake), ("scenario", scenario_lake))
        ]
        runs = run_folder / "runs"
        archive_run(runs, "what-if", proposal.title, proposal.horizon, *builds)
        rows = build_comparison(scenario_paths, runs, run_folder / "what-if.duckdb", dbt_vars)
    last_year = proposal.starts_on.year + proposal.years - 1
    return rows.filter(pl.col("reporting_year").is_between(proposal.starts_on.year, last_year))


def run_scenarios(names: list[str], paths: WarehousePaths) -> pl.DataFrame:
    """Build each scenario and their (cached) baseline as of the run's date, archive the runs
    and rebuild the comparison of every scenario; return these scenarios' rows."""
    scenarios = [load_scenario(name) for name in names]
    scenario_paths = ScenarioPaths.of(paths)
    as_of = _as_of()
    dbt_vars = configured_dbt_vars() | {"as_of": as_of.isoformat()}
    with writer_lock(scenario_paths.work, "empreinte scenario run"):
        baseline = cached_baseline(scenario_paths, dbt_vars)
        for scenario in scenarios:
            variant = build_footprint(
                scenario_paths, "scenario", dbt_vars | {"scenario": scenario.dbt_var()}
            )
            archive_run(
                scenario_paths.runs, scenario.name, scenario.title, as_of, baseline, variant
            )
        rows = build_comparison(
            scenario_paths, scenario_paths.runs, scenario_paths.database, dbt_vars
        )
    return rows.filter(pl.col("scenario_name").is_in([scenario.name for scenario in scenarios]))


def compared_rows(name: str, paths: WarehousePaths) -> pl.DataFrame:
    """The last run of a scenario, from the scenarios' own file (opened read-only)."""
    database = ScenarioPaths.of(paths).database
    if not database.exists():
        raise SettingsError(f"no scenario has been run yet ({database}): empreinte scenario run")
    with connect_within_limit(database) as connection:
        rows = connection.sql(
            f"select * from {_comparison_relation(connection)} where scenario_name = ?",
            params=[name],
        ).pl()
    if rows.is_empty():
        raise SettingsError(f"scenario {name!r} has not been run: empreinte scenario run {name}")
    return rows


def _comparison_relation(connection: duckdb.DuckDBPyConnection) -> str:
    (schema,) = connection.execute(
        "select table_schema from information_schema.tables where table_name = ? "
        "order by table_schema = 'marts' desc limit 1",
        [COMPARISON_MART],
    ).fetchall()[0]
    return f'"{schema}"."{COMPARISON_MART}"'


def _what_if(arguments: argparse.Namespace) -> int:
    proposal = proposal_from_arguments(arguments)
    print(
        f"What if: {proposal.title}, from {proposal.starts_on} ({proposal.years} years of use)...",
        file=sys.stderr,
        flush=True,
    )
    rows = _run(lambda: evaluate(proposal, WarehousePaths.from_env()))
    print(_format(rows, arguments, "impact", proposal.title))
    return 0


def _scenario_list(arguments: argparse.Namespace) -> int:
    runs = ScenarioPaths.of(WarehousePaths.from_env()).runs
    for scenario in list_scenarios():
        last = sorted((runs / scenario.name).glob("*.parquet")) if runs.exists() else []
        ran = f"last run {last[-1].stem}" if last else "never run"
        levers = ", ".join(f"{kind} ({len(items)})" for kind, items in scenario.levers.items())
        print(f"{scenario.name}: {scenario.title}\n  levers: {levers or 'none'}; {ran}")
    return 0


def _scenario_run(arguments: argparse.Namespace) -> int:
    names = ", ".join(arguments.names)
    print(f"Running {names} and their baseline...", file=sys.stderr, flush=True)
    rows = _run(lambda: run_scenarios(arguments.names, WarehousePaths.from_env()))
    if arguments.format != "table":
        print(_format(rows, arguments, "scenario", names))
        return 0
    for name in arguments.names:
        rows_of = rows.filter(pl.col("scenario_name") == name)
        print(_format(rows_of, arguments, "scenario", _heading(rows_of, name)))
    return 0


def _scenario_compare(arguments: argparse.Namespace) -> int:
    rows = compared_rows(arguments.name, WarehousePaths.from_env())
    print(_format(rows, arguments, "scenario", _heading(rows, arguments.name)))
    return 0


def _heading(rows: pl.DataFrame, name: str) -> str:
    """The scenario's name, title and run."""
    if rows.is_empty():
        return name
    first = rows.row(0, named=True)
    run = f"run {first['run_at']:%Y-%m-%d %H:%M} UTC, as of {first['as_of_date']}"
    return f"{name}: {first['scenario_title']} ({run})"


def _run(build):
    try:
        return build()
    except VariantBuildError as error:
        raise SettingsError(str(error)) from None


def _format(rows: pl.DataFrame, arguments: argparse.Namespace, kind: str, title: str) -> str:
    """The comparison, one row per year, method and criterion, under its title (tables only).
    As a table, a scenario shows the years it changes (float noise of the two builds' sums
    aside); csv and json give every row."""
    if arguments.criterion == "main":
        rows = rows.filter(pl.col("criterion").is_in(MAIN_CRITERIA))
    elif arguments.criterion != "all":
        rows = rows.filter(pl.col("criterion") == arguments.criterion)
    if kind == "scenario" and arguments.format == "table":
        changed = rows.filter(
            pl.col("difference").abs() > CHANGE_TOLERANCE * pl.col("baseline_value").abs().clip(1)
        )["reporting_year"].unique()
        rows = rows.filter(pl.col("reporting_year").is_in(changed.implode()))
        if rows.is_empty() and arguments.format == "table":
            return f"{title}: the scenario changes no year of the footprint."
    shown = ["scenario_name", *SHOWN] if kind == "scenario" else SHOWN
    rows = rows.sort("criterion", "method", "reporting_year").select(shown)
    if kind == "impact":
        rows = rows.drop("baseline_value", "scenario_value").rename(
            {"difference": "impact", "difference_min": "low", "difference_max": "high"}
        )
    if arguments.format == "csv":
        return rows.write_csv().rstrip("\n")
    if arguments.format == "json":
        return json.dumps(rows.to_dicts(), default=str, ensure_ascii=False, indent=1)
    rows = rows.drop("scenario_name", strict=False)
    rows = rows.with_columns(pl.col("reporting_year").cast(pl.String))
    with pl.Config(
        tbl_rows=-1,
        tbl_cols=-1,
        tbl_width_chars=160,
        tbl_hide_dataframe_shape=True,
        tbl_hide_column_data_types=True,
        tbl_formatting="ASCII_MARKDOWN",
        float_precision=1,
        thousands_separator=" ",
    ):
        return f"{title}\n{rows}"


def _count(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        raise SettingsError(f"{text!r} is not a count") from None
    if count < 1:
        raise SettingsError(f"{text!r} is not a positive count")
    return count


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise SettingsError(f"{text!r} is not a number") from None


def _as_of() -> date:
    raw = os.environ.get("EMPREINTE_AS_OF", "").strip()
    try:
        return date.fromisoformat(raw) if raw else date.today()
    except ValueError:
        raise SettingsError(f"EMPREINTE_AS_OF: {raw!r} is not a date (YYYY-MM-DD)") from None
