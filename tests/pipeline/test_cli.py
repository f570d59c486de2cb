"""The README's commands, as a user runs them: `empreinte demo` and `empreinte query`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from connectors.servicenow.fake.metropolis import generate

EMPREINTE = str(Path(sys.executable).with_name("empreinte"))
SCALE = 0.02


def empreinte(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("EMPREINTE_", "DAGSTER_HOME"))
    }
    return subprocess.run(
        [EMPREINTE, *args],
        env={**environment, "EMPREINTE_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    data_dir = tmp_path_factory.mktemp("demo")
    return data_dir, empreinte("demo", "--scale", str(SCALE), data_dir=data_dir)


def test_demo_runs_the_pipeline_and_prints_the_summary(demo) -> None:
    data_dir, result = demo
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Fake ServiceNow instance at http://127.0.0.1:" in result.stdout
    for heading in (
        "Footprint per town, climate change, amortised",
        "Total per accounting method",
        "Footprint per source, climate change, amortised",
        "Top categories",
        "Assets per factor match level",
    ):
        assert heading in result.stdout
    assert "| Nantes " in result.stdout and "| Rezé " in result.stdout
    assert (data_dir / "warehouse.duckdb").exists()
    coverage = result.stdout.split("Assets per factor match level")[1]
    assert "| category " in coverage and "unmapped" not in coverage


def test_query_reads_the_published_warehouse(demo) -> None:
    data_dir, _ = demo
    result = empreinte(
        "query",
        "select count(*) as assets from dim_hardware_assets",
        "--format",
        "csv",
        data_dir=data_dir,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["assets", str(len(generate(42, SCALE)["alm_hardware"]))]


def test_query_is_read_only(demo) -> None:
    data_dir, _ = demo
    result = empreinte("query", "drop table fct_footprint", data_dir=data_dir)
    assert result.returncode == 2
    assert "read-only" in result.stderr


def test_query_without_a_warehouse_says_what_to_do(tmp_path: Path) -> None:
    result = empreinte("query", "select 1", data_dir=tmp_path)
    assert result.returncode == 2
    assert "no published warehouse" in result.stderr and "empreinte demo" in result.stderr


def test_run_without_an_instance_names_the_missing_setting(tmp_path: Path) -> None:
    result = empreinte("run", data_dir=tmp_path)
    assert result.returncode != 0
    assert "EMPREINTE_SERVICENOW_URL" in result.stderr + result.stdout
