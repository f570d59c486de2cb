"""The whole pipeline from an exports folder publishes the same footprint as the Table API."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest

from connectors.servicenow.tables import TABLES
from pipelines.warehouse import WarehousePaths
from tests.connectors import export_writers as write
from tests.pipeline.conftest import PipelineRun, run_nightly
from tests.pipeline.test_end_to_end import mart_totals

# Every format ServiceNow produces, one table each; the other tables go as plain CSV.
WRITERS = {
    "alm_hardware": ("alm_hardware.csv", partial(write.write_csv, bom=True, labels=True)),
    "cmdb_model": ("cmdb_model.json", partial(write.write_json, mode="all")),
    "cmdb_model_category": ("cmdb_model_category.json", write.write_jsonv2),
    "core_company": ("core_company.xml", write.write_xml),
    "cmn_location": ("cmn_location.xlsx", write.write_xlsx),
}


def test_an_exports_folder_gives_the_same_mart_as_the_api(
    pipeline_run: PipelineRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    for spec in TABLES:
        name, writer = WRITERS.get(spec.name, (f"{spec.name}.csv", write.write_csv))
        writer(exports / name, spec, pipeline_run.fake.store.records(spec.name))
    monkeypatch.setenv("EMPREINTE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("EMPREINTE_EXPORTS_DIR", str(exports))
    monkeypatch.delenv("EMPREINTE_SERVICENOW_URL")

    assert run_nightly()

    from_api = mart_totals(pipeline_run.paths)
    from_exports = mart_totals(WarehousePaths.from_env())
    assert from_exports.keys() == from_api.keys()
    for key, total in from_api.items():
        assert from_exports[key] == pytest.approx(total, rel=1e-12), key
