"""The peer benchmark: ``boaviztapi`` called one asset at a time against the warehouse's fleet
computation, on the servers whose embodied impact the warehouse computes with Boavizta (match
level ``configuration``).

- Peer: what a tool calling the Boavizta API does, in process (no HTTP cost counted): for each
  asset, its configuration sent through the server route's steps (archetype, mapper, embedded
  impact per criterion), nothing shared between assets. Timed on a sample (every k-th server),
  as a rate.
- Warehouse: ``factors.tables.configuration_matches`` for the whole fleet (one computation per
  distinct configuration) and the SQL giving every asset its impact from the factor rows.
- Difference: the sample's peer figures against the published ``fct_footprint`` (an asset's
  manufacturing impact summed over its years, amortised = the whole impact), largest relative
  difference over the criteria the engine publishes.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from benchmarks import transformation
from connectors.lake import latest_rows, read_table
from factors.boavizta import (
    SERVER_CRITERIA,
    BoaviztaEngine,
    ServerConfiguration,
    _compute_server,
)
from factors.loading import load_factor_set
from factors.tables import configuration_matches, server_configuration

SAMPLE = 200


def _current(lake: Path, table: str, columns: list[str]) -> pl.DataFrame:
    frame = read_table(lake, "servicenow", table)
    return latest_rows(frame).select(columns)


def measure(lake: Path, warehouse: Path, sample: int = SAMPLE) -> dict[str, Any]:
    """Peer and warehouse throughput on the fleet's configured servers, and their difference."""
    servers = _current(
        lake,
        "cmdb_ci_server",
        [
            "sys_id",
            "asset",
            "model_id",
            "cpu_count",
            "cpu_core_count",
            "cpu_type",
            "ram",
            "disk_space",
            "form_factor",
        ],
    )
    hardware = _current(lake, "alm_hardware", ["sys_id", "ci", "model"])
    matches = pl.read_parquet(lake / "factors" / "model_matches.parquet")
    loaded = load_factor_set(None, None)
    tables = {"cmdb_ci_server": servers, "alm_hardware": hardware}

    # Both sides start warm: boaviztapi imported, its archetypes and data read once.
    _compute_server(ServerConfiguration())
    started = time.perf_counter()
    engine = BoaviztaEngine()
    configured, factor_rows = configuration_matches(loaded, matches, tables, engine)
    with duckdb.connect() as connection:
        connection.register("configured", configured)
        connection.register("factor_rows", factor_rows)
        fleet = connection.execute(
            "select c.asset_id, f.criterion, f.value from configured as c"
            " inner join factor_rows as f on c.configuration_key = f.key"
        ).fetchall()
    warehouse_s = time.perf_counter() - started
    assets = configured.height

    categories = dict(zip(matches["model_id"], matches["device_category"], strict=True))
    by_asset = {row["asset"]: row for row in servers.iter_rows(named=True)}
    step = max(1, assets // sample)
    picked = configured["asset_id"].to_list()[::step][:sample]
    peer: dict[str, dict[str, float]] = {}
    started = time.perf_counter()
    for asset_id in picked:
        server = by_asset[asset_id]
        configuration = server_configuration(server, categories.get(server["model_id"]))
        assert configuration is not None
        impacts = _compute_server(configuration)  # no cache: one request per asset
        peer[asset_id] = {criterion: impact.value for criterion, impact in impacts.items()}
    peer_s = time.perf_counter() - started

    with duckdb.connect(str(warehouse), read_only=True) as connection:
        fact = transformation.relation(connection, "fct_footprint")
        published = connection.execute(
            f"select item_id, criterion, sum(value) from {fact}"
            " where stage = 'manufacturing' and method = 'amortised'"
            " and match_level = 'configuration' group by all"
        ).fetchall()
    published_values = {(item, criterion): value for item, criterion, value in published}
    largest = 0.0
    for asset_id, impacts in peer.items():
        for criterion in SERVER_CRITERIA.values():
            expected = impacts[criterion]
            got = published_values[(asset_id, criterion)]
            largest = max(largest, abs(got - expected) / max(abs(expected), 1e-300))
    peer_rate = len(picked) / peer_s
    warehouse_rate = assets / warehouse_s
    return {
        "assets": assets,
        "distinct_configurations": engine.computations,
        "fleet_rows": len(fleet),
        "peer_sample": len(picked),
        "peer_assets_per_s": peer_rate,
        "warehouse_s": warehouse_s,
        "warehouse_assets_per_s": warehouse_rate,
        "throughput_ratio": warehouse_rate / peer_rate,
        "largest_relative_difference": largest,
    }
