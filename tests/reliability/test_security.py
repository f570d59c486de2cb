"""Security: after a night against the fake instance with sentinel credentials (OAuth, faults
on), no credential is in any log line, exception, Dagster event or file the night left (lake,
warehouse, Parquet marts, Dagster storage, dbt's target and logs); no personal data of the
instance's users (names, e-mails, phone numbers, which the fake holds in full) is in the lake
or the warehouse; hostile values cannot reach `sysparm_query`; a reader connection can neither
write nor read outside the warehouse.

Binary files (Parquet, DuckDB) compress their text, so they are read through DuckDB, cell by
cell; every other file is searched byte for byte.
"""

from __future__ import annotations

import base64
import logging
import random
import re
import string
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance

from connectors.servicenow.client import ServiceNowError, check_position, keyset_query
from connectors.servicenow.fake import FakeInstance
from pipelines.warehouse import WarehousePaths, connect_read_only
from tests.pipeline.conftest import point_at
from tests.pipeline.test_secrets import run_and_collect

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "pw-Reliability-91c4e7"
CLIENT_SECRET = "cs-Reliability-5a0b3d"
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.-]+")
PHONE = re.compile(r"\+\d{2}( ?\d){9}|\b0\d([ .]?\d{2}){4}\b")


class Collected(logging.Handler):
    """Every log record's text, with its exception."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A failed night (more faults than attempts), then a good one; what they left."""
    data = tmp_path_factory.mktemp("security")
    handler = Collected()
    handler.setFormatter(logging.Formatter("%(message)s"))
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        with (
            pytest.MonkeyPatch.context() as patch,
            FakeInstance(
                seed=11,
                scale=0.02,
                password=PASSWORD,
                client_secret=CLIENT_SECRET,
                faults="retry_after=0,500:0.05,429:0.05,reset:0.03",
            ) as fake,
        ):
            paths = point_at(
                patch,
                fake,
                data,
                EMPREINTE_SERVICENOW_AUTH="oauth_password",
                EMPREINTE_SERVICENOW_PASSWORD=PASSWORD,
                EMPREINTE_SERVICENOW_CLIENT_ID=fake.client_id,
                EMPREINTE_SERVICENOW_CLIENT_SECRET=CLIENT_SECRET,
                EMPREINTE_SERVICENOW_MAX_ATTEMPTS="2",
                DAGSTER_HOME=str(data / "dagster"),
            )
            (data / "dagster").mkdir()
            with DagsterInstance.get() as instance:
                fake.faults.next("503", 50)
                failed, failed_events = run_and_collect(instance)
                fake.faults.queue.clear()
                patch.setenv("EMPREINTE_SERVICENOW_MAX_ATTEMPTS", "8")
                succeeded, events = run_and_collect(instance)
            users = fake.store.records("sys_user")
            secrets = [
                PASSWORD,
                CLIENT_SECRET,
                base64.b64encode(f"{fake.user}:{PASSWORD}".encode()).decode(),
                *fake._tokens,
                *fake._refresh,
            ]
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
    assert not failed and succeeded, "the first night failed on the faults, the second published"
    yield {
        "paths": paths,
        "text": "\n".join([failed_events, events, *handler.lines]),
        "secrets": secrets,
        "users": users,
    }


def files_left(paths: WarehousePaths) -> list[Path]:
    """Every file of the data folder, and dbt's target and logs."""
    roots = [paths.data_dir, REPO / "dbt_project" / "target", REPO / "dbt_project" / "logs"]
    return [path for root in roots if root.exists() for path in root.rglob("*") if path.is_file()]


def text_cells(paths: WarehousePaths) -> Iterator[tuple[str, str, list[str]]]:
    """(where, column, distinct texts) of every text column of the lake's Parquet files, the
    Parquet marts and the warehouse's tables."""
    with duckdb.connect() as connection:
        for parquet in sorted(paths.data_dir.rglob("*.parquet")):
            relation = f"read_parquet('{parquet}')"
            for name, kind, *_ in connection.execute(
                f"describe select * from {relation}"
            ).fetchall():
                if kind == "VARCHAR":
                    values = connection.execute(
                        f'select distinct "{name}" from {relation} where "{name}" is not null'
                    ).fetchall()
                    yield str(parquet.relative_to(paths.data_dir)), name, [v for (v,) in values]
    with connect_read_only(paths) as connection:
        for schema, table, name in connection.execute(
            "select schema_name, table_name, column_name from duckdb_columns()"
            " where data_type = 'VARCHAR' and database_name = current_database()"
        ).fetchall():
            values = connection.execute(
                f'select distinct "{name}" from "{schema}"."{table}" where "{name}" is not null'
            ).fetchall()
            yield f"warehouse {schema}.{table}", name, [v for (v,) in values]


def test_no_credential_in_any_log_event_or_file(night, figures) -> None:
    part = figures("security")
    assert all(secret not in night["text"] for secret in night["secrets"])
    found = []
    files = files_left(night["paths"])
    for path in files:
        if path.suffix in (".parquet", ".duckdb", ".wal"):
            continue  # compressed: read cell by cell below
        content = path.read_bytes()
        found += [str(path) for secret in night["secrets"] if secret.encode() in content]
    cells = 0
    for where, column, values in text_cells(night["paths"]):
        cells += len(values)
        found += [f"{where}.{column}" for v in values for s in night["secrets"] if s in v]
    part.set("secrets_sought", len(night["secrets"]))
    part.set("files_searched", len(files))
    part.set("log_and_event_characters_searched", len(night["text"]))
    part.set("distinct_text_cells_searched", cells)
    part.set("credentials_found", len(found))
    assert found == []


def test_no_personal_data_in_the_lake_or_the_warehouse(night, figures) -> None:
    part = figures("security")
    users = night["users"]
    personal = {
        user[field]
        for user in users
        for field in ("name", "email", "phone", "user_name", "last_name")
        if user.get(field)
    }
    assert any(EMAIL.search(value) for value in personal), "the fake holds e-mails to find"
    assert any(PHONE.search(value) for value in personal), "the fake holds phones to find"
    found, cells = [], 0
    for where, column, values in text_cells(night["paths"]):
        cells += len(values)
        for value in values:
            if value in personal or EMAIL.search(value) or PHONE.search(value):
                found.append(f"{where}.{column}: {value[:40]}")
    part.set("users_with_personal_data_in_the_instance", len(users))
    part.set("personal_values_sought", len(personal))
    part.set("personal_data_found", len(found))
    assert found == [], found[:5]


def hostile_values(count: int, seed: int = 3) -> list[str]:
    """Values an instance or a state file could hold: query operators, scripts, near-misses."""
    rng = random.Random(seed)
    pieces = ["^", "^OR", "^NQ", "ORDERBY", "=", "!=", "LIKE", "javascript:", "gs.", "\n", "%", " "]
    alphabet = string.hexdigits + string.punctuation + " é\u202e\x00"
    values = []
    for _ in range(count):
        base = rng.choice(["2024-01-01 00:00:00", "f" * 32, ""])
        cut = rng.randrange(len(base) + 1)
        noise = rng.choice(pieces) + "".join(rng.choices(alphabet, k=rng.randrange(1, 12)))
        values.append(base[:cut] + noise + base[cut:])
    return values


def test_values_reaching_sysparm_query_cannot_alter_it(figures) -> None:
    part = figures("security")
    moment, key = "2024-01-01 00:00:00", "a" * 32
    shape = keyset_query("", (moment, key)).count("^")
    refused = altered = 0
    values = hostile_values(500)
    rng = random.Random(4)
    safe = [  # well-formed values go through, into a query of the same shape
        (f"20{rng.randrange(10, 30)}-0{rng.randrange(1, 10)}-1{rng.randrange(10)} 12:00:00", k)
        for k in (f"{rng.getrandbits(128):032x}" for _ in range(50))
    ]
    positions = [(value, key) for value in values] + [(moment, value) for value in values]
    for position in positions + safe:
        try:
            check_position("alm_hardware", position)
        except ServiceNowError:
            refused += 1
            continue
        altered += keyset_query("", position).count("^") != shape or any(
            operator in "".join(position) for operator in ("^", "=", "javascript")
        )
    part.set("hostile_values_tried", len(positions))
    part.set("hostile_values_refused", refused)
    part.set("well_formed_values_tried", len(safe))
    part.set("queries_altered", altered)
    assert altered == 0 and refused == len(positions)


ESCAPES = [
    "copy fct_footprint to '{folder}/stolen.parquet'",
    "export database '{folder}/export'",
    "install httpfs",
    "load httpfs",
    "attach '{folder}/other.duckdb' as other",
    "select * from read_parquet('{folder}/marts/fct_footprint.parquet')",
    "select * from read_csv('/etc/passwd')",
    "select * from read_text('/etc/hostname')",
    "set enable_external_access = true",
    "insert into fct_footprint select * from fct_footprint",
    "delete from fct_footprint",
    "create table stolen as select 1",
]


def test_a_reader_connection_cannot_write_or_read_outside(night, figures) -> None:
    part = figures("security")
    paths: WarehousePaths = night["paths"]
    escaped = []
    with connect_read_only(paths) as connection:
        assert connection.execute("select count(*) from fct_footprint").fetchone()[0] > 0
        for statement in ESCAPES:
            try:
                connection.execute(statement.format(folder=paths.data_dir))
            except duckdb.Error:
                continue
            escaped.append(statement)
    part.set("reader_escapes_tried", len(ESCAPES))
    part.set("reader_escapes_that_worked", len(escaped))
    assert escaped == []
    assert not (paths.data_dir / "stolen.parquet").exists()
