"""The fake metropolis's logs and activity: consistent with its instance, valid, realistic."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from connectors.logs import AGENT_TRIPS, COLLECTION_EVENTS, VEHICLE_TRIPS, read_trip_log
from connectors.servicenow.fake.logs import COLLECTION_POINTS, write_logs
from connectors.servicenow.fake.metropolis import generate

SEED, SCALE = 42, 0.05


@pytest.fixture(scope="module")
def data() -> dict[str, list[dict[str, str]]]:
    return generate(seed=SEED, scale=SCALE)


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, str]]]:
    folder = tmp_path_factory.mktemp("logs")
    paths = write_logs(folder, seed=SEED, scale=SCALE)
    read = {}
    for log in (VEHICLE_TRIPS, AGENT_TRIPS, COLLECTION_EVENTS):
        valid, rejected = read_trip_log(folder / f"{log.name}.csv", log)
        assert rejected.height == 0, rejected.head(3)
        read[log.name] = valid.to_dicts()
    assert [path.name for path in paths] == [
        "vehicle_trips.csv",
        "agent_trips.csv",
        "collection_events.csv",
    ]
    return read


def test_logs_are_the_same_for_the_same_seed(tmp_path: Path, logs) -> None:
    write_logs(tmp_path, seed=SEED, scale=SCALE)
    valid, _ = read_trip_log(tmp_path / "vehicle_trips.csv", VEHICLE_TRIPS)
    assert valid.to_dicts() == logs["vehicle_trips"]


def test_vehicle_trips_name_real_orders_contracts_and_sites(data, logs) -> None:
    orders = {order["number"] for order in data["alm_transfer_order"]}
    contracts = {c["number"]: c for c in data["ast_contract"]}
    models = {model["sys_id"]: model["name"] for model in data["cmdb_model"]}
    sites = {site["sys_id"] for site in data["cmn_location"]}
    trips = logs["vehicle_trips"]
    purposes = Counter(trip["purpose"] for trip in trips)
    assert purposes["transfer"] > 10 and purposes["collection"] > 40
    assert purposes["intervention"] > 10
    for trip in trips:
        assert trip["trip_date"] >= "2022-01-01"
        assert trip["transfer_order_number"] in orders | {""}
        if trip["contract_number"]:
            assert models[contracts[trip["contract_number"]]["contract_model"]] == "Maintenance"
        for site in (trip["from_location_id"], trip["to_location_id"]):
            assert site in sites | {""}
    # Some transfers leave the distance to the sites' coordinates.
    unlogged = [t for t in trips if t["purpose"] == "transfer" and not t["distance_km"]]
    assert unlogged and all(t["from_location_id"] and t["to_location_id"] for t in unlogged)
    assert {t["operator"] for t in trips} == {"own", "carrier"}


def test_agent_trips_are_charged_to_it_cost_centres(data, logs) -> None:
    codes = {centre["code"] for centre in data["cmn_cost_center"]}
    trips = logs["agent_trips"]
    assert {trip["cost_center_code"] for trip in trips} <= codes
    assert all(trip["cost_center_code"].endswith("-NUM") for trip in trips)
    assert {"tram", "train", "car_electric"} <= {trip["mode"] for trip in trips}


def test_digital_cleanup_day_at_every_collection_point(data, logs) -> None:
    events = logs["collection_events"]
    cleanup = [e for e in events if e["campaign"] == "Digital Cleanup Day"]
    # The third Saturday of March.
    assert {e["event_date"] for e in cleanup} >= {"2021-03-20", "2026-03-21"}
    assert len({e["collection_point_id"] for e in cleanup}) == COLLECTION_POINTS == 28
    tags = {asset["asset_tag"]: asset for asset in data["alm_hardware"]}
    tagged = [e for e in events if e["asset_tag"]]
    assert tagged and all(tags[e["asset_tag"]]["install_status"] == "7" for e in tagged)


def test_transfers_run_between_stores_and_sites(data) -> None:
    rooms = {room["sys_id"]: room["name"] for room in data["alm_stockroom"]}
    stores = {"Stock central", "Stock nord", "Stock sud"}
    routes = Counter(
        (rooms[o["from_stockroom"]] in stores, rooms[o["to_stockroom"]] in stores)
        for o in data["alm_transfer_order"]
    )
    # Deliveries from a store to a site, returns to a store, moves between stores; never from
    # one site to another.
    assert min(routes[(True, False)], routes[(False, True)], routes[(True, True)]) > 0
    assert routes[(False, False)] == 0
    assert sum(1 for name in rooms.values() if name.startswith("Stock Hôtel de ville")) == 18


def test_contracts_are_paid_on_their_schedule(data) -> None:
    lines = Counter(line["source_id"] for line in data["fm_expense_line"])
    for contract in data["ast_contract"]:
        if contract["state"] == "cancelled":
            continue
        starts = date.fromisoformat(contract["starts"])
        ends = min(date.fromisoformat(contract["ends"]), date(2026, 10, 31))
        per_year = {"monthly": 12, "quarterly": 4, "annually": 1}[contract["payment_schedule"]]
        months = (ends.year - starts.year) * 12 + ends.month - starts.month
        expected = months * per_year // 12 + 1
        assert abs(lines[contract["sys_id"]] - expected) <= 1, contract["number"]


def test_services_belong_to_a_town_and_requests_name_them(data) -> None:
    companies = {company["sys_id"] for company in data["core_company"]}
    assert all(service["company"] in companies for service in data["cmdb_ci_service"])
    linked = [r for r in data["sc_req_item"] if r["business_service"]]
    assert len(linked) > 0.15 * len(data["sc_req_item"])
