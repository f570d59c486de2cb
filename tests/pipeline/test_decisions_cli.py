"""Scenarios and a what-if from the command line, on a small fleet whose figures are worked by
hand from DESIGN.md, and checked against the published marts.

The fleet (one night in exports mode, as of 2026-03-01, Europe/Paris), with the hand-worked
fleet's own factors (tests/pipeline/test_hand_worked_fleet.py): a laptop is 300 manufacturing
+ 12 distribution + 24 end of life = 336 kgCO2e, 4 years, 40 kWh a year; the French grid's
last year is 2025 (0.09 kgCO2e/kWh), used for the later years (flagged fallback).

- L1, an "Acme Station 7" laptop bought 2023-01-01, in use.
- L2, an "Acme Station 7" laptop bought 2020-06-01, in use (its window ended 2024-06-01).
- The catalogue offers the "Acme Book 9" laptop (1,000 EUR).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from pipelines.warehouse import WarehousePaths, connect_read_only
from tests.pipeline.conftest import run_nightly
from tests.pipeline.test_hand_worked_fleet import (
    MAKER,
    TOWN,
    TOWN_HALL,
    write_csv,
    write_overrides,
)

AS_OF = "2026-03-01"
LAPTOP = "a3" * 16
STATION, BOOK, MAINTENANCE = "d1" * 16, "d3" * 16, "d5" * 16
L1, L2 = "e1" * 16, "e2" * 16
ITEM = "c9" * 16
EMPREINTE = [sys.executable, "-m", "pipelines.cli"]
REL = 1e-9

# Laptops kept one year longer from 2026-01-01. L1's window [2023-01-01, 2027-01-01) is 1,461
# days; kept 5 years it is [2023-01-01, 2028-01-01), 1,826 days: each year of its 336 kgCO2e
# moves from days/1461 to days/1826, and 2027 gets a share it had not. L2's window ended
# before 2026: unchanged. Over the years the differences sum to 336 - 336 = 0.
LIFETIME_EXTENSION = {
    2023: 336 * 365 / 1826 - 336 * 365 / 1461,
    2024: 336 * 366 / 1826 - 336 * 366 / 1461,
    2025: 336 * 365 / 1826 - 336 * 365 / 1461,
    2026: 336 * 365 / 1826 - 336 * 365 / 1461,
    2027: 336 * 365 / 1826,
}


@dataclass
class Fleet:
    paths: WarehousePaths
    environment: dict[str, str]
    published: bool

    def empreinte(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*EMPREINTE, *args],
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )

    def rows(self, *args: str) -> list[dict]:
        result = self.empreinte(*args, "--format", "json", "--criterion", "climate_change")
        assert result.returncode == 0, result.stderr[-3000:]
        return json.loads(result.stdout)

    def query(self, sql: str) -> list[tuple]:
        with connect_read_only(self.paths) as connection:
            return connection.execute(sql).fetchall()


def write_exports(folder: Path) -> None:
    """The fleet as database-value exports."""
    stamp = "2018-01-01 00:00:00"
    write_csv(
        folder / "core_company.csv",
        [
            {"sys_id": TOWN, "name": "Rezé", "country": "France", "customer": "true",
             "manufacturer": "false", "sys_updated_on": stamp},
            {"sys_id": MAKER, "name": "Acme", "country": "", "customer": "false",
             "manufacturer": "true", "sys_updated_on": stamp},
        ],
    )  # fmt: skip
    write_csv(
        folder / "cmn_location.csv",
        [{"sys_id": TOWN_HALL, "name": "Mairie", "country": "France", "company": TOWN,
          "sys_updated_on": stamp}],
    )  # fmt: skip
    write_csv(
        folder / "cmdb_model_category.csv",
        [{"sys_id": LAPTOP, "name": "Laptop", "sys_updated_on": stamp}],
    )
    write_csv(
        folder / "cmdb_model.csv",
        [
            {"sys_id": model, "name": name, "manufacturer": MAKER, "cmdb_model_category": LAPTOP,
             "sys_class_name": "cmdb_hardware_product_model", "sys_updated_on": stamp}
            for model, name in ((STATION, "Acme Station 7"), (BOOK, "Acme Book 9"))
        ]
        + [{"sys_id": MAINTENANCE, "name": "Maintenance", "manufacturer": "",
            "cmdb_model_category": "", "sys_class_name": "cmdb_contract_product_model",
            "sys_updated_on": stamp}],
    )  # fmt: skip
    write_csv(
        folder / "sc_cat_item.csv",
        [{"sys_id": ITEM, "name": "Laptop — Acme Book 9", "price": "1000", "model": BOOK,
          "active": "true", "sys_updated_on": stamp}],
    )  # fmt: skip
    write_csv(
        folder / "alm_hardware.csv",
        [
            {"sys_id": sys_id, "asset_tag": tag, "model": STATION, "model_category": LAPTOP,
             "company": TOWN, "location": TOWN_HALL, "install_status": "1",
             "purchase_date": bought, "install_date": f"{bought} 11:00:00",
             "sys_created_on": f"{bought} 09:00:00", "sys_updated_on": f"{bought} 12:00:00"}
            for sys_id, tag, bought in ((L1, "P1", "2023-01-01"), (L2, "P2", "2020-06-01"))
        ],
    )  # fmt: skip


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fleet]:
    root = tmp_path_factory.mktemp("decisions")
    exports, overrides, own = root / "exports", root / "overrides", root / "own_scenarios"
    exports.mkdir()
    own.mkdir()
    write_exports(exports)
    write_overrides(overrides)
    # The organisation's own scenario folder, named by the configuration file.
    (own / "no-change.yaml").write_text("title: Nothing changes\nlevers: {}\n")
    (root / "empreinte.yaml").write_text(f"scenarios_dir: {own}\nbaseline_year: 2023\n")
    variables = {
        "EMPREINTE_DATA_DIR": str(root / "data"),
        "EMPREINTE_EXPORTS_DIR": str(exports),
        "EMPREINTE_FACTOR_OVERRIDES": str(overrides),
        "EMPREINTE_AS_OF": AS_OF,
        "EMPREINTE_TIME_ZONE": "Europe/Paris",
        "EMPREINTE_CONFIG": str(root / "empreinte.yaml"),
    }
    with pytest.MonkeyPatch.context() as patch:
        for name in ("EMPREINTE_SERVICENOW_URL", "EMPREINTE_WAREHOUSE", "EMPREINTE_FACTOR_SET"):
            patch.delenv(name, raising=False)
        for name, value in variables.items():
            patch.setenv(name, value)
        published = run_nightly()
        environment = {
            **{k: v for k, v in os.environ.items() if not k.startswith("EMPREINTE_")},
            **variables,
        }
        yield Fleet(WarehousePaths.from_env(), environment, published)


@pytest.fixture(scope="module")
def scenarios(fleet: Fleet) -> tuple[list[dict], str, str]:
    """Both scenarios run in one command; the published warehouse's checksum before and after."""
    before = hashlib.sha256(fleet.paths.warehouse.read_bytes()).hexdigest()
    rows = fleet.rows("scenario", "run", "no-change", "laptops-kept-longer")
    after = hashlib.sha256(fleet.paths.warehouse.read_bytes()).hexdigest()
    return rows, before, after


def test_the_fleet_publishes_with_the_configured_baseline(fleet: Fleet) -> None:
    assert fleet.published
    years = fleet.query(
        "select distinct baseline_year from mart_trajectory where criterion = 'climate_change'"
    )
    assert years == [(2023,)]


def test_a_scenario_with_no_change_gives_a_zero_difference(scenarios) -> None:
    rows, _, _ = scenarios
    unchanged = [row for row in rows if row["scenario_name"] == "no-change"]
    assert {row["method"] for row in unchanged} == {"amortised", "acquisition"}
    assert {row["reporting_year"] for row in unchanged} >= {2020, 2023, 2026}
    for row in unchanged:
        assert row["difference"] == pytest.approx(0, abs=1e-9), row
        assert row["scenario_value"] == pytest.approx(row["baseline_value"], rel=REL)


def test_a_lifetime_extension_moves_amortisation_as_designed(scenarios) -> None:
    rows, _, _ = scenarios
    extended = {
        (row["method"], row["reporting_year"]): row
        for row in rows
        if row["scenario_name"] == "laptops-kept-longer"
    }
    for year, difference in LIFETIME_EXTENSION.items():
        assert extended[("amortised", year)]["difference"] == pytest.approx(difference, rel=REL)
    # 2027 held nothing of L1 before (its window ended 2027-01-01).
    assert extended[("amortised", 2027)]["baseline_value"] == pytest.approx(0, abs=1e-9)
    for (method, year), row in extended.items():
        if method == "acquisition" or year not in LIFETIME_EXTENSION:
            # The purchases stay where they were; the use phase does not move.
            assert row["difference"] == pytest.approx(0, abs=1e-9), (method, year)


def test_scenarios_never_touch_the_published_warehouse(fleet: Fleet, scenarios) -> None:
    _, before, after = scenarios
    assert before == after
    database = fleet.paths.data_dir / "scenarios" / "scenarios.duckdb"
    with duckdb.connect(str(database), read_only=True) as connection:
        names = connection.execute(
            "select distinct scenario_name from marts.mart_scenario_comparison order by 1"
        ).fetchall()
    assert names == [("laptops-kept-longer",), ("no-change",)]
    compared = fleet.empreinte("scenario", "compare", "laptops-kept-longer")
    assert compared.returncode == 0, compared.stderr
    assert "Laptops kept one year longer from 2026" in compared.stdout


@dataclass
class WhatIf:
    result: subprocess.CompletedProcess[str]
    logs: dict[str, str]  # what each of its dbt builds logged


# A what-if's scratch builds (pipelines/variant_builds.py), in the order it runs them.
WHAT_IF_BUILDS = ("what-if-baseline", "what-if-scenario", "comparison")


@pytest.fixture(scope="module")
def what_if(fleet: Fleet) -> WhatIf:
    """The what-if whose figures are worked out below, and what its dbt builds appended to
    their logs."""
    logs = {
        name: fleet.paths.data_dir / "scenarios" / "work" / name / "logs" / "dbt.log"
        for name in WHAT_IF_BUILDS
    }
    before = {name: log.stat().st_size if log.exists() else 0 for name, log in logs.items()}
    result = fleet.empreinte(
        "what-if", "--replace", "1", "Acme Station 7", "Acme Book 9",
        "--contract", "Maintenance", "1200", "--trip", "train", "850", "--on", "2027-01-01",
        "--years", "2", "--format", "json", "--criterion", "climate_change",
    )  # fmt: skip
    appended = {
        name: log.read_bytes()[before[name] :].decode() if log.exists() else ""
        for name, log in logs.items()
    }
    return WhatIf(result, appended)


def test_a_what_if_replacement_with_its_contract_and_a_trip(what_if: WhatIf, fleet: Fleet) -> None:
    """Replace one "Acme Station 7" (the oldest in use: L2) by an "Acme Book 9" on 2027-01-01,
    cover the new laptop by a maintenance contract of 1,200 EUR a year, and send an agent 850
    km by train that day; use counted two years (to 2029-01-01).
    - The replacement. Without the change, L2 stays in use: 40 kWh × 0.09 = 3.6 a year. With
      it, L2 stops on that day (its end of life, 24, booked then under the acquisition method;
      its window ended long ago, so the amortised method has nothing left), and the Book runs
      3.6 a year too, its 336 kgCO2e bought in 2027: acquisition 300 + 12 = 312; amortised
      over [2027-01-01, 2031-01-01), 1,461 days: 365/1461 in 2027, 366/1461 in 2028.
    - The contract: 2 × 1,200 = 2,400 EUR over [2027-01-01, 2028-12-31], 731 days: × 365/731
      in 2027 and × 366/731 in 2028, × the maintenance money ratio 0.11 kgCO2e/EUR
      (factors/data/emission_factors/money_base_carbone.csv): 264 × 365/731, 264 × 366/731.
    - The trip: 850 km is high-speed rail (150 km and more): 850 × (0.0023 use + 0.00063
      construction) = 2.4905 kgCO2e (transport_impactco2_modes.csv), in 2027.
    Contracts and trips count the same under both methods."""
    result = what_if.result
    assert result.returncode == 0, result.stderr[-3000:]
    impact = {(row["method"], row["reporting_year"]): row for row in json.loads(result.stdout)}
    assert set(impact) == {(method, year) for method in ("amortised", "acquisition")
                           for year in (2027, 2028)}  # fmt: skip
    contract = {2027: 264 * 365 / 731, 2028: 264 * 366 / 731}
    trip = {2027: 850 * (0.0023 + 0.00063), 2028: 0}
    replacement = {
        ("acquisition", 2027): 312 + 24,
        ("acquisition", 2028): 0,
        ("amortised", 2027): 336 * 365 / 1461,
        ("amortised", 2028): 336 * 366 / 1461,
    }
    for (method, year), figure in replacement.items():
        expected = figure + contract[year] + trip[year]
        assert impact[(method, year)]["impact"] == pytest.approx(expected, rel=1e-6), (method, year)
    for row in impact.values():
        assert row["low"] < row["impact"] < row["high"]
    # The new unit is the catalogue's: the same factors as the published catalogue mart.
    ((manufacturing, distribution, end_of_life, life, label),) = fleet.query(
        f"""
        select manufacturing, distribution, end_of_life, life_impact, label_en
        from mart_catalogue_item_impact
        where catalogue_item_id = '{ITEM}' and criterion = 'climate_change'
        """
    )
    bought = impact[("acquisition", 2027)]["impact"] - end_of_life - contract[2027] - trip[2027]
    assert bought == pytest.approx(manufacturing + distribution, rel=1e-6)
    # Over its life: 336 + 4 years × 40 kWh × 0.09 = 336 + 14.4 = 350.4.
    assert life == pytest.approx(350.4, rel=REL)
    assert label == "≈ 350 kg CO2e over 4 years"


def test_a_what_ifs_builds_read_one_parse_of_the_project(what_if: WhatIf) -> None:
    """Its three builds run with the same vars, profile and paths: the scenario's and the
    comparison's read the parse the first made (dbt's full parse takes about 7 s each)."""
    assert what_if.result.returncode == 0, what_if.result.stderr[-3000:]
    for name in WHAT_IF_BUILDS[1:]:
        log = what_if.logs[name]
        assert "Running with dbt" in log, name
        assert "Unable to do partial parsing" not in log, (name, log[:3000])


def test_a_what_if_names_what_it_cannot_find(fleet: Fleet) -> None:
    result = fleet.empreinte("what-if", "--replace", "5", "Acme Station 7", "Nowhere 1")
    assert result.returncode == 2
    assert "no model named 'Nowhere 1'" in result.stderr
    result = fleet.empreinte("what-if", "--replace", "5", "Acme Station 7", "Acme Book 9")
    assert result.returncode == 2
    assert "only 2 devices of model 'Acme Station 7' are in use, not 5" in result.stderr


HOLDER = """
import sys, time
from pathlib import Path
from pipelines.lock import writer_lock
with writer_lock(Path(sys.argv[1]), "a what-if started by hand"):
    print("held", flush=True)
    time.sleep(600)
"""


def test_one_what_if_or_scenario_run_at_a_time(fleet: Fleet) -> None:
    """Their scratch builds share folders and a parse under scenarios/work: while another
    process holds them, a what-if and a scenario run wait, then stop naming it, having built
    nothing."""
    work = fleet.paths.data_dir / "scenarios" / "work"
    what_ifs = fleet.paths.data_dir / "scenarios" / "what-if"
    runs_before = sorted(what_ifs.iterdir()) if what_ifs.exists() else []
    builds_before = {path: path.stat().st_mtime_ns for path in work.glob("*/footprint.duckdb")}
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(work)],
        env=fleet.environment,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        fleet.environment["EMPREINTE_LOCK_WAIT_SECONDS"] = "1"
        commands = (
            ("what-if", "--replace", "1", "Acme Station 7", "Acme Book 9"),
            ("scenario", "run", "no-change"),
        )
        for command in commands:
            result = fleet.empreinte(*command)
            assert result.returncode == 2, (command, result.stderr[-3000:])
            assert f"is being written by pid {holder.pid}" in result.stderr, result.stderr
            assert "(a what-if started by hand" in result.stderr
    finally:
        fleet.environment.pop("EMPREINTE_LOCK_WAIT_SECONDS", None)
        holder.kill()
        holder.wait()
    assert (sorted(what_ifs.iterdir()) if what_ifs.exists() else []) == runs_before
    assert {path: path.stat().st_mtime_ns for path in work.glob("*/footprint.duckdb")} == (
        builds_before
    )
