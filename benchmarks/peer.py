"""The peer benchmark: ``boaviztapi`` called one asset at a time against the warehouse's fleet
computation, on the servers whose embodied impact the warehouse computes with Boavizta (match
level ``configuration``).

- Peer: what a tool calling the Boavizta API does, in process (no HTTP cost counted): for each
  asset, its configuration sent through the server route's steps (archetype, mapper, embedded
  impact per criterion), nothing shared between assets. Timed on a sample (every k-th server),
  as a rate.
- Warehouse: ``factors.tables.configuration_matches`` for the whole fleet (one computation per
  distinct configuration) and the SQL giving every asset its impact from the factor rows.
- Peer over HTTP: what those tools actually do, the Boavizta API's server route
  (``POST /v1/server/``, ``boaviztapi.main:app`` under uvicorn in a process of its own, on
  loopback) called once per asset of the same sample, one request after another. The API
  also computes the use phase (its default usage) and rounds each figure by its min-max spread
  (``round_based_on_min_max``): its answers are compared with the warehouse's figures rounded
  by the same function.
- Difference: the sample's peer figures against the published ``fct_footprint`` (an asset's
  manufacturing impact summed over its years, amortised = the whole impact), largest relative
  difference over the criteria the engine publishes.

Only the servers matched at ``configuration`` level are compared: the other devices' embodied
figures come from other data (ADEME, manufacturers' sheets), not from the Boavizta engine, so
a peer computing them with Boavizta archetypes would not compute the same thing.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import requests
from boaviztapi.utils.roundit import round_based_on_min_max

from benchmarks import transformation
from benchmarks.measure import LoopbackServer
from connectors.lake import latest_rows, read_table
from factors.boavizta import (
    SERVER_CRITERIA,
    BoaviztaEngine,
    ServerConfiguration,
    _compute_server,
)
from factors.loading import load_factor_set
from factors.tables import (
    CONFIGURATION_FIELDS,
    configuration_matches,
    server_configuration,
)

SAMPLE = 200
# The API's names of the criteria the warehouse takes from the engine.
_API_CRITERIA = {criterion: name for name, criterion in SERVER_CRITERIA.items()}


def boavizta_api() -> LoopbackServer:
    """The Boavizta API (``uvicorn boaviztapi.main:app``) on a free loopback port."""
    return LoopbackServer(
        [
            *(sys.executable, "-m", "uvicorn", "boaviztapi.main:app"),
            *("--host", "127.0.0.1", "--port", "0", "--no-access-log"),
        ],
        r"running on (http://127\.0\.0\.1:\d+)",
        {"PYTHONWARNINGS": "ignore"},
    )


def http_peer(
    configurations: dict[str, ServerConfiguration],
) -> tuple[float, dict[str, dict[str, float]]]:
    """Each configuration sent to the API's server route, one request per asset, in turn:
    (seconds, {asset: {criterion: embedded value as the API answered}})."""
    answers: dict[str, dict[str, float]] = {}
    with boavizta_api() as api, requests.Session() as session:
        url = f"{api.url}/v1/server/"
        criteria = list(_API_CRITERIA.values())

        def ask(configuration: ServerConfiguration) -> dict[str, Any]:
            params = {"archetype": configuration.archetype, "verbose": "false"}
            response = session.post(
                url, params={**params, "criteria": criteria}, json=configuration.as_boavizta()
            )
            response.raise_for_status()
            return response.json()["impacts"]

        ask(ServerConfiguration())  # warm: the API's first answer reads its data files
        started = time.perf_counter()
        for asset_id, configuration in configurations.items():
            impacts = ask(configuration)
            answers[asset_id] = {
                criterion: float(impacts[name]["embedded"]["value"])
                for criterion, name in _API_CRITERIA.items()
            }
        return time.perf_counter() - started, answers


def _current(lake: Path, table: str, columns: list[str]) -> pl.DataFrame:
    frame = read_table(lake, "servicenow", table)
    return latest_rows(frame).select(columns)


def measure(lake: Path, warehouse: Path, sample: int = SAMPLE) -> dict[str, Any]:
    """Peer and warehouse throughput on the fleet's configured servers, and their difference."""
    servers = _current(lake, "cmdb_ci_server", ["sys_id", "asset", *CONFIGURATION_FIELDS])
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
        fleet = connection.sql(  # columns, as the night writes them: not Python tuples
            "select c.asset_id, f.criterion, f.value from configured as c"
            " inner join factor_rows as f on c.configuration_key = f.key"
        ).pl()
    warehouse_s = time.perf_counter() - started
    assets = configured.height

    categories = dict(zip(matches["model_id"], matches["device_category"], strict=True))
    by_asset = {row["asset"]: row for row in servers.iter_rows(named=True)}
    step = max(1, assets // sample)
    picked = configured["asset_id"].to_list()[::step][:sample]
    peer: dict[str, dict[str, float]] = {}
    configurations: dict[str, ServerConfiguration] = {}
    started = time.perf_counter()
    for asset_id in picked:
        server = by_asset[asset_id]
        configuration = server_configuration(server, categories.get(server["model_id"]))
        assert configuration is not None
        impacts = _compute_server(configuration)  # no cache: one request per asset
        peer[asset_id] = {criterion: impact.value for criterion, impact in impacts.items()}
        configurations[asset_id] = configuration
    peer_s = time.perf_counter() - started
    http_s, answered = http_peer(configurations)

    with duckdb.connect(str(warehouse), read_only=True) as connection:
        fact = transformation.relation(connection, "fct_footprint")
        published = connection.execute(
            f"select item_id, criterion, sum(value), sum(value_min), sum(value_max) from {fact}"
            " where stage = 'manufacturing' and method = 'amortised'"
            " and match_level = 'configuration' group by all"
        ).fetchall()
    published_values = {(item, criterion): values for item, criterion, *values in published}
    largest = largest_http = 0.0
    for asset_id, impacts in peer.items():
        for criterion in SERVER_CRITERIA.values():
            expected = impacts[criterion]
            got, low, high = published_values[(asset_id, criterion)]
            largest = max(largest, _relative(got, expected))
            # The API rounds by the spread of the range: the warehouse's figure, rounded alike.
            rounded = round_based_on_min_max(got, low, high)
            largest_http = max(largest_http, _relative(rounded, answered[asset_id][criterion]))
    peer_rate = len(picked) / peer_s
    http_rate = len(picked) / http_s
    warehouse_rate = assets / warehouse_s
    return {
        "assets": assets,
        "distinct_configurations": engine.computations,
        "fleet_rows": fleet.height,
        "peer_sample": len(picked),
        "peer_assets_per_s": peer_rate,
        "warehouse_s": warehouse_s,
        "warehouse_assets_per_s": warehouse_rate,
        "throughput_ratio": warehouse_rate / peer_rate,
        "largest_relative_difference": largest,
        "http_peer_assets_per_s": http_rate,
        "http_throughput_ratio": warehouse_rate / http_rate,
        "http_largest_relative_difference_rounded": largest_http,
    }


def _relative(got: float, expected: float) -> float:
    return abs(got - expected) / max(abs(expected), 1e-300)


if __name__ == "__main__":  # python -m benchmarks.peer <lake> <warehouse>: the peer alone
    print(json.dumps(measure(Path(sys.argv[1]), Path(sys.argv[2])), indent=1))
