"""The factor tables dbt reads: one entry point, ``write_factor_tables``.

It loads and validates a factor set (plus the organisation's overrides), reads the landed
ServiceNow models, categories, manufacturers, servers and assets from the lake, matches every
model to its most specific factor, computes server configurations with the Boavizta engine
(once per distinct configuration), and writes five Parquet files under ``<lake>/factors/``,
each atomically (temporary file, then ``os.replace``): the four tables dbt reads and the
organisation's override rows left out, with their reason (``factor_rejects``).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from connectors.lake import latest_rows, read_table, versioning_columns
from factors.boavizta import DATA_SET as ENGINE_DATA_SET
from factors.boavizta import ENGINE_VERSION, BoaviztaEngine, ServerConfiguration
from factors.loading import LoadedFactors, load_factor_set
from factors.matching import Aliases, load_aliases, match_model
from factors.schema import (
    CONFIGURATION_MATCH_COLUMNS,
    EMISSION_FACTOR_TABLE_COLUMNS,
    MODEL_MATCH_COLUMNS,
    REJECT_COLUMNS,
    factor_unit,
)
from factors.validation import Problem

FACTORS_FOLDER = "factors"
# What the matching reads of each hardware asset: its model (coverage), its server CI.
HARDWARE_COLUMNS = ("model", "ci")
FORM_FACTORS = {"rack": "rack", "blade": "blade", "tower": "tower"}
CATEGORY_FORM_FACTORS = {"server_blade": "blade", "server_tower": "tower"}
# What a server's configuration is read from: its model (for the category) and these fields.
CONFIGURATION_FIELDS = (
    "model_id",
    "cpu_count",
    "cpu_core_count",
    "cpu_type",
    "ram",
    "disk_space",
    "form_factor",
)


class FactorCoverageError(ValueError):
    """Raised when an asset's device category has no category-level factor at all."""


def write_factor_tables(
    lake_dir: Path,
    *,
    factor_set: str | None = None,
    overrides_dir: Path | None = None,
) -> dict[str, Path]:
    """Write emission_factors, parameters, model_matches, configuration_matches and
    factor_rejects (the override rows left out, with their reason) as Parquet files.

    ``factor_set`` defaults to ``EMPREINTE_FACTOR_SET`` (else the default set);
    ``overrides_dir`` to ``EMPREINTE_FACTOR_OVERRIDES``. Returns the path of each table.
    Raises FactorValidationError on invalid factor files and FactorCoverageError when an
    asset's category has no factor.
    """
    loaded = load_factor_set(factor_set, overrides_dir)
    extra = [loaded.overrides_dir] if loaded.overrides_dir else []
    aliases = load_aliases(extra)
    tables = {
        name: _current(lake_dir, name)
        for name in ("cmdb_model", "core_company", "cmdb_model_category", "cmdb_ci_server")
    }
    # Millions of rows at a large fleet: only the fields the matching reads.
    tables["alm_hardware"] = _current(lake_dir, "alm_hardware", HARDWARE_COLUMNS)
    matches = model_matches(loaded, aliases, tables)
    check_coverage(matches, tables["alm_hardware"])
    configurations, configuration_factors = configuration_matches(loaded, matches, tables)
    factors = pl.concat([loaded.emission_factors, configuration_factors], how="vertical")
    folder = Path(lake_dir) / FACTORS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    outputs = {
        "emission_factors": factors.select(EMISSION_FACTOR_TABLE_COLUMNS),
        "parameters": loaded.parameters,
        "model_matches": matches,
        "configuration_matches": configurations,
        "factor_rejects": rejects_frame(loaded.rejects),
    }
    return {
        name: _write_atomically(frame, folder / f"{name}.parquet")
        for name, frame in outputs.items()
    }


def rejects_frame(rejects: tuple[Problem, ...]) -> pl.DataFrame:
    """The override rows left out: file, line, field and reason, one row per problem."""
    return pl.DataFrame(
        [
            {
                "file": str(problem.row.path),
                "line": problem.row.line,
                "field": problem.field,
                "reason": problem.reason,
            }
            for problem in rejects
        ],
        schema={column: pl.Int64 if column == "line" else pl.String for column in REJECT_COLUMNS},
    )


def model_matches(
    loaded: LoadedFactors,
    aliases: Aliases,
    tables: dict[str, pl.DataFrame],
) -> pl.DataFrame:
    """One row per cmdb_model: its key, category, factor key, match level and lifetime key."""
    factors = loaded.emission_factors.filter(
        (pl.col("criterion") == "climate_change")
        & (pl.col("stage") == "manufacturing")
        & pl.col("value").is_not_null(),
    )
    keys = {
        scope: set(factors.filter(pl.col("scope") == scope)["key"].to_list())
        for scope in ("model", "manufacturer_category", "category")
    }
    lifetimes = loaded.parameters.filter(
        (pl.col("scope") == "model") & (pl.col("parameter") == "lifetime_years"),
    )
    lifetime_keys = set(lifetimes["key"].to_list())
    companies = _names(tables["core_company"])
    categories = _names(tables["cmdb_model_category"])
    rows = []
    for model in tables["cmdb_model"].iter_rows(named=True):
        match = match_model(
            aliases,
            companies.get(model.get("manufacturer") or ""),
            model.get("name") or model.get("display_name"),
            model_category_name(aliases, categories, model.get("cmdb_model_category")),
            keys["model"],
            keys["manufacturer_category"],
            keys["category"],
            lifetime_keys,
        )
        rows.append(
            {
                "model_id": model["sys_id"],
                "model_key": match.model_key,
                "device_category": match.device_category,
                "factor_key": match.factor_key,
                "match_level": match.match_level,
                "lifetime_key": match.lifetime_key,
                "category_source": match.category_source,
            }
        )
    schema = {column: pl.String for column in MODEL_MATCH_COLUMNS}
    return pl.DataFrame(rows, schema=schema)


def model_category_name(
    aliases: Aliases, categories: dict[str, str], value: str | None
) -> str | None:
    """The name of a model's category: ``cmdb_model_category`` is a list of sys_ids (a glide
    list); the first one whose name is a known category alias wins, else the first named."""
    names = [categories.get(sys_id.strip()) for sys_id in (value or "").split(",")]
    names = [name for name in names if name]
    known = [name for name in names if aliases.category(name) is not None]
    return (known or names or [None])[0]


def check_coverage(matches: pl.DataFrame, assets: pl.DataFrame) -> None:
    """Fail when assets use a known device category that has no category-level factor."""
    if assets.is_empty() or "model" not in assets.columns:
        return
    used = matches.join(assets.select(pl.col("model").alias("model_id")).unique(), on="model_id")
    missing = used.filter(
        pl.col("device_category").is_not_null() & (pl.col("match_level") == "unmapped"),
    )
    if missing.height:
        categories = sorted(set(missing["device_category"].to_list()))
        raise FactorCoverageError(
            f"no factor for device categories {categories} used by assets "
            f"(models {sorted(missing['model_id'].to_list())[:10]}); add a category-level row "
            "to a data set of the factor set or to the overrides folder"
        )


def configuration_matches(
    loaded: LoadedFactors,
    matches: pl.DataFrame,
    tables: dict[str, pl.DataFrame],
    engine: BoaviztaEngine | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(configuration matches per asset, configuration factor rows) for servers in the CMDB."""
    engine = engine or BoaviztaEngine()
    categories = dict(
        zip(matches["model_id"].to_list(), matches["device_category"].to_list(), strict=True)
    )
    servers = server_assets(tables["cmdb_ci_server"], tables["alm_hardware"])
    servers = servers.with_columns(  # a field the table lacks reads as empty
        pl.lit(None, dtype=pl.String).alias(name)
        for name in CONFIGURATION_FIELDS
        if name not in servers.columns
    )
    # Each distinct set of the fields a configuration reads is parsed once, not each server.
    distinct = servers.select(CONFIGURATION_FIELDS).unique(maintain_order=True)
    configurations, keys = {}, []
    for server in distinct.iter_rows(named=True):
        configuration = server_configuration(server, categories.get(server.get("model_id") or ""))
        if configuration is not None:
            configurations[configuration.key] = configuration
        keys.append(configuration.key if configuration else None)
    keyed = distinct.with_columns(pl.Series("configuration_key", keys, dtype=pl.String))
    factor_rows = []
    precedence = len(loaded.factor_set.factor_data_sets) + 1
    for key, configuration in configurations.items():
        for criterion, impact in engine.server(configuration).items():
            digest = hashlib.sha1(key.encode()).hexdigest()[:12]
            factor_rows.append(
                {
                    "factor_id": (
                        f"{ENGINE_DATA_SET}/configuration/{digest}/manufacturing/{criterion}"
                    ),
                    "data_set": ENGINE_DATA_SET,
                    "scope": "configuration",
                    "key": key,
                    "stage": "manufacturing",
                    "criterion": criterion,
                    "value": impact.value,
                    "value_min": impact.value_min,
                    "value_max": impact.value_max,
                    "unit": factor_unit(criterion, "configuration"),
                    "source": f"Boavizta API {ENGINE_VERSION}, server model computed in process "
                    f"from the CMDB configuration (archetype {configuration.archetype})",
                    "source_url": "https://github.com/Boavizta/boaviztapi",
                    "source_year": 2025,
                    "quality": "primary",
                    "flag": None,
                    "notes": "Embedded phase (manufacturing); components "
                    "not in the CMDB come from the archetype, which gives the min-max range.",
                }
            )
    matches_frame = (
        servers.join(
            keyed, on=CONFIGURATION_FIELDS, how="left", nulls_equal=True, maintain_order="left"
        )
        .filter(pl.col("configuration_key").is_not_null())
        .unique(subset="asset_id", keep="last", maintain_order=True)  # an asset, one server
        .select(pl.col(CONFIGURATION_MATCH_COLUMNS[:2]), match_level=pl.lit("configuration"))
    )
    return matches_frame, _configuration_frame(factor_rows, loaded, precedence)


def server_assets(servers: pl.DataFrame, hardware: pl.DataFrame) -> pl.DataFrame:
    """The servers with their hardware asset (``asset_id``): the server's own ``asset``, else
    the asset whose ``ci`` is the server (the last one, if several); only assets the hardware
    table holds (when it holds any). The fleet has millions of assets and a few percent of
    servers: the hardware table is searched for the servers' ids, never joined whole, and its
    ``ci`` column only for the servers without an asset of their own."""
    own = pl.col("asset") if "asset" in servers.columns else pl.lit(None, dtype=pl.String)
    frame = servers.with_columns(pl.when(own != "").then(own).alias("asset_id"))
    orphans = frame.filter(pl.col("asset_id").is_null())["sys_id"]
    if not orphans.is_empty() and "ci" in hardware.columns:
        by_ci = (
            hardware.filter(pl.col("ci").is_in(orphans.implode()))
            .unique(subset="ci", keep="last", maintain_order=True)
            .select(pl.col("ci").alias("sys_id"), pl.col("sys_id").alias("ci_asset"))
        )
        frame = frame.join(by_ci, on="sys_id", how="left", maintain_order="left").select(
            pl.exclude("ci_asset", "asset_id"),
            pl.coalesce("asset_id", "ci_asset").alias("asset_id"),
        )
    frame = frame.filter(pl.col("asset_id").is_not_null())
    if hardware.is_empty():
        return frame
    return frame.filter(among(frame["asset_id"], hardware["sys_id"]))


def among(values: pl.Series, keys: pl.Series) -> pl.Series:
    """Which of ``values`` (thousands) are among ``keys`` (millions): a boolean mask.

    The lake's current rows come sorted by their key (``latest_rows``), so each value is found
    by a binary search reading a few keys, where a hash lookup would hash every key, strings
    scattered in memory once sorted (at L's 2.5 million assets 0.07 s against 0.22). Keys not
    known to be sorted are looked up in a hash of the values."""
    if keys.is_empty():
        return pl.Series(values.name, [False] * len(values), dtype=pl.Boolean)
    if keys.flags["SORTED_ASC"] and not keys.null_count():
        found = keys.gather(keys.search_sorted(values).clip(0, len(keys) - 1))
        return (found == values).fill_null(False)
    held = keys.filter(keys.is_in(values.implode()))
    return values.is_in(held.implode()).fill_null(False)


def server_configuration(server: dict, category: str | None) -> ServerConfiguration | None:
    """A server's configuration from cmdb_ci_server strings, or None when nothing is usable."""
    cpu_units, cores = _integer(server.get("cpu_count")), _integer(server.get("cpu_core_count"))
    ram_mb, disk_gb = _number(server.get("ram")), _number(server.get("disk_space"))
    if not any((cpu_units, cores, ram_mb, disk_gb)):
        return None
    form = (server.get("form_factor") or "").strip().lower()
    form_factor = next((value for word, value in FORM_FACTORS.items() if word in form), None)
    return ServerConfiguration(
        form_factor=form_factor or CATEGORY_FORM_FACTORS.get(category or "", "rack"),
        cpu_units=cpu_units,
        cpu_cores=cores,
        cpu_name=(server.get("cpu_type") or "").strip() or None,
        ram_gb=round(ram_mb / 1024, 3) if ram_mb else None,
        disk_gb=disk_gb,
    )


def _configuration_frame(rows: list[dict], loaded: LoadedFactors, precedence: int) -> pl.DataFrame:
    schema = loaded.emission_factors.schema
    if not rows:
        return pl.DataFrame(schema=schema)
    frame = pl.DataFrame(rows).with_columns(
        pl.lit(loaded.factor_set.edition).alias("edition"),
        pl.lit(loaded.factor_set.name).alias("factor_set"),
        pl.lit("2000-01-01").str.to_date().alias("valid_from"),
        pl.lit(None, dtype=pl.Date).alias("valid_to"),
        pl.lit(None, dtype=pl.String).alias("region"),
        pl.lit(False).alias("is_last_resort"),
        pl.lit(precedence, dtype=pl.Int32).alias("precedence"),
    )
    return frame.select([pl.col(name).cast(dtype) for name, dtype in schema.items()])


def _current(lake_dir: Path, table: str, columns: Sequence[str] | None = None) -> pl.DataFrame:
    """The table's current rows (``latest_rows``); with ``columns``, only those fields."""
    if columns is not None:
        columns = [*columns, *versioning_columns()]
    frame = read_table(lake_dir, "servicenow", table, columns)
    if frame.is_empty():
        return pl.DataFrame({"sys_id": []}, schema={"sys_id": pl.String})
    return latest_rows(frame)


def _names(frame: pl.DataFrame) -> dict[str, str]:
    if frame.is_empty() or "name" not in frame.columns:
        return {}
    return dict(zip(frame["sys_id"].to_list(), frame["name"].to_list(), strict=True))


def _integer(text: str | None) -> int | None:
    number = _number(text)
    return int(number) if number else None


def _number(text: str | None) -> float | None:
    try:
        number = float(str(text).replace(",", "."))
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _write_atomically(frame: pl.DataFrame, path: Path) -> Path:
    temporary = path.with_name(f".{path.name}.tmp")
    frame.write_parquet(temporary)
    with open(temporary, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    return path
