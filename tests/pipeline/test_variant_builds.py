"""Scratch builds share dbt's parse of the project: every build runs dbt with the same profile
and environment, and builds with the same vars read one parse (pipelines/variant_builds.py).
The builds themselves are checked through the commands (tests/pipeline/test_decisions_cli.py)."""

from __future__ import annotations

import os
from pathlib import Path

from pipelines.variant_builds import (
    SCRATCH_FILE,
    ScenarioPaths,
    parse_folder,
    prepare_scratch,
)


def scenario_paths(root: Path) -> ScenarioPaths:
    return ScenarioPaths(root=root / "scenarios", lake=root / "lake", editions=root / "editions")


def test_every_scratch_build_gives_dbt_the_same_environment(tmp_path: Path) -> None:
    """Two builds reading two lakes: dbt sees the same paths (a change of profile, or of a path
    the sources read, would make it parse the project again), which lead each build to its own
    lake and its own file."""
    paths = scenario_paths(tmp_path)
    lakes = {
        "what-if-baseline": tmp_path / "lakes" / "baseline",
        "what-if-scenario": tmp_path / "lakes" / "scenario",
    }
    prepared = {}
    for name, lake in lakes.items():
        lake.mkdir(parents=True)
        (lake / "mark").write_text(name)
        prepared[name] = prepare_scratch(paths, name, lake=lake, runs=paths.runs)
    (first, first_environment), (second, second_environment) = prepared.values()
    assert first != second
    assert first_environment == second_environment
    assert first_environment["EMPREINTE_BUILD_DB"] == SCRATCH_FILE
    for name, (folder, environment) in prepared.items():
        in_folder = Path(folder, environment["EMPREINTE_LAKE"])
        assert (in_folder / "mark").read_text() == name
        runs = Path(folder, environment["EMPREINTE_SCENARIO_RUNS"])
        assert (runs / "_schema.parquet").is_file()  # dbt's glob over the runs matches
        assert Path(folder, environment["EMPREINTE_EDITIONS"]).resolve() == paths.editions


def test_a_scratch_build_starts_from_no_file(tmp_path: Path) -> None:
    """Neither its last build's files nor those an earlier version kept beside its folder."""
    paths = scenario_paths(tmp_path)
    paths.lake.mkdir(parents=True)
    folder, _ = prepare_scratch(paths, "scenario", lake=paths.lake, runs=paths.runs)
    left = [folder / SCRATCH_FILE, folder / f"{SCRATCH_FILE}.wal", folder / "internal.duckdb"]
    left += [paths.work / "scenario.duckdb", paths.work / "scenario.internal.duckdb.wal"]
    for file in left:
        file.write_text("the last build")
    prepare_scratch(paths, "scenario", lake=paths.lake, runs=paths.runs)
    assert not any(file.exists() for file in left)


def test_builds_with_the_same_vars_share_a_parse_and_the_latest_six_are_kept(
    tmp_path: Path,
) -> None:
    paths = scenario_paths(tmp_path)
    wanted = {"as_of": "2026-01-01", "baseline_year": 2023}
    first = parse_folder(paths, wanted)
    assert parse_folder(paths, {"baseline_year": 2023, "as_of": "2026-01-01"}) == first
    others = [parse_folder(paths, {"as_of": f"2026-02-0{day}"}) for day in range(1, 6)]
    assert first not in others and len(set(others)) == 5
    # The first folder made is used again: the least recently used goes, not the oldest.
    os.utime(first, (1, 1))
    assert parse_folder(paths, wanted) == first
    seventh = parse_folder(paths, {"as_of": "2026-03-01"})
    assert set((paths.work / "dbt").iterdir()) == {first, *others[1:], seventh}
