"""The whole pipeline from an exports folder publishes the same footprint as the Table API; a bad
file never poisons the lake: it is refused, the warehouse stays as it was, and its corrected
version lands on the next night."""

from __future__ import annotations

import hashlib
from functools import partial
from pathlib import Path

import pytest

from connectors import quarantine
from connectors.servicenow.tables import TABLES
from pipelines.warehouse import WarehousePaths
from tests.connectors import export_writers as write
from tests.pipeline.conftest import PipelineRun
from tests.pipeline.landing_runs import check_verdicts, run_night, steps_run, table_metadata
from tests.pipeline.test_end_to_end import mart_totals

# Every format ServiceNow produces, one table each; the other tables go as plain CSV.
WRITERS = {
    "alm_hardware": ("alm_hardware.csv", partial(write.write_csv, bom=True, labels=True)),
    "cmdb_model": ("cmdb_model.json", partial(write.write_json, mode="all")),
    "cmdb_model_category": ("cmdb_model_category.json", write.write_jsonv2),
    "core_company": ("core_company.xml", write.write_xml),
    "cmn_location": ("cmn_location.xlsx", write.write_xlsx),
}


def checksum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_exports_folder_gives_the_same_mart_as_the_api_even_after_a_bad_file(
    pipeline_run: PipelineRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    store = pipeline_run.fake.store
    for spec in TABLES:
        name, writer = WRITERS.get(spec.name, (f"{spec.name}.csv", write.write_csv))
        records = store.records(spec.name)
        if spec.name == "cmdb_model":  # one more model, whose cost and date cannot be used
            bogus = dict(
                records[0], sys_id="e" * 32, cost="NaN", sys_updated_on="2023-02-30 10:00:00"
            )
            records = [*records, bogus]
        writer(exports / name, spec, records)
    hardware = exports / "alm_hardware.csv"
    corrected = hardware.read_bytes()
    middle = corrected.index(b"\n", len(corrected) // 2) + 1
    hardware.write_bytes(corrected[:middle] + "\ufeff".encode() + corrected[middle:])
    monkeypatch.setenv("EMPREINTE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("EMPREINTE_EXPORTS_DIR", str(exports))
    monkeypatch.delenv("EMPREINTE_SERVICENOW_URL")
    paths = WarehousePaths.from_env()

    # Night 1: the pasted-together hardware file is refused whole; the bad model row alone.
    bad = run_night()
    assert not bad.success
    assert check_verdicts(bad)["alm_hardware_expectations"] is False
    assert check_verdicts(bad)["cmdb_model_expectations"] is True
    assert "dbt_models" not in steps_run(bad) and not paths.warehouse.exists()
    hardware_night = table_metadata(bad, "alm_hardware")
    assert hardware_night["batches_quarantined"] == 1 and hardware_night["rows_landed"] == 0
    (refused,) = hardware_night["quarantined"]
    assert refused["file"] == "alm_hardware.csv" and "byte-order mark" in refused["reasons"][0]
    assert table_metadata(bad, "cmdb_model")["rows_rejected"] == 1
    rejects = quarantine.read_rejects(paths.lake, "servicenow", "cmdb_model")
    assert set(rejects["field"]) == {"cost", "sys_updated_on"} and set(rejects["sys_id"]) == {
        "e" * 32
    }

    # Night 2: the corrected file (same name) lands although the bad one's hash was seen.
    hardware.write_bytes(corrected)
    good = run_night()
    assert good.success
    assert table_metadata(good, "alm_hardware")["rows_new"] == len(store.records("alm_hardware"))
    from_api = mart_totals(pipeline_run.paths)
    from_exports = mart_totals(paths)
    assert from_exports.keys() == from_api.keys()
    for key, total in from_api.items():
        assert from_exports[key] == pytest.approx(total, rel=1e-12), key

    # Night 3: a new part holding NUL bytes is refused; the published warehouse is unchanged.
    published = checksum(paths.warehouse)
    (exports / "alm_hardware_2.csv").write_bytes(corrected[:200] + b"\x00" + corrected[200:])
    refused_night = run_night()
    assert not refused_night.success
    assert checksum(paths.warehouse) == published
    (refused,) = table_metadata(refused_night, "alm_hardware")["quarantined"]
    assert refused["file"] == "alm_hardware_2.csv" and "NUL byte" in refused["reasons"][0]
