"""The ServiceNow tables Empreinte reads: one declarative entry per table.

Adding a table is one entry here. The client, the exports readers, the fake instance, the lake
and the Dagster ingestion assets all read this list; nothing else names ServiceNow fields.
Personal data never appears in a field list (``sys_user`` keeps only keys and flags).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Every table is read by keyset on (cursor, key) and carries these two system fields.
SYSTEM_FIELDS: tuple[str, ...] = ("sys_id", "sys_updated_on", "sys_created_on")


@dataclass(frozen=True)
class TableSpec:
    """What Empreinte extracts from one ServiceNow table."""

    name: str
    fields: tuple[str, ...]
    description: str
    key: str = "sys_id"
    cursor: str = "sys_updated_on"
    # Reference fields (hold a sys_id of another table); display-value exports need them.
    references: dict[str, str] = field(default_factory=dict)

    @property
    def columns(self) -> tuple[str, ...]:
        """System fields first, then the table's own fields, without repeats."""
        return tuple(dict.fromkeys(SYSTEM_FIELDS + self.fields))


TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "alm_hardware",
        (
            "asset_tag",
            "model",
            "model_category",
            "install_status",
            "substatus",
            "location",
            "company",
            "cost_center",
            "department",
            "cost",
            "purchase_date",
            "install_date",
            "warranty_expiration",
            "retired",
            "disposal_reason",
            "ci",
            "stockroom",
            "vendor",
            "quantity",
            "request_line",
            "sys_class_name",
        ),
        "Hardware assets: the fleet, with status, dates, town, site and cost centre.",
        references={
            "model": "cmdb_model",
            "model_category": "cmdb_model_category",
            "location": "cmn_location",
            "company": "core_company",
            "cost_center": "cmn_cost_center",
            "department": "cmn_department",
            "ci": "cmdb_ci_computer",
            "stockroom": "alm_stockroom",
            "vendor": "core_company",
            "request_line": "sc_req_item",
        },
    ),
    TableSpec(
        "cmdb_ci_computer",
        (
            "name",
            "asset",
            "model_id",
            "location",
            "company",
            "install_status",
            "cpu_count",
            "cpu_core_count",
            "ram",
            "disk_space",
            "form_factor",
            "os",
            "sys_class_name",
        ),
        "Computers in the CMDB: configuration of laptops and desktops.",
        references={
            "asset": "alm_hardware",
            "model_id": "cmdb_model",
            "location": "cmn_location",
            "company": "core_company",
        },
    ),
    TableSpec(
        "cmdb_ci_server",
        (
            "name",
            "asset",
            "model_id",
            "location",
            "company",
            "install_status",
            "cpu_count",
            "cpu_core_count",
            "cpu_type",
            "ram",
            "disk_space",
            "form_factor",
            "os",
            "sys_class_name",
        ),
        "Servers in the CMDB: CPU, cores, RAM, disk and form factor for configuration impacts.",
        references={
            "asset": "alm_hardware",
            "model_id": "cmdb_model",
            "location": "cmn_location",
            "company": "core_company",
        },
    ),
    TableSpec(
        "cmdb_model",
        (
            "name",
            "display_name",
            "manufacturer",
            "model_number",
            "cmdb_model_category",
            "power_consumption",
            "weight",
            "rack_units",
            "cost",
            "sys_class_name",
        ),
        "Product models: manufacturer, name, category, power.",
        references={"manufacturer": "core_company", "cmdb_model_category": "cmdb_model_category"},
    ),
    TableSpec(
        "cmdb_model_category",
        ("name", "asset_class", "cmdb_ci_class"),
        "Model categories (laptop, screen, server...).",
    ),
    TableSpec(
        "core_company",
        (
            "name",
            "city",
            "country",
            "latitude",
            "longitude",
            "customer",
            "vendor",
            "manufacturer",
            "parent",
        ),
        "Companies: the towns of the metropolis, and vendors and manufacturers.",
        references={"parent": "core_company"},
    ),
    TableSpec(
        "cmn_location",
        ("name", "city", "country", "latitude", "longitude", "parent", "company"),
        "Sites: town halls, schools, libraries, data centre, stockrooms.",
        references={"parent": "cmn_location", "company": "core_company"},
    ),
    TableSpec(
        "cmn_cost_center",
        ("name", "code", "parent", "valid_from", "valid_to", "location"),
        "Cost centres, the unit budgets are coloured by.",
        references={"parent": "cmn_cost_center", "location": "cmn_location"},
    ),
    TableSpec(
        "cmn_department",
        ("name", "id", "parent", "company", "cost_center"),
        "Departments of the towns' administrations.",
        references={
            "parent": "cmn_department",
            "company": "core_company",
            "cost_center": "cmn_cost_center",
        },
    ),
    TableSpec(
        "sys_user",
        ("department", "location", "company", "cost_center", "active"),
        "Agents, keys and flags only: no name, e-mail or phone is ever read.",
        references={
            "department": "cmn_department",
            "location": "cmn_location",
            "company": "core_company",
            "cost_center": "cmn_cost_center",
        },
    ),
    TableSpec(
        "ast_contract",
        (
            "number",
            "vendor",
            "contract_model",
            "starts",
            "ends",
            "state",
            "payment_amount",
            "payment_schedule",
            "yearly_cost",
            "total_cost",
            "cost_center",
        ),
        "Contracts: maintenance and service contracts with their spend.",
        references={"vendor": "core_company", "cost_center": "cmn_cost_center"},
    ),
    TableSpec(
        "clm_m2m_contract_asset",
        ("contract", "asset", "added"),
        "Which assets each contract covers.",
        references={"contract": "ast_contract", "asset": "alm_hardware"},
    ),
    TableSpec(
        "alm_stockroom",
        ("name", "location", "type"),
        "Stockrooms and their sites.",
        references={"location": "cmn_location"},
    ),
    TableSpec(
        "alm_transfer_order",
        ("number", "from_stockroom", "to_stockroom", "stage", "ship_date", "delivery_date"),
        "Transfer orders: equipment moved between sites.",
        references={"from_stockroom": "alm_stockroom", "to_stockroom": "alm_stockroom"},
    ),
    TableSpec(
        "alm_transfer_order_line",
        (
            "number",
            "transfer_order",
            "model",
            "asset",
            "quantity_requested",
            "quantity_received",
            "stage",
        ),
        "Lines of transfer orders: what each move carried.",
        references={
            "transfer_order": "alm_transfer_order",
            "model": "cmdb_model",
            "asset": "alm_hardware",
        },
    ),
    TableSpec(
        "sc_cat_item",
        ("name", "category", "price", "model", "active"),
        "Service catalogue items agents order.",
        references={"model": "cmdb_model"},
    ),
    TableSpec(
        "sc_req_item",
        ("number", "cat_item", "quantity", "opened_at", "location", "stage", "cost_center"),
        "Requested catalogue items (the requester is not read).",
        references={
            "cat_item": "sc_cat_item",
            "location": "cmn_location",
            "cost_center": "cmn_cost_center",
        },
    ),
    TableSpec(
        "cmdb_ci_service",
        ("name", "parent", "operational_status", "busines_criticality", "used_for"),
        # "busines_criticality" is ServiceNow's own spelling of the field.
        "Business services (the 1,600 digital services).",
        references={"parent": "cmdb_ci_service"},
    ),
    TableSpec(
        "cmdb_rel_ci",
        ("parent", "child", "type"),
        "CI relationships: which services depend on which servers.",
    ),
    TableSpec(
        "fm_expense_line",
        ("number", "amount", "date", "cost_center", "summary_type", "type", "source_id"),
        "Expense lines: IT spend by cost centre.",
        references={"cost_center": "cmn_cost_center"},
    ),
    TableSpec(
        "sys_audit_delete",
        ("tablename", "documentkey"),
        "Audit of deleted records: the source of delete markers.",
    ),
)

TABLES_BY_NAME: dict[str, TableSpec] = {spec.name: spec for spec in TABLES}


def table_spec(name: str) -> TableSpec:
    """The spec of one table, or a clear error naming the table and the known ones."""
    try:
        return TABLES_BY_NAME[name]
    except KeyError:
        known = ", ".join(sorted(TABLES_BY_NAME))
        raise KeyError(f"unknown ServiceNow table {name!r}; known tables: {known}") from None
