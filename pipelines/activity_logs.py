"""Log assets: the organisation's own CSV logs (vehicle trips, agent trips, collection events)
landed in the lake by the connector, one asset per log (dbt's source ``logs.<log>``)."""

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import polars as pl

from connectors import lake
from connectors.logs import LOGS, TripLogsReport, land_trip_logs
from connectors.logs.trips import SOURCE
from pipelines.resources import WarehouseResource


def log_key(name: str) -> dg.AssetKey:
    """The asset key of a landed log (dbt's source ``logs.<name>``)."""
    return dg.AssetKey([SOURCE, name])


def logs_dir(warehouse: WarehouseResource) -> Path:
    """``EMPREINTE_LOGS_DIR``, else ``<data>/logs`` (where ``empreinte demo`` writes them)."""
    folder = os.environ.get("EMPREINTE_LOGS_DIR", "").strip()
    return Path(folder) if folder else warehouse.paths.data_dir / "logs"


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            log_key(name),
            description=f"The {name.replace('_', ' ')} log (CSV), validated and landed.",
            group_name=SOURCE,
            kinds={"csv", "parquet"},
            metadata={"columns": ", ".join(log.columns)},
        )
        for name, log in LOGS.items()
    ],
)
def activity_logs(warehouse: WarehouseResource) -> Iterator[dg.MaterializeResult]:
    """Land the log files not landed yet; rejected rows are kept in the rejects with their
    reason. A file that cannot be read is quarantined and fails the run once the others are
    landed, naming it, so the last good warehouse stays published."""
    folder = logs_dir(warehouse)
    lake_dir = warehouse.paths.lake
    report = land_trip_logs(folder, lake_dir) if folder.is_dir() else TripLogsReport()
    _ensure_a_batch(lake_dir)
    for name in LOGS:
        files = [file for file in report.landed if file.startswith(name)]
        refused = [
            {"file": file, "reasons": [reason]}
            for file, reason in report.refused.items()
            if file.startswith(name)
        ]
        yield dg.MaterializeResult(
            asset_key=log_key(name),
            metadata={
                "folder": dg.MetadataValue.path(str(folder)),
                "files": files,
                "rows_landed": sum(report.landed[file] for file in files),
                "rows_rejected": sum(report.rejected_rows[file] for file in files),
                "batches_quarantined": len(refused),
                "quarantined": refused,
            },
        )
    if report.refused:
        reasons = "; ".join(f"{name}: {reason}" for name, reason in report.refused.items())
        raise dg.Failure(f"log files quarantined: {reasons}")


def _ensure_a_batch(lake_dir: Path) -> None:
    """A log never landed gets one empty batch, so dbt's ``read_parquet`` glob finds a file."""
    for name, log in LOGS.items():
        if lake.batches(lake_dir, SOURCE, name):
            continue
        now = datetime.now(UTC)
        empty = pl.DataFrame(schema={column: pl.String for column in (*log.columns, "_file")})
        lake.write_batch(
            lake.as_batch(empty, log.columns, lake.new_batch_id(now), now), lake_dir, SOURCE, name
        )
