"""Factor assets: the run's factor set, validated, matched to the fleet, written to the lake."""

import os
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import polars as pl

from factors.tables import FactorCoverageError, write_factor_tables
from factors.validation import FactorValidationError
from pipelines.ingestion import table_key
from pipelines.memory import own_process
from pipelines.resources import WarehouseResource

FACTOR_TABLES: tuple[str, ...] = (
    "emission_factors",
    "parameters",
    "model_matches",
    "configuration_matches",
)

# The landed tables the matching reads (models, their categories and makers, server configs).
MATCHED_TABLES: tuple[str, ...] = (
    "alm_hardware",
    "cmdb_model",
    "cmdb_model_category",
    "core_company",
    "cmdb_ci_server",
)


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            dg.AssetKey(["factors", name]),
            group_name="factors",
            kinds={"python", "parquet"},
            deps=[table_key(table) for table in MATCHED_TABLES],
        )
        for name in FACTOR_TABLES
    ],
)
def factor_tables(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> Iterator[dg.MaterializeResult]:
    """Load and validate the factor set (and the organisation's overrides), match every model
    and server configuration to its factor, and write the four tables dbt reads. Override rows
    that cannot be used are left out and kept with their reason (factor_rejects.parquet)."""
    overrides = os.environ.get("EMPREINTE_FACTOR_OVERRIDES")
    try:
        # In a process of its own: the Boavizta engine and its pandas stay out of the night's.
        with own_process() as worker:
            written = worker.submit(
                write_factor_tables,
                warehouse.paths.lake,
                factor_set=os.environ.get("EMPREINTE_FACTOR_SET") or None,
                overrides_dir=Path(overrides) if overrides else None,
            ).result()
    except (FactorValidationError, FactorCoverageError) as error:
        # The message names file, row and field; the last good warehouse stays published.
        raise dg.Failure(description=str(error), allow_retries=False) from None
    rejects = pl.read_parquet(written["factor_rejects"])
    if rejects.height:
        context.log.warning(f"{rejects.height} override rows left out: see factor_rejects")
    for name in FACTOR_TABLES:
        metadata = {"path": dg.MetadataValue.path(str(written[name]))}
        if name == "emission_factors":
            metadata["override_rows_left_out"] = dg.MetadataValue.int(rejects.height)
            metadata["rejects"] = dg.MetadataValue.path(str(written["factor_rejects"]))
        yield dg.MaterializeResult(asset_key=dg.AssetKey(["factors", name]), metadata=metadata)
