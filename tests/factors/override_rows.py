"""One valid organisation override row (a supplier PCF figure) and CSV text for such rows."""

from __future__ import annotations

import csv
import io

from factors.schema import FACTOR_FILE_COLUMNS

GOOD = {
    "factor_id": "org/dell-latitude-5440",
    "data_set": "organisation",
    "scope": "model",
    "key": "dell|latitude 5440",
    "stage": "manufacturing",
    "criterion": "climate_change",
    "value": "250",
    "value_min": "",
    "value_max": "",
    "unit": "kgCO2e/unit",
    "source": "Dell product carbon footprint, Latitude 5440",
    "source_url": "",
    "source_year": "2023",
    "valid_from": "2000-01-01",
    "valid_to": "",
    "region": "",
    "is_last_resort": "false",
    "quality": "primary",
    "flag": "",
    "notes": "Supplier sheet",
}


def csv_text(rows: list[dict], columns: tuple[str, ...] = FACTOR_FILE_COLUMNS) -> str:
    """The rows as a CSV file's text, header first."""
    handle = io.StringIO()
    writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return handle.getvalue()
