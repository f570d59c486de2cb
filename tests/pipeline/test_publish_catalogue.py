"""`empreinte publish-catalogue` against the fake instance over HTTP: the dry run writes
nothing, `--apply` PATCHes exactly the items whose fields change, with the mart's values, and a
second run patches nothing.

The warehouse is a small DuckDB file holding mart_catalogue_item_impact's columns the command
reads, for three items of the fake's catalogue (values chosen for the test)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from connectors.servicenow.fake import FakeInstance
from connectors.servicenow.tables import TABLES_BY_NAME
from pipelines.cli import main
from tests.pipeline.conftest import point_at

# (life_impact kgCO2e, French label) per item: A is already up to date in the instance, B has
# the right label but an old figure, C was never written.
FIGURES = {
    "A": (388.64, "≈ 389 kg CO2e sur 6 ans"),
    "B": (217.91, "≈ 218 kg CO2e sur 5 ans"),
    "C": (86.82, "≈ 87 kg CO2e sur 3 ans"),
}


def write_mart(path: Path, items: dict[str, str]) -> None:
    with duckdb.connect(str(path)) as connection:
        connection.execute(
            "create table mart_catalogue_item_impact (catalogue_item_id varchar,"
            " catalogue_item_name varchar, country_code varchar, is_default_country boolean,"
            " criterion varchar, life_impact double, label_en varchar, label_fr varchar)"
        )
        for letter, sys_id in items.items():
            life_impact, label = FIGURES[letter]
            connection.execute(
                "insert into mart_catalogue_item_impact values"
                " (?, ?, 'FR', true, 'climate_change', ?, 'in English', ?),"
                # Another country's grid and another criterion are not what the portal shows.
                " (?, ?, 'DE', false, 'climate_change', 1.0, 'x', 'x'),"
                " (?, ?, 'FR', true, 'primary_energy', 2.0, null, null)",
                [sys_id, letter, life_impact, label, sys_id, letter, sys_id, letter],
            )


pytestmark = pytest.mark.skipif(
    "sc_cat_item" not in TABLES_BY_NAME,
    reason="the fake serves sc_cat_item once it is a table read (connectors/servicenow/tables.py)",
)


def patches(fake: FakeInstance) -> list[str]:
    return [request["path"] for request in fake.requests if request["method"] == "PATCH"]


def test_dry_run_then_apply_then_nothing_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with FakeInstance(seed=3, scale=0.02) as fake:
        catalogue = [item["sys_id"] for item in fake.store.records("sc_cat_item")]
        items = dict(zip("ABC", catalogue[:3], strict=True))
        fake.store.update(
            "sc_cat_item",
            items["A"],
            {"u_footprint_kgco2e": "388.6", "u_footprint_label": FIGURES["A"][1]},
        )
        fake.store.update(
            "sc_cat_item",
            items["B"],
            {"u_footprint_kgco2e": "150.0", "u_footprint_label": FIGURES["B"][1]},
        )
        point_at(monkeypatch, fake, tmp_path / "data")
        warehouse = tmp_path / "warehouse.duckdb"
        write_mart(warehouse, items)
        monkeypatch.setenv("EMPREINTE_WAREHOUSE", str(warehouse))

        assert main(["publish-catalogue"]) == 0
        dry_run = capsys.readouterr().out
        assert patches(fake) == []
        assert "u_footprint_kgco2e: 150.0 -> 217.9" in dry_run
        assert "u_footprint_kgco2e: (empty) -> 86.8" in dry_run
        assert items["A"] not in dry_run
        assert "2 catalogue items to update (dry run" in dry_run

        assert main(["publish-catalogue", "--apply"]) == 0
        assert "2 catalogue items updated, 1 already up to date" in capsys.readouterr().out
        assert sorted(patches(fake)) == sorted(
            f"/api/now/table/sc_cat_item/{items[letter]}" for letter in "BC"
        )
        stored = {
            letter: (
                fake.store.get("sc_cat_item", sys_id)["u_footprint_kgco2e"],
                fake.store.get("sc_cat_item", sys_id)["u_footprint_label"],
            )
            for letter, sys_id in items.items()
        }
        assert stored == {
            "A": ("388.6", "≈ 389 kg CO2e sur 6 ans"),
            "B": ("217.9", "≈ 218 kg CO2e sur 5 ans"),
            "C": ("86.8", "≈ 87 kg CO2e sur 3 ans"),
        }
        others = [sys_id for sys_id in catalogue[3:]]
        assert all(fake.store.get("sc_cat_item", s)["u_footprint_kgco2e"] == "" for s in others)

        assert main(["publish-catalogue", "--apply"]) == 0
        assert "0 catalogue items updated, 3 already up to date" in capsys.readouterr().out
        assert len(patches(fake)) == 2
