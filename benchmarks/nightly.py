"""The whole nightly run (``empreinte run``: extract or land, check, factors, dbt build with its
tests, publish) in its own process, measured whole: wall, CPU, peak memory of the process tree,
and the seconds of each Dagster step from the run's own record."""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path
from typing import Any

import duckdb
import requests

from benchmarks.measure import run
from connectors.servicenow.fake.server import DEFAULT_PASSWORD, DEFAULT_USER

AS_OF = "2026-11-01"


def night(data_dir: Path, env: dict[str, str], as_of: str = AS_OF) -> dict[str, Any]:
    """One ``empreinte run`` into ``data_dir`` with ``env``, as of ``as_of``; its figures (a
    night that fails is recorded with its last output, and what it left is measured after it)."""
    dagster_home = data_dir / "dagster"
    dagster_home.mkdir(parents=True, exist_ok=True)
    measured = run(
        [str(Path(sys.executable).with_name("empreinte")), "run"],
        env={
            **env,
            "EMPREINTE_DATA_DIR": str(data_dir),
            "EMPREINTE_AS_OF": as_of,
            "DAGSTER_HOME": str(dagster_home),
        },
        check=False,
    )
    figures: dict[str, Any] = measured.as_dict()
    if measured.returncode != 0:
        figures["failed"] = measured.output[-4000:]
    figures["steps_s"] = _step_seconds(dagster_home)
    return figures


def fake_env(url: str, concurrency: int = 4) -> dict[str, str]:
    """The settings reaching a fake instance."""
    return {
        "EMPREINTE_SERVICENOW_URL": url,
        "EMPREINTE_SERVICENOW_AUTH": "basic",
        "EMPREINTE_SERVICENOW_USER": DEFAULT_USER,
        "EMPREINTE_SERVICENOW_PASSWORD": DEFAULT_PASSWORD,
        "EMPREINTE_SERVICENOW_CONCURRENCY": str(concurrency),
    }


def change_fleet(
    url: str, changed: float = 0.01, deleted: float = 0.001, seed: int = 7
) -> dict[str, int]:
    """Change ``changed`` of the assets (half move site, half retire) and delete ``deleted`` of
    them through the fake's Table API, as a day of work on the instance would."""
    auth = (DEFAULT_USER, DEFAULT_PASSWORD)
    with requests.Session() as session:
        session.auth = auth
        assets = _all(session, url, "alm_hardware", "sys_id,location,install_status")
        sites = sorted({row["location"] for row in assets if row["location"]})
        rng = random.Random(seed)
        picked = rng.sample(assets, round(len(assets) * (changed + deleted)))
        cut = round(len(assets) * changed)
        for number, row in enumerate(picked[:cut]):
            if number % 2:
                body = {"location": rng.choice(sites)}
            else:
                body = {"install_status": "7", "substatus": "disposed", "retired": "2026-10-30"}
            session.patch(
                f"{url}/api/now/table/alm_hardware/{row['sys_id']}", json=body, timeout=30
            ).raise_for_status()
        for row in picked[cut:]:
            session.delete(
                f"{url}/api/now/table/alm_hardware/{row['sys_id']}", timeout=30
            ).raise_for_status()
    return {"assets": len(assets), "changed": cut, "deleted": len(picked) - cut}


def change_exports(
    folder: Path,
    changed: float = 0.01,
    deleted: float = 0.001,
    seed: int = 7,
    at: str = "2026-11-01 18:00:00",
) -> dict[str, int]:
    """The same day of work as ``change_fleet``, for an exports folder: ``changed`` of the
    assets exported again (half moved to another site, half retired) in a new part
    (``alm_hardware_<n>.csv``), and ``deleted`` of them in an export of ``sys_audit_delete``,
    all dated ``at``. The files already there stay, as a deployment's folder keeps them (landed
    once: the night skips them by their hash)."""
    parts = sorted(folder.glob("alm_hardware*.csv"))
    changes = folder / f"alm_hardware_{len(parts) + 1000}.csv"
    audit = folder / f"sys_audit_delete_{len(parts) + 1000}.csv"
    with duckdb.connect() as connection:
        connection.execute(
            "create table assets as select *, row_number() over (order by md5(sys_id || ?)) as n"
            " from read_csv(?, all_varchar = true, header = true)",
            [str(seed), [str(part) for part in parts]],
        )
        total = connection.execute("select count(*) from assets").fetchone()[0]
        cut, picked = round(total * changed), round(total * (changed + deleted))
        connection.execute(
            "create table sites as select location, row_number() over (order by location) - 1"
            " as i from (select distinct location from assets where location is not null)"
        )
        sites = connection.execute("select count(*) from sites").fetchone()[0]
        # Odd picks move to another site; even ones are retired, as change_fleet does.
        connection.execute(
            "copy (select * exclude (n) replace ("
            " ? as sys_updated_on,"
            " case when n % 2 = 1 then (select location from sites where i = (n * 31) % ?)"
            "  else location end as location,"
            " case when n % 2 = 0 then '7' else install_status end as install_status,"
            " case when n % 2 = 0 then 'disposed' else substatus end as substatus,"
            " case when n % 2 = 0 then '2026-10-30' else retired end as retired)"
            f" from assets where n <= ?) to '{changes}' (format csv, header true)",
            [at, sites, cut],
        )
        connection.execute(
            "copy (select md5('deleted#' || sys_id) as sys_id, ? as sys_updated_on,"
            " ? as sys_created_on, 'alm_hardware' as tablename, sys_id as documentkey"
            f" from assets where n > ? and n <= ?) to '{audit}' (format csv, header true)",
            [at, at, cut, picked],
        )
    return {"assets": total, "changed": cut, "deleted": picked - cut}


def _all(session: requests.Session, url: str, table: str, fields: str) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    while True:
        page = session.get(
            f"{url}/api/now/table/{table}",
            params={
                "sysparm_fields": fields,
                "sysparm_limit": 10_000,
                "sysparm_offset": len(rows),
                "sysparm_query": "ORDERBYsys_id",
                "sysparm_exclude_reference_link": "true",
            },
            timeout=120,
        ).json()["result"]
        rows.extend(page)
        if len(page) < 10_000:
            return rows


def _step_seconds(dagster_home: Path) -> dict[str, float]:
    """Seconds per step of the latest run recorded under ``dagster_home``."""
    previous = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(dagster_home)
    try:
        from dagster import DagsterInstance

        with DagsterInstance.get() as instance:
            latest = instance.get_runs(limit=1)[0]
            steps: dict[str, float] = {}
            for step in instance.get_run_step_stats(latest.run_id):
                if step.end_time and step.start_time:
                    group = _group(step.step_key)
                    steps[group] = steps.get(group, 0.0) + step.end_time - step.start_time
            return steps
    finally:
        if previous is None:
            os.environ.pop("DAGSTER_HOME", None)
        else:
            os.environ["DAGSTER_HOME"] = previous


def _group(step_key: str) -> str:
    """Steps summed by kind: each ServiceNow table, each factor table, dbt, publish."""
    if step_key.startswith("servicenow"):
        return "extract_and_check"
    if step_key.startswith("factor"):
        return "factors"
    if "dbt" in step_key:
        return "dbt_build"
    if "publish" in step_key:
        return "publish"
    return step_key
