"""The publish asset: the checked build becomes the published warehouse."""

from datetime import UTC

import dagster as dg
import duckdb

from pipelines.memory import release_before
from pipelines.published import publish, published_factor_sets, version_file
from pipelines.resources import WarehouseResource
from pipelines.summary import changes, headline_figures
from pipelines.transformation import dbt_models
from pipelines.warehouse import WarehousePaths, connect_read_only

# The archive the publish step appends to; the next build reads it (a loop across runs, so it is
# declared, not materialised, to keep the graph acyclic).
published_editions = dg.AssetSpec(
    dg.AssetKey(["editions", "published_footprints"]),
    description="The yearly footprint as published under each factor set (<data>/editions/).",
    group_name="publishing",
    kinds={"parquet"},
)

# Every model of the published schema: the marts and the BI views.
PUBLISHED_MODELS = [spec.key for spec in dbt_models.specs if spec.group_name in ("marts", "bi")]


@dg.asset(
    key="published_warehouse",
    deps=PUBLISHED_MODELS,
    group_name="publishing",
    kinds={"duckdb", "parquet"},
)
def published_warehouse(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Publish the build as a new read-only version (DuckDB file of the marts, Parquet marts,
    editions) and point ``warehouse.duckdb``, ``marts/`` and ``editions/`` at it. Runs only
    when the build, its dbt tests and the quality gates passed; the last versions are kept
    for ``empreinte publish --rollback``."""
    paths = warehouse.paths
    if released := release_before("the publish"):
        context.log.info(released)
    publication = publish(paths, run_id=context.run.run_id)
    figures = _figures(paths)
    previous = (
        _figures(WarehousePaths(paths.data_dir, version_file(paths, publication.previous_version)))
        if publication.previous_version
        else {}
    )
    change = changes(figures, previous)
    context.instance.add_run_tags(
        context.run.run_id,
        {"empreinte/published_version": publication.version}
        | {f"empreinte/{name}": str(value) for name, value in (figures | change).items()},
    )
    return dg.MaterializeResult(
        metadata={
            "warehouse": dg.MetadataValue.path(str(paths.warehouse)),
            "version": publication.version,
            "previous_version": publication.previous_version or "",
            "published_at": dg.MetadataValue.timestamp(
                publication.published_at.replace(tzinfo=UTC).timestamp()
            ),
            **figures,
            **change,
            **{f"{mart}_rows": rows for mart, rows in publication.rows.items()},
            # More than one means earlier years were restated: see fct_footprint_restatements.
            "factor_sets_published": published_factor_sets(paths),
        }
    )


def _figures(paths: WarehousePaths) -> dict[str, float]:
    try:
        with connect_read_only(paths) as connection:
            return headline_figures(connection)
    except duckdb.CatalogException:  # a warehouse published before the BI views existed
        return {}
