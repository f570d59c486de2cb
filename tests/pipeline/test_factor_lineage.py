"""Factor lineage through the real pipeline (fake ServiceNow over HTTP -> Dagster -> dbt ->
published DuckDB): the factor library's "done when" items, checked on the published marts.

1. Embodied impacts of configuration-matched servers and of the laptop category figure equal
   what ``boaviztapi`` returns for the same inputs, computed here directly (not through
   ``factors.boavizta``).
2. An organisation override changes the footprint of exactly the assets of the model it targets.
3. ``empreinte factors coverage`` shows no unmapped asset, and every factor id in the mart
   resolves to a sourced row of the factor Parquet in the lake.

Three runs of one fleet (``tests/pipeline/conftest.py``): the shared night with the default
factor set, and two nights on a copy of its lake in data folders of their own: with an override
folder, and with ``base-impacts-2011`` (Base IMPACTS / NegaOctet device figures, i.e. Boavizta's
user-terminal archetypes, first), the run ``test_editions.py`` reads too.
"""

from __future__ import annotations

import copy
import csv
import math
import os
import re
import subprocess
import sys
import warnings
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.warehouse import WarehousePaths, connect_read_only
from tests.pipeline.conftest import SECOND_FACTOR_SET, PipelineRun, night_on_copy

# The dbt var first_reporting_year: an asset acquired earlier loses its pre-2010 shares, so
# only assets acquired since then have amortised years summing to their whole embodied impact.
FIRST_REPORTING_YEAR = 2010
BOAVIZTA_LAPTOP_ARCHETYPE = "laptop-pro"
BOAVIZTA_SERVER_ARCHETYPE = "platform_compute_medium"
SERVER_CRITERIA = {"gwp": "climate_change", "adp": "abiotic_depletion", "pe": "primary_energy"}
LAPTOP_CRITERIA = {"gwp": "climate_change", "adpe": "abiotic_depletion"}
OVERRIDE_MANUFACTURING_KGCO2E = 321.5
OVERRIDE_LIFETIME_YEARS = 7.5
REL = 1e-9


@dataclass(frozen=True)
class Run:
    paths: WarehousePaths
    success: bool

    def query(self, sql: str, parameters: list | None = None) -> list[tuple]:
        with connect_read_only(self.paths) as connection:
            return connection.execute(sql, parameters or []).fetchall()

    def query_internal(self, sql: str, parameters: list | None = None) -> list[tuple]:
        """The last build's working layers (never published), the published marts beside."""
        with duckdb.connect(str(self.paths.internal), read_only=True) as connection:
            connection.execute(f"attach '{self.paths.warehouse}' as published (read_only)")
            connection.execute("set search_path = 'intermediate,published.marts'")
            return connection.execute(sql, parameters or []).fetchall()

    def factor_parquet(self, table: str) -> pl.DataFrame:
        return pl.read_parquet(self.paths.lake / "factors" / f"{table}.parquet")

    @classmethod
    def published(cls, run: PipelineRun) -> Run:
        """A night that succeeded and published its warehouse."""
        assert run.success and run.paths.warehouse.exists()
        return cls(run.paths, run.success)


@pytest.fixture(scope="module")
def default_run(pipeline_run: PipelineRun) -> Run:
    return Run.published(pipeline_run)


@pytest.fixture(scope="module")
def boavizta_first_run(restated_run: PipelineRun) -> Run:
    return Run.published(restated_run)


# --- 1. boaviztapi, called directly -------------------------------------------------------


def boavizta_embedded(device, criteria: dict[str, str]) -> dict[str, tuple[float, float, float]]:
    """(value, min, max) of the embedded phase over the device's whole life, per criterion."""
    from boaviztapi.compute.impacts_computation import compute_single_impact

    impacts = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, criterion in criteria.items():
            impact = compute_single_impact(
                device, "embedded", name, device.usage.hours_life_time.value
            )
            impacts[criterion] = (float(impact.value), float(impact.min), float(impact.max))
    return impacts


def boavizta_server(record: dict[str, str]) -> dict[str, tuple[float, float, float]]:
    """A cmdb_ci_server record through boaviztapi, as factors/README.md "Boavizta usage" says:
    archetype platform_compute_medium, CPU count, cores per CPU and name, RAM in 32 GB modules,
    disk in 1,000 GB SSDs, towers as racks (2.5.0 has no tower case)."""
    from boaviztapi.data.archetype import get_server_archetype
    from boaviztapi.dto.device.device import Server, mapper_server

    ram_gb = float(record["ram"]) / 1024
    disk_gb = float(record["disk_space"])
    ram_units, disk_units = math.ceil(ram_gb / 32), math.ceil(disk_gb / 1000)
    server = Server(
        model={"type": {"rack": "rack", "blade": "blade", "tower": "rack"}[record["form_factor"]]},
        configuration={
            "cpu": {
                "units": int(record["cpu_count"]),
                "core_units": int(record["cpu_core_count"]),
                "name": record["cpu_type"],
            },
            "ram": [{"units": ram_units, "capacity": ram_gb / ram_units}],
            "disk": [{"units": disk_units, "type": "ssd", "capacity": disk_gb / disk_units}],
        },
    )
    archetype = copy.deepcopy(get_server_archetype(BOAVIZTA_SERVER_ARCHETYPE))
    return boavizta_embedded(mapper_server(server, archetype=archetype), SERVER_CRITERIA)


def boavizta_laptop() -> dict[str, tuple[float, float, float]]:
    from boaviztapi.data.archetype import get_user_terminal_archetype
    from boaviztapi.dto.device.user_terminal import Laptop, mapper_user_terminal

    archetype = copy.deepcopy(get_user_terminal_archetype(BOAVIZTA_LAPTOP_ARCHETYPE))
    return boavizta_embedded(mapper_user_terminal(Laptop(), archetype=archetype), LAPTOP_CRITERIA)


def manufacturing_totals(run: Run, item_id: str, method: str = "amortised") -> dict[str, tuple]:
    """criterion -> (value, min, max, factor ids, match levels), summed over reporting years."""
    rows = run.query(
        """
        select criterion, sum(value), sum(value_min), sum(value_max),
            list(distinct factor_id), list(distinct match_level)
        from fct_footprint
        where item_id = ? and method = ? and stage = 'manufacturing'
        group by criterion
        """,
        [item_id, method],
    )
    return {row[0]: row[1:] for row in rows}


def relative_half_width(run: Run, factor_id: str, level: str) -> float:
    """The factor set's relative_uncertainty for a factor's match level and quality."""
    factors = run.factor_parquet("emission_factors")
    quality = factors.filter(pl.col("factor_id") == factor_id)["quality"].item()
    parameters = run.factor_parquet("parameters").filter(
        (pl.col("parameter") == "relative_uncertainty") & (pl.col("key") == f"{level}|{quality}")
    )
    return parameters.sort("precedence")["value"][0]


def assert_equals_boavizta(run: Run, item_id: str, expected: dict, level: str, data_set: str):
    for method in ("amortised", "acquisition"):
        totals = manufacturing_totals(run, item_id, method)
        for criterion, (value, low, high) in expected.items():
            assert criterion in totals, (item_id, criterion)
            mart_value, mart_low, mart_high, factor_ids, levels = totals[criterion]
            where = (item_id, method, criterion)
            print(f"{item_id} {method} {criterion}: boaviztapi {value:.6g} [{low:.6g}, {high:.6g}]")
            print(f"  mart {mart_value:.6g} [{mart_low:.6g}, {mart_high:.6g}] {factor_ids[0]}")
            assert mart_value == pytest.approx(value, rel=REL), where
            if low == high:
                # No range in the source: the documented relative range of its level and quality.
                half_width = relative_half_width(run, factor_ids[0], level)
                low, high = value * (1 - half_width), value * (1 + half_width)
            assert mart_low == pytest.approx(low, rel=REL), where
            assert mart_high == pytest.approx(high, rel=REL), where
            assert levels == [level], where
            assert len(factor_ids) == 1 and factor_ids[0].startswith(f"{data_set}/"), where


def test_configuration_matched_servers_equal_boaviztapi(
    pipeline_run: PipelineRun, default_run: Run
) -> None:
    servers = default_run.query(
        """
        select asset_id from dim_hardware_assets
        where match_level = 'configuration' and acquired_on >= ?
        order by asset_tag
        """,
        [date(FIRST_REPORTING_YEAR, 1, 1)],
    )
    records = {
        record["asset"]: record
        for record in pipeline_run.fake.store.records("cmdb_ci_server")
        if record.get("asset")
    }
    configuration_fields = ("cpu_count", "cpu_core_count", "cpu_type", "ram", "disk_space")
    by_configuration: dict[tuple, str] = {}
    for (asset_id,) in servers:
        record = records[asset_id]
        key = (record["form_factor"], *(record[field] for field in configuration_fields))
        by_configuration.setdefault(key, asset_id)
    assert len(servers) >= 2 and len(by_configuration) >= 2, "two distinct configurations"
    # Two servers of different configurations, of different form factors when there are some.
    keys = sorted(by_configuration)
    second = next((key for key in keys[1:] if key[0] != keys[0][0]), keys[1])
    for key in (keys[0], second):
        asset_id = by_configuration[key]
        print("server", asset_id, key)
        expected = boavizta_server(records[asset_id])
        assert expected["climate_change"][0] > 500, "a server's embodied footprint"
        assert_equals_boavizta(
            default_run, asset_id, expected, "configuration", "boavizta_engine_2.5.0"
        )


def test_category_matched_laptop_equals_boaviztapi_archetype(
    boavizta_first_run: Run, default_run: Run
) -> None:
    laptops = boavizta_first_run.query(
        """
        select asset_id from dim_hardware_assets
        where device_category = 'laptop' and match_level = 'category' and acquired_on >= ?
        order by asset_tag
        """,
        [date(FIRST_REPORTING_YEAR, 1, 1)],
    )
    assert laptops, "a category-matched laptop"
    asset_id = laptops[0][0]
    expected = boavizta_laptop()
    assert expected["climate_change"][0] > 100
    assert_equals_boavizta(
        boavizta_first_run,
        asset_id,
        expected,
        "category",
        "base_impacts_negaoctet_boavizta_2.5.0",
    )
    # The factor set decides: the default set uses ADEME's figure for the same laptop.
    default = manufacturing_totals(default_run, asset_id)["climate_change"]
    assert default[3][0].startswith("ademe_acv_numerique_2025/")
    assert default[0] != pytest.approx(expected["climate_change"][0], rel=1e-3)


# --- 2. an override changes exactly the assets it targets ---------------------------------


@dataclass(frozen=True)
class Override:
    model_id: str
    model_key: str
    factor_id: str
    parameter_id: str
    run: Run


def write_override(folder: Path, model_key: str) -> tuple[str, str]:
    """A supplier PCF figure and an own lifetime for one model key (factors/README.md)."""
    folder.mkdir(parents=True, exist_ok=True)
    factor_id = f"organisation/model/{model_key}/manufacturing/climate_change"
    parameter_id = f"organisation/model/{model_key}/lifetime_years"
    common = {
        "data_set": "organisation",
        "scope": "model",
        "key": model_key,
        "value_min": "",
        "value_max": "",
        "source": "Supplier PCF sheet (test)",
        "source_url": "https://example.org/pcf.pdf",
        "source_year": "2024",
        "valid_from": "2000-01-01",
        "valid_to": "",
        "region": "",
        "quality": "primary",
        "flag": "",
        "notes": "end-to-end test override",
    }
    factor = {
        "factor_id": factor_id,
        **common,
        "stage": "manufacturing",
        "criterion": "climate_change",
        "value": str(OVERRIDE_MANUFACTURING_KGCO2E),
        "unit": "kgCO2e/unit",
        "is_last_resort": "false",
    }
    parameter = {
        "parameter_id": parameter_id,
        **common,
        "parameter": "lifetime_years",
        "value": str(OVERRIDE_LIFETIME_YEARS),
        "unit": "year",
    }
    for name, row, first in (
        ("supplier_pcf.csv", factor, "factor_id"),
        ("lifetimes.csv", parameter, "parameter_id"),
    ):
        columns = [first, *(column for column in row if column != first)]
        with open(folder / name, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerow(row)
    return factor_id, parameter_id


@pytest.fixture(scope="module")
def override(
    pipeline_run: PipelineRun, default_run: Run, tmp_path_factory: pytest.TempPathFactory
) -> Override:
    """The default run again, with an override for the most used category-matched model whose
    model key no other model shares."""
    matches = default_run.factor_parquet("model_matches")
    unique_keys = matches.group_by("model_key").len().filter(pl.col("len") == 1)["model_key"]
    candidates = default_run.query(
        """
        select model_id, count(*) as assets from dim_hardware_assets
        where match_level = 'category' and device_category = 'laptop'
        group by model_id
        having min(acquired_on) >= ?
        order by assets desc, model_id
        """,
        [date(FIRST_REPORTING_YEAR, 1, 1)],
    )
    model_keys = dict(zip(matches["model_id"], matches["model_key"], strict=True))
    model_id = next(
        model for model, count in candidates if count >= 2 and model_keys[model] in unique_keys
    )
    folder = tmp_path_factory.mktemp("overrides")
    factor_id, parameter_id = write_override(folder, model_keys[model_id])
    data_dir = tmp_path_factory.mktemp("overridden")
    run = Run.published(
        night_on_copy(pipeline_run, data_dir, EMPREINTE_FACTOR_OVERRIDES=str(folder))
    )
    return Override(model_id, model_keys[model_id], factor_id, parameter_id, run)


def both(before: Run, after: Run, sql: str, parameters: dict | None = None) -> list[tuple]:
    """``sql`` over two runs' published fct_footprint, ``before_run`` and ``after_run``."""
    with duckdb.connect() as connection:
        for alias, run in (("before_run", before), ("after_run", after)):
            connection.execute(f"attach '{run.paths.warehouse}' as {alias} (read_only)")
        return connection.execute(sql, parameters or {}).fetchall()


# (item, method, stage, criterion) whose total over the reporting years differs between the
# runs by more than pytest.approx's tolerance (1e-12 relative, 1e-12 absolute), or is missing
# from one of them.
TOTALS_CHANGED = """
with
    before_totals as (
        select item_id, method, stage, criterion, sum(value) as total
        from before_run.marts.fct_footprint group by all
    ),
    after_totals as (
        select item_id, method, stage, criterion, sum(value) as total
        from after_run.marts.fct_footprint group by all
    )
select item_id, method, stage, criterion, b.total, a.total
from before_totals as b full join after_totals as a using (item_id, method, stage, criterion)
where b.total is null or a.total is null
    or abs(a.total - b.total) > greatest(1e-12 * abs(b.total), 1e-12)
"""
# Rows (year by year, lineage included) of the items not targeted that one run has and the
# other has not, each way.
OTHER_ROWS_DIFFERING = """
with
    before_rows as (
        select item_id, reporting_year, method, stage, criterion, value, factor_id, match_level
        from before_run.marts.fct_footprint where not list_contains($targeted, item_id)
    ),
    after_rows as (
        select item_id, reporting_year, method, stage, criterion, value, factor_id, match_level
        from after_run.marts.fct_footprint where not list_contains($targeted, item_id)
    )
select
    (select count(*) from (from before_rows except all from after_rows)),
    (select count(*) from (from after_rows except all from before_rows)),
    (select count(*) from before_rows)
"""


def test_override_changes_exactly_the_targeted_model(default_run: Run, override: Override) -> None:
    targeted = {
        asset_id
        for (asset_id,) in default_run.query(
            "select asset_id from dim_hardware_assets where model_id = ?", [override.model_id]
        )
    }
    assert len(targeted) >= 2
    changed = both(default_run, override.run, TOTALS_CHANGED)
    assert all(before is not None and after is not None for *_, before, after in changed)
    assert {row[0] for row in changed} == targeted
    # A figure for manufacturing climate change only: the other totals are unchanged (the new
    # lifetime moves shares between years, never an asset's total).
    assert {(stage, criterion) for _, _, stage, criterion, _, _ in changed} == {
        ("manufacturing", "climate_change")
    }
    by_asset = override.run.query(
        """
        select item_id, method, sum(value) from fct_footprint
        where stage = 'manufacturing' and criterion = 'climate_change'
            and list_contains(?, item_id)
        group by all
        """,
        [sorted(targeted)],
    )
    assert {(item, method) for item, method, _ in by_asset} == {
        (asset_id, method) for asset_id in targeted for method in ("amortised", "acquisition")
    }
    for asset_id, method, total in by_asset:
        assert total == pytest.approx(OVERRIDE_MANUFACTURING_KGCO2E, rel=REL), (asset_id, method)

    # Every row of every other asset is identical, year by year, lineage included.
    parameters = {"targeted": sorted(targeted)}
    ((missing, added, rows),) = both(default_run, override.run, OTHER_ROWS_DIFFERING, parameters)
    assert (missing, added) == (0, 0) and rows > 10_000


def test_overridden_assets_carry_the_override_lineage(override: Override) -> None:
    rows = override.run.query(
        """
        select distinct factor_id, match_level, factor_set from fct_footprint
        where model_id = ? and stage = 'manufacturing' and criterion = 'climate_change'
            and source_kind = 'hardware_asset'
        """,
        [override.model_id],
    )
    assert [(factor_id, level) for factor_id, level, _ in rows] == [(override.factor_id, "model")]
    assets = override.run.query(
        """
        select distinct match_level, manufacturing_factor_id, lifetime_years
        from dim_hardware_assets where model_id = ?
        """,
        [override.model_id],
    )
    assert assets == [("model", override.factor_id, OVERRIDE_LIFETIME_YEARS)]
    lifetimes = override.run.query_internal(
        """
        select distinct lifetime_parameter_id from int_hardware_assets_categorised
        inner join dim_hardware_assets using (asset_id)
        where model_id = ?
        """,
        [override.model_id],
    )
    assert lifetimes == [(override.parameter_id,)]
    precedence = override.run.factor_parquet("emission_factors").filter(
        pl.col("factor_id") == override.factor_id
    )["precedence"]
    assert precedence.to_list() == [0], "overrides come before every data set"
    others = override.run.query(
        """
        select count(*) from fct_footprint
        where factor_id like 'organisation/%' and model_id != ?
        """,
        [override.model_id],
    )
    assert others == [(0,)]


# --- 3. coverage and sourced factors on the demo fleet ------------------------------------

# pipelines/cli.py main() returns the handler's result: the factors sub-commands return their
# text, so the console script's sys.exit(main()) prints it on stderr and exits with status 1.
LEVEL_LINE = re.compile(r"^(\w+)\s+(\d+)\s+([\d.]+)%\s+([\d,.]+)\s+([\d.]+)%$")


def coverage_levels(text: str, run: Run) -> dict[str, re.Match]:
    """Parse the coverage table and check it: no unmapped line, shares adding to 100%, the
    total footprint the mart's amortised climate-change total of the hardware assets."""
    lines = [LEVEL_LINE.match(line.strip()) for line in text.splitlines()[1:]]
    levels = {match[1]: match for match in lines if match}
    assert levels, text
    assert "unmapped" not in levels, text
    assert set(levels) <= {"configuration", "model", "manufacturer_category", "category"}, text
    tolerance = 0.05 * len(levels) + 1e-9  # each share is printed rounded to 0.1%
    assert sum(float(match[3]) for match in levels.values()) == pytest.approx(100, abs=tolerance)
    assert sum(float(match[5]) for match in levels.values()) == pytest.approx(100, abs=tolerance)
    (footprint,) = run.query(
        """
        select sum(value) from fct_footprint
        where method = 'amortised' and criterion = 'climate_change'
            and source_kind = 'hardware_asset'
        """
    )[0]
    total = text.strip().splitlines()[-1].split()
    assert total[0] == "total", text
    assert float(total[2].replace(",", "")) == pytest.approx(footprint, abs=0.051), text
    assert footprint > 10_000
    return levels


def coverage_text(run: Run) -> str:
    from factors.commands import coverage

    return coverage(run.paths.warehouse)


def test_coverage_shows_no_unmapped_asset(default_run: Run) -> None:
    coverage_levels(coverage_text(default_run), default_run)


def test_coverage_command_line_shows_no_unmapped_asset(default_run: Run) -> None:
    command = Path(sys.executable).with_name("empreinte")
    result = subprocess.run(
        [str(command), "factors", "coverage"],
        env={**os.environ, "EMPREINTE_WAREHOUSE": str(default_run.paths.warehouse)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    coverage_levels(result.stdout, default_run)


def test_coverage_counts_each_asset_once_at_its_match_level(default_run: Run) -> None:
    text = coverage_text(default_run)
    levels = coverage_levels(text, default_run)
    expected = dict(
        default_run.query("select match_level, count(*) from dim_hardware_assets group by all")
    )
    assert {level: int(match[2]) for level, match in levels.items()} == expected, text
    assert int(text.strip().splitlines()[-1].split()[1]) == sum(expected.values()), text


def test_no_asset_of_the_demo_fleet_is_unmapped(default_run: Run) -> None:
    levels = dict(
        default_run.query("select match_level, count(*) from dim_hardware_assets group by all")
    )
    assert levels.get("unmapped", 0) == 0, levels
    assert {"configuration", "model", "category"} <= levels.keys(), levels
    (rows,) = default_run.query(
        "select count(*) from fct_footprint where match_level is null or match_level = 'unmapped'"
    )[0]
    assert rows == 0


@pytest.mark.parametrize("run_name", ["default_run", "boavizta_first_run"])
def test_every_factor_id_resolves_to_a_sourced_row(
    run_name: str, request: pytest.FixtureRequest
) -> None:
    run: Run = request.getfixturevalue(run_name)
    used = pl.DataFrame(
        run.query("select factor_id, count(*) from fct_footprint group by factor_id"),
        schema=["factor_id", "rows"],
        orient="row",
    )
    assert used["rows"].sum() > 10_000
    assert used["factor_id"].null_count() == 0
    factors = run.factor_parquet("emission_factors")
    assert factors["factor_id"].is_unique().all(), "a factor id names one row"
    resolved = used.join(factors, on="factor_id", how="left")
    unresolved = resolved.filter(
        pl.col("source").is_null()
        | (pl.col("source").str.strip_chars() == "")
        | pl.col("source_year").is_null()
    )
    assert unresolved.is_empty(), unresolved["factor_id"].to_list()[:10]
    assert (resolved["source_year"] >= 1990).all() and (resolved["source_year"] <= 2026).all()
    # The lineage names the run's factor set.
    (sets,) = run.query("select list(distinct factor_set) from fct_footprint")[0]
    expected = SECOND_FACTOR_SET if run_name == "boavizta_first_run" else "empreinte-2026"
    assert sets == [expected]
