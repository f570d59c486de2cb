"""write_factor_tables on a small lake: four files, exact columns, overrides, coverage, diff."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest
from factor_lake import MODELS, build_lake
from override_rows import GOOD, csv_text

from factors.boavizta import BoaviztaEngine, ServerConfiguration
from factors.commands import coverage, diff, validate
from factors.loading import load_factor_set
from factors.schema import (
    CATEGORY_SOURCES,
    CONFIGURATION_MATCH_COLUMNS,
    EMISSION_FACTOR_TABLE_COLUMNS,
    FACTOR_FILE_COLUMNS,
    MODEL_MATCH_COLUMNS,
    PARAMETER_TABLE_COLUMNS,
)
from factors.tables import among, configuration_matches, server_assets, write_factor_tables


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, pl.DataFrame]:
    lake = build_lake(tmp_path_factory.mktemp("lake"))
    paths = write_factor_tables(lake, factor_set="empreinte-2025", overrides_dir=None)
    return {name: pl.read_parquet(path) for name, path in paths.items()}


def test_four_files_with_exact_columns(written) -> None:
    assert list(written["emission_factors"].columns) == list(EMISSION_FACTOR_TABLE_COLUMNS)
    assert list(written["parameters"].columns) == list(PARAMETER_TABLE_COLUMNS)
    assert list(written["model_matches"].columns) == list(MODEL_MATCH_COLUMNS)
    assert list(written["configuration_matches"].columns) == list(CONFIGURATION_MATCH_COLUMNS)
    factors = written["emission_factors"]
    assert factors["factor_id"].n_unique() == factors.height
    assert factors.schema["valid_from"] == pl.Date and factors.schema["source_year"] == pl.Int32
    assert factors.schema["is_last_resort"] == pl.Boolean
    assert factors.schema["precedence"] == pl.Int32
    for table in ("emission_factors", "parameters"):
        frame = written[table]
        assert set(frame["quality"]) <= {"primary", "secondary", "proxy"}, table
        assert set(frame["flag"].drop_nulls()) <= {
            "upstream_outlier",
            "negative_in_source",
            "not_covered",
        }
    assert set(written["model_matches"]["category_source"]) == {"model_category"}


def test_no_unmapped_model_for_the_fake_names(written) -> None:
    matches = written["model_matches"]
    assert matches.height == len(MODELS)
    assert matches.filter(pl.col("match_level") == "unmapped").is_empty()
    assert matches["device_category"].null_count() == 0
    levels = dict(zip(matches["model_id"], matches["match_level"], strict=True))
    assert levels["m-r740"] == "model" and levels["m-lat5440"] == "manufacturer_category"
    assert levels["m-t14"] == "category"


def test_every_factor_key_resolves_to_sourced_rows(written) -> None:
    factors = written["emission_factors"]
    for row in written["model_matches"].iter_rows(named=True):
        rows = factors.filter(pl.col("key") == row["factor_key"])
        assert rows.height, row
        assert rows["source"].null_count() == 0 and rows["source_year"].null_count() == 0
    configured = factors.filter(pl.col("scope") == "configuration")
    keys = set(written["configuration_matches"]["configuration_key"])
    assert keys <= set(configured["key"])
    assert configured["source"].null_count() == 0


def test_configurations_are_computed_once_each(written) -> None:
    configurations = written["configuration_matches"]
    assert configurations.height == 4  # the CI without any configuration is left to its model
    assert configurations["configuration_key"].n_unique() == 3
    rows = written["emission_factors"].filter(pl.col("scope") == "configuration")
    assert rows.height == 3 * 3


def test_override_changes_exactly_the_targeted_model(lake: Path, tmp_path: Path) -> None:
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "supplier_pcf.csv").write_text(csv_text([GOOD]), encoding="utf-8")
    before = pl.read_parquet(write_factor_tables(lake, overrides_dir=None)["model_matches"])
    paths = write_factor_tables(lake, overrides_dir=overrides)
    after = pl.read_parquet(paths["model_matches"])
    changed = before.join(after, on="model_id", suffix="_after").filter(
        (pl.col("factor_key") != pl.col("factor_key_after"))
        | (pl.col("match_level") != pl.col("match_level_after")),
    )
    assert changed["model_id"].to_list() == ["m-lat5440"]
    assert changed["match_level_after"].item() == "model"
    override = pl.read_parquet(paths["emission_factors"]).filter(pl.col("precedence") == 0)
    assert override["factor_id"].to_list() == ["org/dell-latitude-5440"]


def test_unknown_country_in_override_is_left_out_and_reported(lake: Path, tmp_path: Path) -> None:
    from factors.validation import FactorValidationError

    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "grid.csv").write_text(
        ",".join(FACTOR_FILE_COLUMNS) + "\n"
        "org/grid,organisation,grid,XX,use,climate_change,0.05,,,kgCO2e/kWh,Local supplier,,2024,"
        "2024-01-01,,,false,primary,,\n",
        encoding="utf-8",
    )
    paths = write_factor_tables(lake, overrides_dir=overrides)
    # The row is left out and kept with its reason; the rest of the run goes on.
    rejects = pl.read_parquet(paths["factor_rejects"])
    assert rejects.select("line", "field").rows() == [(2, "key")]
    assert rejects["file"].item().endswith("grid.csv")
    assert rejects["reason"].item() == "unknown country code 'XX' (ISO 3166 alpha-2)"
    factors = pl.read_parquet(paths["emission_factors"])
    assert factors.filter(pl.col("precedence") == 0).is_empty()
    # Checking the folder reports it as an error.
    with pytest.raises(FactorValidationError, match=r"grid.csv:2: key: unknown country code 'XX'"):
        validate(overrides)


def test_coverage_reads_the_published_mart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute("""
            create table main.dim_hardware_assets as select * from (values
                ('a1', 'model', 'laptop'), ('a2', 'category', 'server_rack'),
                ('a3', 'configuration', 'server_rack'), ('a4', 'unmapped', null)
            ) as t(asset_id, match_level, device_category)
        """)
        connection.execute("""
            create table main.fct_footprint as select *, 'empreinte-2026' as factor_set from (
                values
                ('a1', 'model', 'climate_change', 'amortised', 10.0, 'hardware_asset'),
                ('a1', 'model', 'climate_change', 'acquisition', 50.0, 'hardware_asset'),
                ('a2', 'category', 'climate_change', 'amortised', 30.0, 'hardware_asset'),
                ('a3', 'configuration', 'primary_energy', 'amortised', 99.0, 'hardware_asset'),
                ('t1', null, 'climate_change', 'amortised', 5.0, 'transport')
            ) as t(item_id, match_level, criterion, method, value, source_kind)
        """)
    opened: list[dict] = []
    connect = duckdb.connect

    def recorded(database: str, read_only: bool = False, config: dict | None = None):
        opened.append(config or {})
        return connect(database, read_only=read_only, config=config or {})

    monkeypatch.setattr(duckdb, "connect", recorded)
    monkeypatch.delenv("EMPREINTE_DUCKDB_MEMORY_LIMIT", raising=False)
    text = coverage(path)
    # Within the pipeline's memory limit: a read of the L fact table would otherwise keep up to
    # 80% of the machine's memory.
    assert opened == [{"memory_limit": "2GB"}]
    stated, levels = text.split("\n\n")
    lines = {line.split()[0]: line.split() for line in levels.splitlines()[1:]}
    assert lines["model"][1:3] == ["1", "25.0%"] and lines["model"][4] == "25.0%"
    assert lines["category"][1:3] == ["1", "25.0%"] and lines["category"][4] == "75.0%"
    assert lines["configuration"][1] == "1" and lines["configuration"][3] == "0.0"
    assert lines["unmapped"][1:3] == ["1", "25.0%"]
    assert lines["total"][1] == "4"
    # empreinte-2026 states: servers have no distribution nor end of life (Boavizta engine);
    # laptops no abiotic depletion outside manufacturing (ADEME gives climate change only,
    # Base IMPACTS an embodied figure) and no primary energy at all.
    counts = {line.split()[0]: line.split()[1:3] for line in stated.splitlines()[2:]}
    assert counts == {
        "climate_change": ["2", "2"],  # server_rack distribution, end_of_life; a2 and a3
        "abiotic_depletion": ["4", "3"],  # + laptop distribution, end_of_life; + a1
        "primary_energy": ["5", "3"],  # + laptop manufacturing
    }
    assert "server_rack end_of_life" in stated and "empreinte-2026" in stated


def test_diff_between_editions() -> None:
    text = diff("empreinte-2025", "ademe-2018")
    assert "9 changed" in text
    assert "laptop distribution climate_change: 12.3 (ademe_arcep_2024) -> 0 (ademe_2018)" in text
    assert (
        "screen manufacturing climate_change: 64.6 (ademe_arcep_2024) -> 248 (ademe_2018)" in text
    )
    # The end of life the 2018 study published apart (a credit), no longer 0.
    assert "laptop end_of_life climate_change: 2.8 (ademe_arcep_2024) -> -5.79 (ademe_2018)" in text
    newer = diff("empreinte-2025", "empreinte-2026")
    assert (
        "category printer manufacturing climate_change: 277 (proxies_boavizta_2.5.0) -> 10.5 "
        "(ademe_acv_numerique_2025)" in newer
    )
    # France's one series changes source: Scarlat 2019 out, ADEME's years in.
    assert "- electricity_boavizta_2019/grid/FR/use/climate_change/2019" in newer
    assert "+ electricity_ademe_base_empreinte/grid/FR/use/climate_change/2024" in newer


def test_stock_computer_category_never_breaks_coverage(lake: Path) -> None:
    from factor_lake import land

    land(lake, "cmdb_model_category", [{"sys_id": "cat-computer", "name": "Computer"}])
    land(
        lake,
        "cmdb_model",
        [
            # A glide list of categories: the known alias among them counts.
            {
                "sys_id": "m-prec",
                "manufacturer": "co-dell",
                "name": "Precision 3520",
                "cmdb_model_category": "cat-unknown,cat-computer",
            },
            {
                "sys_id": "m-lat",
                "manufacturer": "co-dell",
                "name": "Latitude 7400",
                "cmdb_model_category": "cat-computer",
            },
            {
                "sys_id": "m-opt",
                "manufacturer": "co-dell",
                "name": "OptiPlex 3080 Tower",
                "cmdb_model_category": "cat-computer",
            },
        ],
    )
    land(
        lake,
        "alm_hardware",
        [{"sys_id": f"a-{m}", "model": m, "ci": ""} for m in ("m-prec", "m-lat", "m-opt")],
    )
    matches = pl.read_parquet(write_factor_tables(lake, overrides_dir=None)["model_matches"])
    rows = {
        row["model_id"]: row
        for row in matches.filter(pl.col("model_id").is_in(["m-prec", "m-lat", "m-opt"])).iter_rows(
            named=True
        )
    }
    assert (rows["m-prec"]["device_category"], rows["m-prec"]["category_source"]) == (
        "computer",
        "undecided",
    )
    assert (rows["m-prec"]["match_level"], rows["m-prec"]["factor_key"]) == ("category", None)
    assert (rows["m-lat"]["device_category"], rows["m-lat"]["category_source"]) == (
        "laptop",
        "model_name",
    )
    assert rows["m-lat"]["factor_key"] == "dell|laptop"  # Dell's laptop median
    assert (rows["m-opt"]["device_category"], rows["m-opt"]["category_source"]) == (
        "desktop",
        "model_name",
    )
    assert set(matches["category_source"].drop_nulls()) <= set(CATEGORY_SOURCES)
    # The shipped categories keep theirs.
    assert set(matches.filter(pl.col("model_id") == "m-lat5440")["category_source"]) == {
        "model_category"
    }


def test_a_server_gets_its_own_asset_else_the_asset_pointing_at_it() -> None:
    servers = pl.DataFrame(
        {
            "sys_id": ["s1", "s2", "s3", "s4", "s5"],
            "asset": ["a1", "", "a9", None, None],
        }
    )
    hardware = pl.DataFrame(
        {
            "sys_id": ["a1", "a2", "a3", "a4", "a5"],
            "ci": ["s1", "s2", "", "s5", "s5"],
        }
    )
    found = server_assets(servers, hardware)
    # s3's own asset is not in the hardware table; s4 has none and no asset points at it; two
    # assets point at s5: the last one.
    assert dict(zip(found["sys_id"], found["asset_id"], strict=True)) == {
        "s1": "a1",
        "s2": "a2",
        "s5": "a5",
    }
    # Without a hardware table, a server's own asset is taken as it is.
    alone = server_assets(servers, pl.DataFrame({"sys_id": []}, schema={"sys_id": pl.String}))
    assert alone["asset_id"].to_list() == ["a1", "a9"]


def test_among_finds_values_in_keys_sorted_or_not() -> None:
    values = pl.Series("asset_id", ["a0", "a2", "a5", "a6", "a9"])
    expected = [False, True, False, True, False]
    # Sorted keys (the lake's current rows): a binary search, with values before the first key,
    # between two keys and after the last one.
    ordered = pl.Series("sys_id", ["a6", "a2", "a4"]).sort()
    assert ordered.flags["SORTED_ASC"]
    assert among(values, ordered).to_list() == expected
    # Keys in no known order, or sorted with a null among them: a hash lookup.
    assert not pl.Series(["a6", "a2", "a4"]).flags["SORTED_ASC"]
    assert among(values, pl.Series(["a6", "a2", "a4"])).to_list() == expected
    assert among(values, pl.Series([None, "a6", "a2", "a4"]).sort()).to_list() == expected
    assert among(values, pl.Series([], dtype=pl.String)).to_list() == [False] * 5


def test_servers_alike_share_one_configuration_and_an_asset_takes_its_last_server() -> None:
    # No cpu_type, ram or disk_space column: those fields read as empty. s1 and s2 are alike
    # (the same model, 2 CPUs, no form factor); s3 is the same asset as s1, with 4 CPUs; s4
    # has nothing to read a configuration from.
    servers = pl.DataFrame(
        {
            "sys_id": ["s1", "s2", "s3", "s4"],
            "asset": ["a1", "a2", "a1", "a4"],
            "model_id": ["m1", "m1", "m1", "m1"],
            "cpu_count": ["2", "2", "4", None],
            "form_factor": [None, None, None, None],
        }
    )
    hardware = pl.DataFrame(
        {"sys_id": ["a1", "a2", "a4"], "ci": ["", "", ""]},
        schema={"sys_id": pl.String, "ci": pl.String},
    )
    matches = pl.DataFrame({"model_id": ["m1"], "device_category": ["server"]})
    engine = BoaviztaEngine()
    found, factors = configuration_matches(
        load_factor_set("empreinte-2025", None),
        matches,
        {"cmdb_ci_server": servers, "alm_hardware": hardware},
        engine,
    )
    keys = dict(zip(found["asset_id"], found["configuration_key"], strict=True))
    assert set(keys) == {"a1", "a2"}
    assert keys["a2"] == ServerConfiguration(form_factor="rack", cpu_units=2).key
    assert keys["a1"] == ServerConfiguration(form_factor="rack", cpu_units=4).key
    assert set(found["match_level"]) == {"configuration"}
    # Two configurations (s1's is a2's), each computed once and given its factor rows.
    assert engine.computations == 2
    assert set(factors["key"]) == set(keys.values())
