"""The hardware fleet: alm_hardware assets and their CMDB computers and servers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from connectors.servicenow.fake import catalog
from connectors.servicenow.fake.catalog import Model
from connectors.servicenow.fake.generator import (
    FLEET_START,
    GO_LIVE,
    Generator,
    Record,
    add_years,
    local_day,
    money,
    parse_ts,
    town_weights,
)


@dataclass
class Fleet:
    """What later tables (services, contracts, transfers, expenses) draw on."""

    assets: list[tuple[Record, Model]] = field(default_factory=list)
    servers: list[Record] = field(default_factory=list)  # cmdb_ci_server records
    models: dict[str, list[tuple[Model, Record]]] = field(default_factory=dict)


# Retirement sub-statuses with their weight and the disposal reason an agent would type.
_RETIRED = (
    ("disposed", 60, "Fin de vie — collecte DEEE"),
    ("sold", 8, "Vendu à un agent"),
    ("donated", 15, "Don à une association"),
    ("vendor_credit", 7, "Reprise constructeur"),
    ("lost", 5, "Perdu"),
    ("stolen", 5, "Vol déclaré"),
)
_IN_STOCK = (
    ("available", 45),
    ("reserved", 15),
    ("defective", 15),
    ("pending_install", 15),
    ("pending_disposal", 10),
)
# Asset status -> CMDB status of its configuration item (stolen assets become 8 Stolen).
_CI_STATUS = {"1": "1", "3": "3", "6": "6", "7": "7", "8": "100", "9": "6"}
_PERSONAL = frozenset({"Laptop", "Smartphone", "Tablet", "Desktop"})
_RESELLERS = ("Econocom", "Inetum")


def _area(site_name: str, rng_pick: float) -> int:
    """Index in catalog.AREAS of the area a site's equipment is charged to."""
    if site_name.startswith("École"):
        return 0
    if site_name.startswith("Médiathèque"):
        return 1
    return 2 + int(rng_pick * 3)


def assets(
    g: Generator,
    towns: dict[str, Record],
    sites: dict[str, list[Record]],
    cost_centers: dict[str, list[Record]],
    departments: dict[str, list[Record]],
    users: dict[str, list[Record]],
    models: dict[str, list[tuple[Model, Record]]],
    stockrooms: list[Record],
    requests: dict[str, list[Record]],
) -> Fleet:
    """About 25,000 x scale assets, each with a CI when it is a computer or a server."""
    rng = g.rng
    fleet = Fleet(models=models)
    count = g.n(25_000)
    categories = rng.choices(
        list(catalog.FLEET_MIX), weights=list(catalog.FLEET_MIX.values()), k=count
    )
    town_names = [t.name for t in catalog.TOWNS]
    town_cum = list(accumulate(town_weights()))
    start, end_day = FLEET_START.toordinal(), g.as_of.toordinal() - 1
    makers = {r["name"]: r for r in g.tables["core_company"]}
    datacentre = sites["__datacentre__"][0]
    metro, nantes = towns["__metropolis__"], towns["Nantes"]
    store_sites = {s["sys_id"]: s for s in sites["__stores__"]}
    for index, category in enumerate(categories):
        # Purchases grow a little over the years (more recent assets than old ones).
        purchase = date.fromordinal(start + int((end_day - start) * rng.random() ** 0.85))
        choices = [p for p in models[category] if p[0].first_year <= purchase.year]
        if not choices:
            choices = [min(models[category], key=lambda p: p[0].first_year)]
        model, model_record = rng.choices(choices, weights=[p[0].share for p in choices])[0]
        asset_id = g.sys_id()
        if category in catalog.DATACENTRE_CATEGORIES or (
            category == "Network switch" and rng.random() < 0.3
        ):
            town_name, site = "Nantes", datacentre
            company = metro if rng.random() < 0.8 else nantes
            area = 4
        else:
            town_name = rng.choices(town_names, cum_weights=town_cum)[0]
            site = rng.choice(sites[town_name])
            company = towns[town_name]
            area = _area(site["name"], rng.random())
        tag = f"P{index + 1:06d}"
        record: Record = {
            "sys_id": asset_id,
            "asset_tag": tag,
            "model": model_record["sys_id"],
            "model_category": model_record["cmdb_model_category"],
            "location": site["sys_id"],
            "company": company["sys_id"],
            "cost_center": cost_centers[town_name][area]["sys_id"],
            "department": departments[town_name][area]["sys_id"],
            "cost": money(model.cost_eur * rng.uniform(0.82, 1.08)),
            "quantity": "1",
            "sys_class_name": "alm_hardware",
            "serial_number": f"{rng.getrandbits(40):010X}",
            "display_name": f"{tag} - {model_record['display_name']}",
            "vendor": (
                makers[model.manufacturer] if rng.random() < 0.7 else makers[rng.choice(_RESELLERS)]
            )["sys_id"],
        }
        _status(g, record, category, purchase, stockrooms, store_sites)
        if record["install_status"] == "1" and category in _PERSONAL and rng.random() < 0.85:
            record["assigned_to"] = rng.choice(users[town_name])["sys_id"]
        requested = requests.get(model_record["sys_id"])
        if requested and purchase.year >= 2019 and rng.random() < 0.3:
            record["request_line"] = rng.choice(requested)["sys_id"]
        created = g.day_time(purchase) if purchase >= GO_LIVE else g.bulk[0]
        if category in catalog.COMPUTER_CATEGORIES:
            record["ci"] = _computer(g, record, model, category, purchase, created)["sys_id"]
        elif category in catalog.SERVER_CATEGORIES:
            server = _server(g, record, model, category, created)
            fleet.servers.append(server)
            record["ci"] = server["sys_id"]
        _drop_dates(g, record)
        # Installing and retiring are updates: sys_updated_on is at least the latest of them.
        touched = None
        if record.get("retired"):
            touched = g.day_time(date.fromisoformat(record["retired"]))
        elif record.get("install_date"):
            installed = record["install_date"]
            touched = max(g.day_time(local_day(installed)), parse_ts(installed) + 60)
        fleet.assets.append((g.add("alm_hardware", record, created, touched), model))
    return fleet


def _status(
    g: Generator,
    record: Record,
    category: str,
    purchase: date,
    stockrooms: list[Record],
    store_sites: dict[str, Record],
) -> None:
    """Status, substatus and the dates that go with it, older assets more often retired."""
    rng = g.rng
    lifetime = catalog.LIFETIME_YEARS[category]
    last_day = g.as_of - timedelta(days=1)
    age = (g.as_of - purchase).days / 365.25
    install = purchase + timedelta(days=rng.randrange(0, 46))
    long_warranty = category in catalog.DATACENTRE_CATEGORIES or category == "Network switch"
    record["purchase_date"] = purchase.isoformat()
    record["warranty_expiration"] = add_years(purchase, 5 if long_warranty else 3).isoformat()
    retire_chance = min(0.97, max(0.01, (age - 0.6 * lifetime) / (0.7 * lifetime)))
    if install < last_day and rng.random() < retire_chance:
        low = install + timedelta(days=int(0.4 * lifetime * 365))
        high = min(last_day, install + timedelta(days=int(1.5 * lifetime * 365)))
        if low >= high:
            low = install + timedelta(days=1)
        retired = g.rand_day(low, max(low, high))
        substatus, _, reason = rng.choices(_RETIRED, weights=[w for _, w, _ in _RETIRED])[0]
        record.update(
            install_status="7",
            substatus=substatus,
            retired=retired.isoformat(),
            disposal_reason=reason,
            install_date=g.typed_moment(install),
        )
        return
    roll = rng.random()
    status = (
        "1"
        if roll < 0.88
        else "6"
        if roll < 0.95
        else "3"
        if roll < 0.97
        else ("9" if roll < 0.985 else "8")
    )
    if install > last_day:
        status = "6"
    record["install_status"] = status
    if status == "6":
        substatus = rng.choices([s for s, _ in _IN_STOCK], weights=[w for _, w in _IN_STOCK])[0]
        if install > last_day:
            substatus = "pending_install"
        stockroom = rng.choice(stockrooms)
        record.update(
            substatus=substatus,
            stockroom=stockroom["sys_id"],
            location=store_sites[stockroom["location"]]["sys_id"],
        )
        # Stock bought recently and never deployed has no install date.
        if substatus == "pending_install" or (substatus == "available" and age < 1):
            return
    record["install_date"] = g.typed_moment(install)


def _drop_dates(g: Generator, record: Record) -> None:
    """Leave some dates empty, as real data does, so the fallbacks are exercised."""
    roll = g.rng.random()
    if roll < 0.03 and record.get("install_date"):
        record["purchase_date"] = ""
    elif roll < 0.033:
        record["purchase_date"] = record["install_date"] = ""


def _ci_common(g: Generator, record: Record, model_record_id: str, created: int) -> Record:
    return {
        "asset": record["sys_id"],
        "model_id": model_record_id,
        "location": record["location"],
        "company": record["company"],
        "install_status": "8"
        if record.get("substatus") == "stolen"
        else _CI_STATUS[record["install_status"]],
    }


def _computer(
    g: Generator, record: Record, model: Model, category: str, purchase: date, created: int
) -> Record:
    rng = g.rng
    if category == "Laptop":
        cores, ram, disk = (
            rng.choice([4, 6, 8, 10, 12]),
            rng.choice([8, 16, 16, 32]),
            rng.choice([256, 512, 512, 1024]),
        )
    elif category == "Desktop":
        cores, ram, disk = rng.choice([4, 6, 8, 12]), rng.choice([8, 16]), rng.choice([256, 512])
    else:
        cores, ram, disk = rng.choice([2, 4]), rng.choice([4, 8]), rng.choice([16, 32, 64])
    if model.manufacturer == "Apple":
        os = "macOS Sonoma 14"
    elif category == "Thin client":
        os = "HP ThinPro 8" if model.manufacturer == "HP Inc." else "Dell ThinOS 9"
    elif purchase.year < 2021 and rng.random() < 0.6:
        os = "Windows 10 Enterprise"
    else:
        os = "Windows 11 Enterprise"
    prefix = {"Laptop": "LT", "Desktop": "PC", "Thin client": "TC"}[category]
    form_factor = rng.choice(catalog.FORM_FACTORS[category])
    if rng.random() < catalog.FORM_FACTOR_MISSING:
        form_factor = ""
    ci = _ci_common(g, record, record["model"], created)
    ci.update(
        name=f"{prefix}-{record['asset_tag'][1:]}",
        cpu_count="1",
        cpu_core_count=str(cores),
        ram=str(ram * 1024),
        disk_space=str(disk),
        form_factor=form_factor,
        os=os,
        sys_class_name="cmdb_ci_computer",
    )
    return g.add("cmdb_ci_computer", ci, created)


_CONFIGS: dict[str, list[tuple[str, int, int, str, int, int]]] = {}
for _config in catalog.SERVER_CONFIGS:
    _CONFIGS.setdefault(_config[0], []).append(_config)


def _server(g: Generator, record: Record, model: Model, category: str, created: int) -> Record:
    rng = g.rng
    _, cpus, cores, cpu_type, ram_gb, disk_gb = rng.choice(_CONFIGS[model.name])
    os = rng.choice(catalog.SERVER_OS)
    code = (
        "ESX" if os.startswith("VMware") else "LNX" if "Linux" in os or "Ubuntu" in os else ("WIN")
    )
    ci = _ci_common(g, record, record["model"], created)
    ci.update(
        name=f"srv-{code.lower()}-{record['asset_tag'][1:]}",
        cpu_count=str(cpus),
        cpu_core_count=str(cores),
        cpu_type=cpu_type,
        ram=str(ram_gb * 1024),
        disk_space=str(disk_gb),
        form_factor=category.split()[0].lower(),
        os=os,
        sys_class_name="cmdb_ci_server",
    )
    return g.add("cmdb_ci_server", ci, created)
