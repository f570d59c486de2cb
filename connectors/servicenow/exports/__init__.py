"""Readers for files ServiceNow exports (CSV, XLSX, JSON, JSONv2, XML unload)."""

from connectors.servicenow.exports.landing import (
    ExportsReport,
    export_table,
    land_exports,
    read_export,
)
from connectors.servicenow.exports.readers import ExportError

__all__ = ["ExportError", "ExportsReport", "export_table", "land_exports", "read_export"]
