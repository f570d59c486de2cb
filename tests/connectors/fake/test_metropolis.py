"""The synthetic metropolis: deterministic, consistent across tables, realistic."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from connectors.servicenow.fake import catalog
from connectors.servicenow.fake.generator import DEPENDS_ON, EXTRA_FIELDS, UNEXTRACTED, local_day
from connectors.servicenow.fake.metropolis import generate
from connectors.servicenow.fake.store import references
from connectors.servicenow.tables import TABLES, TABLES_BY_NAME, tables_holding

SCALE = 0.05
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(scope="module")
def data() -> dict[str, list[dict[str, str]]]:
    return generate(seed=42, scale=SCALE)


def test_same_seed_gives_byte_identical_data(data: dict[str, list[dict[str, str]]]) -> None:
    again = generate(seed=42, scale=SCALE)
    assert json.dumps(again, sort_keys=True) == json.dumps(data, sort_keys=True)


def test_another_seed_gives_other_data(data: dict[str, list[dict[str, str]]]) -> None:
    other = generate(seed=7, scale=SCALE)
    assert {r["sys_id"] for r in other["alm_hardware"]}.isdisjoint(
        r["sys_id"] for r in data["alm_hardware"]
    )


def test_data_does_not_depend_on_today(
    monkeypatch: pytest.MonkeyPatch, data: dict[str, list[dict[str, str]]]
) -> None:
    import time

    monkeypatch.setattr(time, "time", lambda: 4_000_000_000.0)
    assert json.dumps(generate(seed=42, scale=SCALE)) == json.dumps(data)


def test_every_table_and_every_column_is_a_string(data: dict[str, list[dict[str, str]]]) -> None:
    assert set(data) == {spec.name for spec in TABLES} | set(UNEXTRACTED)
    for spec in TABLES:
        for record in data[spec.name]:
            for column in spec.columns + EXTRA_FIELDS.get(spec.name, ()):
                assert isinstance(record[column], str), (spec.name, column)


def test_sys_ids_are_unique_lowercase_hex(data: dict[str, list[dict[str, str]]]) -> None:
    ids = [r["sys_id"] for rows in data.values() for r in rows]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)


def test_every_reference_resolves(data: dict[str, list[dict[str, str]]]) -> None:
    ids = {name: {r["sys_id"] for r in rows} for name, rows in data.items()}
    for spec in TABLES:
        for name, target in references(spec.name).items():
            # A reference to a parent table (alm_hardware.ci -> cmdb_ci) may point at any
            # extracted table that extends it.
            holders = tables_holding(spec.references.get(name, target)) or (target,)
            allowed = set().union(*(ids[holder] for holder in holders))
            if name == "source_id":
                allowed = ids["alm_hardware"] | ids["ast_contract"]
            for record in data[spec.name]:
                assert record[name] == "" or record[name] in allowed, (spec.name, name)


def test_timestamps_are_ordered_and_before_as_of(data: dict[str, list[dict[str, str]]]) -> None:
    for rows in data.values():
        for r in rows:
            assert TIMESTAMP.match(r["sys_created_on"]) and TIMESTAMP.match(r["sys_updated_on"])
            assert r["sys_created_on"] <= r["sys_updated_on"] < "2026-11-01 00:00:00"


def test_many_records_share_an_update_second(data: dict[str, list[dict[str, str]]]) -> None:
    counts = Counter(r["sys_updated_on"] for r in data["alm_hardware"])
    assert counts.most_common(1)[0][1] >= 20


def test_scale_sizes_the_big_tables() -> None:
    small, bigger = generate(scale=0.02), generate(scale=0.04)
    assert len(small["alm_hardware"]) == 500 and len(bigger["alm_hardware"]) == 1000
    assert len(small["sys_user"]) == 400
    assert len(small["cmdb_model_category"]) == len(bigger["cmdb_model_category"]) == 16


def test_towns_are_the_metropolis_with_real_coordinates(
    data: dict[str, list[dict[str, str]]],
) -> None:
    companies = {r["name"]: r for r in data["core_company"]}
    metro = companies["Nantes Métropole"]
    towns = [r for r in data["core_company"] if r["parent"] == metro["sys_id"]]
    assert len(towns) == 18
    assert companies["Rezé"]["latitude"] == "47.1833"
    assert companies["Nantes"]["longitude"] == "-1.5536"
    assert all(t["customer"] == "true" and t["country"] == "France" for t in towns)
    assert companies["Dell Inc."]["manufacturer"] == "true"


def test_sites_sit_near_their_town(data: dict[str, list[dict[str, str]]]) -> None:
    towns = {t.name: t for t in catalog.TOWNS}
    names = [r["name"] for r in data["cmn_location"]]
    assert names.count("Datacenter métropolitain") == 1
    assert "Hôtel de ville de Couëron" in names
    for site in data["cmn_location"]:
        town = towns[site["city"]]
        assert abs(float(site["latitude"]) - town.latitude) < 0.02
        assert abs(float(site["longitude"]) - town.longitude) < 0.02


def test_categories_are_exactly_the_factor_library_names(
    data: dict[str, list[dict[str, str]]],
) -> None:
    assert [r["name"] for r in data["cmdb_model_category"]] == list(catalog.CATEGORIES)
    hardware = [
        r for r in data["cmdb_model"] if r["sys_class_name"] == "cmdb_hardware_product_model"
    ]
    assert 60 <= len(hardware) <= 80
    assert all(re.fullmatch(r"\d+", r["weight"]) for r in hardware), "whole pounds"


def test_asset_statuses_are_coherent(data: dict[str, list[dict[str, str]]]) -> None:
    for asset in data["alm_hardware"]:
        status = asset["install_status"]
        assert status in {"1", "3", "6", "7", "8", "9"}
        assert re.fullmatch(r"P\d{6}", asset["asset_tag"])
        if status == "7":
            assert asset["substatus"] in {
                "disposed",
                "sold",
                "donated",
                "vendor_credit",
                "lost",
                "stolen",
            }
            if asset["install_date"]:
                assert asset["retired"] > str(local_day(asset["install_date"]))
            assert asset["disposal_reason"]
        else:
            assert asset["retired"] == ""
        if status == "6":
            assert asset["stockroom"] and asset["substatus"]
        for name in ("purchase_date", "retired", "warranty_expiration"):
            assert asset[name] == "" or DAY.match(asset[name])
        assert asset["install_date"] == "" or TIMESTAMP.match(asset["install_date"])
        if asset["purchase_date"] and asset["install_date"]:
            assert str(local_day(asset["install_date"])) >= asset["purchase_date"]


def test_status_mix_and_date_gaps_are_realistic() -> None:
    assets = generate(scale=0.4)["alm_hardware"]
    statuses = Counter(a["install_status"] for a in assets)
    assert 0.4 < statuses["1"] / len(assets) < 0.8
    assert statuses["7"] > statuses["6"] > 0 and statuses["3"] and statuses["9"]
    no_purchase = [a for a in assets if not a["purchase_date"]]
    assert 0.02 < len(no_purchase) / len(assets) < 0.05
    assert any(not a["install_date"] for a in no_purchase)
    old = [a for a in assets if "2015" <= a["purchase_date"] < "2017"]
    new = [a for a in assets if a["purchase_date"] >= "2025"]
    retired_share = lambda rows: sum(a["install_status"] == "7" for a in rows) / len(rows)  # noqa: E731
    assert retired_share(old) > 0.8 > 0.1 > retired_share(new)


def test_fleet_mix_and_configuration_items(data: dict[str, list[dict[str, str]]]) -> None:
    categories = {r["sys_id"]: r["name"] for r in data["cmdb_model_category"]}
    models = {r["sys_id"]: r for r in data["cmdb_model"]}
    mix = Counter(categories[a["model_category"]] for a in data["alm_hardware"])
    # The stock "Computer" category holds laptops (30%) and desktops (20%) alike.
    assert 0.42 < mix["Computer"] / len(data["alm_hardware"]) < 0.55
    computers = {r["sys_id"]: r for r in data["cmdb_ci_computer"]}
    servers = {r["sys_id"]: r for r in data["cmdb_ci_server"]}
    for asset in data["alm_hardware"]:
        assert models[asset["model"]]["cmdb_model_category"] == asset["model_category"]
        category = categories[asset["model_category"]]
        if category in ("Computer", "Thin client"):
            assert computers[asset["ci"]]["asset"] == asset["sys_id"]
        elif category in catalog.SERVER_CATEGORIES:
            server = servers[asset["ci"]]
            assert server["asset"] == asset["sys_id"] and server["form_factor"] in {
                "rack",
                "blade",
                "tower",
            }
        else:
            assert asset["ci"] == ""
    configurations = {(s["cpu_type"], s["ram"]) for s in generate()["cmdb_ci_server"]}
    assert 8 <= len(configurations) <= 12


def test_users_carry_personal_fields_the_warehouse_never_reads(
    data: dict[str, list[dict[str, str]]],
) -> None:
    user = data["sys_user"][0]
    assert "@" in user["email"] and user["first_name"] and user["phone"].startswith("+33")
    assert "email" not in TABLES_BY_NAME["sys_user"].fields


def test_services_depend_on_servers(data: dict[str, list[dict[str, str]]]) -> None:
    services = {r["sys_id"] for r in data["cmdb_ci_service"]}
    servers = {r["sys_id"] for r in data["cmdb_ci_server"]}
    per_service = Counter(r["parent"] for r in data["cmdb_rel_ci"])
    for relation in data["cmdb_rel_ci"]:
        assert relation["parent"] in services and relation["child"] in servers
        assert relation["type"] == DEPENDS_ON
    assert set(per_service) == services and max(per_service.values()) <= 3


def test_scale_one_is_the_metropolis() -> None:
    tables = generate(seed=1)
    assert len(tables["alm_hardware"]) == 25_000 and len(tables["sys_user"]) == 20_000


def test_retired_assets_were_updated_after_retirement(
    data: dict[str, list[dict[str, str]]],
) -> None:
    for asset in data["alm_hardware"]:
        if asset["retired"]:
            assert asset["sys_updated_on"][:10] >= asset["retired"]
