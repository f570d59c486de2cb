"""The ServiceNow tables Empreinte reads: one declarative entry per table, one typed entry per
field.

Adding a table is one entry here. The client, the exports readers, the fake instance, the lake,
the landing checks and the Dagster ingestion assets all read this list; nothing else names
ServiceNow fields or their types. Personal data never appears in a field list (``sys_user``
keeps only keys and flags).

Field types are ServiceNow's own (the dictionary's internal types), as the Table API sends them
with ``sysparm_display_value=false``: every value is a string, ``""`` when empty.

| type | dictionary type | database value |
|---|---|---|
| ``string`` | string, translated_text | free text |
| ``integer`` | integer, longint | ``"12"`` |
| ``decimal`` | decimal, float | ``"12.5"`` |
| ``boolean`` | boolean | ``"true"`` / ``"false"`` |
| ``currency`` | currency, price | ``"1599.99"`` (the amount in the instance's currency) |
| ``date`` | glide_date | ``"2020-12-16"`` |
| ``date_time`` | glide_date_time | ``"2021-03-03 23:00:00"``, UTC |
| ``reference`` | reference | the sys_id (32 hex) of a record of the target table |
| ``list`` | glide_list | sys_ids separated by commas |
| ``choice`` | string or integer with a choice list | the choice's value (``"1"``, ``"disposed"``) |
| ``sys_id`` | GUID | 32 lowercase hex characters |
| ``table_name`` | sys_class_name, table_name | a table name (``"alm_hardware"``) |

Where each type comes from is given per table (``types_source``): the real records in
``../shared/fixtures/servicenow/`` where they show the field, else ServiceNow's documentation
of the table (the product documentation's data model pages and the dictionary of a stock
instance).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FieldType(StrEnum):
    """How ServiceNow stores a field, and so what its database value looks like."""

    STRING = "string"
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    CURRENCY = "currency"
    DATE = "date"
    DATE_TIME = "date_time"
    REFERENCE = "reference"
    LIST = "list"
    CHOICE = "choice"
    SYS_ID = "sys_id"
    TABLE_NAME = "table_name"


STRING = FieldType.STRING
INTEGER = FieldType.INTEGER
DECIMAL = FieldType.DECIMAL
BOOLEAN = FieldType.BOOLEAN
CURRENCY = FieldType.CURRENCY
DATE = FieldType.DATE
DATE_TIME = FieldType.DATE_TIME
REFERENCE = FieldType.REFERENCE
LIST = FieldType.LIST
CHOICE = FieldType.CHOICE
SYS_ID = FieldType.SYS_ID
TABLE_NAME = FieldType.TABLE_NAME


@dataclass(frozen=True)
class Field:
    """One field of a table: its name, its ServiceNow type and, for references and lists, the
    table its sys_ids point to."""

    name: str
    type: FieldType = STRING
    target: str | None = None

    def __post_init__(self) -> None:
        if (self.type in (REFERENCE, LIST)) != (self.target is not None):
            raise ValueError(f"field {self.name}: a target table goes with reference/list only")


# Every table is read by keyset on (cursor, key) and carries these system fields.
SYSTEM_FIELDS: tuple[Field, ...] = (
    Field("sys_id", SYS_ID),
    Field("sys_updated_on", DATE_TIME),
    Field("sys_created_on", DATE_TIME),
)


def ref(name: str, target: str) -> Field:
    """A reference field to ``target``."""
    return Field(name, REFERENCE, target)


@dataclass(frozen=True)
class TableSpec:
    """What Empreinte extracts from one ServiceNow table."""

    name: str
    declared: tuple[Field | str, ...]
    description: str
    key: str = "sys_id"
    cursor: str = "sys_updated_on"
    # Where the field types come from (see the module's docstring).
    types_source: str = ""

    @property
    def typed_fields(self) -> tuple[Field, ...]:
        """System fields first, then the table's own, without repeats; a bare name is a
        string field."""
        merged: dict[str, Field] = {}
        for item in (*SYSTEM_FIELDS, *self.declared):
            field = Field(item) if isinstance(item, str) else item
            merged.setdefault(field.name, field)
        return tuple(merged.values())

    @property
    def fields(self) -> tuple[str, ...]:
        """The table's own field names, as declared."""
        return tuple(item if isinstance(item, str) else item.name for item in self.declared)

    @property
    def columns(self) -> tuple[str, ...]:
        """System fields first, then the table's own fields, without repeats."""
        return tuple(field.name for field in self.typed_fields)

    @property
    def types(self) -> dict[str, FieldType]:
        """Field name -> ServiceNow type, for every column."""
        return {field.name: field.type for field in self.typed_fields}

    @property
    def references(self) -> dict[str, str]:
        """Reference and list fields -> the table their sys_ids point to."""
        return {
            field.name: field.target
            for field in self.typed_fields
            if field.target is not None and field.type is REFERENCE
        }

    def fields_of(self, *kinds: FieldType) -> tuple[str, ...]:
        """The columns of the given types."""
        return tuple(field.name for field in self.typed_fields if field.type in kinds)


DOCS = "ServiceNow product documentation (table's data model) and a stock instance's dictionary"
FIXTURE = "../shared/fixtures/servicenow/workarena_alm_hardware_display_200.json"


TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "alm_hardware",
        (
            "asset_tag",
            ref("model", "cmdb_model"),
            ref("model_category", "cmdb_model_category"),
            Field("install_status", CHOICE),
            Field("substatus", CHOICE),
            ref("location", "cmn_location"),
            ref("company", "core_company"),
            ref("cost_center", "cmn_cost_center"),
            ref("department", "cmn_department"),
            Field("cost", CURRENCY),
            Field("purchase_date", DATE),
            # A date-time, unlike the other asset dates: the real export holds
            # "2021-03-03 23:00:00" (a local midnight stored in UTC).
            Field("install_date", DATE_TIME),
            Field("warranty_expiration", DATE),
            Field("retired", DATE),
            "disposal_reason",
            # cmdb_ci: the CI may be a computer, a server or any other class.
            ref("ci", "cmdb_ci"),
            ref("stockroom", "alm_stockroom"),
            ref("vendor", "core_company"),
            Field("quantity", INTEGER),
            ref("request_line", "sc_req_item"),
            Field("sys_class_name", TABLE_NAME),
        ),
        "Hardware assets: the fleet, with status, dates, town, site and cost centre.",
        types_source=f"{FIXTURE} (purchase_date, install_date, warranty_expiration, cost, "
        f"quantity, sys_*); {DOCS} (alm_asset: retired, references, choices)",
    ),
    TableSpec(
        "cmdb_ci_computer",
        (
            "name",
            ref("asset", "alm_asset"),
            ref("model_id", "cmdb_model"),
            ref("location", "cmn_location"),
            ref("company", "core_company"),
            Field("install_status", CHOICE),
            Field("cpu_count", INTEGER),
            Field("cpu_core_count", INTEGER),
            Field("ram", INTEGER),
            Field("disk_space", DECIMAL),
            # Free text in many instances ("Laptop", "Desktop", "Tower", "Mini tower"...).
            "form_factor",
            Field("os", CHOICE),
            Field("sys_class_name", TABLE_NAME),
        ),
        "Computers in the CMDB: configuration of laptops and desktops.",
        types_source=DOCS + " (cmdb_ci_computer extends cmdb_ci_hardware)",
    ),
    TableSpec(
        "cmdb_ci_server",
        (
            "name",
            ref("asset", "alm_asset"),
            ref("model_id", "cmdb_model"),
            ref("location", "cmn_location"),
            ref("company", "core_company"),
            Field("install_status", CHOICE),
            Field("cpu_count", INTEGER),
            Field("cpu_core_count", INTEGER),
            "cpu_type",
            Field("ram", INTEGER),
            Field("disk_space", DECIMAL),
            "form_factor",
            Field("os", CHOICE),
            Field("sys_class_name", TABLE_NAME),
        ),
        "Servers in the CMDB: CPU, cores, RAM, disk and form factor for configuration impacts.",
        types_source=DOCS + " (cmdb_ci_server extends cmdb_ci_computer)",
    ),
    TableSpec(
        "cmdb_model",
        (
            "name",
            "display_name",
            ref("manufacturer", "core_company"),
            "model_number",
            # A list: a model may belong to several categories.
            Field("cmdb_model_category", LIST, "cmdb_model_category"),
            Field("power_consumption", INTEGER),
            # Whole pounds ("Weight (lbs)" on the hardware model form).
            Field("weight", INTEGER),
            Field("rack_units", INTEGER),
            Field("cost", CURRENCY),
            Field("sys_class_name", TABLE_NAME),
        ),
        "Product models: manufacturer, name, category, power.",
        types_source=DOCS + " (cmdb_model, cmdb_hardware_product_model)",
    ),
    TableSpec(
        "cmdb_model_category",
        ("name", Field("asset_class", TABLE_NAME), Field("cmdb_ci_class", TABLE_NAME)),
        "Model categories (laptop, screen, server...).",
        types_source=DOCS,
    ),
    TableSpec(
        "core_company",
        (
            "name",
            "city",
            "country",
            Field("latitude", DECIMAL),
            Field("longitude", DECIMAL),
            Field("customer", BOOLEAN),
            Field("vendor", BOOLEAN),
            Field("manufacturer", BOOLEAN),
            ref("parent", "core_company"),
        ),
        "Companies: the towns of the metropolis, and vendors and manufacturers.",
        types_source=DOCS,
    ),
    TableSpec(
        "cmn_location",
        (
            "name",
            "city",
            "country",
            Field("latitude", DECIMAL),
            Field("longitude", DECIMAL),
            ref("parent", "cmn_location"),
            ref("company", "core_company"),
        ),
        "Sites: town halls, schools, libraries, data centre, stockrooms.",
        types_source=DOCS,
    ),
    TableSpec(
        "cmn_cost_center",
        (
            "name",
            "code",
            ref("parent", "cmn_cost_center"),
            Field("valid_from", DATE),
            Field("valid_to", DATE),
            ref("location", "cmn_location"),
        ),
        "Cost centres, the unit budgets are coloured by.",
        types_source=DOCS,
    ),
    TableSpec(
        "cmn_department",
        (
            "name",
            "id",
            ref("parent", "cmn_department"),
            ref("company", "core_company"),
            ref("cost_center", "cmn_cost_center"),
        ),
        "Departments of the towns' administrations.",
        types_source=DOCS,
    ),
    TableSpec(
        "sys_user",
        (
            ref("department", "cmn_department"),
            ref("location", "cmn_location"),
            ref("company", "core_company"),
            ref("cost_center", "cmn_cost_center"),
            Field("active", BOOLEAN),
        ),
        "Agents, keys and flags only: no name, e-mail or phone is ever read.",
        types_source="../shared/fixtures/servicenow/workarena_sys_user_display_100.json; " + DOCS,
    ),
    TableSpec(
        "ast_contract",
        (
            "number",
            ref("vendor", "core_company"),
            # Contract models (Maintenance, Lease, Service...) extend cmdb_model: their records
            # come back in the cmdb_model extraction (see EXTENDS).
            ref("contract_model", "cmdb_contract_product_model"),
            Field("starts", DATE),
            Field("ends", DATE),
            Field("state", CHOICE),
            Field("payment_amount", CURRENCY),
            Field("payment_schedule", CHOICE),
            Field("yearly_cost", CURRENCY),
            Field("total_cost", CURRENCY),
            ref("cost_center", "cmn_cost_center"),
        ),
        "Contracts: maintenance and service contracts with their spend.",
        types_source=DOCS + " (Contract Management)",
    ),
    TableSpec(
        "clm_m2m_contract_asset",
        (ref("contract", "ast_contract"), ref("asset", "alm_asset"), Field("added", DATE)),
        "Which assets each contract covers.",
        types_source=DOCS + " (Contract Management, assets covered)",
    ),
    TableSpec(
        "alm_stockroom",
        ("name", ref("location", "cmn_location"), ref("type", "alm_stockroom_type")),
        "Stockrooms and their sites.",
        types_source=DOCS,
    ),
    TableSpec(
        "alm_transfer_order",
        (
            "number",
            ref("from_stockroom", "alm_stockroom"),
            ref("to_stockroom", "alm_stockroom"),
            Field("stage", CHOICE),
            Field("ship_date", DATE_TIME),
            Field("delivery_date", DATE_TIME),
        ),
        "Transfer orders: equipment moved between sites.",
        types_source=DOCS + " (Procurement, transfer orders)",
    ),
    TableSpec(
        "alm_transfer_order_line",
        (
            "number",
            ref("transfer_order", "alm_transfer_order"),
            ref("model", "cmdb_model"),
            ref("asset", "alm_asset"),
            Field("quantity_requested", INTEGER),
            Field("quantity_received", INTEGER),
            Field("stage", CHOICE),
        ),
        "Lines of transfer orders: what each move carried.",
        types_source=DOCS + " (Procurement, transfer order lines)",
    ),
    TableSpec(
        "sc_req_item",
        (
            "number",
            # The catalogue item ordered: sc_cat_item is not extracted (nothing reads it yet).
            ref("cat_item", "sc_cat_item"),
            Field("quantity", INTEGER),
            Field("opened_at", DATE_TIME),
            ref("location", "cmn_location"),
            Field("stage", CHOICE),
            ref("cost_center", "cmn_cost_center"),
            # task.business_service: the service a request is for (its requests are counted).
            ref("business_service", "cmdb_ci_service"),
        ),
        "Requested catalogue items (the requester is not read).",
        types_source=DOCS + " (Service Catalog, requested items)",
    ),
    TableSpec(
        "cmdb_ci_service",
        (
            "name",
            ref("parent", "cmdb_ci_service"),
            Field("operational_status", CHOICE),
            # "busines_criticality" is ServiceNow's own spelling of the field.
            Field("busines_criticality", CHOICE),
            Field("used_for", CHOICE),
            # cmdb_ci.company: the town whose agents use the service (the metropolis: all).
            ref("company", "core_company"),
        ),
        "Business services (the 1,600 digital services).",
        types_source=DOCS + " (cmdb_ci_service)",
    ),
    TableSpec(
        "cmdb_rel_ci",
        (ref("parent", "cmdb_ci"), ref("child", "cmdb_ci"), ref("type", "cmdb_rel_type")),
        "CI relationships: which services depend on which servers.",
        types_source=DOCS + " (CMDB relationships)",
    ),
    TableSpec(
        "cmdb_rel_type",
        ("name", "parent_descriptor", "child_descriptor"),
        "CI relationship types, so a relationship's type can be read by name "
        '("Depends on::Used by").',
        types_source=DOCS + " (CMDB relationship types)",
    ),
    TableSpec(
        "fm_expense_line",
        (
            "number",
            Field("amount", CURRENCY),
            Field("date", DATE),
            ref("cost_center", "cmn_cost_center"),
            Field("summary_type", CHOICE),
            Field("type", CHOICE),
            # A document id: the sys_id of the record that caused the expense (a contract...).
            Field("source_id", SYS_ID),
        ),
        "Expense lines: IT spend by cost centre.",
        types_source=DOCS + " (Financial Management, expense lines)",
    ),
    TableSpec(
        "sys_audit_delete",
        (Field("tablename", TABLE_NAME), Field("documentkey", SYS_ID)),
        "Audit of deleted records: the source of delete markers.",
        types_source=DOCS,
    ),
)

TABLES_BY_NAME: dict[str, TableSpec] = {spec.name: spec for spec in TABLES}

# ServiceNow's table hierarchy where it matters here. A reference to a parent table may hold the
# sys_id of a record of any table that extends it (alm_hardware.ci -> a computer or a server);
# reading a parent table returns the records of the tables extending it too (cmdb_model returns
# the contract models of ast_contract.contract_model).
EXTENDS: dict[str, str] = {
    "alm_hardware": "alm_asset",
    "cmdb_ci_hardware": "cmdb_ci",
    "cmdb_ci_computer": "cmdb_ci_hardware",
    "cmdb_ci_server": "cmdb_ci_computer",
    "cmdb_ci_service": "cmdb_ci",
    "cmdb_hardware_product_model": "cmdb_model",
    "cmdb_contract_product_model": "cmdb_model",
}


def extends(table: str, ancestor: str) -> bool:
    """Whether ``table`` is ``ancestor`` or one of its descendants."""
    while table != ancestor and table in EXTENDS:
        table = EXTENDS[table]
    return table == ancestor


def tables_holding(target: str) -> tuple[str, ...]:
    """The extracted tables whose records a reference to ``target`` may point at: the target
    and the tables extending it, else an extracted table it extends (reading that table returns
    the target's records)."""
    descendants = tuple(spec.name for spec in TABLES if extends(spec.name, target))
    if descendants:
        return descendants
    return tuple(spec.name for spec in TABLES if extends(target, spec.name))[:1]


def table_spec(name: str) -> TableSpec:
    """The spec of one table, or a clear error naming the table and the known ones."""
    try:
        return TABLES_BY_NAME[name]
    except KeyError:
        known = ", ".join(sorted(TABLES_BY_NAME))
        raise KeyError(f"unknown ServiceNow table {name!r}; known tables: {known}") from None
