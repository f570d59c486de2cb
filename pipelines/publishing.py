"""The publish asset: swap the checked build over the published warehouse."""

import dagster as dg

from pipelines.resources import WarehouseResource
from pipelines.warehouse import MARTS, publish, published_factor_sets

# The archive the publish step appends to; the next build reads it (a loop across runs, so it is
# declared, not materialised, to keep the graph acyclic).
published_editions = dg.AssetSpec(
    dg.AssetKey(["editions", "published_footprints"]),
    description="The yearly footprint as published under each factor set (<data>/editions/).",
    group_name="publishing",
    kinds={"parquet"},
)


@dg.asset(
    key="published_warehouse",
    deps=[dg.AssetKey(mart) for mart in MARTS],
    group_name="publishing",
    kinds={"duckdb", "parquet"},
)
def published_warehouse(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Checkpoint and close the build, write the marts as Parquet, and atomically replace
    ``warehouse.duckdb``. Runs only when the build and its blocking checks succeeded."""
    counts = publish(warehouse.paths)
    return dg.MaterializeResult(
        metadata={
            "warehouse": dg.MetadataValue.path(str(warehouse.paths.warehouse)),
            **{f"{mart}_rows": rows for mart, rows in counts.items()},
            # More than one means earlier years were restated: see fct_footprint_restatements.
            "factor_sets_published": published_factor_sets(warehouse.paths),
        }
    )
