"""The vocabulary of factor files: columns, device categories, stages, criteria and units.

One word per idea, used by the data files, the validation, the mapping and the Parquet tables
dbt reads. Adding a criterion or a category is one entry here.
"""

from __future__ import annotations

DEVICE_CATEGORIES: tuple[str, ...] = (
    "laptop",
    "desktop",
    "thin_client",
    "screen",
    "smartphone",
    "tablet",
    "printer",
    "multifunction_printer",
    "server_rack",
    "server_blade",
    "server_tower",
    "network_switch",
    "router",
    "wifi_access_point",
    "storage_array",
    "projector",
    "ip_phone",
)
SERVER_CATEGORIES: tuple[str, ...] = ("server_rack", "server_blade", "server_tower")
# ServiceNow's stock model category "Computer" holds laptops and desktops alike: a model the
# name does not decide keeps this category, and the dbt decides per asset from the CMDB.
UNDECIDED_CATEGORY = "computer"
COMPUTER_CATEGORIES: tuple[str, ...] = ("laptop", "desktop")
# Where a model's device category comes from (model_matches.category_source).
CATEGORY_SOURCES: tuple[str, ...] = ("model_category", "model_name", "undecided")

STAGES: tuple[str, ...] = ("manufacturing", "distribution", "use", "end_of_life")

# Environmental Footprint criteria in snake_case, with the unit of the impact itself.
CRITERION_UNITS: dict[str, str] = {
    "climate_change": "kgCO2e",
    "abiotic_depletion": "kgSbe",
    "primary_energy": "MJ",
    "abiotic_depletion_fossil": "MJ",
    "acidification": "molH+e",
    "ecotoxicity_freshwater": "CTUe",
    "human_toxicity_cancer": "CTUh",
    "human_toxicity_non_cancer": "CTUh",
    "eutrophication_freshwater": "kgPe",
    "eutrophication_marine": "kgNe",
    "eutrophication_terrestrial": "molNe",
    "climate_change_biogenic": "kgCO2e",
    "climate_change_fossil": "kgCO2e",
    "climate_change_land_use": "kgCO2e",
    "ionising_radiation": "kBqU235e",
    "land_use": "pt",
    "ozone_depletion": "kgCFC11e",
    "particulate_matter": "disease_incidence",
    "photochemical_ozone_formation": "kgNMVOCe",
    "water_use": "m3e",
    "material_input": "kg",
}

# What one unit of activity is, per scope: the denominator of every factor's unit.
SCOPE_DENOMINATORS: dict[str, str] = {
    "category": "unit",
    "model": "unit",
    "manufacturer_category": "unit",
    "configuration": "unit",
    "grid": "kWh",
    "vehicle": "km",
    "freight": "t.km",
    "money": "EUR",
}
FACTOR_SCOPES: tuple[str, ...] = tuple(SCOPE_DENOMINATORS)
# How close a row's figure is to the item it describes: the item's own figure (manufacturer
# PCF, the LCA study's own device, a measured grid series), a database or category average,
# or another item's figure used in its place.
QUALITIES: tuple[str, ...] = ("primary", "secondary", "proxy")
# What a row's value is, when it is not a plain figure: an anomaly copied verbatim from an
# upstream file, a negative impact the source itself publishes, or a stage and criterion the
# source does not cover for this key (value, value_min and value_max empty).
FLAGS: tuple[str, ...] = ("upstream_outlier", "negative_in_source", "not_covered")
NOT_COVERED = "not_covered"
NEGATIVE_IN_SOURCE = "negative_in_source"
DEVICE_SCOPES: tuple[str, ...] = ("category", "model", "manufacturer_category", "configuration")

PARAMETER_UNITS: dict[str, str] = {
    "lifetime_years": "year",
    "annual_energy_kwh": "kWh/year",
    "pue": "ratio",
    "relative_uncertainty": "ratio",
    # An electric vehicle's consumption (scope vehicle, key a vehicle factor key): its use then
    # follows the grid of the year.
    "energy_kwh_per_km": "kWh/km",
}
PARAMETER_SCOPES: tuple[str, ...] = ("category", "model", "datacentre", "match_level", "vehicle")

# How specific an asset's factor is, most specific first; "unmapped" has no factor at all.
FACTOR_MATCH_LEVELS: tuple[str, ...] = (
    "configuration",
    "model",
    "manufacturer_category",
    "category",
)
MATCH_LEVELS: tuple[str, ...] = (*FACTOR_MATCH_LEVELS, "unmapped")

# Columns of a factor data file (shipped or organisation override), in order.
FACTOR_FILE_COLUMNS: tuple[str, ...] = (
    "factor_id",
    "data_set",
    "scope",
    "key",
    "stage",
    "criterion",
    "value",
    "value_min",
    "value_max",
    "unit",
    "source",
    "source_url",
    "source_year",
    "valid_from",
    "valid_to",
    "region",
    "is_last_resort",
    "quality",
    "flag",
    "notes",
)
# Columns of a parameter data file, in order.
PARAMETER_FILE_COLUMNS: tuple[str, ...] = (
    "parameter_id",
    "data_set",
    "scope",
    "key",
    "parameter",
    "value",
    "value_min",
    "value_max",
    "unit",
    "source",
    "source_url",
    "source_year",
    "valid_from",
    "valid_to",
    "region",
    "quality",
    "flag",
    "notes",
)
# Derived when a factor set is loaded, never written in a data file.
DERIVED_COLUMNS: tuple[str, ...] = ("edition", "factor_set", "precedence")

# Exact column order of the Parquet tables dbt reads.
EMISSION_FACTOR_TABLE_COLUMNS: tuple[str, ...] = (
    "factor_id",
    "data_set",
    "edition",
    "factor_set",
    "scope",
    "key",
    "stage",
    "criterion",
    "value",
    "value_min",
    "value_max",
    "unit",
    "source",
    "source_url",
    "source_year",
    "valid_from",
    "valid_to",
    "region",
    "is_last_resort",
    "quality",
    "flag",
    "precedence",
    "notes",
)
PARAMETER_TABLE_COLUMNS: tuple[str, ...] = (
    "parameter_id",
    "data_set",
    "edition",
    "factor_set",
    "scope",
    "key",
    "parameter",
    "value",
    "value_min",
    "value_max",
    "unit",
    "source",
    "source_url",
    "source_year",
    "valid_from",
    "valid_to",
    "region",
    "quality",
    "flag",
    "precedence",
    "notes",
)
MODEL_MATCH_COLUMNS: tuple[str, ...] = (
    "model_id",
    "model_key",
    "device_category",
    "factor_key",
    "match_level",
    "lifetime_key",
    "category_source",
)
CONFIGURATION_MATCH_COLUMNS: tuple[str, ...] = ("asset_id", "configuration_key", "match_level")
# Override rows left out of the run, one row per problem (factor_rejects.parquet).
REJECT_COLUMNS: tuple[str, ...] = ("file", "line", "field", "reason")


def factor_unit(criterion: str, scope: str) -> str:
    """The one unit a factor of this criterion and scope must carry, e.g. "kgCO2e/kWh"."""
    return f"{CRITERION_UNITS[criterion]}/{SCOPE_DENOMINATORS[scope]}"
