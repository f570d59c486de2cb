"""The quality gates of ``pipelines.mart_gates`` as blocking asset checks on the marts: a
build they refuse is not published, and the last good warehouse stays."""

from collections.abc import Iterator

import dagster as dg

from pipelines.mart_gates import BAND_VARIABLE, FLEET, FOOTPRINT, evaluate
from pipelines.memory import own_process
from pipelines.resources import WarehouseResource


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(
            "no_unexplained_negative_values",
            asset=FOOTPRINT,
            blocking=True,
            description="No negative impact unless its factor is flagged negative in the source.",
        ),
        dg.AssetCheckSpec(
            "every_row_has_a_factor",
            asset=FOOTPRINT,
            blocking=True,
            description="Every footprint row carries the id of the factor behind it.",
        ),
        dg.AssetCheckSpec(
            "volumes_within_band_of_last_publish",
            asset=FOOTPRINT,
            additional_deps=[FLEET],
            blocking=True,
            description=(
                f"Row counts and climate totals within {BAND_VARIABLE} (default ±50%) of the"
                " published warehouse, so a night that loses most of the fleet cannot publish."
            ),
        ),
    ],
)
def mart_gates(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> Iterator[dg.AssetCheckResult]:
    """The blocking quality gates of the build, before it is published."""
    paths = warehouse.paths
    report_dir = paths.quality / context.run.run_id / "marts"
    # In a process of its own: what Great Expectations holds is not kept through the publish.
    with own_process() as worker:
        gates = worker.submit(evaluate, paths, report_dir).result()
    for gate in gates:
        yield dg.AssetCheckResult(
            check_name=gate.name,
            asset_key=dg.AssetKey(FOOTPRINT),
            passed=gate.passed,
            severity=dg.AssetCheckSeverity.ERROR if gate.blocking else dg.AssetCheckSeverity.WARN,
            metadata={
                "observed": dg.MetadataValue.json(gate.observed),
                "report": dg.MetadataValue.path(str(gate.report)),
            },
        )
