"""One grid series per country and criterion: chosen per country, never spliced."""

from __future__ import annotations

import polars as pl

from factors.grid import one_series_per_country, series_of


def grid_rows(*rows: tuple[str, str, str, int, float]) -> pl.DataFrame:
    """(data set, country, criterion, precedence, value) grid rows plus one device row."""
    frame = pl.DataFrame(
        [
            {"data_set": d, "scope": "grid", "key": k, "criterion": c, "precedence": p, "value": v}
            for d, k, c, p, v in rows
        ]
    )
    device = pl.DataFrame(
        [
            {
                "data_set": "devices",
                "scope": "category",
                "key": "laptop",
                "criterion": "climate_change",
                "precedence": 1,
                "value": 170.0,
            }
        ]
    )
    return pl.concat([device, frame])


ROWS = grid_rows(
    ("ember", "FR", "climate_change", 2, 0.05917),  # Ember 2015
    ("ember", "FR", "climate_change", 2, 0.04144),  # Ember 2025
    ("ademe", "FR", "climate_change", 3, 0.0599),
    ("scarlat", "FR", "climate_change", 4, 0.098),
    ("base_impacts", "FR", "climate_change", 5, 0.0813225),
    ("base_impacts", "FR", "acidification", 5, 0.0047),
    ("scarlat", "IT", "climate_change", 4, 0.33),
    ("base_impacts", "IT", "climate_change", 5, 0.41),
)


def test_default_order_picks_one_data_set_per_country_and_criterion() -> None:
    chosen = one_series_per_country(ROWS, {"default": ["ember", "scarlat", "base_impacts"]})
    assert series_of(chosen) == {
        ("FR", "climate_change"): "ember",
        ("FR", "acidification"): "base_impacts",  # the only series of that criterion
        ("IT", "climate_change"): "scarlat",
    }
    # Both Ember years stay: a series, not a single row.
    france = chosen.filter((pl.col("key") == "FR") & (pl.col("criterion") == "climate_change"))
    assert sorted(france["value"]) == [0.04144, 0.05917]
    assert chosen.filter(pl.col("scope") == "category").height == 1  # other rows untouched


def test_a_country_list_wins_over_the_default() -> None:
    chosen = one_series_per_country(
        ROWS, {"default": ["ember", "scarlat"], "FR": ["ademe", "base_impacts"]}
    )
    series = series_of(chosen)
    assert series["FR", "climate_change"] == "ademe"
    assert series["FR", "acidification"] == "base_impacts"
    # A data set in no list for a country gives it nothing: IT keeps Scarlat only.
    assert chosen.filter(pl.col("key") == "IT")["value"].to_list() == [0.33]


def test_the_organisation_own_rows_are_the_series() -> None:
    rows = pl.concat([ROWS, grid_rows(("supplier", "FR", "climate_change", 0, 0.021))[1:]])
    chosen = one_series_per_country(rows, {"default": ["ember"], "FR": ["ademe"]})
    france = chosen.filter((pl.col("key") == "FR") & (pl.col("criterion") == "climate_change"))
    assert france["data_set"].to_list() == ["supplier"]
