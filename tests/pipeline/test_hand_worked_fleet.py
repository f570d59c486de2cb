"""A small fleet through the real pipeline, its footprint worked out by hand from DESIGN.md.

Two nights in exports mode (files as ServiceNow exports them: date-times in UTC, references as
display objects with their link, choice labels, currency with its symbol), the organisation's
own factors in an overrides folder, the Europe/Paris time zone, as of 2025-03-01. Every
expected figure below is worked from the rules, not recomputed by code that restates the SQL.

Factors (overrides, climate change, kgCO2e): laptop 300 manufacturing + 12 distribution + 24
end of life = 336, lifetime 4 years, 40 kWh/year; blade server 1200 + 24 + 48 = 1272, 5 years,
800 kWh/year; the data centre's own PUE 1.5; the French grid 0.04 (2020), 0.05 (2021), 0.06
(2022), 0.07 (2023), 0.08 (2024), 0.09 (2025), each valid its year only.

The fleet:
- L1 laptop ("Computer" model, its CI says "Notebook"), bought 2021-01-01, installed
  2021-01-14 23:00 UTC = 15 January in Paris; night 1 in use, night 2 retired on 2023-07-01
  (early: its window ends 2025-01-01).
- L2 laptop ("Laptop" form factor), bought 2023-05-10, installed on paper but only ever seen in
  stock: no use phase.
- L3 laptop ("Portable"), bought on a leap day (2020-02-29), installed 2020-03-01 23:00 UTC =
  2 March, in use since.
- L4 "Computer" whose CI says nothing: counted as the default category (desktop).
- S1 blade server in the data centre, bought 2018-06-01, installed 2018-06-14 22:00 UTC = 15
  June, in use: its 2018 and 2019 use takes the nearest grid year (2020), flagged.
- S2 blade server in use in the stockroom: not a data centre, no PUE.
- X1, exported on night 2 with an install date-time that does not exist (30 February): the
  value cannot be used, so the row goes to the rejects with its file, row and field, and the
  night publishes the rest.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from connectors import quarantine
from pipelines.mart_gates import evaluate
from pipelines.warehouse import WarehousePaths, connect_read_only, memory_limit
from tests.pipeline.conftest import run_nightly
from tests.pipeline.dbt_logs import dbt_runs, keep_sql_statements
from tests.pipeline.landing_runs import run_night

AS_OF = "2025-03-01"
TOWN, MAKER = "a1" * 16, "a2" * 16
DATA_CENTRE, STOCKROOM, TOWN_HALL = "b1" * 16, "b2" * 16, "b3" * 16
COMPUTER, BLADE = "c1" * 16, "c2" * 16
STATION, BLADE_MODEL = "d1" * 16, "d2" * 16
L1, L2, L3, L4, S1, S2 = ("e1" * 16, "e2" * 16, "e3" * 16, "e4" * 16, "f1" * 16, "f2" * 16)
X1 = "f3" * 16
CI = {L1: "91" * 16, L2: "92" * 16, L3: "93" * 16, L4: "94" * 16}
INSTANCE = "https://example.service-now.com/api/now/table"
PUE_ID = "organisation/datacentre/pue"
REL = 1e-9

# Expected climate-change figures (kgCO2e): {(asset, year, method, stage): value}.
EXPECTED: dict[tuple[str, int, str, str], float] = {}


def expect_embodied(asset: str, mfg: float, dist: float, eol: float, shares: dict) -> None:
    """Amortised: each stage × (days of the year in the window) / (days in the window)."""
    for year, share in shares.items():
        for stage, value in (("manufacturing", mfg), ("distribution", dist), ("end_of_life", eol)):
            EXPECTED[(asset, year, "amortised", stage)] = value * share


def expect_use(asset: str, values: dict[int, float]) -> None:
    for year, value in values.items():
        for method in ("amortised", "acquisition"):
            EXPECTED[(asset, year, method, "use")] = value


# L1: window [2021-01-01, 2025-01-01) = 1461 days; disposed 2023-07-01, before its end, so
# 2023 books what is left: 1461 - 365 - 365 = 731 days.
expect_embodied(L1, 300, 12, 24, {2021: 365 / 1461, 2022: 365 / 1461, 2023: 731 / 1461})
EXPECTED |= {
    (L1, 2021, "acquisition", "manufacturing"): 300,
    (L1, 2021, "acquisition", "distribution"): 12,
    (L1, 2023, "acquisition", "end_of_life"): 24,  # the disposal year
}
# In use 2021-01-15 (local install day) to 2023-07-01 (disposal): 2021 has 365 - 14 = 351 days,
# 2023 has 181 (Jan 31 + Feb 28 + Mar 31 + Apr 30 + May 31 + Jun 30).
expect_use(L1, {2021: 40 * 351 / 365 * 0.05, 2022: 40 * 0.06, 2023: 40 * 181 / 365 * 0.07})

# L2: window [2023-05-10, 2027-05-10) = 1461 days: 236 in 2023 (22 in May + 214 after June 1),
# 366 in 2024, 365, 365, then 129 in 2027 (31 + 28 + 31 + 30 + 9). No use phase.
expect_embodied(
    L2,
    300,
    12,
    24,
    {2023: 236 / 1461, 2024: 366 / 1461, 2025: 365 / 1461, 2026: 365 / 1461, 2027: 129 / 1461},
)
EXPECTED |= {
    (L2, 2023, "acquisition", "manufacturing"): 300,
    (L2, 2023, "acquisition", "distribution"): 12,
}

# L3: bought on 2020-02-29; 48 months later is 2024-02-29: 1461 days, 307 in 2020 (366 - 59),
# 365 in 2021-2023, 59 in 2024 (31 + 28).
expect_embodied(
    L3,
    300,
    12,
    24,
    {2020: 307 / 1461, 2021: 365 / 1461, 2022: 365 / 1461, 2023: 365 / 1461, 2024: 59 / 1461},
)
EXPECTED |= {
    (L3, 2020, "acquisition", "manufacturing"): 300,
    (L3, 2020, "acquisition", "distribution"): 12,
}
# In use from 2020-03-02 (366 - 61 = 305 days of 2020) to the as-of date (59 days of 2025).
expect_use(
    L3,
    {
        2020: 40 * 305 / 366 * 0.04,
        2021: 40 * 0.05,
        2022: 40 * 0.06,
        2023: 40 * 0.07,
        2024: 40 * 0.08,
        2025: 40 * 59 / 365 * 0.09,
    },
)

# S1: window [2018-06-01, 2023-06-01) = 1826 days: 214 in 2018, 365, 366, 365, 365, 151 in 2023.
expect_embodied(
    S1,
    1200,
    24,
    48,
    {
        2018: 214 / 1826,
        2019: 365 / 1826,
        2020: 366 / 1826,
        2021: 365 / 1826,
        2022: 365 / 1826,
        2023: 151 / 1826,
    },
)
EXPECTED |= {
    (S1, 2018, "acquisition", "manufacturing"): 1200,
    (S1, 2018, "acquisition", "distribution"): 24,
}
# 800 kWh × PUE 1.5 = 1200 kWh a year, from 2018-06-15 (200 days of 2018); 2018 and 2019 take
# the 2020 grid (0.04), the nearest year of the series.
expect_use(
    S1,
    {
        2018: 1200 * 200 / 365 * 0.04,
        2019: 1200 * 0.04,
        2020: 1200 * 0.04,
        2021: 1200 * 0.05,
        2022: 1200 * 0.06,
        2023: 1200 * 0.07,
        2024: 1200 * 0.08,
        2025: 1200 * 59 / 365 * 0.09,
    },
)

# S2: window [2024-01-01, 2029-01-01) = 1827 days (two leap years); not in a data centre.
expect_embodied(
    S2,
    1200,
    24,
    48,
    {
        2024: 366 / 1827,
        2025: 365 / 1827,
        2026: 365 / 1827,
        2027: 365 / 1827,
        2028: 366 / 1827,
    },
)
EXPECTED |= {
    (S2, 2024, "acquisition", "manufacturing"): 1200,
    (S2, 2024, "acquisition", "distribution"): 24,
}
expect_use(S2, {2024: 800 * 0.08, 2025: 800 * 59 / 365 * 0.09})


def reference(table: str, sys_id: str, name: str) -> dict[str, str]:
    """A reference as an export in display mode holds it: its name and its link."""
    return {"display_value": name, "link": f"{INSTANCE}/{table}/{sys_id}"}


def asset(
    sys_id: str,
    tag: str,
    model: str,
    category: str,
    location: str,
    status: str,
    substatus: str | None,
    purchased: str,
    installed: str,
    updated: str,
    *,
    retired: str = "",
    cost: str = "€1,199.00",
) -> dict:
    """An alm_hardware record as the WorkArena export holds them (display values)."""
    names = {STATION: "Acme Station 7", BLADE_MODEL: "Acme Blade X1"}
    categories = {COMPUTER: "Computer", BLADE: "Blade server"}
    sites = {DATA_CENTRE: "Datacenter Nord", STOCKROOM: "Magasin central", TOWN_HALL: "Mairie"}
    return {
        "sys_id": sys_id,
        "asset_tag": tag,
        "model": reference("cmdb_model", model, names[model]),
        "model_category": reference("cmdb_model_category", category, categories[category]),
        "company": reference("core_company", TOWN, "Rezé"),
        "location": reference("cmn_location", location, sites[location]),
        "ci": reference("cmdb_ci", CI[sys_id], tag) if sys_id in CI else "",
        "install_status": status,
        "substatus": substatus,
        "cost": cost,
        "purchase_date": purchased,
        "install_date": installed,
        "retired": retired,
        "disposal_reason": "Fin de vie" if retired else "",
        "sys_class_name": "Hardware",
        "sys_created_on": f"{purchased} 09:00:00",
        "sys_updated_on": updated,
        # Personal data a real export carries: never landed.
        "assigned_to": "Camille Martin",
    }


def night_one() -> list[dict]:
    in_use, in_stock = "In use", "In stock"
    return [
        asset(L1, "P1", STATION, COMPUTER, TOWN_HALL, in_use, None,
              "2021-01-01", "2021-01-14 23:00:00", "2021-01-15 09:00:00"),
        asset(L2, "P2", STATION, COMPUTER, STOCKROOM, in_stock, "Available",
              "2023-05-10", "2023-05-19 22:00:00", "2023-05-20 10:00:00"),
        asset(L3, "P3", STATION, COMPUTER, TOWN_HALL, in_use, None,
              "2020-02-29", "2020-03-01 23:00:00", "2024-06-01 10:00:00"),
        asset(L4, "P4", STATION, COMPUTER, TOWN_HALL, in_use, None,
              "2024-09-02", "2024-09-02 22:00:00", "2024-09-03 10:00:00"),
        asset(S1, "S1", BLADE_MODEL, BLADE, DATA_CENTRE, in_use, None,
              "2018-06-01", "2018-06-14 22:00:00", "2024-01-10 10:00:00", cost="€12,800.00"),
        asset(S2, "S2", BLADE_MODEL, BLADE, STOCKROOM, in_use, None,
              "2024-01-01", "2023-12-31 23:00:00", "2024-01-02 09:00:00", cost="€12,800.00"),
    ]  # fmt: skip


def night_two() -> list[dict]:
    """The same export a night later: L1 has been retired, and X1 (row 7) arrived with an
    install date-time that does not exist."""
    records = night_one()
    records[0] = asset(
        L1, "P1", STATION, COMPUTER, TOWN_HALL, "Retired", "Disposed",
        "2021-01-01", "2021-01-14 23:00:00", "2023-07-02 08:00:00", retired="2023-07-01",
    )  # fmt: skip
    records.append(
        asset(X1, "P9", STATION, COMPUTER, TOWN_HALL, "In use", None,
              "2021-02-27", "2021-02-30 23:00:00", "2021-03-01 09:00:00")
    )  # fmt: skip
    return records


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def write_reference_tables(folder: Path) -> None:
    """The tables the assets refer to, as database-value exports (CSV and JSON)."""
    write_csv(
        folder / "core_company.csv",
        [
            {"sys_id": TOWN, "name": "Rezé", "country": "France", "customer": "true",
             "manufacturer": "false", "sys_updated_on": "2018-01-01 00:00:00"},
            {"sys_id": MAKER, "name": "Acme", "country": "", "customer": "false",
             "manufacturer": "true", "sys_updated_on": "2018-01-01 00:00:00"},
        ],
    )  # fmt: skip
    write_csv(
        folder / "cmn_location.csv",
        [
            {"sys_id": sys_id, "name": name, "country": "France", "company": TOWN,
             "sys_updated_on": "2018-01-01 00:00:00"}
            for sys_id, name in (
                (DATA_CENTRE, "Datacenter Nord"), (STOCKROOM, "Magasin central"),
                (TOWN_HALL, "Mairie"),
            )
        ],
    )  # fmt: skip
    write_csv(
        folder / "cmdb_model_category.csv",
        [
            {"sys_id": COMPUTER, "name": "Computer", "cmdb_ci_class": "cmdb_ci_computer",
             "sys_updated_on": "2018-01-01 00:00:00"},
            {"sys_id": BLADE, "name": "Blade server", "cmdb_ci_class": "cmdb_ci_server",
             "sys_updated_on": "2018-01-01 00:00:00"},
        ],
    )  # fmt: skip
    models = [
        {"sys_id": STATION, "name": "Acme Station 7", "manufacturer": MAKER,
         "cmdb_model_category": COMPUTER, "sys_class_name": "cmdb_hardware_product_model",
         "sys_updated_on": "2018-01-01 00:00:00"},
        {"sys_id": BLADE_MODEL, "name": "Acme Blade X1", "manufacturer": MAKER,
         "cmdb_model_category": BLADE, "sys_class_name": "cmdb_hardware_product_model",
         "sys_updated_on": "2018-01-01 00:00:00"},
    ]  # fmt: skip
    (folder / "cmdb_model.json").write_text(json.dumps({"result": models}), encoding="utf-8")
    write_csv(
        folder / "cmdb_ci_computer.csv",
        [
            {"sys_id": CI[sys_id], "asset": sys_id, "model_id": STATION,
             "form_factor": form_factor, "sys_updated_on": "2018-01-01 00:00:00"}
            for sys_id, form_factor in ((L1, "Notebook"), (L2, "Laptop"), (L3, "Portable"),
                                        (L4, ""))
        ],
    )  # fmt: skip


OVERRIDE_COMMON = {
    "data_set": "organisation",
    "value_min": "",
    "value_max": "",
    "source": "Hand-worked test fleet",
    "source_url": "https://example.org/fleet",
    "source_year": "2024",
    "valid_to": "",
    "region": "",
    "quality": "secondary",
    "flag": "",
    "notes": "test figures",
}


def write_overrides(folder: Path) -> None:
    """The organisation's own factors and parameters (factors/README.md, overrides)."""
    folder.mkdir()
    factors = []
    for category, values in (("laptop", (300, 12, 24)), ("server_blade", (1200, 24, 48))):
        stages = ("manufacturing", "distribution", "end_of_life")
        for stage, value in zip(stages, values, strict=True):
            factors.append(
                {"factor_id": f"organisation/{category}/{stage}", **OVERRIDE_COMMON,
                 "scope": "category", "key": category, "stage": stage,
                 "criterion": "climate_change", "value": str(value), "unit": "kgCO2e/unit",
                 "valid_from": "2000-01-01", "is_last_resort": "false"}
            )  # fmt: skip
    grid = ("0.04", "0.05", "0.06", "0.07", "0.08", "0.09")
    for year, value in zip(range(2020, 2026), grid, strict=True):
        factors.append(
            {"factor_id": f"organisation/grid/FR/{year}", **OVERRIDE_COMMON, "scope": "grid",
             "key": "FR", "stage": "use", "criterion": "climate_change", "value": value,
             "unit": "kgCO2e/kWh", "valid_from": f"{year}-01-01", "valid_to": f"{year}-12-31",
             "quality": "primary", "is_last_resort": "false"}
        )  # fmt: skip
    parameters = [
        {"parameter_id": f"organisation/{key}/{parameter}", **OVERRIDE_COMMON, "scope": scope,
         "key": key, "parameter": parameter, "value": value, "unit": unit,
         "valid_from": "2000-01-01"}
        for scope, key, parameter, value, unit in (
            ("category", "laptop", "lifetime_years", "4", "year"),
            ("category", "server_blade", "lifetime_years", "5", "year"),
            ("category", "laptop", "annual_energy_kwh", "40", "kWh/year"),
            ("category", "server_blade", "annual_energy_kwh", "800", "kWh/year"),
        )
    ]  # fmt: skip
    parameters.append(
        {"parameter_id": PUE_ID, **OVERRIDE_COMMON, "scope": "datacentre", "key": DATA_CENTRE,
         "parameter": "pue", "value": "1.5", "unit": "ratio", "valid_from": "2000-01-01"}
    )  # fmt: skip
    write_csv(folder / "factors.csv", factors)
    write_csv(folder / "parameters.csv", parameters)


@dataclass
class Fleet:
    paths: WarehousePaths
    first_night: bool
    second_night: bool
    second_run_id: str
    # Every DuckDB connection the two nights' Python opened: (database, read_only, config).
    connections: list[tuple[str, bool, dict]]

    def query(self, sql: str, parameters: list | None = None) -> list[tuple]:
        with connect_read_only(self.paths) as connection:
            return connection.execute(sql, parameters or []).fetchall()


@contextmanager
def recorded_connections() -> Iterator[list[tuple[str, bool, dict]]]:
    """Every DuckDB connection this process opens meanwhile: (database, read_only, config)."""
    connections: list[tuple[str, bool, dict]] = []
    connect = duckdb.connect

    def recorded(database: str = ":memory:", read_only: bool = False, config=None, **kw):
        connections.append((str(database), read_only, dict(config or {})))
        return connect(database, read_only=read_only, config=config or {}, **kw)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(duckdb, "connect", recorded)
        yield connections


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fleet]:
    root = tmp_path_factory.mktemp("hand_worked")
    exports, overrides = root / "exports", root / "overrides"
    exports.mkdir()
    write_overrides(overrides)
    write_reference_tables(exports)
    with pytest.MonkeyPatch.context() as patch:
        for name in ("EMPREINTE_SERVICENOW_URL", "EMPREINTE_WAREHOUSE", "EMPREINTE_FACTOR_SET"):
            patch.delenv(name, raising=False)
        patch.setenv("EMPREINTE_DATA_DIR", str(root / "data"))
        patch.setenv("EMPREINTE_EXPORTS_DIR", str(exports))
        patch.setenv("EMPREINTE_FACTOR_OVERRIDES", str(overrides))
        patch.setenv("EMPREINTE_AS_OF", AS_OF)
        patch.setenv("EMPREINTE_TIME_ZONE", "Europe/Paris")
        keep_sql_statements(patch)  # the parse events the second night's test reads
        with recorded_connections() as connections:
            (exports / "alm_hardware.json").write_text(json.dumps(night_one()), encoding="utf-8")
            first = run_nightly()
            (exports / "alm_hardware.json").write_text(json.dumps(night_two()), encoding="utf-8")
            second = run_night()
        paths = WarehousePaths.from_env()
        yield Fleet(paths, first, second.success, second.run_id, connections)


def test_both_nights_publish(fleet: Fleet) -> None:
    assert fleet.first_night and fleet.second_night


def test_every_figure_is_the_hand_worked_one(fleet: Fleet) -> None:
    rows = fleet.query(
        """
        select item_id, reporting_year, method, stage, value
        from fct_footprint where criterion = 'climate_change' and item_id != ?
        """,
        [L4],
    )
    published = {(item, year, method, stage): value for item, year, method, stage, value in rows}
    missing = sorted(set(EXPECTED) - set(published))
    unexpected = sorted(set(published) - set(EXPECTED))
    assert not missing, f"missing rows: {missing[:5]}"
    assert not unexpected, f"rows no rule gives: {unexpected[:5]}"
    for key, value in EXPECTED.items():
        assert published[key] == pytest.approx(value, rel=REL), key


def test_dates_categories_and_sites_as_decided(fleet: Fleet) -> None:
    rows = fleet.query(
        """
        select asset_id, device_category, category_source, acquired_on, use_started_on,
            disposed_on, lifetime_years, is_in_data_centre
        from dim_hardware_assets order by asset_tag
        """
    )
    assets = {row[0]: row[1:] for row in rows}
    day = date.fromisoformat
    assert assets[L1] == (
        "laptop", "form_factor", day("2021-01-01"), day("2021-01-15"), day("2023-07-01"), 4.0,
        False,
    )  # fmt: skip
    # Installed on paper, only ever seen in stock: no day counts as in use.
    assert assets[L2][:4] == ("laptop", "form_factor", day("2023-05-10"), None)
    assert assets[L4][:2] == ("desktop", "default")
    assert assets[S1][0] == "server_blade" and assets[S1][1] == "model_category"
    assert assets[S1][-1] is True and assets[S2][-1] is False


def test_use_rows_name_their_energy_pue_and_grid(fleet: Fleet) -> None:
    rows = fleet.query(
        """
        select item_id, reporting_year, factor_id, factor_fallback, energy_parameter_id,
            pue_parameter_id, match_level
        from fct_footprint
        where stage = 'use' and method = 'amortised' and criterion = 'climate_change'
            and item_id in (?, ?)
        order by item_id, reporting_year
        """,
        [S1, S2],
    )
    by_key = {(row[0], row[1]): row[2:] for row in rows}
    energy = "organisation/server_blade/annual_energy_kwh"
    assert by_key[(S1, 2018)] == (
        "organisation/grid/FR/2020", "nearest_later_year", energy, PUE_ID, "country",
    )  # fmt: skip
    assert by_key[(S1, 2021)] == ("organisation/grid/FR/2021", None, energy, PUE_ID, "country")
    assert by_key[(S2, 2024)] == ("organisation/grid/FR/2024", None, energy, None, "country")


def test_years_say_whether_they_are_complete(fleet: Fleet) -> None:
    statuses = dict(
        fleet.query(
            "select distinct reporting_year, year_status from fct_footprint_yearly"
            " where reporting_year between 2024 and 2026"
        )
    )
    assert statuses == {2024: "complete", 2025: "year_to_date", 2026: "future"}


def test_a_value_that_cannot_be_used_is_rejected_with_file_row_and_field(fleet: Fleet) -> None:
    rejects = quarantine.read_rejects(fleet.paths.lake, "servicenow", "alm_hardware")
    rejected = rejects.filter(pl.col("sys_id") == X1).select(
        "source_file", "row_number", "field", "raw_value", "outcome"
    )
    assert rejected.rows() == [
        ("alm_hardware.json", 7, "install_date", "2021-02-30 23:00:00", "rejected")
    ]
    assert fleet.query("select count(*) from dim_hardware_assets where asset_id = ?", [X1]) == [
        (0,)
    ]


def test_personal_data_never_reaches_the_lake(fleet: Fleet) -> None:
    lake = fleet.paths.lake / "servicenow" / "alm_hardware"
    assert "Camille" not in b"".join(path.read_bytes() for path in lake.glob("*.parquet")).decode(
        "latin-1"
    )


def test_explain_puts_the_hand_worked_numbers_in_words(fleet: Fleet) -> None:
    from pipelines.reporting.explain import explain

    with connect_read_only(fleet.paths) as connection:
        text = explain(connection, S1, year=2022, language="en")
        fallback = explain(connection, S1, year=2018, language="en")
    # S1's 2022 share of its window: 365 / 1826 = 0.19989; manufacturing 1200 × it = 239.87.
    assert "organisation/server_blade/manufacturing" in text
    assert "= 1,200.00 kgCO2e (level category) × the year's share 0.1999 = 239.87 kgCO2e" in text
    # Use: 800 kWh × PUE 1.5 (its data centre's own) × the whole year × 0.06 (grid 2022) = 72.
    assert (
        "annual energy 800.0 kWh × PUE 1.50 × share of the year in use 1.0000 × grid "
        "organisation/grid/FR/2022 = 0.0600 kgCO2e/kWh (level country) = 72.00 kgCO2e"
    ) in text
    # Amortised total: 1272 × 365 / 1826 + 72 = 254.26 + 72 = 326.26.
    assert "Total amortised: 326.26 kgCO2e" in text
    # Every factor named with its source and edition; the PUE too.
    assert f"  {PUE_ID}: " in text and "organisation/grid/FR/2022: " in text
    # 2018 took the nearest later grid year (2020), flagged.
    assert "fallback: nearest_later_year" in fallback


def test_the_second_night_parses_only_what_changed(fleet: Fleet) -> None:
    """A night's run id reaches dbt through the environment, not as a var: a var that changes
    every night would make dbt parse the whole project again each time. The second night in the
    same data folder re-reads only the file that uses the run id, and records its own."""
    assert fleet.query("select run_id from warehouse_metadata") == [(fleet.second_run_id,)]
    runs = dbt_runs(fleet.paths)
    assert len(runs) == 2, "both nights' dbt runs are logged in the data folder"
    second_night = {event["info"]["name"]: event["info"]["msg"] for event in runs[1]}
    assert "UnableToPartialParse" not in second_night
    assert second_night["PartialParsingEnabled"] == (
        "Partial parsing enabled: 0 files deleted, 0 files added, 1 files changed."
    )


def unbounded(connections: list[tuple[str, bool, dict]]) -> list[tuple[str, bool]]:
    return [
        (database, read_only)
        for database, read_only, config in connections
        if config.get("memory_limit") != memory_limit()
    ]


def test_every_connection_the_night_opens_stays_within_the_memory_limit(fleet: Fleet) -> None:
    """DuckDB without a limit allows itself 80% of the machine and keeps cached every block a
    query reads: at L the quality gates' scans of the fact table held 18 GiB. Every connection
    the night's own Python opens (the build, the published file) carries the pipeline's limit;
    dbt's carry it through profiles.yml."""
    builds = [c for c in fleet.connections if Path(c[0]) == fleet.paths.build]
    assert builds and not any(read_only for _, read_only, _ in builds)
    assert unbounded(fleet.connections) == []


def test_the_gates_reads_stay_within_the_memory_limit(fleet: Fleet, tmp_path: Path) -> None:
    """The gates read in a worker process of their own (``memory.own_process``), which the
    night's recording cannot see: the same reads, made here on a copy of the published file as
    the build, open the build read-only and the published file, each within the limit."""
    paths = WarehousePaths(tmp_path / "data", fleet.paths.warehouse)
    paths.build.parent.mkdir(parents=True)
    shutil.copyfile(fleet.paths.warehouse, paths.build)
    with recorded_connections() as connections:
        gates = evaluate(paths, tmp_path / "report")

    assert all(gate.passed for gate in gates)
    opened = {(Path(database), read_only) for database, read_only, _ in connections}
    assert (paths.build, True) in opened
    assert any(database == fleet.paths.warehouse for database, _ in opened)
    assert unbounded(connections) == []
