"""Display values, as ``sysparm_display_value=true|all`` renders them for a French user.

References show the target's display field, choices their label, currency a symbol and
thousands separators, date-times the user's time zone (Europe/Paris) and format.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from connectors.servicenow.fake.generator import UNEXTRACTED
from connectors.servicenow.fake.store import Store, references

USER_ZONE = ZoneInfo("Europe/Paris")
CURRENCY_SYMBOL = "€"

_ASSET_STATUS = {
    "1": "In use",
    "2": "On order",
    "3": "In maintenance",
    "6": "In stock",
    "7": "Retired",
    "8": "Missing",
    "9": "In transit",
    "10": "Consumed",
}
_CI_STATUS = {
    "1": "Installed",
    "2": "On order",
    "3": "In maintenance",
    "4": "Pending install",
    "5": "Pending repair",
    "6": "In stock",
    "7": "Retired",
    "8": "Stolen",
    "100": "Absent",
}
_SUBSTATUS = {
    "available": "Available",
    "reserved": "Reserved",
    "defective": "Defective",
    "pending_repair": "Pending repair",
    "pending_install": "Pending install",
    "pending_disposal": "Pending disposal",
    "pending_transfer": "Pending transfer",
    "pre_allocated": "Pre-allocated",
    "disposed": "Disposed",
    "sold": "Sold",
    "donated": "Donated",
    "vendor_credit": "Vendor credit",
    "lost": "Lost",
    "stolen": "Stolen",
}
_TRANSFER_STAGE = {
    "draft": "Draft",
    "shipped": "Shipped",
    "delivered": "Delivered",
    "cancelled": "Cancelled",
}

# Choice labels per (table, field).
CHOICES: dict[tuple[str, str], dict[str, str]] = {
    ("alm_hardware", "install_status"): _ASSET_STATUS,
    ("alm_hardware", "substatus"): _SUBSTATUS,
    ("cmdb_ci_computer", "install_status"): _CI_STATUS,
    ("cmdb_ci_server", "install_status"): _CI_STATUS,
    ("cmdb_ci_service", "operational_status"): {
        "1": "Operational",
        "2": "Non-Operational",
        "3": "Repair in Progress",
        "4": "DR Standby",
        "5": "Ready",
        "6": "Retired",
    },
    ("ast_contract", "state"): {
        "draft": "Draft",
        "active": "Active",
        "expired": "Expired",
        "cancelled": "Cancelled",
    },
    ("ast_contract", "payment_schedule"): {
        "monthly": "Monthly",
        "quarterly": "Quarterly",
        "annually": "Annually",
    },
    ("alm_transfer_order", "stage"): _TRANSFER_STAGE,
    ("alm_transfer_order_line", "stage"): _TRANSFER_STAGE,
    ("sc_req_item", "stage"): {
        "request_approved": "Request Approved",
        "fulfillment": "Fulfillment",
        "delivery": "Delivery",
        "complete": "Completed",
        "closed_incomplete": "Closed Incomplete",
    },
    ("fm_expense_line", "summary_type"): {
        "capex": "Capital expenditure",
        "opex": "Operating expenditure",
    },
    ("fm_expense_line", "type"): {"one-time": "One-time", "recurring": "Recurring"},
}

CURRENCY_FIELDS: frozenset[tuple[str, str]] = frozenset(
    {
        ("alm_hardware", "cost"),
        ("cmdb_model", "cost"),
        ("ast_contract", "payment_amount"),
        ("ast_contract", "yearly_cost"),
        ("ast_contract", "total_cost"),
        ("sc_cat_item", "price"),
        ("fm_expense_line", "amount"),
    }
)

# The field a table's records are shown by when something refers to them.
DISPLAY_FIELD: dict[str, str] = {
    "sys_user": "name",
    "alm_hardware": "display_name",
    "cmdb_model": "display_name",
    "ast_contract": "number",
    "sc_req_item": "number",
    "alm_transfer_order": "number",
    "alm_transfer_order_line": "number",
    "fm_expense_line": "number",
    "sys_audit_delete": "documentkey",
    "cmdb_rel_ci": "type",
    "clm_m2m_contract_asset": "contract",
    **UNEXTRACTED,
}


def display_of(store: Store, sys_id: str) -> str:
    """How a referenced record is shown (its display field), "" when it does not exist."""
    found = store.lookup(sys_id) if sys_id else None
    if found is None:
        return ""
    table, record = found
    return record.get(DISPLAY_FIELD.get(table, "name"), "")


def display_value(store: Store, table: str, name: str, value: str) -> str | None:
    """The display value of one field; None for an empty choice, as the real API sends null."""
    choices = CHOICES.get((table, name))
    if choices is not None:
        return choices.get(value, value) if value else None
    if not value:
        return ""
    if name in references(table):
        return display_of(store, value)
    if (table, name) in CURRENCY_FIELDS:
        return f"{CURRENCY_SYMBOL}{float(value):,.2f}"
    if len(value) == 19 and value[4] == "-" and value[13] == ":":
        moment = datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=ZoneInfo("UTC"))
        return moment.astimezone(USER_ZONE).strftime("%d/%m/%Y %H:%M:%S")
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        return f"{value[8:10]}/{value[5:7]}/{value[0:4]}"
    return value
