"""The bulk generator: the metropolis repeated with fresh sys_ids, straight to export files that
land like any export, with the distributions of the metropolis it repeats."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import polars as pl
import pytest

from connectors import lake, quarantine
from connectors.servicenow.exports import land_exports
from connectors.servicenow.fake.bulk import REPEATED_TABLES, write_exports
from connectors.servicenow.fake.metropolis import generate
from connectors.servicenow.tables import TABLES_BY_NAME

BASE, COPIES = 0.01, 3


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    folder = tmp_path_factory.mktemp("exports")
    counts = write_exports(folder, BASE * COPIES, base_scale=BASE, part_rows=300)
    return folder, counts


def read(folder: Path, table: str) -> pl.DataFrame:
    files = [
        path
        for path in sorted(folder.iterdir())
        if re.fullmatch(rf"{table}(_\d+)?\.csv", path.name)
    ]
    return pl.concat([pl.read_csv(path, infer_schema_length=0).fill_null("") for path in files])


def test_the_repeated_tables_are_those_that_grow_with_the_scale() -> None:
    small, large = generate(seed=3, scale=0.02), generate(seed=3, scale=0.06)
    growing = {name for name in TABLES_BY_NAME if len(large[name]) > 2 * len(small[name])}
    assert growing == set(REPEATED_TABLES)


def test_counts_and_distributions_are_the_base_metropolis_times_the_copies(written) -> None:
    folder, counts = written
    base = generate(seed=42, scale=BASE)
    for name in TABLES_BY_NAME:
        copies = COPIES if name in REPEATED_TABLES else 1
        assert counts[name] == len(base[name]) * copies, name
    assets = read(folder, "alm_hardware")
    assert len(list(folder.glob("alm_hardware_*.csv"))) > 1, "split into numbered parts"
    for column in ("install_status", "purchase_date", "model", "location", "cost"):
        expected = Counter(record[column] for record in base["alm_hardware"])
        assert Counter(assets[column].to_list()) == {k: v * COPIES for k, v in expected.items()}


def test_every_sys_id_is_new_and_every_reference_resolves(written) -> None:
    folder, _ = written
    held = {name: read(folder, name) for name in TABLES_BY_NAME}
    for name, frame in held.items():
        if frame.height:
            assert frame["sys_id"].n_unique() == frame.height, name
    assets, computers = held["alm_hardware"], held["cmdb_ci_computer"]
    assert assets["asset_tag"].n_unique() == assets.height
    computer_ids = set(computers["sys_id"])
    with_ci = assets.filter(pl.col("ci") != "")
    ci_ids = computer_ids | set(held["cmdb_ci_server"]["sys_id"])
    assert set(with_ci["ci"]) <= ci_ids
    # Each copy's computer points back at that copy's asset, and the asset at it.
    by_asset = dict(zip(computers["asset"], computers["sys_id"], strict=True))
    pairs = dict(zip(with_ci["sys_id"], with_ci["ci"], strict=True))
    assert all(pairs[asset] == computer for asset, computer in by_asset.items())
    assert set(assets["model"]) <= set(held["cmdb_model"]["sys_id"])
    assert set(held["sys_user"]["department"]) - {""} <= set(held["cmn_department"]["sys_id"])


def test_the_files_land_as_exports_with_nothing_refused(written, tmp_path: Path) -> None:
    folder, counts = written
    report = land_exports(folder, tmp_path)
    assert not report.quarantined and not any(report.rows_rejected.values())
    landed = lake.read_table(tmp_path, "servicenow", "alm_hardware")
    assert landed.height == counts["alm_hardware"]
    assert quarantine.read_rejects(tmp_path).is_empty()
