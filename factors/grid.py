"""One grid series per country and criterion: a time series is never spliced from sources.

A factor set names, per country, the grid data sets it uses in order (``grid_series`` in
``factor_sets.yaml``, with a ``default`` list for every other country). For each country and
criterion the loaded table keeps the rows of one data set only: the organisation's own rows
(overrides, precedence 0) when it has any, else the first data set of the country's list that
has rows for it. Years that series does not cover are left to the dbt's documented fallback
(nearest year of the same series, flagged); gaps are never filled from another source.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

DEFAULT = "default"


def one_series_per_country(
    factors: pl.DataFrame, grid_series: Mapping[str, Sequence[str]]
) -> pl.DataFrame:
    """``factors`` with, for each grid country and criterion, one data set's rows only."""
    grid = factors.filter(pl.col("scope") == "grid")
    if grid.is_empty():
        return factors
    default = tuple(grid_series.get(DEFAULT, ()))
    countries = sorted(set(grid["key"].to_list()))
    order = pl.DataFrame(
        [
            {"key": country, "data_set": data_set, "series_rank": rank}
            for country in countries
            for rank, data_set in enumerate(grid_series.get(country, default), start=1)
        ],
        schema={"key": pl.String, "data_set": pl.String, "series_rank": pl.Int32},
    )
    chosen = (
        grid.join(order, on=["key", "data_set"], how="left")
        .with_columns(
            pl.when(pl.col("precedence") == 0)
            .then(pl.lit(0, dtype=pl.Int32))
            .otherwise(pl.col("series_rank"))
            .alias("series_rank")
        )
        .filter(pl.col("series_rank").is_not_null())
        .filter(pl.col("series_rank") == pl.col("series_rank").min().over("key", "criterion"))
        .drop("series_rank")
    )
    return pl.concat([factors.filter(pl.col("scope") != "grid"), chosen]).sort(
        "precedence", maintain_order=True
    )


def series_of(factors: pl.DataFrame) -> dict[tuple[str, str], str]:
    """(country, criterion) -> the one data set the loaded table takes its grid rows from."""
    grid = factors.filter(pl.col("scope") == "grid").select("key", "criterion", "data_set")
    return {(key, criterion): data_set for key, criterion, data_set in grid.unique().iter_rows()}
