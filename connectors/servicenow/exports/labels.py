"""What ServiceNow shows instead of database values, and how to map it back.

Exports in display mode carry labels: column labels instead of field names, choice labels
instead of choice values, class labels instead of table names. These are ServiceNow's stock
labels (English); a label not listed is matched by its snake_case form.
"""

from __future__ import annotations

# Column labels that are not the snake_case of their field name.
COLUMN_LABELS: dict[str, str] = {
    "sys id": "sys_id",
    "updated": "sys_updated_on",
    "created": "sys_created_on",
    "class": "sys_class_name",
    "state": "install_status",
    "status": "install_status",
    "substate": "substatus",
    "configuration item": "ci",
    "purchased": "purchase_date",
    "installed": "install_date",
    "retired date": "retired",
    "warranty expiration": "warranty_expiration",
    "model id": "model_id",
    "manufacturer": "manufacturer",
    "cpu count": "cpu_count",
    "cpu core count": "cpu_core_count",
    "ram (mb)": "ram",
    "disk space (gb)": "disk_space",
    "operating system": "os",
    "request item": "request_line",
}

# Choice lists per field: label -> value. Tables of the CMDB share cmdb_ci's install_status.
ASSET_INSTALL_STATUS = {
    "in use": "1",
    "on order": "2",
    "in maintenance": "3",
    "in stock": "6",
    "retired": "7",
    "missing": "8",
    "in transit": "9",
    "consumed": "10",
    "build": "11",
}
CI_INSTALL_STATUS = {
    "installed": "1",
    "on order": "2",
    "in maintenance": "3",
    "pending install": "4",
    "pending repair": "5",
    "in stock": "6",
    "retired": "7",
    "stolen": "8",
    "absent": "100",
}
SUBSTATUS = {
    label.replace("_", " "): label
    for label in (
        "available",
        "reserved",
        "defective",
        "pending_repair",
        "pending_install",
        "pending_disposal",
        "pending_transfer",
        "pre_allocated",
        "disposed",
        "sold",
        "donated",
        "vendor_credit",
        "lost",
        "stolen",
    )
}
SUBSTATUS["pre-allocated"] = "pre_allocated"


def choices(table: str, field: str) -> dict[str, str] | None:
    """The label -> value map of a choice field, when known."""
    if field == "install_status":
        return CI_INSTALL_STATUS if table.startswith("cmdb_ci") else ASSET_INSTALL_STATUS
    if field == "substatus" and table.startswith("alm_"):
        return SUBSTATUS
    return None


# Class labels (sys_class_name display values) -> table names.
CLASS_LABELS: dict[str, str] = {
    "hardware": "alm_hardware",
    "asset": "alm_asset",
    "consumable": "alm_consumable",
    "license": "alm_license",
    "computer": "cmdb_ci_computer",
    "server": "cmdb_ci_server",
    "linux server": "cmdb_ci_linux_server",
    "windows server": "cmdb_ci_win_server",
    "printer": "cmdb_ci_printer",
    "personal computer": "cmdb_ci_pc_hardware",
    "pc hardware": "cmdb_ci_pc_hardware",
    "network gear": "cmdb_ci_netgear",
    "communication device": "cmdb_ci_comm",
    "product model": "cmdb_model",
    "hardware model": "cmdb_hardware_product_model",
    "user": "sys_user",
    "business service": "cmdb_ci_service",
    "contract": "ast_contract",
}
