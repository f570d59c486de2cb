"""A seeded synthetic metropolis: every table Empreinte reads, consistent across tables.

``generate(seed, scale, as_of)`` returns ``{table: [record, ...]}`` where every record holds
every column of ``TableSpec.columns`` as a string ("" when empty), and every reference holds a
sys_id of an existing record of the referenced table (or ""). The same seed and scale give
byte-identical data whatever today's date is: everything is drawn from one ``random.Random``.
"""

from __future__ import annotations

from datetime import date

from connectors.servicenow.fake import catalog
from connectors.servicenow.fake.activity import contracts, expenses, services
from connectors.servicenow.fake.catalog import Model
from connectors.servicenow.fake.fleet import assets as build_assets
from connectors.servicenow.fake.generator import (
    FLEET_START,
    RELATIONSHIP_TYPES,
    Generator,
    Record,
    fmt_ts,
    money,
    town_weights,
)
from connectors.servicenow.fake.logistics import site_stockrooms, transfers
from connectors.servicenow.fake.usage import link_requests


def generate(
    seed: int = 42, scale: float = 1.0, as_of: date = date(2026, 11, 1)
) -> dict[str, list[dict[str, str]]]:
    """Build the whole metropolis: ``{table name: records}`` for every table in ``TABLES``."""
    g = Generator(seed, scale, as_of)
    towns = _companies(g)
    sites = _locations(g, towns)
    cost_centers, departments = _organisation(g, towns, sites)
    users = _users(g, towns, sites, departments)
    models = _models(g)
    _relationship_types(g)
    stockrooms = _stockrooms(g, sites)
    catalogue = _catalogue(g, models)
    requests = _requests(g, catalogue, sites, cost_centers)
    fleet = build_assets(
        g, towns, sites, cost_centers, departments, users, models, stockrooms, requests
    )
    services(g, fleet, towns)
    link_requests(g, towns)
    contracts(g, towns, cost_centers, fleet)
    transfers(g, stockrooms, site_stockrooms(g, sites, stockrooms), fleet)
    expenses(g, cost_centers, fleet)
    return g.tables


# ---- organisation ------------------------------------------------------------------------
def _companies(g: Generator) -> dict[str, Record]:
    """The metropolis, its 18 towns, the manufacturers and the service vendors."""
    metro = g.add(
        "core_company",
        {
            "name": catalog.METROPOLIS,
            "city": "Nantes",
            "country": "France",
            "latitude": "47.2184",
            "longitude": "-1.5536",
            "customer": "true",
            "vendor": "false",
            "manufacturer": "false",
        },
    )
    towns = {"__metropolis__": metro}
    for town in catalog.TOWNS:
        towns[town.name] = g.add(
            "core_company",
            {
                "name": town.name,
                "city": town.name,
                "country": "France",
                "latitude": f"{town.latitude:.4f}",
                "longitude": f"{town.longitude:.4f}",
                "customer": "true",
                "vendor": "false",
                "manufacturer": "false",
                "parent": metro["sys_id"],
            },
        )
    for name, city in catalog.MANUFACTURERS:
        towns[name] = g.add(
            "core_company",
            {
                "name": name,
                "city": city,
                "customer": "false",
                "vendor": "true",
                "manufacturer": "true",
            },
        )
    for name, city in catalog.SERVICE_VENDORS:
        towns[name] = g.add(
            "core_company",
            {
                "name": name,
                "city": city,
                "country": "France",
                "customer": "false",
                "vendor": "true",
                "manufacturer": "false",
            },
        )
    return towns


def _site(g: Generator, name: str, town: catalog.Town, company: Record, parent: str) -> Record:
    return g.add(
        "cmn_location",
        {
            "name": name,
            "city": town.name,
            "country": "France",
            "latitude": f"{town.latitude + g.rng.uniform(-0.015, 0.015):.6f}",
            "longitude": f"{town.longitude + g.rng.uniform(-0.015, 0.015):.6f}",
            "company": company["sys_id"],
            "parent": parent,
        },
    )


def _locations(g: Generator, towns: dict[str, Record]) -> dict[str, list[Record]]:
    """Per town: town hall first, then schools and a library. Plus the data centre and stores."""
    sites: dict[str, list[Record]] = {}
    schools = list(catalog.SCHOOL_NAMES)
    for index, town in enumerate(catalog.TOWNS):
        company = towns[town.name]
        hall = _site(g, f"Hôtel de ville de {town.name}", town, company, "")
        count = 6 if town.population > 100_000 else 2 + min(3, town.population // 12_000)
        picked = g.rng.sample(schools, count)
        town_sites = [hall] + [
            _site(g, f"École {school}", town, company, hall["sys_id"]) for school in picked
        ]
        library = catalog.LIBRARY_NAMES[index % len(catalog.LIBRARY_NAMES)]
        town_sites.append(_site(g, f"Médiathèque {library}", town, company, hall["sys_id"]))
        sites[town.name] = town_sites
    nantes, metro = catalog.TOWNS[0], towns["__metropolis__"]
    sites["__datacentre__"] = [_site(g, "Datacenter métropolitain", nantes, metro, "")]
    by_name = {town.name: town for town in catalog.TOWNS}
    sites["__stores__"] = [
        _site(g, f"Magasin {label}", by_name[town], metro, "")
        for label, town in (("central", "Nantes"), ("nord", "Carquefou"), ("sud", "Rezé"))
    ]
    return sites


def _organisation(
    g: Generator, towns: dict[str, Record], sites: dict[str, list[Record]]
) -> tuple[dict[str, list[Record]], dict[str, list[Record]]]:
    """Cost centres and departments: per town a root plus one per area."""
    cost_centers: dict[str, list[Record]] = {}
    departments: dict[str, list[Record]] = {}
    for town in catalog.TOWNS:
        hall = sites[town.name][0]
        root = g.add(
            "cmn_cost_center",
            {
                "name": f"Ville de {town.name}",
                "code": f"{town.insee}-000",
                "valid_from": "2015-01-01",
                "location": hall["sys_id"],
            },
        )
        top = g.add(
            "cmn_department",
            {
                "name": f"Direction générale des services — {town.name}",
                "id": f"D{town.insee}-DGS",
                "company": towns[town.name]["sys_id"],
                "cost_center": root["sys_id"],
            },
        )
        cost_centers[town.name], departments[town.name] = [], []
        for code, area in catalog.AREAS:
            center = g.add(
                "cmn_cost_center",
                {
                    "name": f"{area} — {town.name}",
                    "code": f"{town.insee}-{code}",
                    "parent": root["sys_id"],
                    "valid_from": g.rng.choice(["2015-01-01", "2018-01-01", "2020-01-01"]),
                    "location": hall["sys_id"],
                },
            )
            cost_centers[town.name].append(center)
            departments[town.name].append(
                g.add(
                    "cmn_department",
                    {
                        "name": f"Direction {area} — {town.name}",
                        "id": f"D{town.insee}-{code}",
                        "parent": top["sys_id"],
                        "company": towns[town.name]["sys_id"],
                        "cost_center": center["sys_id"],
                    },
                )
            )
    return cost_centers, departments


def _users(
    g: Generator,
    towns: dict[str, Record],
    sites: dict[str, list[Record]],
    departments: dict[str, list[Record]],
) -> dict[str, list[Record]]:
    """Agents with fake but realistic French identities (never read by Empreinte)."""
    users: dict[str, list[Record]] = {t.name: [] for t in catalog.TOWNS}
    names = [t.name for t in catalog.TOWNS]
    picks = g.rng.choices(names, weights=town_weights(), k=g.n(20_000))
    seen: dict[str, int] = {}
    rng = g.rng
    for town_name in picks:
        first, last = rng.choice(catalog.FIRST_NAMES), rng.choice(catalog.LAST_NAMES)
        login = f"{_ascii(first)}.{_ascii(last)}".lower().replace(" ", "")
        seen[login] = seen.get(login, 0) + 1
        if seen[login] > 1:
            login = f"{login}{seen[login]}"
        department = rng.choice(departments[town_name])
        domain = (
            "nantesmetropole.fr"
            if town_name == "Nantes"
            else (f"mairie-{_ascii(town_name).lower().replace(' ', '-')}.fr")
        )
        users[town_name].append(
            g.add(
                "sys_user",
                {
                    "user_name": login,
                    "first_name": first,
                    "last_name": last,
                    "name": f"{first} {last}",
                    "email": f"{login}@{domain}",
                    "phone": f"+33 2 40 {rng.randrange(10, 100)} {rng.randrange(10, 100)} "
                    f"{rng.randrange(10, 100)}",
                    "title": rng.choice(["Agent", "Chargé de mission", "Responsable", "Assistant"]),
                    "department": department["sys_id"],
                    "cost_center": department["cost_center"],
                    "company": towns[town_name]["sys_id"],
                    "location": rng.choice(sites[town_name])["sys_id"],
                    "active": "true" if rng.random() < 0.94 else "false",
                },
                g.day_time(g.rand_day(FLEET_START, g.as_of)),
            )
        )
    return users


_ASCII = str.maketrans("éèêëàâäîïôöùûüçÉÈÎ", "eeeeaaaiioouuucEEI")


def _ascii(text: str) -> str:
    return text.translate(_ASCII).replace("'", "")


# ---- models and catalogue ----------------------------------------------------------------
def _models(g: Generator) -> dict[str, list[tuple[Model, Record]]]:
    """Model categories, then the models grouped by kind, then the contract models (which
    extend cmdb_model: a real instance returns them when cmdb_model is read)."""
    categories = {
        name: g.add(
            "cmdb_model_category",
            {
                "name": name,
                "asset_class": "alm_hardware",
                "cmdb_ci_class": catalog.CI_CLASS[name],
            },
        )
        for name in catalog.CATEGORIES
    }
    makers = {r["name"]: r for r in g.tables["core_company"]}
    models: dict[str, list[tuple[Model, Record]]] = {kind: [] for kind in catalog.KINDS}
    for model in catalog.MODELS:
        maker = makers[model.manufacturer]
        category = categories[catalog.MODEL_CATEGORY[model.category]]
        record = g.add(
            "cmdb_model",
            {
                "name": model.name,
                # As ServiceNow computes it, even when the name repeats the maker.
                "display_name": f"{model.manufacturer} {model.name}",
                "manufacturer": maker["sys_id"],
                "model_number": model.model_number,
                # A list field holding one category, as models usually have.
                "cmdb_model_category": category["sys_id"],
                "power_consumption": model.power_w,
                # The form's "Weight (lbs)": whole pounds.
                "weight": str(round(float(model.weight_kg) * POUNDS_PER_KG)),
                "rack_units": model.rack_units,
                "cost": money(model.cost_eur),
                "sys_class_name": "cmdb_hardware_product_model",
            },
        )
        models[model.category].append((model, record))
    for name in CONTRACT_MODELS:
        g.add(
            "cmdb_model",
            {"name": name, "display_name": name, "sys_class_name": "cmdb_contract_product_model"},
        )
    return models


POUNDS_PER_KG = 2.20462
# The contract models ast_contract.contract_model refers to (cmdb_contract_product_model).
CONTRACT_MODELS = ("Maintenance", "Service", "Lease", "Telecom")


def _relationship_types(g: Generator) -> None:
    """The base system's relationship types (cmdb_rel_type), with their stock sys_ids."""
    for sys_id, parent, child in RELATIONSHIP_TYPES:
        g.add(
            "cmdb_rel_type",
            {
                "sys_id": sys_id,
                "name": f"{parent}::{child}",
                "parent_descriptor": parent,
                "child_descriptor": child,
            },
            g.bulk[0],
        )


def _stockrooms(g: Generator, sites: dict[str, list[Record]]) -> list[Record]:
    types = {name: g.add("alm_stockroom_type", {"name": name}) for name in ("Central", "Field")}
    return [
        g.add(
            "alm_stockroom",
            {
                "name": site["name"].replace("Magasin", "Stock"),
                "location": site["sys_id"],
                "type": types["Central" if index == 0 else "Field"]["sys_id"],
            },
        )
        for index, site in enumerate(sites["__stores__"])
    ]


_SERVICES_CATALOGUE = (
    "Compte de messagerie",
    "Accès VPN",
    "Espace de stockage 100 Go",
    "Licence Microsoft 365",
    "Visioconférence",
    "Accès application métier",
    "Ligne mobile",
    "Boîte fonctionnelle",
    "Site web de la commune",
    "Accès Wi-Fi invité",
)


def _catalogue(
    g: Generator, models: dict[str, list[tuple[Model, Record]]]
) -> list[tuple[Record, Record | None]]:
    """Catalogue items: a hardware item per recent model of the ordered categories, services."""
    items: list[tuple[Record, Record | None]] = []
    sections = {title: g.add("sc_category", {"title": title}) for title in ("Hardware", "Services")}
    for category in ("Laptop", "Desktop", "Monitor", "Smartphone", "Tablet", "Printer"):
        recent = [pair for pair in models[category] if pair[0].first_year >= 2019][:4]
        for model, record in recent:
            items.append(
                (
                    g.add(
                        "sc_cat_item",
                        {
                            "name": f"{category} — {record['display_name']}",
                            "category": sections["Hardware"]["sys_id"],
                            "price": money(model.cost_eur),
                            "model": record["sys_id"],
                            "active": "true",
                        },
                    ),
                    record,
                )
            )
    for name in _SERVICES_CATALOGUE:
        items.append(
            (
                g.add(
                    "sc_cat_item",
                    {
                        "name": name,
                        "category": sections["Services"]["sys_id"],
                        "price": money(g.rng.choice([0, 5, 12, 25, 60, 120])),
                        "active": "true",
                    },
                ),
                None,
            )
        )
    return items


def _requests(
    g: Generator,
    catalogue: list[tuple[Record, Record | None]],
    sites: dict[str, list[Record]],
    cost_centers: dict[str, list[Record]],
) -> dict[str, list[Record]]:
    """Requested items; returns the hardware requests by model sys_id for the assets."""
    by_model: dict[str, list[Record]] = {}
    names = [t.name for t in catalog.TOWNS]
    weights = town_weights()
    rng = g.rng
    for number in range(g.n(8_000)):
        item, model = rng.choice(catalogue)
        town = rng.choices(names, weights)[0]
        opened = g.day_time(g.rand_day(date(2019, 1, 1), g.as_of))
        age_days = (g.end - opened) // 86400
        stage = (
            "complete"
            if age_days > 20
            else rng.choice(["request_approved", "fulfillment", "delivery", "complete"])
        )
        if rng.random() < 0.03:
            stage = "closed_incomplete"
        record = g.add(
            "sc_req_item",
            {
                "number": f"RITM{number + 10001:07d}",
                "cat_item": item["sys_id"],
                "quantity": str(1 if rng.random() < 0.9 else rng.randrange(2, 11)),
                "opened_at": fmt_ts(opened),
                "location": rng.choice(sites[town])["sys_id"],
                "stage": stage,
                "cost_center": rng.choice(cost_centers[town])["sys_id"],
            },
            opened,
        )
        if model is not None:
            by_model.setdefault(model["sys_id"], []).append(record)
    return by_model
