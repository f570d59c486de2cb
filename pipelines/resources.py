"""Dagster resources: thin handles on the plain libraries, configured from the environment."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

from connectors.servicenow.settings import ServiceNowSettings
from pipelines.lock import writer_lock
from pipelines.warehouse import WarehousePaths


class WarehouseResource(dg.ConfigurableResource):
    """The data folder (lake, build, published warehouse, Parquet marts) and the as-of date.

    Empty fields are read from the environment when the run starts: ``EMPREINTE_DATA_DIR``
    (default ``data``), ``EMPREINTE_WAREHOUSE`` (default ``<data>/warehouse.duckdb``) and
    ``EMPREINTE_AS_OF`` (YYYY-MM-DD, default today).

    A run that uses it holds the data folder's writer lock from its first step to its last
    (the jobs run in one process), so no other run or command writes the folder meanwhile.
    """

    data_dir: str = ""
    warehouse: str = ""
    as_of: str = ""

    @property
    def paths(self) -> WarehousePaths:
        default = WarehousePaths.from_env()
        data_dir = Path(self.data_dir).resolve() if self.data_dir else default.data_dir
        if self.warehouse:
            warehouse = Path(self.warehouse).absolute()  # a link: never resolved
        elif self.data_dir:
            warehouse = data_dir / "warehouse.duckdb"
        else:
            warehouse = default.warehouse
        return WarehousePaths(data_dir=data_dir, warehouse=warehouse)

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator["WarehouseResource"]:
        run = context.dagster_run
        command = f"Dagster run {run.run_id} of {run.job_name}" if run else "Dagster"
        with writer_lock(self.paths.data_dir, command):
            yield self

    @property
    def as_of_date(self) -> str:
        """The as-of date dbt computes with, empty for today."""
        return self.as_of or os.environ.get("EMPREINTE_AS_OF", "")


class ServiceNowResource(dg.ConfigurableResource):
    """The instance to read. Its settings (URL, auth, secrets, tuning, exports folder) are read
    from the ``EMPREINTE_SERVICENOW_*`` variables by the connector at run time, so no secret ever
    enters Dagster's configuration, UI or event log."""

    # Also list every table's keys and mark those gone from the source as deleted (for instances
    # that do not audit deletes); the weekly schedule turns it on.
    reconcile_keys: bool = False

    def settings(self) -> ServiceNowSettings:
        return ServiceNowSettings.from_env()

    def exports_dir(self) -> Path | None:
        """The exports folder (``EMPREINTE_EXPORTS_DIR``): when set, files replace the API."""
        folder = os.environ.get("EMPREINTE_EXPORTS_DIR", "").strip()
        return Path(folder) if folder else None
