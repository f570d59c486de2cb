"""`empreinte status` reads the last runs from the Dagster instance: what each table loaded,
the checks that failed, the step that failed and why, what was published and its change."""

from pathlib import Path

import dagster as dg
import pytest

from pipelines.status import last_runs, render


@dg.asset(key=["servicenow", "alm_hardware"])
def alm_hardware() -> dg.MaterializeResult:
    return dg.MaterializeResult(
        metadata={
            "rows_landed": 120,
            "rows_new": 100,
            "rows_changed": 20,
            "rows_deleted": 4,
            "rows_rejected": 3,
            "batches_quarantined": 1,
            "quarantined": [{"file": "alm_hardware_2.csv", "reasons": ["cut in a row"]}],
        }
    )


@dg.asset(key=["servicenow", "cmn_location"])
def cmn_location() -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"files": {}})  # no landing figures: tolerated


@dg.asset_check(asset=alm_hardware)
def alm_hardware_expectations() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=False)


@dg.asset_check(asset=cmn_location)
def cmn_location_expectations() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=True)


@dg.asset(key="published_warehouse", deps=[alm_hardware, cmn_location])
def published_warehouse(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    if context.run.tags.get("fail"):
        raise RuntimeError("the build file is missing\nsecond line\nthird line\nfourth line")
    return dg.MaterializeResult(
        metadata={
            "version": "20261129T020000000000Z",
            "assets": 25000,
            "assets_change_percent": -0.4,
            "tco2e_amortised_2025": 812.3,
            "tco2e_amortised_2025_change_percent": 1.2,
        }
    )


@pytest.fixture
def instance(tmp_path: Path):
    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        assets = [alm_hardware, cmn_location, published_warehouse]
        checks = [alm_hardware_expectations, cmn_location_expectations]
        dg.materialize(assets, instance=instance, tags={"empreinte/command": "empreinte run"})
        dg.materialize(
            [*assets, *checks], instance=instance, tags={"fail": "yes"}, raise_on_error=False
        )
        yield instance


def test_status_shows_what_each_run_did(instance: dg.DagsterInstance) -> None:
    failed, published = last_runs(instance)
    assert (failed.status, published.status) == ("FAILURE", "SUCCESS")
    text = render([failed, published])
    first, second = text.split("\n\n")

    assert " FAILURE " in first and "(Dagster UI)" in first
    assert "  checks:    1 passed, failed: servicenow/alm_hardware:alm_hardware_expectations" in (
        first
    )
    assert "  failed at: published_warehouse: " in first
    assert "RuntimeError: the build file is missing second line third line" in first
    assert "fourth line" not in first
    assert "  loaded:    servicenow/alm_hardware" not in first
    assert (
        "  loaded:    alm_hardware landed 120, new 100, changed 20, deleted 4, rejected 3,"
        " batches quarantined 1; cmn_location"
    ) in first
    assert "published:" not in first

    assert " SUCCESS " in second and "nightly" not in second and "(empreinte run)" in second
    assert "  checks:    0 passed" in second
    assert (
        "  published: 20261129T020000000000Z; amortised 2025 812.3 tCO2e (+1.2%);"
        " 25000 assets (-0.4%)"
    ) in second


def test_status_with_no_runs_says_so(tmp_path: Path) -> None:
    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        assert render(last_runs(instance)) == "No runs recorded yet."
