"""Dagster resources: thin handles on the plain libraries, configured from the environment."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from connectors.servicenow.settings import ServiceNowSettings
from pipelines.warehouse import WarehousePaths


class WarehouseResource(dg.ConfigurableResource):
    """The data folder (lake, build, published warehouse, Parquet marts) and the as-of date."""

    data_dir: str
    warehouse: str
    # The day the footprint is computed as of (YYYY-MM-DD); empty means today.
    as_of: str = ""

    @classmethod
    def from_env(cls) -> WarehouseResource:
        """``EMPREINTE_DATA_DIR``, ``EMPREINTE_WAREHOUSE`` and ``EMPREINTE_AS_OF``."""
        paths = WarehousePaths.from_env()
        return cls(
            data_dir=str(paths.data_dir),
            warehouse=str(paths.warehouse),
            as_of=os.environ.get("EMPREINTE_AS_OF", ""),
        )

    @property
    def paths(self) -> WarehousePaths:
        return WarehousePaths(data_dir=Path(self.data_dir), warehouse=Path(self.warehouse))


class ServiceNowResource(dg.ConfigurableResource):
    """The instance to read. Its settings (URL, auth, secrets, tuning, exports folder) are read
    from the ``EMPREINTE_SERVICENOW_*`` variables by the connector at run time, so no secret ever
    enters Dagster's configuration, UI or event log."""

    def settings(self) -> ServiceNowSettings:
        return ServiceNowSettings.from_env()
