"""Every value the fake serves has the type `tables.py` declares for its field, in every table.

The declarations are the one source: each value must pass the landing rule of its field's type
(`connectors/servicenow/rules.py`: a date-time is `YYYY-MM-DD HH:MM:SS`, a real moment), a
reference must hold the sys_id of a record the instance holds, of the target class, a list
sys_ids separated by commas, a choice its value and not its label. Values are read over HTTP,
as the connector reads them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
import requests

from connectors.servicenow.fake import FakeInstance
from connectors.servicenow.fake.display import CHOICES
from connectors.servicenow.fake.generator import LOCAL_ZONE, UNEXTRACTED, local_day
from connectors.servicenow.rules import table_rules
from connectors.servicenow.tables import TABLES, Field, FieldType, extends, tables_holding
from connectors.validation import Rule

SCALE = 0.02


def _shape_is_valid(rule: Rule, value: str) -> bool:
    """The landing rule of the field's type (connectors/servicenow/rules.py) accepts it."""
    if rule.pattern is not None and re.fullmatch(rule.pattern.strip("^$"), value) is None:
        return False
    if rule.date_format is not None:
        try:
            datetime.strptime(value, rule.date_format)
        except ValueError:
            return False
    return rule.values is None or value in rule.values


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeInstance]:
    with FakeInstance(scale=SCALE) as instance:
        yield instance


@pytest.fixture(scope="module")
def served(fake: FakeInstance) -> dict[str, list[dict[str, str]]]:
    """Every table as the Table API serves it: database values, the declared fields only."""
    tables = {}
    with requests.Session() as session:
        session.auth = (fake.user, fake.password)
        for spec in TABLES:
            response = session.get(
                f"{fake.url}/api/now/v2/table/{spec.name}",
                params={
                    "sysparm_fields": ",".join(spec.columns),
                    "sysparm_exclude_reference_link": "true",
                },
                timeout=30,
            )
            assert response.status_code == 200, (spec.name, response.text)
            tables[spec.name] = response.json()["result"]
    return tables


def _holders(field: Field) -> tuple[str, ...]:
    assert field.target is not None
    return tables_holding(field.target) or ((field.target,) if field.target in UNEXTRACTED else ())


def test_every_served_value_has_its_declared_type(
    fake: FakeInstance, served: dict[str, list[dict[str, str]]]
) -> None:
    checked: dict[FieldType, int] = dict.fromkeys(FieldType, 0)
    for spec in TABLES:
        rules = {rule.column: rule for rule in table_rules(spec)}
        for row in served[spec.name]:
            for field in spec.typed_fields:
                value = row[field.name]
                assert isinstance(value, str), (spec.name, field.name, value)
                if value == "":
                    assert field.name not in ("sys_id", "sys_updated_on", "sys_created_on")
                    continue
                assert _shape_is_valid(rules[field.name], value), (
                    spec.name,
                    field.name,
                    field.type,
                    value,
                )
                checked[field.type] += 1
                if field.type in (FieldType.REFERENCE, FieldType.LIST):
                    holders = _holders(field)
                    assert holders, f"{spec.name}.{field.name}: nothing holds {field.target}"
                    for sys_id in value.split(","):
                        found = fake.store.lookup(sys_id)
                        assert found is not None and found[0] in holders, (
                            spec.name,
                            field.name,
                            sys_id,
                        )
                        if field.target not in UNEXTRACTED:
                            # The record is of the target class or one extending it.
                            record_class = found[1].get("sys_class_name") or found[0]
                            assert extends(record_class, field.target) or extends(
                                field.target, record_class
                            ), (spec.name, field.name, record_class)
                labels = CHOICES.get((spec.name, field.name))
                if field.type is FieldType.CHOICE and labels is not None:
                    assert value in labels, (spec.name, field.name, value)
                if field.type is FieldType.TABLE_NAME and field.name == "sys_class_name":
                    assert extends(value, spec.name), (spec.name, value)
    unchecked = [kind for kind, count in checked.items() if count == 0]
    assert not unchecked, f"no served value of type {unchecked}"


def test_install_dates_are_local_days_stored_in_utc(
    served: dict[str, list[dict[str, str]]],
) -> None:
    """A date typed in the form is a local midnight (Europe/Paris), stored in UTC: 23:00 the day
    before in winter, 22:00 in summer; some carry the time of day they were set."""
    midnights = set()
    for asset in served["alm_hardware"]:
        if not asset["install_date"]:
            continue
        moment = datetime.strptime(asset["install_date"], "%Y-%m-%d %H:%M:%S")
        local = local_day(asset["install_date"])
        assert local is not None
        if asset["purchase_date"]:
            assert local >= date.fromisoformat(asset["purchase_date"])
        if asset["retired"]:
            assert local < date.fromisoformat(asset["retired"])
        midnight = datetime(local.year, local.month, local.day, tzinfo=LOCAL_ZONE)
        if moment == midnight.astimezone(UTC).replace(tzinfo=None):
            midnights.add((moment.hour, midnight.dst() is not None and bool(midnight.dst())))
    assert midnights == {(23, False), (22, True)}


def test_relationship_and_contract_model_references_read_by_name(
    fake: FakeInstance, served: dict[str, list[dict[str, str]]]
) -> None:
    types = {row["sys_id"]: row["name"] for row in served["cmdb_rel_type"]}
    assert {types[row["type"]] for row in served["cmdb_rel_ci"]} == {"Depends on::Used by"}
    models = {row["sys_id"]: row for row in served["cmdb_model"]}
    contract_models = {models[row["contract_model"]]["name"] for row in served["ast_contract"]}
    assert contract_models == {"Maintenance", "Service", "Lease", "Telecom"}
    assert {models[row["contract_model"]]["sys_class_name"] for row in served["ast_contract"]} == {
        "cmdb_contract_product_model"
    }


def test_the_stock_computer_category_holds_laptops_and_desktops(
    served: dict[str, list[dict[str, str]]],
) -> None:
    categories = {row["sys_id"]: row["name"] for row in served["cmdb_model_category"]}
    models = {row["sys_id"]: row for row in served["cmdb_model"]}
    computers = {row["asset"]: row for row in served["cmdb_ci_computer"]}
    form_factors: dict[str, int] = {}
    for asset in served["alm_hardware"]:
        if categories[asset["model_category"]] != "Computer":
            continue
        assert categories[models[asset["model"]]["cmdb_model_category"]] == "Computer"
        form_factor = computers[asset["sys_id"]]["form_factor"]
        form_factors[form_factor] = form_factors.get(form_factor, 0) + 1
    assert {"Laptop", "Notebook", "Desktop", "Mini Tower"} <= set(form_factors)
    missing = form_factors.get("", 0) / sum(form_factors.values())
    assert 0.03 < missing < 0.3, "most but not all computers say their form factor"
