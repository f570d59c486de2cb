"""Every emission source through the real pipeline (the fake instance over HTTP and its logs):
each is a kind of row in fct_footprint, and the town, service and source marts add up to it."""

from __future__ import annotations

import pytest

from pipelines.warehouse import connect_read_only
from tests.pipeline.conftest import AS_OF, PipelineRun

SOURCES = {"hardware_asset", "transport", "contract", "trip", "collection"}


def totals(connection, relation: str) -> dict[tuple[int, str, str], float]:
    rows = connection.execute(
        f"select reporting_year, criterion, method, sum(value) from {relation} group by all"
    ).fetchall()
    return {(year, criterion, method): total for year, criterion, method, total in rows}


def test_the_marts_add_up_to_the_fact_table(pipeline_run: PipelineRun) -> None:
    assert pipeline_run.success
    with connect_read_only(pipeline_run.paths) as connection:
        fact = totals(connection, "fct_footprint")
        marts = {
            mart: totals(connection, mart)
            for mart in (
                "fct_footprint_yearly",  # per town
                "mart_footprint_by_service",  # services and the unallocated row
                "mart_footprint_by_source",
            )
        }
    assert len(fact) > 100, "several years, criteria and both methods"
    for mart, summed in marts.items():
        assert summed.keys() == fact.keys(), mart
        for key, total in fact.items():
            assert summed[key] == pytest.approx(total, rel=1e-9, abs=1e-9), (mart, key)


def test_every_source_is_a_kind_of_row(pipeline_run: PipelineRun) -> None:
    with connect_read_only(pipeline_run.paths) as connection:
        rows = connection.execute(
            """
            select source_kind, calculation_method, ghg_scope, ghg_category, sum(value)
            from fct_footprint
            where criterion = 'climate_change' and method = 'amortised'
                and reporting_year = ?
            group by all
            """,
            [AS_OF.year - 1],
        ).fetchall()
    found = {(kind, how, scope, category): total for kind, how, scope, category, total in rows}
    assert {kind for kind, *_ in found} == SOURCES
    assert all(total > 0 for total in found.values())
    methods = {(kind, how) for kind, how, *_ in found}
    # Transport from logged kilometres and from the sites' coordinates; contracts by their
    # interventions and by money ratios.
    assert {("transport", "logged_km"), ("transport", "great_circle_km")} <= methods
    assert {("contract", "interventions"), ("contract", "money_ratio")} <= methods
    # Own vehicles burn fuel in scope 1; carriers are scope 3 category 4; business travel 6.
    assert ("transport", "logged_km", 1, None) in found
    assert any(key[0] == "transport" and key[2:] == (3, 4) for key in found)
    assert any(key[0] == "trip" and key[2:] == (3, 6) for key in found)
    assert ("collection", "item_count", 3, 5) in found


def test_transport_is_carried_by_the_assets_moved(pipeline_run: PipelineRun) -> None:
    with connect_read_only(pipeline_run.paths) as connection:
        ((assets, lines),) = connection.execute(
            """
            select count(distinct asset_id), count(distinct item_id)
            from fct_footprint
            where source_kind = 'transport' and item_id like '%:%'
            """
        ).fetchall()
        unknown = connection.execute(
            """
            select count(*) from fct_footprint as footprint
            left join dim_hardware_assets as assets using (asset_id)
            where footprint.asset_id is not null and assets.asset_id is null
            """
        ).fetchall()[0][0]
    assert assets > 10 and lines > assets
    assert unknown == 0, "every row attributed to an asset names a fleet asset"


def test_services_per_user_and_the_unallocated_row(pipeline_run: PipelineRun) -> None:
    with connect_read_only(pipeline_run.paths) as connection:
        rows = connection.execute(
            """
            select is_unallocated, count(*), sum(value), count(value_per_user),
                count(value_per_request)
            from mart_footprint_by_service
            where criterion = 'climate_change' and method = 'amortised'
                and reporting_year = ?
            group by all
            """,
            [AS_OF.year - 1],
        ).fetchall()
    found = {unallocated: rest for unallocated, *rest in rows}
    services, allocated, per_user, per_request = found[False]
    assert services > 20 and allocated > 0 and per_user > 0 and per_request > 0
    unallocated_rows, unallocated, _, _ = found[True]
    assert unallocated_rows == 1 and unallocated > allocated, "end-user devices, trips..."


def test_end_of_life_counts_the_fleet_and_the_collection_points(pipeline_run: PipelineRun) -> None:
    with connect_read_only(pipeline_run.paths) as connection:
        rows = connection.execute(
            """
            select origin, outcome, is_second_life, sum(items),
                sum(end_of_life_acquisition_kgco2e)
            from mart_end_of_life
            where reporting_year = ?
            group by all
            """,
            [AS_OF.year - 1],
        ).fetchall()
        fleet_end_of_life = connection.execute(
            """
            select sum(value) from fct_footprint
            where source_kind = 'hardware_asset' and stage = 'end_of_life'
                and criterion = 'climate_change' and method = 'acquisition'
                and reporting_year = ?
            """,
            [AS_OF.year - 1],
        ).fetchall()[0][0]
    by_outcome = {
        (origin, outcome): (second, items, value) for origin, outcome, second, items, value in rows
    }
    assert by_outcome[("collection_point", "reuse")][:1] == (True,)
    assert by_outcome[("fleet", "disposed")][0] is False
    assert sum(items for _, items, _ in by_outcome.values()) > 100
    fleet = sum(value for (origin, _), (_, _, value) in by_outcome.items() if origin == "fleet")
    assert fleet == pytest.approx(fleet_end_of_life, rel=1e-9)


def test_logs_landed_and_every_extracted_table_is_read(pipeline_run: PipelineRun) -> None:
    """DESIGN: extract only what is needed. Every extracted table is a dbt source some model
    reads, or the input of the factor matching, or the delete audit."""
    import json

    from connectors import lake
    from connectors.logs import LOGS
    from connectors.servicenow.deletes import AUDIT_TABLE
    from connectors.servicenow.tables import TABLES
    from pipelines.emission_factors import MATCHED_TABLES
    from pipelines.transformation import dbt_project

    manifest = json.loads(dbt_project.manifest_path.read_text())
    read = {
        manifest["sources"][source]["name"]
        for node in manifest["nodes"].values()
        for source in node.get("depends_on", {}).get("nodes", [])
        if source.startswith("source.empreinte.servicenow.")
    }
    unread = {spec.name for spec in TABLES} - read - set(MATCHED_TABLES) - {AUDIT_TABLE}
    assert unread == set()
    for log in LOGS:
        assert lake.read_table(pipeline_run.paths.lake, "logs", log).height > 50, log
