"""One real pipeline run shared by the end-to-end tests: the fake instance over HTTP, Dagster,
dbt and the publish step, into a temporary data folder."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from connectors.servicenow.fake import FakeInstance
from connectors.servicenow.fake.logs import write_logs
from pipelines.warehouse import WarehousePaths
from tests.pipeline.landing_runs import run_night

SEED = 7
SCALE = 0.1
AS_OF = date(2026, 11, 1)
# A second factor set for the shared night's fleet: Base IMPACTS / NegaOctet device figures
# (Boavizta's user-terminal archetypes) first.
SECOND_FACTOR_SET = "base-impacts-2011"


@dataclass
class PipelineRun:
    fake: FakeInstance
    paths: WarehousePaths
    success: bool


def instance_environment(fake: FakeInstance, data_dir: Path, **extra: str) -> dict[str, str]:
    """The variables pointing the pipeline at a fake instance and a data folder."""
    return {
        "EMPREINTE_DATA_DIR": str(data_dir),
        "EMPREINTE_SERVICENOW_URL": fake.url,
        "EMPREINTE_SERVICENOW_AUTH": "basic",
        "EMPREINTE_SERVICENOW_USER": fake.user,
        "EMPREINTE_SERVICENOW_PASSWORD": fake.password,
        "EMPREINTE_AS_OF": AS_OF.isoformat(),
        **extra,
    }


def point_at(
    patch: pytest.MonkeyPatch, fake: FakeInstance, data_dir: Path, **extra: str
) -> WarehousePaths:
    """Set the environment of a run against ``fake`` into ``data_dir``; return its paths."""
    for name in (
        "EMPREINTE_WAREHOUSE",
        "EMPREINTE_FACTOR_SET",
        "EMPREINTE_FACTOR_OVERRIDES",
        "EMPREINTE_LOGS_DIR",
    ):
        patch.delenv(name, raising=False)
    for name, value in instance_environment(fake, data_dir, **extra).items():
        patch.setenv(name, value)
    return WarehousePaths.from_env()


def run_nightly() -> bool:
    """Materialise every asset through Dagster, as `empreinte run` does; whether it succeeded."""
    return run_night().success


@pytest.fixture(scope="session")
def pipeline_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeInstance]:
    """A fake instance and the environment variables pointing the pipeline at it."""
    data_dir = tmp_path_factory.mktemp("data")
    # The metropolis's own logs (trips, collection events) where the pipeline reads them.
    write_logs(data_dir / "logs", seed=SEED, scale=SCALE, as_of=AS_OF)
    with FakeInstance(seed=SEED, scale=SCALE) as fake, pytest.MonkeyPatch.context() as patch:
        point_at(patch, fake, data_dir)
        yield fake


@pytest.fixture(scope="session")
def pipeline_run(pipeline_environment: FakeInstance) -> PipelineRun:
    success = run_nightly()
    return PipelineRun(pipeline_environment, WarehousePaths.from_env(), success)


def night_on_copy(shared: PipelineRun, data_dir: Path, **environment: str) -> PipelineRun:
    """A night on a copy of the shared night's lake and published editions, in a data folder of
    its own (nothing new to extract, every model built), with ``environment`` set besides."""
    for folder in ("lake", "editions"):
        shutil.copytree(shared.paths.data_dir / folder, data_dir / folder)
    with pytest.MonkeyPatch.context() as patch:
        point_at(patch, shared.fake, data_dir, **environment)
        success = run_nightly()
        return PipelineRun(shared.fake, WarehousePaths.from_env(), success)


@pytest.fixture(scope="session")
def restated_run(
    pipeline_run: PipelineRun, tmp_path_factory: pytest.TempPathFactory
) -> PipelineRun:
    """The shared night's fleet under ``SECOND_FACTOR_SET``: its years restated against the
    default set's published edition."""
    data_dir = tmp_path_factory.mktemp("restated")
    return night_on_copy(pipeline_run, data_dir, EMPREINTE_FACTOR_SET=SECOND_FACTOR_SET)
