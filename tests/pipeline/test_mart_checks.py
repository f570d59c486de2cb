"""The quality gates on the built marts: negative values, factor ids, and the volume guard
against the published warehouse; a build they refuse is not published."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from connectors.servicenow.fake import FakeInstance
from pipelines.mart_gates import evaluate
from pipelines.published import publish
from pipelines.warehouse import MARTS, WarehousePaths, connect_build, prepare_build
from tests.pipeline.conftest import point_at
from tests.pipeline.publish_helpers import checksum

FLAG = "factor_flag"


def build(
    paths: WarehousePaths,
    *,
    assets: int = 100,
    kgco2e: float = 10.0,
    extra_rows: tuple[str, ...] = (),
    flag_column: bool = True,
) -> None:
    """A build of ``assets`` assets, each one climate row of ``kgco2e`` per method, plus
    ``extra_rows`` (SQL value lists for (stage, criterion, value, factor_id, factor_flag))."""
    prepare_build(paths, from_published=False)
    with connect_build(paths) as connection:
        connection.execute("create schema marts")
        connection.execute(
            f"create table marts.dim_hardware_assets as select range::varchar as asset_id"
            f" from range({assets})"
        )
        connection.execute(
            f"""
            create table marts.fct_footprint as
            select 'manufacturing' as stage, 'climate_change' as criterion, method,
                {kgco2e} as value, {kgco2e} * 0.8 as value_min, {kgco2e} * 1.2 as value_max,
                'category/laptop' as factor_id, null::varchar as {FLAG}
            from range({assets}), (values ('amortised'), ('acquisition')) as methods(method)
            """
        )
        for row in extra_rows:
            connection.execute(
                "insert into marts.fct_footprint (stage, criterion, method, value, value_min,"
                f" value_max, factor_id, {FLAG}) select stage, criterion, 'amortised', value,"
                f" value, value, factor_id, flag from (values {row})"
                " as extra(stage, criterion, value, factor_id, flag)"
            )
        if not flag_column:
            connection.execute(f"alter table marts.fct_footprint drop column {FLAG}")
        for mart in set(MARTS) - {"fct_footprint", "dim_hardware_assets"}:
            connection.execute(f"create table marts.{mart} as select 'set' as factor_set")


def verdicts(paths: WarehousePaths, tmp_path: Path, band: float = 0.5) -> dict[str, bool]:
    return {gate.name: gate.passed for gate in evaluate(paths, tmp_path / "quality", band)}


@pytest.fixture
def paths(tmp_path: Path) -> WarehousePaths:
    return WarehousePaths(data_dir=tmp_path / "data", warehouse=tmp_path / "data" / "w.duckdb")


def test_a_clean_first_build_passes_every_gate(paths: WarehousePaths, tmp_path: Path) -> None:
    build(paths)
    gates = evaluate(paths, tmp_path / "quality", 0.5)
    assert {gate.name: gate.passed for gate in gates} == {
        "no_unexplained_negative_values": True,
        "every_row_has_a_factor": True,
        "volumes_within_band_of_last_publish": True,  # nothing published to compare with
    }
    for gate in gates:  # GX's own rendering of each result, beside the run
        assert gate.report is not None and gate.report.parent == tmp_path / "quality"
        assert "<html" in gate.report.read_text().lower()


def test_a_negative_value_passes_only_when_its_factor_is_flagged(
    paths: WarehousePaths, tmp_path: Path
) -> None:
    build(paths, extra_rows=("('manufacturing', 'water_use', -4.5, 'f/water', null)",))
    assert not verdicts(paths, tmp_path)["no_unexplained_negative_values"]
    build(
        paths, extra_rows=("('manufacturing', 'water_use', -4.5, 'f/water', 'negative_in_source')",)
    )
    assert verdicts(paths, tmp_path)["no_unexplained_negative_values"]
    build(
        paths, extra_rows=("('manufacturing', 'water_use', -4.5, 'f/water', 'upstream_outlier')",)
    )
    assert not verdicts(paths, tmp_path)["no_unexplained_negative_values"]


def test_without_the_flag_column_negatives_fail_as_a_warning(
    paths: WarehousePaths, tmp_path: Path
) -> None:
    build(
        paths,
        extra_rows=("('manufacturing', 'water_use', -4.5, 'f/water', 'negative_in_source')",),
        flag_column=False,
    )
    negatives = evaluate(paths, tmp_path / "quality", 0.5)[0]
    assert (negatives.passed, negatives.blocking) == (False, False)
    assert negatives.observed == [
        {
            "stage": "manufacturing",
            "criterion": "water_use",
            "unexplained_negatives": 1,
            "flagged_negatives": 0,
            "lowest_value": -4.5,
        }
    ]


def test_a_row_without_a_factor_fails(paths: WarehousePaths, tmp_path: Path) -> None:
    build(paths, extra_rows=("('use', 'climate_change', 3.0, null, null)",))
    assert not verdicts(paths, tmp_path)["every_row_has_a_factor"]


@pytest.mark.parametrize(
    ("assets", "kgco2e", "passes"),
    [
        (100, 10.0, True),  # the same night again
        (110, 10.0, True),  # +10 % assets, +10 % rows and totals
        (60, 10.0, True),  # -40 %: within ±50 %
        (5, 10.0, False),  # the fleet lost 95 %
        (100, 0.4, False),  # the same fleet weighing 96 % less
        (100, 16.0, False),  # +60 % tCO2e
    ],
)
def test_the_volume_guard_compares_with_the_published_night(
    paths: WarehousePaths, tmp_path: Path, assets: int, kgco2e: float, passes: bool
) -> None:
    build(paths, assets=100, kgco2e=10.0)
    publish(paths)
    build(paths, assets=assets, kgco2e=kgco2e)
    gates = {gate.name: gate for gate in evaluate(paths, tmp_path / "quality", 0.5)}
    volumes = gates["volumes_within_band_of_last_publish"]
    assert volumes.passed is passes
    fleet = next(row for row in volumes.observed if row["measure"] == "dim_hardware_assets rows")
    assert (fleet["previous"], fleet["current"]) == (100, assets)


def test_a_night_that_loses_the_fleet_is_not_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The last good night knew 20 times the fleet the instance now returns (500 assets, about
    95% lost): the real run builds, the gate blocks it, the warehouse stays the same file."""
    from pipelines.cli import main

    with FakeInstance(seed=5, scale=0.02) as fake:
        paths = point_at(monkeypatch, fake, tmp_path / "data")
        monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
        monkeypatch.setattr("pipelines.cli.configure_json_logging", lambda: None)
        build(paths, assets=20 * len(fake.store.records("alm_hardware")), kgco2e=1000.0)
        publish(paths)
        published = checksum(paths.warehouse)

        assert main(["run"]) == 1
    failure = capsys.readouterr().err
    assert "volumes_within_band_of_last_publish" in failure
    assert f"the last good warehouse stays published at {paths.warehouse}" in failure
    assert checksum(paths.warehouse) == published
    report = next(paths.quality.glob("*/marts/volumes_within_band_of_last_publish.html"))
    assert "ratio" in report.read_text()


def test_every_result_renders_through_one_page_view(
    paths: WarehousePaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GX's page view compiles its templates on first use and keeps them: one view a process
    writes every result's page (one view per page compiled them again each time)."""
    from great_expectations.render.view import DefaultJinjaPageView

    from pipelines import gx_process

    made: list[DefaultJinjaPageView] = []
    make = DefaultJinjaPageView.__init__

    def counted(view: DefaultJinjaPageView, *args: object, **kwargs: object) -> None:
        made.append(view)
        make(view, *args, **kwargs)

    monkeypatch.setattr(DefaultJinjaPageView, "__init__", counted)
    gx_process._page_view.cache_clear()
    build(paths)
    passed = evaluate(paths, tmp_path / "first", 0.5)[0]
    build(paths, extra_rows=("('manufacturing', 'water_use', -4.5, 'f/water', null)",))
    failed = evaluate(paths, tmp_path / "second", 0.5)[0]
    assert len(made) == 1
    assert (passed.passed, failed.passed) == (True, False)
    assert passed.report is not None and failed.report is not None
    first, second = (
        " ".join(re.sub("<[^>]+>", " ", report.read_text()).split())
        for report in (passed.report, failed.report)
    )
    assert "Status: Succeeded" in first and "Status: Failed" in second
