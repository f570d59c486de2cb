"""Transcribe the figures ``boaviztapi`` 2.5.0 ships into Empreinte's factor files.

Run ``python -m factors.transcribe`` to regenerate the Boavizta-derived CSV files under
``factors/data`` (Base IMPACTS / NegaOctet rows and proxies, ``electrical_mix.csv`` series,
server archetypes, and the 2026 transcription of the manufacturer PCF rows); the result is
committed and reviewed like hand-written files. Earlier transcriptions a correction replaced
(``boavizta_footprint_data_models``, ``boavizta_footprint_data``) stay frozen for the sets
that use them. Nothing here invents a figure: each row is a value of the package's data files (or of
its engine on one of its own archetypes), with the file named in ``source``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from factors.boavizta import ENGINE_VERSION, BoaviztaEngine, ServerConfiguration
from factors.schema import (
    FACTOR_FILE_COLUMNS,
    NEGATIVE_IN_SOURCE,
    PARAMETER_FILE_COLUMNS,
    factor_unit,
)

DATA_DIR = Path(__file__).parent / "data"
BOAVIZTA_URL = "https://github.com/Boavizta/boaviztapi"
PACKAGE = f"Boavizta API {ENGINE_VERSION} data"

# Base IMPACTS / NegaOctet rows (Category, type) -> Empreinte device categories.
NEGAOCTET_ROWS: dict[tuple[str, str], tuple[str, ...]] = {
    ("Laptop", "pro"): ("laptop",),
    ("Desktop", "pro"): ("desktop",),
    ("Monitor", ""): ("screen",),
    ("Smartphone", ""): ("smartphone",),
    ("Tablet", ""): ("tablet",),
    ("Server", ""): ("server_rack", "server_blade", "server_tower"),
}
# Categories with no published figure of their own: the closest row Boavizta ships, flagged.
PROXY_ROWS: dict[tuple[str, str], tuple[str, ...]] = {
    ("Box", ""): ("router", "wifi_access_point", "network_switch", "ip_phone"),
    ("Television", "pro"): ("projector",),
    ("Desktop", "pro"): ("printer", "multifunction_printer"),
}
NEGAOCTET_CRITERIA: dict[str, str] = {
    "ADPe": "abiotic_depletion",
    "ADPf": "abiotic_depletion_fossil",
    "AP": "acidification",
    "CTUe": "ecotoxicity_freshwater",
    "CTUh-c": "human_toxicity_cancer",
    "CTUh-nc": "human_toxicity_non_cancer",
    "Epf": "eutrophication_freshwater",
    "Epm": "eutrophication_marine",
    "Ept": "eutrophication_terrestrial",
    "GWP": "climate_change",
    "GWPb": "climate_change_biogenic",
    "GWPf": "climate_change_fossil",
    "GWPlu": "climate_change_land_use",
    "IR": "ionising_radiation",
    "LU": "land_use",
    "ODP": "ozone_depletion",
    "PM": "particulate_matter",
    "POCP": "photochemical_ozone_formation",
    "WU": "water_use",
    "MIPS": "material_input",
}
MIX_CRITERIA: dict[str, str] = {
    "ap": "acidification",
    "odp": "ozone_depletion",
    "gwpb": "climate_change_biogenic",
    "gwpf": "climate_change_fossil",
    "gwplu": "climate_change_land_use",
    "epf": "eutrophication_freshwater",
    "epm": "eutrophication_marine",
    "ept": "eutrophication_terrestrial",
    "pocp": "photochemical_ozone_formation",
    "pm": "particulate_matter",
    "ir": "ionising_radiation",
    "adpf": "abiotic_depletion_fossil",
    "adpe": "abiotic_depletion",
    "lu": "land_use",
    "gwp": "climate_change",
    "pe": "primary_energy",
}
# electrical_mix.csv rows (name, source prefix) -> (data set, source year, valid from).
# Per data set, the quality of a country's grid figure: Scarlat et al. (2019) and Ember compute
# each country's yearly mix from its measured generation; Base IMPACTS' 2011 mixes and the
# ADPf-derived primary energy are database figures. Regional aggregates are averages.
MIX_QUALITIES: dict[str, str] = {
    "electricity_base_impacts_2011": "secondary",
    "electricity_boavizta_2019": "primary",
    "electricity_ember_2020": "primary",
    "electricity_boavizta_pe_2016": "secondary",
}
REGIONS = ("WORLD", "EUROPE")
# Upstream anomalies the factor audit found in electrical_mix.csv (factor-audit.md, C4), copied
# verbatim and flagged: (criterion, country) -> why.
_ACIDIFICATION = "acidification about 50 to 1,850 times the country median (0.0045)"
UPSTREAM_OUTLIERS: dict[tuple[str, str], str] = {
    ("acidification", "CZ"): _ACIDIFICATION,
    ("acidification", "WORLD"): _ACIDIFICATION,
    ("acidification", "EUROPE"): _ACIDIFICATION,
    ("primary_energy", "NA"): "ADPf / (1 - share of renewables) blows up near 100 % renewables",
}
# Criteria whose every country figure is 0 in the file: a placeholder, not a measured zero.
ALL_ZERO_CRITERIA = ("climate_change_biogenic", "climate_change_land_use", "land_use")
MIX_SOURCES: dict[str, tuple[str, int]] = {
    "ADEME Base IMPACTS": ("electricity_base_impacts_2011", 2011),
    "https://www.sciencedirect.com": ("electricity_boavizta_2019", 2019),
    "https://ember-climate.org": ("electricity_ember_2020", 2020),
    "ADPf / (1-%renewable_energy)": ("electricity_boavizta_pe_2016", 2016),
}
# Boavizta user-terminal archetypes -> categories, for annual energy and lifetimes.
TERMINAL_ARCHETYPES: dict[str, tuple[str, ...]] = {
    "laptop-pro": ("laptop",),
    "desktop-pro": ("desktop",),
    "monitor-default": ("screen",),
    "smartphone-default": ("smartphone",),
    "tablet-default": ("tablet",),
}
PROXY_TERMINAL_ARCHETYPES: dict[str, tuple[str, ...]] = {
    "box-default": ("router", "wifi_access_point", "network_switch", "ip_phone"),
    "tv-pro": ("projector",),
    "desktop-pro": ("printer", "multifunction_printer"),
}
SERVER_ARCHETYPES: dict[str, tuple[str, str]] = {
    "server_rack": ("platform_compute_medium", "rack"),
    "server_blade": ("platform_compute_medium", "blade"),
    "server_tower": ("platform_compute_medium", "tower"),
    "storage_array": ("platform_ssdstorage_medium", "rack"),
}
HOURS_PER_YEAR = 8760


def main() -> None:
    """Regenerate every Boavizta-derived data file."""
    _write(
        DATA_DIR / "emission_factors",
        "base_impacts_negaoctet_boavizta_2.5.0",
        FACTOR_FILE_COLUMNS,
        negaoctet_rows(NEGAOCTET_ROWS, proxy=False),
    )
    _write(
        DATA_DIR / "emission_factors",
        "proxies_boavizta_2.5.0",
        FACTOR_FILE_COLUMNS,
        negaoctet_rows(PROXY_ROWS, proxy=True),
    )
    for data_set, rows in electricity_rows().items():
        _write(DATA_DIR / "emission_factors", data_set, FACTOR_FILE_COLUMNS, rows)
    _write(
        DATA_DIR / "emission_factors",
        "boavizta_archetypes_2.5.0",
        FACTOR_FILE_COLUMNS,
        server_archetype_rows(),
    )
    _write(
        DATA_DIR / "parameters",
        "boavizta_archetypes_2.5.0",
        PARAMETER_FILE_COLUMNS,
        archetype_parameter_rows(),
    )
    write_footprint_files()


def negaoctet_rows(mapping: dict[tuple[str, str], tuple[str, ...]], proxy: bool) -> list[dict]:
    """Device rows of ademe_base_impacts_negaoctet.csv, one per category and criterion."""
    data_set = "proxies_boavizta_2.5.0" if proxy else "base_impacts_negaoctet_boavizta_2.5.0"
    path = _package_data() / "crowdsourcing" / "ademe_base_impacts_negaoctet.csv"
    rows = []
    with open(path, newline="", encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            categories = mapping.get((record["Category"], record["type"]), ())
            for category in categories:
                for column, criterion in NEGAOCTET_CRITERIA.items():
                    value = float(record[column].replace(",", "."))
                    label = f"{record['Category']} {record['type']}".strip()
                    notes = (
                        f"Embodied ('embedded') figure of the row '{label}', not split by stage; "
                        "recorded as manufacturing."
                    )
                    if proxy:
                        notes = (
                            f"PROXY: no published figure for {category}; the row '{label}' is "
                            "the closest device Boavizta ships. " + notes
                        )
                    rows.append(
                        _factor(
                            data_set,
                            "category",
                            category,
                            "manufacturing",
                            criterion,
                            value,
                            source=f"{PACKAGE}, data/crowdsourcing/"
                            "ademe_base_impacts_negaoctet.csv, "
                            "ADEME Base IMPACTS / NegaOctet",
                            source_year=2022,
                            notes=notes,
                            quality="proxy" if proxy else "secondary",
                        )
                    )
    return rows


def electricity_rows() -> dict[str, list[dict]]:
    """Grid factors of electrical_mix.csv, one data set per original source."""
    countries = _countries()
    path = _package_data() / "crowdsourcing" / "electrical_mix.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        records = list(csv.reader(handle))
    header = records[0]
    result: dict[str, list[dict]] = {}
    for record in records[2:]:
        criterion = MIX_CRITERIA.get(record[6])
        source = record[3]
        match = next((v for k, v in MIX_SOURCES.items() if source.startswith(k)), None)
        if criterion is None or match is None:
            continue
        data_set, year = match
        for code, text in zip(header[7:], record[7:], strict=True):
            if code not in countries or not text.strip():
                continue
            key = countries[code]
            notes = f"Country {code} of electrical_mix.csv ({record[0]}, reference year {year})."
            if key == "FR" and criterion == "climate_change":
                notes += _FRANCE_NOTES[data_set]
            flag = ""
            if (criterion, key) in UPSTREAM_OUTLIERS:
                flag = "upstream_outlier"
                notes += f" UPSTREAM OUTLIER: {UPSTREAM_OUTLIERS[criterion, key]}."
            elif criterion in ALL_ZERO_CRITERIA:
                flag = "upstream_outlier"
                notes += " UPSTREAM OUTLIER: the file gives 0 for every country (a placeholder)."
            result.setdefault(data_set, []).append(
                _factor(
                    data_set,
                    "grid",
                    key,
                    "use",
                    criterion,
                    float(text),
                    source=f"{PACKAGE}, data/crowdsourcing/electrical_mix.csv, {source}",
                    source_year=year,
                    valid_from=f"{year}-01-01",
                    region=key,
                    notes=notes,
                    source_url=source if source.startswith("http") else BOAVIZTA_URL,
                    quality="secondary" if key in REGIONS else MIX_QUALITIES[data_set],
                    flag=flag,
                )
            )
    return result


_FRANCE_NOTES = {
    "electricity_base_impacts_2011": (
        " France: the Base IMPACTS 2011 figure (also used by NumEcoEval/G4IT); valid from 2011 "
        "with no end, so it covers 2015-2018 in the default set, where no later yearly figure "
        "ships."
    ),
    "electricity_boavizta_2019": (
        " France: the most recent yearly figure the shipped sources give (2019); valid from "
        "2019 with no end, so 2019-2026 use it until a newer edition is added."
    ),
    "electricity_ember_2020": "",
    "electricity_boavizta_pe_2016": "",
}


def server_archetype_rows() -> list[dict]:
    """Embodied impacts of Boavizta server archetypes, computed by the engine, per category."""
    engine = BoaviztaEngine()
    rows = []
    for category, (archetype, form_factor) in SERVER_ARCHETYPES.items():
        impacts = engine.server(ServerConfiguration(form_factor=form_factor, archetype=archetype))
        notes = f"Boavizta engine on archetype {archetype} (case {form_factor}), embedded phase."
        if form_factor == "tower":
            notes += " boaviztapi 2.5.0 has no tower case: computed with the rack case."
        if category == "storage_array":
            notes = "PROXY: a storage array as Boavizta's SSD storage server platform. " + notes
        for criterion, impact in impacts.items():
            rows.append(
                _factor(
                    "boavizta_archetypes_2.5.0",
                    "category",
                    category,
                    "manufacturing",
                    criterion,
                    impact.value,
                    impact.value_min,
                    impact.value_max,
                    source=f"{PACKAGE}, data/archetypes/server.csv ({archetype}), "
                    "computed in process by boaviztapi's server model",
                    source_year=2025,
                    notes=notes,
                    quality="proxy" if category == "storage_array" else "secondary",
                )
            )
        # boaviztapi's embedded phase is manufacturing only: it warns "End of life is not
        # included in the calculation" and has no transport stage (factor audit C5b).
        rows += [
            _factor(
                "boavizta_archetypes_2.5.0",
                "category",
                category,
                stage,
                criterion,
                None,
                source=f"{PACKAGE}, data/archetypes/server.csv ({archetype}), "
                "computed in process by boaviztapi's server model",
                source_year=2025,
                notes=f"NOT COVERED: boaviztapi's embedded impact of a {category} has no "
                f'{stage.replace("_", " ")} stage ("End of life is not included in the '
                'calculation"; no transport), and no other data set gives it.',
                quality="proxy" if category == "storage_array" else "secondary",
                flag="not_covered",
            )
            for stage in ("distribution", "end_of_life")
            for criterion in impacts
        ]
    return rows


def archetype_parameter_rows() -> list[dict]:
    """Annual energy and lifetime per category from Boavizta archetypes."""
    from boaviztapi.data.archetype import get_server_archetype, get_user_terminal_archetype

    rows = []
    archetypes = [(a, c, False) for a, cs in TERMINAL_ARCHETYPES.items() for c in cs]
    archetypes += [(a, c, True) for a, cs in PROXY_TERMINAL_ARCHETYPES.items() for c in cs]
    for archetype_id, category, proxy in archetypes:
        archetype = get_user_terminal_archetype(archetype_id)
        usage = archetype["USAGE"]
        power = usage["avg_power"]
        ratio = usage["use_time_ratio"]["default"]
        hours = usage["hours_life_time"]["default"]
        prefix = (
            f"PROXY: no published figure for {category}; archetype {archetype_id}. "
            if proxy
            else ""
        )
        factor = ratio * HOURS_PER_YEAR / 1000
        source = f"{PACKAGE}, data/archetypes/user_terminal.csv ({archetype_id})"
        rows.append(
            _parameter(
                category,
                "annual_energy_kwh",
                power["default"] * factor,
                power.get("min", power["default"]) * factor,
                power.get("max", power["default"]) * factor,
                source,
                prefix + f"avg_power {power['default']} W (min {power.get('min')}, max "
                f"{power.get('max')}) x use_time_ratio {ratio} x 8,760 h / 1,000.",
                "proxy" if proxy else "secondary",
            )
        )
        rows.append(
            _parameter(
                category,
                "lifetime_years",
                hours / HOURS_PER_YEAR,
                None,
                None,
                source,
                prefix + f"hours_life_time {hours:g} h / 8,760 h.",
                "proxy" if proxy else "secondary",
            )
        )
    engine_rows = _server_energy_rows(get_server_archetype)
    return rows + engine_rows


def _server_energy_rows(get_server_archetype) -> list[dict]:
    import copy
    import warnings

    from boaviztapi.compute.impacts_computation import compute_single_impact
    from boaviztapi.dto.device.device import Server, mapper_server

    rows = []
    for category, (archetype_id, form_factor) in SERVER_ARCHETYPES.items():
        archetype = copy.deepcopy(get_server_archetype(archetype_id))
        config = ServerConfiguration(form_factor=form_factor, archetype=archetype_id)
        device = mapper_server(Server(**config.as_boavizta()), archetype=archetype)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            energy = compute_single_impact(device, "use", "fe", HOURS_PER_YEAR)
        prefix = (
            "PROXY: storage as Boavizta's SSD storage platform. "
            if category == "storage_array"
            else ""
        )
        rows.append(
            _parameter(
                category,
                "annual_energy_kwh",
                energy.value,
                energy.min,
                energy.max,
                f"{PACKAGE}, data/archetypes/server.csv ({archetype_id}), final energy computed "
                "in process by boaviztapi's server model",
                prefix
                + "Final energy ('fe', kWh) of the use phase over 8,760 h at the archetype's "
                "default workload (50 %, range 0-100 %).",
                "proxy" if category == "storage_array" else "secondary",
            )
        )
    return rows


def _factor(
    data_set: str,
    scope: str,
    key: str,
    stage: str,
    criterion: str,
    value: float | None,
    value_min: float | None = None,
    value_max: float | None = None,
    *,
    source: str,
    source_year: int,
    valid_from: str = "2000-01-01",
    region: str = "",
    notes: str = "",
    source_url: str = BOAVIZTA_URL,
    quality: str = "secondary",
    flag: str = "",
) -> dict:
    suffix = f"/{valid_from[:4]}" if scope == "grid" else ""
    if not flag and value is not None and value < 0:
        flag = NEGATIVE_IN_SOURCE
    return {
        "factor_id": f"{data_set}/{scope}/{key}/{stage}/{criterion}{suffix}",
        "data_set": data_set,
        "scope": scope,
        "key": key,
        "stage": stage,
        "criterion": criterion,
        "value": _number(value),
        "value_min": _number(value_min),
        "value_max": _number(value_max),
        "unit": factor_unit(criterion, scope),
        "source": source,
        "source_url": source_url,
        "source_year": source_year,
        "valid_from": valid_from,
        "valid_to": "",
        "region": region,
        "is_last_resort": "false",
        "quality": quality,
        "flag": flag,
        "notes": notes,
    }


def _parameter(
    key: str,
    parameter: str,
    value: float,
    value_min: float | None,
    value_max: float | None,
    source: str,
    notes: str,
    quality: str,
) -> dict:
    data_set = "boavizta_archetypes_2.5.0"
    units = {"annual_energy_kwh": "kWh/year", "lifetime_years": "year"}
    return {
        "parameter_id": f"{data_set}/category/{key}/{parameter}",
        "data_set": data_set,
        "scope": "category",
        "key": key,
        "parameter": parameter,
        "value": _number(value),
        "value_min": _number(value_min),
        "value_max": _number(value_max),
        "unit": units[parameter],
        "source": source,
        "source_url": BOAVIZTA_URL,
        "source_year": 2025,
        "valid_from": "2000-01-01",
        "valid_to": "",
        "region": "",
        "quality": quality,
        "flag": "",
        "notes": notes,
    }


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.6g}"


def _countries() -> dict[str, str]:
    with open(DATA_DIR / "countries.csv", newline="", encoding="utf-8") as handle:
        return {row["boavizta_code"]: row["country"] for row in csv.DictReader(handle)}


def _package_data() -> Path:
    import boaviztapi

    return Path(boaviztapi.__file__).parent / "data"


def _write(folder: Path, data_set: str, columns: tuple[str, ...], rows: list[dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{data_set}.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# --- Boavizta environmental-footprint-data (manufacturer product carbon footprints) -----------
FOOTPRINT_URL = "https://github.com/Boavizta/environmental-footprint-data"
FOOTPRINT_SOURCE = (
    "Boavizta environmental-footprint-data, boavizta-data-us.csv (manufacturer product carbon "
    "footprint sheets)"
)
# Transcribed rows: manufacturer, name, category, total kgCO2e, manufacturing share, yearly
# energy (kWh), PCF date, PCF sheet URL. Only rows giving a manufacturing share are kept.
_DELL = "https://i.dell.com/sites/csdocuments/CorpComm_Docs/en/carbon-footprint-"
FOOTPRINT_MODELS: tuple[tuple[str, str, str, float, float, float, int, str], ...] = (
    ("Dell", "Latitude 5480", "laptop", 250, 0.778, 25.06, 2018, _DELL + "latitude-5480.pdf"),
    ("Dell", "Latitude 5490", "laptop", 251, 0.783, 25.33, 2018, _DELL + "latitude-5490.pdf"),
    ("Dell", "Latitude 5580", "laptop", 299, 0.780, 29.06, 2018, _DELL + "latitude-5580.pdf"),
    ("Dell", "Latitude 5590", "laptop", 271, 0.722, 28.55, 2018, _DELL + "latitude-5590.pdf"),
    ("Dell", "Latitude 7390", "laptop", 222, 0.843, 15.85, 2018, _DELL + "latitude-7390.pdf"),
    ("Dell", "Latitude 7490", "laptop", 241, 0.835, 17.4, 2018, _DELL + "latitude-7490.pdf"),
    (
        "Dell",
        "OptiPlex 5060 Small Form Factor",
        "desktop",
        425,
        0.46,
        96.48,
        2018,
        _DELL + "optiplex-5060-sff.pdf",
    ),
    (
        "Dell",
        "OptiPlex 7060 Micro Form Factor",
        "desktop",
        245,
        0.63,
        35.6,
        2018,
        _DELL + "optiplex-7060-mff.pdf",
    ),
    (
        "Dell",
        "OptiPlex 7060 Small Form Factor",
        "desktop",
        398,
        0.491,
        82.76,
        2018,
        _DELL + "optiplex-7060-sff.pdf",
    ),
    ("Dell", "P2219H Monitor", "screen", 472, 0.686, 33.9, 2018, _DELL + "p2219h-monitor.pdf"),
    ("Dell", "P2419H Monitor", "screen", 505, 0.683, 35.8, 2018, _DELL + "p2419h-monitor.pdf"),
    ("Dell", "P2719H Monitor", "screen", 577, 0.661, 37.7, 2018, _DELL + "p2719h-monitor.pdf"),
    ("Dell", "U2419H Monitor", "screen", 545, 0.703, 33.9, 2018, _DELL + "u2419h-monitor.pdf"),
    ("Dell", "Wyse 3030 Thin Client", "thin_client", 70, 0.59, 19.2, 2018, _DELL + "wyse-3030.pdf"),
    ("Dell", "Wyse 3040 Thin Client", "thin_client", 97, 0.639, 30.7, 2022, FOOTPRINT_URL),
    ("Dell", "Wyse 5010 Thin Client", "thin_client", 86, 0.48, 31.7, 2018, _DELL + "wyse-5010.pdf"),
    ("Dell", "Wyse 5020 Thin Client", "thin_client", 89, 0.45, 35.7, 2018, _DELL + "wyse-5020.pdf"),
    (
        "Dell",
        "Wyse 5040 All-in-One Thin Client",
        "thin_client",
        197,
        0.31,
        96.4,
        2018,
        _DELL + "wyse-5040.pdf",
    ),
    (
        "Dell",
        "Wyse 5050 All-in-One Thin Client",
        "thin_client",
        144,
        0.29,
        73.67,
        2018,
        _DELL + "wyse-5050.pdf",
    ),
    ("Dell", "Wyse 5060 Thin Client", "thin_client", 100, 0.42, 41, 2018, _DELL + "wyse-5060.pdf"),
    (
        "Dell",
        "Wyse 5070 Thin Client",
        "thin_client",
        150,
        0.683,
        41.84,
        2022,
        FOOTPRINT_URL,
    ),
    (
        "Dell",
        "Wyse 7010 Thin Client",
        "thin_client",
        103,
        0.44,
        40.4,
        2018,
        _DELL + "wyse-7010.pdf",
    ),
    ("Dell", "Wyse 7020 Thin Client", "thin_client", 106, 0.43, 43, 2018, _DELL + "wyse-7020.pdf"),
    (
        "Dell",
        "Wyse 7040 Thin Client",
        "thin_client",
        122,
        0.37,
        53.79,
        2018,
        _DELL + "wyse-7040.pdf",
    ),
    (
        "Dell",
        "Wyse 5030 PCoIP Zero Client",
        "thin_client",
        94,
        0.48,
        35.38,
        2018,
        _DELL + "wyse-5030.pdf",
    ),
    (
        "Dell",
        "Wyse 7030 PCoIP Zero Client",
        "thin_client",
        108,
        0.43,
        43.78,
        2018,
        _DELL + "wyse-7030.pdf",
    ),
    (
        "Dell",
        "PowerEdge R440",
        "server_rack",
        7360,
        0.157,
        1480.002,
        2019,
        _DELL + "poweredge-r440.pdf",
    ),
    (
        "Dell",
        "PowerEdge R640",
        "server_rack",
        7730,
        0.166,
        1760.3,
        2019,
        _DELL + "poweredge-r640.pdf",
    ),
    (
        "Dell",
        "PowerEdge R740",
        "server_rack",
        8640,
        0.152,
        1760.3,
        2019,
        _DELL + "poweredge-r740.pdf",
    ),
    (
        "Dell",
        "PowerEdge R740XD",
        "server_rack",
        9180,
        0.144,
        1858.872,
        2019,
        _DELL + "poweredge-r740xd.pdf",
    ),
    (
        "Dell",
        "PowerEdge R6515",
        "server_rack",
        8160,
        0.08,
        1782.2,
        2021,
        "https://corporate.delltechnologies.com/asset/en-gb/products/servers/technical-support/"
        "poweredge-r6515.pdf",
    ),
    (
        "Dell",
        "PowerEdge R7515",
        "server_rack",
        8990,
        0.09,
        1949.5,
        2021,
        "https://corporate.delltechnologies.com/asset/en-gb/products/servers/technical-support/"
        "poweredge-r7515.pdf",
    ),
    (
        "Dell",
        "PowerEdge M640",
        "server_blade",
        7000,
        0.237,
        1215.012,
        2019,
        _DELL + "poweredge-m640.pdf",
    ),
    (
        "Dell",
        "PowerEdge T340",
        "server_tower",
        4780,
        0.237,
        852.8,
        2019,
        _DELL + "poweredge-t340.pdf",
    ),
    (
        "Dell",
        "PowerEdge T440",
        "server_tower",
        7810,
        0.153,
        1577.238,
        2019,
        _DELL + "poweredge-t440.pdf",
    ),
)
MIN_ROWS_FOR_MEDIAN = 3
# Sheets Boavizta replaced in 2022 (factor audit F4): the 2018 figures (3040: 63 kgCO2e x 59 %,
# 18.7 kWh; 5070: 115 x 57 %, 34.7 kWh) stay in the frozen boavizta_footprint_data_models.
SUPERSEDED_SHEETS = {
    "Wyse 3040 Thin Client": "The 2018 sheet (63 kgCO2e x 59 %, 18.7 kWh/year) was superseded.",
    "Wyse 5070 Thin Client": "The 2018 sheet (115 kgCO2e x 57 %, 34.7 kWh/year) was superseded.",
}
# The frozen 2025 transcription and this one: a corrected figure goes in a new data set.
FOOTPRINT_FACTOR_DATA_SET = "boavizta_footprint_data_models_2026"
FOOTPRINT_PARAMETER_DATA_SET = "boavizta_footprint_data_2026"
# What the manufacturer sheets as transcribed by Boavizta do not give for a category default:
# only the manufacturing and use shares of the total are transcribed.
FOOTPRINT_NOT_COVERED = (
    ("distribution", "climate_change"),
    ("end_of_life", "climate_change"),
    *(
        (stage, criterion)
        for stage in ("manufacturing", "distribution", "end_of_life")
        for criterion in ("abiotic_depletion", "primary_energy")
    ),
)


def footprint_rows() -> tuple[list[dict], list[dict]]:
    """(factor rows, parameter rows) from the transcribed manufacturer PCF rows."""
    from statistics import median

    from factors.matching import load_aliases

    aliases = load_aliases()
    data_set = FOOTPRINT_FACTOR_DATA_SET
    factors, parameters, groups = [], [], {}
    for manufacturer, name, category, total, share, energy, year, url in FOOTPRINT_MODELS:
        key = aliases.model_key(manufacturer, name)
        manufacturing = total * share
        groups.setdefault((aliases.manufacturer(manufacturer), category), []).append(
            (manufacturing, energy, name, year),
        )
        factors.append(
            _factor(
                data_set,
                "model",
                key,
                "manufacturing",
                "climate_change",
                manufacturing,
                source=FOOTPRINT_SOURCE,
                source_year=year,
                source_url=url,
                notes=f"{manufacturer} {name} ({category}): total {total:g} kgCO2e x manufacturing "
                f"share {share:.1%} as stated by the sheet. "
                f"{SUPERSEDED_SHEETS.get(name, '')}".strip(),
                quality="primary",
            )
        )
        parameters.append(
            _footprint_parameter(
                "model",
                key,
                energy,
                None,
                None,
                year,
                url,
                f"{manufacturer} {name}: yearly energy (TEC) stated by the sheet. "
                f"{SUPERSEDED_SHEETS.get(name, '')}".strip(),
                "primary",
            )
        )
    for (manufacturer, category), members in sorted(groups.items()):
        if len(members) < MIN_ROWS_FOR_MEDIAN:
            continue
        values = [member[0] for member in members]
        names = ", ".join(member[2] for member in members)
        latest = max(member[3] for member in members)
        notes = (
            f"Median of the {len(members)} {manufacturer} {category} rows of this data set "
            f"({names})."
        )
        factors.append(
            _factor(
                data_set,
                "manufacturer_category",
                f"{manufacturer}|{category}",
                "manufacturing",
                "climate_change",
                median(values),
                min(values),
                max(values),
                source=FOOTPRINT_SOURCE,
                source_year=latest,
                source_url=FOOTPRINT_URL,
                notes=notes,
            )
        )
        if category == "thin_client":
            # The only published thin-client figures shipped: the category default too.
            energies = [member[1] for member in members]
            factors.append(
                _factor(
                    data_set,
                    "category",
                    category,
                    "manufacturing",
                    "climate_change",
                    median(values),
                    min(values),
                    max(values),
                    source=FOOTPRINT_SOURCE,
                    source_year=latest,
                    source_url=FOOTPRINT_URL,
                    notes=notes,
                )
            )
            factors += [
                _factor(
                    data_set,
                    "category",
                    category,
                    stage,
                    criterion,
                    None,
                    source=FOOTPRINT_SOURCE,
                    source_year=latest,
                    source_url=FOOTPRINT_URL,
                    notes=f"NOT COVERED: no {criterion.replace('_', ' ')} figure for the "
                    f"{stage.replace('_', ' ')} of a thin client: the sheets as transcribed give "
                    "the total's manufacturing and use shares only, and no other data set gives "
                    "it.",
                    flag="not_covered",
                )
                for stage, criterion in FOOTPRINT_NOT_COVERED
            ]
            parameters.append(
                _footprint_parameter(
                    "category",
                    category,
                    median(energies),
                    min(energies),
                    max(energies),
                    latest,
                    FOOTPRINT_URL,
                    f"Median yearly energy (TEC) of the {len(members)} thin-client rows ({names}).",
                    "secondary",
                )
            )
    return factors, parameters


def _footprint_parameter(
    scope: str,
    key: str,
    value: float,
    value_min: float | None,
    value_max: float | None,
    year: int,
    url: str,
    notes: str,
    quality: str,
) -> dict:
    data_set = FOOTPRINT_PARAMETER_DATA_SET
    return {
        "parameter_id": f"{data_set}/{scope}/{key}/annual_energy_kwh",
        "data_set": data_set,
        "scope": scope,
        "key": key,
        "parameter": "annual_energy_kwh",
        "value": _number(value),
        "value_min": _number(value_min),
        "value_max": _number(value_max),
        "unit": "kWh/year",
        "source": FOOTPRINT_SOURCE,
        "source_url": url,
        "source_year": year,
        "valid_from": "2000-01-01",
        "valid_to": "",
        "region": "",
        "quality": quality,
        "flag": "",
        "notes": notes,
    }


def write_footprint_files() -> None:
    """Write the manufacturer-PCF data sets."""
    factors, parameters = footprint_rows()
    _write(DATA_DIR / "emission_factors", FOOTPRINT_FACTOR_DATA_SET, FACTOR_FILE_COLUMNS, factors)
    _write(
        DATA_DIR / "parameters", FOOTPRINT_PARAMETER_DATA_SET, PARAMETER_FILE_COLUMNS, parameters
    )


if __name__ == "__main__":
    main()
