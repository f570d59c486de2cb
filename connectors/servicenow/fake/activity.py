"""What the organisation does with its fleet: services, contracts and expenses (transfers are in
``logistics.py``)."""

from __future__ import annotations

from datetime import date, timedelta

from connectors.servicenow.fake import catalog
from connectors.servicenow.fake.fleet import Fleet
from connectors.servicenow.fake.generator import (
    DEPENDS_ON,
    GO_LIVE,
    Generator,
    Record,
    add_years,
    money,
)

_DOMAINS = (
    "État civil",
    "Urbanisme",
    "Petite enfance",
    "Restauration scolaire",
    "Bibliothèques",
    "Sports",
    "Voirie",
    "Eau et assainissement",
    "Déchets",
    "Ressources humaines",
    "Finances",
    "Marchés publics",
    "Élections",
    "Cimetières",
    "Police municipale",
    "Culture",
    "Transports",
    "Action sociale",
    "Archives",
    "Communication",
    "Espaces verts",
    "Stationnement",
    "Logement",
    "Santé",
    "Jeunesse",
    "Associations",
    "Courrier",
    "Patrimoine",
    "Énergie",
    "Relations citoyens",
)
_KINDS = (
    "Portail",
    "Application",
    "Base de données",
    "Téléservice",
    "Gestion",
    "Plateforme",
    "Référentiel",
    "Flux",
    "Tableau de bord",
    "Archivage",
    "Paiement en ligne",
    "Prise de RDV",
)
_USED_FOR = ("Production",) * 6 + ("Staging", "Test", "Development", "Disaster recovery")
_CRITICALITY = (
    "1 - most critical",
    "2 - somewhat critical",
    "3 - less critical",
    "4 - not critical",
)


def services(g: Generator, fleet: Fleet, towns: dict[str, Record]) -> None:
    """About 1,600 x scale business services, each depending on 1–3 servers; a service belongs
    to the metropolis (every town uses it) or to one town (its ``company``)."""
    rng = g.rng
    companies = {catalog.METROPOLIS: towns["__metropolis__"], **towns}
    running = [s for s in fleet.servers if s["install_status"] == "1"] or fleet.servers
    scopes = [catalog.METROPOLIS] + [t.name for t in catalog.TOWNS]
    records: list[Record] = []
    for number in range(g.n(1_600)):
        domain, kind = rng.choice(_DOMAINS), rng.choice(_KINDS)
        scope = rng.choice(scopes)
        parent = rng.choice(records)["sys_id"] if records and rng.random() < 0.2 else ""
        service = g.add(
            "cmdb_ci_service",
            {
                "name": f"{kind} {domain} — {scope} ({number + 1:04d})",
                "parent": parent,
                "operational_status": rng.choices(
                    ["1", "2", "3", "5", "6"], weights=[90, 3, 2, 3, 2]
                )[0],
                "busines_criticality": rng.choice(_CRITICALITY),
                "used_for": rng.choice(_USED_FOR),
                "company": companies[scope]["sys_id"],
            },
        )
        records.append(service)
        for server in rng.sample(running, min(len(running), rng.randint(1, 3))):
            g.add(
                "cmdb_rel_ci",
                {
                    "parent": service["sys_id"],
                    "child": server["sys_id"],
                    "type": DEPENDS_ON,
                },
            )


# Contract kinds, how many, and the yearly spend range of one contract (euros excl. VAT).
_CONTRACT_MODELS = (
    ("Maintenance", 18, (15_000, 180_000)),
    ("Service", 10, (40_000, 400_000)),
    ("Lease", 7, (30_000, 300_000)),
    ("Telecom", 5, (50_000, 250_000)),
)
_PERIODS = {"monthly": 12, "quarterly": 4, "annually": 1}


def contracts(
    g: Generator,
    towns: dict[str, Record],
    cost_centers: dict[str, list[Record]],
    fleet: Fleet,
) -> None:
    """About 40 contracts; maintenance, managed-service and lease contracts cover assets."""
    rng = g.rng
    vendors = {r["name"]: r for r in g.tables["core_company"] if r["vendor"] == "true"}
    service_vendors = [vendors[name] for name, _ in catalog.SERVICE_VENDORS]
    hardware_vendors = [
        vendors[name]
        for name in (
            "Dell Inc.",
            "HP Inc.",
            "Ricoh",
            "NetApp",
            "Cisco Systems",
            "Hewlett Packard Enterprise",
        )
    ]
    covered = {
        "Maintenance": [
            a
            for a, m in fleet.assets
            if m.category in catalog.DATACENTRE_CATEGORIES
            or m.category in ("Multifunction printer", "Network switch")
        ],
        "Service": [a for a, m in fleet.assets if m.category in catalog.SERVER_CATEGORIES],
        "Lease": [a for a, m in fleet.assets if m.category in ("Laptop", "Multifunction printer")],
    }
    contract_models = {
        r["name"]: r["sys_id"]
        for r in g.tables["cmdb_model"]
        if r["sys_class_name"] == "cmdb_contract_product_model"
    }
    number = 10001
    for contract_model, count, (low, high) in _CONTRACT_MODELS:
        for _ in range(count):
            starts = g.rand_day(date(2016, 1, 1), g.as_of - timedelta(days=60))
            years = rng.choice([1, 3, 3, 4, 5])
            ends = add_years(starts, years) - timedelta(days=1)
            yearly = round(rng.uniform(low, high), -2)
            schedule = rng.choice(list(_PERIODS))
            state = "active" if ends >= g.as_of else "expired"
            if rng.random() < 0.05:
                state = "cancelled"
            vendor = rng.choice(
                hardware_vendors
                if contract_model == "Maintenance" and rng.random() < 0.6
                else service_vendors
            )
            town = rng.choice([t.name for t in catalog.TOWNS[:6]])
            contract = g.add(
                "ast_contract",
                {
                    "number": f"CNTR{number:07d}",
                    "vendor": vendor["sys_id"],
                    "contract_model": contract_models[contract_model],
                    "starts": starts.isoformat(),
                    "ends": ends.isoformat(),
                    "state": state,
                    "payment_amount": money(yearly / _PERIODS[schedule]),
                    "payment_schedule": schedule,
                    "yearly_cost": money(yearly),
                    "total_cost": money(yearly * years),
                    "cost_center": cost_centers[town][4]["sys_id"],
                },
                g.day_time(max(starts - timedelta(days=30), GO_LIVE)),
            )
            number += 1
            pool = covered.get(contract_model)
            if not pool:
                continue
            size = rng.randint(5, 40) if contract_model == "Service" else rng.randint(20, 120)
            for asset in rng.sample(pool, min(len(pool), size)):
                g.add(
                    "clm_m2m_contract_asset",
                    {
                        "contract": contract["sys_id"],
                        "asset": asset["sys_id"],
                        "added": starts.isoformat(),
                    },
                )


def _payments(g: Generator) -> list[tuple[date, float, str, str]]:
    """Every scheduled payment of each contract up to the as-of date (a cancelled contract
    stops being paid at a random point)."""
    payments = []
    for contract in g.tables["ast_contract"]:
        step = 12 // _PERIODS[contract["payment_schedule"]]
        starts = date.fromisoformat(contract["starts"])
        last = min(date.fromisoformat(contract["ends"]), g.as_of - timedelta(days=1))
        if contract["state"] == "cancelled":
            last = g.rand_day(starts, max(starts, last))
        day, period = starts, 0
        while day <= last:
            amount = float(contract["payment_amount"])
            payments.append((day, amount, contract["sys_id"], contract["cost_center"]))
            period += 1
            day = add_years(starts, period * step / 12)
    return payments


def expenses(g: Generator, cost_centers: dict[str, list[Record]], fleet: Fleet) -> None:
    """About 7,000 x scale asset purchases and every scheduled contract payment, by date."""
    rng = g.rng
    dated = [(a, m) for a, m in fleet.assets if a["purchase_date"]]
    centres = [c for town in cost_centers.values() for c in town]
    lines = [
        (date.fromisoformat(asset["purchase_date"]), float(asset["cost"]), asset["sys_id"], "")
        for asset, _ in (rng.choice(dated) for _ in range(g.n(7_000) if dated else 0))
    ]
    capex = {asset["sys_id"]: asset["cost_center"] for asset, _ in dated}
    lines += _payments(g)
    for number, (day, amount, source, centre) in enumerate(sorted(lines)):
        is_capex = source in capex
        centre = capex[source] if is_capex else centre
        g.add(
            "fm_expense_line",
            {
                "number": f"EXP{number + 10001:07d}",
                "amount": money(amount),
                "date": day.isoformat(),
                "cost_center": centre or rng.choice(centres)["sys_id"],
                "summary_type": "capex" if is_capex else "opex",
                "type": "one-time" if is_capex else "recurring",
                "source_id": source,
            },
            g.day_time(max(day, GO_LIVE)),
        )
