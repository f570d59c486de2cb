"""Bad inputs through the whole night: every malformed export file of the ingestion corpus
(tests/connectors/malformed_exports.py) and hostile factor override files, each dropped into a
working installation's folders for a night of its own (exports mode, through Dagster).

A file the documentation says is refused fails the night and leaves the published warehouse
exactly as it was; a file whose bad rows are rejected publishes the good rows and none of the
bad. Figures: files tried, handled as documented, warehouse unchanged, crashes (a night that
raised instead of failing cleanly), and the peak memory of landing the hostile ones.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

from benchmarks.measure import run
from connectors.servicenow.fake.metropolis import generate
from connectors.servicenow.tables import TABLES
from pipelines.warehouse import WarehousePaths, connect_read_only
from tests.connectors import export_writers as write
from tests.connectors.malformed_exports import CASES, Case, write_corpus
from tests.factors.override_rows import GOOD, csv_text
from tests.pipeline.landing_runs import run_night

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
# Hostile factor override files: refused whole (the night fails) or a row left out.
OVERRIDES: dict[str, tuple[bytes, str]] = {
    "utf16": (csv_text([GOOD]).encode("utf-16"), "refused"),
    "empty": (b"", "refused"),
    "header_only": (csv_text([]).encode(), "refused"),
    "nul_byte": (csv_text([GOOD]).encode() + b"org/x,organisation,model,a\x00b\n", "refused"),
    "huge_field": (csv_text([{**GOOD, "notes": "x" * 300_000}]).encode(), "refused"),
    "binary": (bytes(range(256)) * 64, "refused"),
    "negative_value": (csv_text([{**GOOD, "value": "-3"}]).encode(), "row_left_out"),
    "nan_value": (csv_text([{**GOOD, "value": "NaN"}]).encode(), "row_left_out"),
    "bad_date": (csv_text([{**GOOD, "valid_from": "2024-02-30"}]).encode(), "row_left_out"),
    "formula": (csv_text([{**GOOD, "source": '=HYPERLINK("http://x")'}]).encode(), "row_left_out"),
}
# Landing these in a process of their own must stay under this peak (a hostile file may be
# small on disk and huge once expanded: entities, nesting, one giant field).
MEMORY_BOUND_MB = 1024
HOSTILE = ("xml_billion_laughs", "xml_external_entity", "json_deep_nesting", "huge_field", "binary")


def fingerprint(paths: WarehousePaths) -> tuple:
    """What a reader of the published warehouse sees: its file and its marts' contents."""
    target = paths.warehouse.resolve()
    with connect_read_only(paths) as connection:
        content = connection.execute(
            "select count(*), sum(hash(item_id, stage, criterion, method, reporting_year, value)),"
            " (select count(*) from dim_hardware_assets) from fct_footprint"
        ).fetchone()
    return (str(target), target.stat().st_ino, target.stat().st_mtime_ns, content)


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """A data folder with one good night published from an exports folder; (data, exports)."""
    root = tmp_path_factory.mktemp("bad_inputs")
    exports, data = root / "exports", root / "data"
    exports.mkdir()
    tables = generate(seed=9, scale=0.01)
    for spec in TABLES:
        write.write_csv(exports / f"{spec.name}.csv", spec, tables[spec.name])
    with pytest.MonkeyPatch.context() as patch:
        for name in ("EMPREINTE_SERVICENOW_URL", "EMPREINTE_WAREHOUSE", "EMPREINTE_FACTOR_SET"):
            patch.delenv(name, raising=False)
        patch.setenv("EMPREINTE_DATA_DIR", str(data))
        patch.setenv("EMPREINTE_EXPORTS_DIR", str(exports))
        patch.setenv("EMPREINTE_AS_OF", "2026-11-01")
        patch.setenv("EMPREINTE_FACTOR_OVERRIDES", str(root / "overrides"))
        (root / "overrides").mkdir()
        assert run_night().success, "the good night publishes"
        yield data, exports


def night_with(paths: WarehousePaths, part, place: Callable[[], object]) -> tuple[bool, bool]:
    """Run a night after ``place()`` put a file in; (succeeded, warehouse unchanged)."""
    before = fingerprint(paths)
    place()
    try:
        result = run_night()
    except Exception:  # a crash, not a clean failure
        part.add("crashes")
        raise
    return result.success, fingerprint(paths) == before


REFUSED = [case for case in CASES if case.outcome == "quarantined"]
LOADED = [case for case in CASES if case.outcome != "quarantined"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The malformed files, each from records of its own (sys_ids the warehouse never held)."""
    folder = tmp_path_factory.mktemp("corpus")
    return folder, write_corpus(folder, generate(seed=5, scale=0.01)["alm_hardware"])


def file_of(corpus: tuple[Path, dict], case: Case) -> tuple[str, list[dict]]:
    name = next(file for file, (written, _) in corpus[1].items() if written is case)
    return name, corpus[1][name][1]


@pytest.mark.parametrize("case", REFUSED, ids=[case.name for case in REFUSED])
def test_a_refused_export_fails_its_night_and_keeps_the_warehouse(
    installation, corpus, figures, case: Case
) -> None:
    _, exports = installation
    part = figures("bad_inputs")
    name, _ = file_of(corpus, case)
    succeeded, unchanged = night_with(
        WarehousePaths.from_env(), part, lambda: shutil.copy(corpus[0] / name, exports / name)
    )
    (exports / name).unlink()
    handled = not succeeded and unchanged
    part.add("files")
    part.add("refused_files")
    part.add("refused_files_warehouse_unchanged", unchanged)
    part.add("handled_as_documented", handled)
    assert handled, f"{name}: the night {'published' if succeeded else 'changed the warehouse'}"


@pytest.fixture(scope="module")
def loaded_night(installation, corpus, figures) -> set[str]:
    """One night with every file whose bad rows are rejected (or that loads); the asset ids
    then published."""
    _, exports = installation
    part = figures("bad_inputs")
    names = [file_of(corpus, case)[0] for case in LOADED]
    succeeded, _ = night_with(
        WarehousePaths.from_env(),
        part,
        lambda: [shutil.copy(corpus[0] / name, exports / name) for name in names],
    )
    for name in names:
        (exports / name).unlink()
    assert succeeded, "rejected rows do not fail the night"
    with connect_read_only(WarehousePaths.from_env()) as connection:
        return {
            row[0]
            for row in connection.execute("select asset_id from dim_hardware_assets").fetchall()
        }


@pytest.mark.parametrize("case", LOADED, ids=[case.name for case in LOADED])
def test_an_export_with_bad_rows_publishes_the_good_rows_only(
    loaded_night: set[str], corpus, figures, case: Case
) -> None:
    part = figures("bad_inputs")
    name, records = file_of(corpus, case)
    kept = {r["sys_id"] for number, r in enumerate(records, 1) if number not in case.rows}
    refused = {r["sys_id"] for number, r in enumerate(records, 1) if number in case.rows} - kept
    if case.name == "same_version_twice":
        # The file holds the first record twice (rows 1 and 2, one sys_id): row 1 is rejected,
        # its twin is the version kept, so that sys_id is published.
        refused = set()
        kept |= {records[0]["sys_id"]}
    expected = kept if case.landed != 0 else set()
    handled = expected <= loaded_night and not refused & loaded_night
    part.add("files")
    part.add("files_with_rows_loaded_or_rejected")
    part.add("handled_as_documented", handled)
    assert handled, f"{name}: published {sorted(kept & loaded_night)}"


REFUSED_OVERRIDES = [name for name, (_, outcome) in OVERRIDES.items() if outcome == "refused"]
ROW_OVERRIDES = [name for name, (_, outcome) in OVERRIDES.items() if outcome != "refused"]


@pytest.mark.parametrize("name", REFUSED_OVERRIDES)
def test_a_refused_override_file_fails_its_night_and_keeps_the_warehouse(
    installation, figures, name: str
) -> None:
    data, _ = installation
    part = figures("bad_inputs")
    folder = data.parent / "overrides"
    content, _ = OVERRIDES[name]
    succeeded, unchanged = night_with(
        WarehousePaths.from_env(), part, lambda: (folder / f"{name}.csv").write_bytes(content)
    )
    (folder / f"{name}.csv").unlink()
    handled = not succeeded and unchanged
    part.add("files")
    part.add("refused_files")
    part.add("refused_files_warehouse_unchanged", unchanged)
    part.add("handled_as_documented", handled)
    assert handled, f"{name}: the night {'published' if succeeded else 'changed the warehouse'}"


def test_override_rows_that_cannot_be_used_are_left_out_and_kept(installation, figures) -> None:
    data, _ = installation
    part = figures("bad_inputs")
    folder = data.parent / "overrides"
    for name in ROW_OVERRIDES:
        (folder / f"{name}.csv").write_bytes(OVERRIDES[name][0])
    succeeded, _ = night_with(WarehousePaths.from_env(), part, lambda: None)
    rejects = duckdb.sql(
        f"select file from '{data / 'lake' / 'factors' / 'factor_rejects.parquet'}'"
    ).fetchall()
    for name in ROW_OVERRIDES:
        (folder / f"{name}.csv").unlink()
    left_out = {Path(file).stem for (file,) in rejects}
    part.add("files", len(ROW_OVERRIDES))
    part.add("handled_as_documented", len(left_out & set(ROW_OVERRIDES)) if succeeded else 0)
    assert succeeded and left_out == set(ROW_OVERRIDES)


@pytest.mark.parametrize("case_name", HOSTILE)
def test_landing_a_hostile_file_stays_within_bounded_memory(figures, tmp_path: Path, case_name):
    part = figures("bad_inputs")
    case = next(case for case in CASES if case.name == case_name)
    exports = tmp_path / "exports"
    exports.mkdir()
    records = generate(seed=5, scale=0.01)["alm_hardware"]
    (exports / f"alm_hardware.{case.ext}").write_bytes(case.build(records[:4]))
    measured = run(
        [
            sys.executable,
            "-c",
            "import sys; from connectors.servicenow.exports import "
            "land_exports; land_exports(sys.argv[1], sys.argv[2])",
            str(exports),
            str(tmp_path / "lake"),
        ],
        cwd=REPO,
    )
    part.most("hostile_file_peak_rss_mb", round(measured.peak_rss_mb))
    assert measured.peak_rss_mb < MEMORY_BOUND_MB


def test_no_process_is_left_behind() -> None:
    leftovers = subprocess.run(["pgrep", "-f", "land_exports"], capture_output=True, text=True)
    assert leftovers.stdout.strip() == ""
