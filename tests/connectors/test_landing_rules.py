"""Every batch is validated against the declared field types before it lands; versions never
tie."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import jinja2
import polars as pl
import pytest

from connectors import lake, quarantine
from connectors.landing import land_batch
from connectors.servicenow.rules import table_rules
from connectors.servicenow.tables import table_spec
from connectors.validation import validate

HARDWARE = table_spec("alm_hardware")
MODEL = table_spec("cmdb_model")
NOW = "2024-05-01 10:00:00"


def asset(key: str, **values: str) -> dict[str, str]:
    """A valid hardware asset row, with ``values`` changed."""
    return {
        "sys_id": key * 32 if len(key) == 1 else key,
        "sys_updated_on": NOW,
        "sys_created_on": "2021-01-04 08:00:00",
        "model": "b" * 32,
        "install_status": "1",
        "cost": "1599.99",
        "purchase_date": "2020-12-16",
        "install_date": "2021-03-03 23:00:00",
        "quantity": "1",
        "sys_class_name": "alm_hardware",
        **values,
    }


def frame(rows: list[dict[str, str]], spec=HARDWARE) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={name: pl.String for name in spec.columns})


def reasons(rows: list[dict[str, str]], spec=HARDWARE) -> dict[tuple[int, str], str]:
    checked = validate(frame(rows, spec), table_rules(spec))
    refused = checked.rejects.filter(pl.col("outcome") == "rejected")
    return {(row["row_number"], row["field"]): row["reason"] for row in refused.to_dicts()}


@pytest.mark.parametrize(
    "field, value, reason",
    [
        ("purchase_date", "2023-02-30", "not a real date"),
        ("purchase_date", "2023-13-01", "not a date YYYY-MM-DD"),
        ("purchase_date", "16/12/2020", "not a date YYYY-MM-DD"),
        ("purchase_date", "1949-12-31", "years 1950-2149"),
        ("install_date", "2021-03-03", "not a date-time"),
        ("install_date", "2021-03-03 24:00:00", "not a date-time"),
        ("install_date", "2021-02-29 10:00:00", "not a real date"),
        ("cost", "NaN", "not an amount >= 0"),
        ("cost", "inf", "not an amount >= 0"),
        ("cost", "-5.00", "not an amount >= 0"),
        ("cost", "1,599.99", "not an amount >= 0"),
        ("quantity", "1.5", "not a whole number"),
        ("quantity", "١", "not a whole number"),  # an Arabic-Indic digit is not [0-9]
        ("install_status", "99", "not a known value of install_status"),
        ("install_status", "In use", "not a known value of install_status"),
        ("substatus", "lent", "not a known value of substatus"),
        ("model", "Dell Latitude 5420", "not a sys_id"),
        ("model", "B" * 32, "not a sys_id"),
        ("sys_class_name", "Hardware", "not a table name"),
        ("sys_id", "a" * 31 + "^NQsys_id>0", "not a sys_id"),
        ("sys_updated_on", "", "required value missing"),
        ("asset_tag", "x" * 4001, "longer than 4000 characters"),
    ],
)
def test_a_value_breaking_its_declared_type_rejects_the_row(field, value, reason) -> None:
    found = reasons([asset("a"), asset("c", **{field: value})])
    assert (2, field) in found, found
    assert reason in found[(2, field)]
    assert all(row == 2 for row, _ in found), "the valid row is not rejected"


def test_every_declared_type_accepts_what_servicenow_sends() -> None:
    model = {
        "sys_id": "d" * 32,
        "sys_updated_on": NOW,
        "sys_created_on": NOW,
        "cmdb_model_category": ",".join(["e" * 32, "f" * 32]),
        "power_consumption": "-0",
        "cost": "0",
        "sys_class_name": "cmdb_hardware_product_model",
        "name": "ThinkPad T14 Gen 3",
    }
    company = table_spec("core_company")
    town = {"sys_id": "c" * 32, "sys_updated_on": NOW, "latitude": "-47.2184", "vendor": "true"}
    assert reasons([model], MODEL) == {}
    assert reasons([town], company) == {}
    assert reasons([asset("a", install_status="11", substatus="pending_disposal")]) == {}
    assert reasons([dict(model, cmdb_model_category="e" * 32 + ";" + "f" * 32)], MODEL)
    assert reasons([dict(town, vendor="yes")], company)


def test_versions_never_tie_the_last_row_of_a_batch_is_kept() -> None:
    monitor = asset("a", model="1" * 32, asset_tag="MONITOR")
    laptop = asset("a", model="2" * 32, asset_tag="LAPTOP")
    later = asset("a", model="3" * 32, sys_updated_on="2024-05-02 10:00:00")
    checked = validate(frame([monitor, laptop, later]), table_rules(HARDWARE))
    assert checked.good["asset_tag"].to_list() == ["LAPTOP", None]
    (reject,) = checked.rejects.to_dicts()
    assert reject["row_number"] == 1 and reject["field"] == "sys_id"
    assert "row 2, the last of the batch, which is kept" in reject["reason"]


def test_latest_rows_break_ties_on_the_row_number(tmp_path) -> None:
    """Two versions with the same cursor in one batch (landed before ties were refused) are
    decided by their place in the batch, not by chance."""
    rows = frame([asset("a", asset_tag="FIRST"), asset("a", asset_tag="SECOND")])
    moment = datetime(2024, 5, 1, tzinfo=UTC)
    batch = lake.as_batch(rows, HARDWARE.columns, "b1", moment)
    assert batch["_row_number"].to_list() == [1, 2]
    for order in (batch, batch.reverse()):
        assert lake.latest_rows(order)["asset_tag"].to_list() == ["SECOND"]


def test_land_batch_keeps_rejects_beside_the_lake_and_lands_the_rest(tmp_path) -> None:
    rows = frame([asset("a"), asset("c", cost="NaN", asset_tag='=HYPERLINK("http://x")')])
    landed = land_batch(
        rows,
        table_rules(HARDWARE),
        tmp_path,
        "servicenow",
        "alm_hardware",
        HARDWARE.columns,
        source_file="alm_hardware.csv",
    )
    assert (landed.rows_read, landed.rows_landed, landed.rows_rejected) == (2, 1, 1)
    assert landed.cells_flagged == 1
    current = lake.latest_rows(lake.read_table(tmp_path, "servicenow", "alm_hardware"))
    assert current["sys_id"].to_list() == ["a" * 32]
    kept = quarantine.read_rejects(tmp_path, "servicenow", "alm_hardware")
    assert set(kept.columns) >= {
        "source_file",
        "batch_id",
        "row_number",
        "field",
        "reason",
        "raw_value",
        "sys_id",
    }
    lines = {(row["field"], row["outcome"]): row for row in kept.to_dicts()}
    assert lines[("cost", "rejected")]["raw_value"] == "NaN"
    assert lines[("cost", "rejected")]["sys_id"] == "c" * 32
    assert lines[("asset_tag", "flagged")]["raw_value"] == '=HYPERLINK("http://x")'
    assert {row["batch_id"] for row in kept.to_dicts()} == {landed.batch_id}
    assert not list((tmp_path / "servicenow").rglob("*.tmp"))


def test_the_dbt_macro_picks_the_same_version_as_the_lake(tmp_path) -> None:
    """`latest_versions` (dbt) and `lake.latest_rows` (Python) decide ties alike: cursor, then
    extraction, then batch, then the last row of the batch."""
    macro = (
        Path(__file__).parents[2] / "dbt_project" / "macros" / "latest_versions.sql"
    ).read_text()
    render = jinja2.Environment().from_string(macro + "{{ latest_versions('landed') }}").render
    moment = datetime(2024, 5, 1, tzinfo=UTC)
    rows = frame([asset("a", asset_tag="FIRST"), asset("a", asset_tag="SECOND"), asset("c")])
    batch = lake.as_batch(rows, HARDWARE.columns, "b1", moment)
    marker = lake.as_batch(
        frame([asset("c", sys_updated_on="2024-05-02 00:00:00")]),
        HARDWARE.columns,
        "b2",
        moment,
        is_deleted=True,
    )
    for order in (batch, batch.reverse()):  # whatever order the files are read in
        stacked = pl.concat([order, marker])
        with duckdb.connect() as connection:
            connection.register("landed", stacked.to_arrow())
            picked = connection.sql(render()).pl()
        assert picked["asset_tag"].to_list() == ["SECOND"]
        assert lake.latest_rows(stacked)["asset_tag"].to_list() == ["SECOND"]
