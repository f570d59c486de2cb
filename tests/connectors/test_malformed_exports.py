"""Every malformed export file is caught, named and handled as documented; the good files and
rows still land, and a refused file adds nothing to what dbt reads."""

from __future__ import annotations

import polars as pl
import pytest
from malformed_exports import CASES, Case, write_corpus

from connectors import lake, quarantine
from connectors.files import read_bytes, read_csv_rows, read_regular, read_strictly
from connectors.servicenow.exports import land_exports
from connectors.servicenow.fake.metropolis import generate
from connectors.servicenow.tables import table_spec

HARDWARE = table_spec("alm_hardware")


@pytest.fixture(scope="module")
def landed(tmp_path_factory):
    """The whole corpus, plus one good file, landed in one call (no file may stop the others)."""
    folder = tmp_path_factory.mktemp("exports")
    lake_dir = tmp_path_factory.mktemp("lake")
    records = generate(seed=5, scale=0.01)["alm_hardware"]
    written = write_corpus(folder, records)
    good = records[-6:]
    (folder / "alm_hardware.csv").write_bytes(
        b"sys_id,sys_updated_on\n"
        + "".join(f"{r['sys_id']},{r['sys_updated_on']}\n" for r in good).encode()
    )
    report = land_exports(folder, lake_dir, tables=(HARDWARE,))
    batches = {
        path.stem: pl.read_parquet(path)
        for path in lake.batches(lake_dir, "servicenow", HARDWARE.name)
    }
    return report, written, lake_dir, batches, good


def test_the_corpus_is_large_and_every_file_is_handled(landed) -> None:
    report, written, *_ = landed
    assert len(CASES) >= 30
    handled = set(report.landed) | set(report.quarantined)
    assert handled == set(written) | {"alm_hardware.csv"}, "100% handled, 0 crashes"
    assert report.landed["alm_hardware.csv"] == 6, "a good file beside them lands"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_malformed_file_has_its_documented_outcome(landed, case: Case) -> None:
    report, written, lake_dir, batches, _ = landed
    name = next(file for file, (written_case, _) in written.items() if written_case is case)
    own = written[name][1]
    rejects = quarantine.read_rejects(lake_dir).filter(pl.col("source_file") == name)
    if case.outcome == "quarantined":
        (reason,) = report.quarantined[name]
        assert reason.startswith(name) and case.expect in reason, reason
        assert name not in report.landed and rejects.is_empty()
        kept = [d for d in quarantine.quarantined(lake_dir) if d["file"] == name]
        assert len(kept) == 1 and kept[0]["reasons"] == [reason]
        copy = lake_dir / "_quarantine" / "servicenow" / HARDWARE.name
        assert (copy / f"{kept[0]['batch_id']}.{name}.quarantined").exists()
        landed_keys = {key for frame in batches.values() for key in frame["sys_id"]}
        assert not landed_keys & {record["sys_id"] for record in own}, "nothing of it landed"
        return
    assert name not in report.quarantined
    refused = rejects.filter(pl.col("outcome") == "rejected")
    flagged = rejects.filter(pl.col("outcome") == "flagged")
    if case.outcome == "rejected":
        assert set(refused["row_number"]) == set(case.rows)
        assert all(case.expect in reason for reason in refused["reason"]), refused
        assert report.rows_rejected[name] == len(case.rows)
    else:
        assert refused.is_empty(), refused
    if case.outcome == "flagged":
        assert flagged.height == 2 and all(case.expect in r for r in flagged["reason"])
        assert set(flagged["raw_value"]) == {'=HYPERLINK("http://evil","x")', "@SUM(A1)"}
    expected = case.landed if case.landed is not None else len(own) - len(case.rows)
    assert report.landed[name] == expected
    if expected:
        (batch,) = [
            frame
            for frame in batches.values()
            if frame.height == expected
            and set(frame["sys_id"]) <= {record["sys_id"] for record in own}
        ]
        assert batch["_row_number"].is_sorted()


def test_formula_cells_land_as_text_never_run(landed) -> None:
    _, written, _, batches, _ = landed
    name = next(file for file, (case, _) in written.items() if case.name == "formula_cells")
    own = {record["sys_id"] for record in written[name][1]}
    tags = {
        tag
        for frame in batches.values()
        for key, tag in zip(frame["sys_id"], frame["asset_tag"], strict=True)
        if key in own
    }
    assert '=HYPERLINK("http://evil","x")' in tags and "@SUM(A1)" in tags


def test_the_fast_and_the_strict_csv_readers_agree(tmp_path) -> None:
    """Polars reads well-formed files; its reading is trusted only when the separators add up,
    else the strict reader decides and names the record."""
    valid = tmp_path / "valid.csv"
    valid.write_bytes(
        'sys_id,name,comment\r\na,"x, y","one\r\ntwo"\r\nb,"say ""hi""",é\r\nc,,\r\n'.encode()
    )
    data = read_bytes(valid)
    fast = read_regular(valid, data)
    assert fast is not None and fast.frame.height == 3
    assert fast.frame.equals(read_strictly(valid, data.decode()).frame)
    assert fast.frame["comment"].to_list() == ["one\r\ntwo", "é", ""]
    short = tmp_path / "short.csv"
    short.write_bytes(b'a,b,c\n1,"2,2",3\n4,"5,5"\n6,7,8\n')
    assert read_regular(short, read_bytes(short)) is None
    rows = read_csv_rows(short)
    assert rows.frame["a"].to_list() == ["1", "6"] and rows.frame["_row_number"].to_list() == [1, 3]
    assert rows.ragged.select("row_number", "reason").rows() == [
        (2, "2 fields where the header has 3")
    ]
