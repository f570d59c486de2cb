"""What the organisation does with its fleet: services, contracts, transfers and expenses."""

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
    fmt_ts,
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


def services(g: Generator, fleet: Fleet) -> None:
    """About 1,600 x scale business services, each depending on 1–3 servers."""
    rng = g.rng
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


_CONTRACT_MODELS = (("Maintenance", 18), ("Service", 10), ("Lease", 7), ("Telecom", 5))
_PERIODS = {"monthly": 12, "quarterly": 4, "annually": 1}


def contracts(
    g: Generator,
    towns: dict[str, Record],
    cost_centers: dict[str, list[Record]],
    fleet: Fleet,
) -> None:
    """About 40 contracts; maintenance and lease contracts cover assets."""
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
        "Lease": [a for a, m in fleet.assets if m.category in ("Laptop", "Multifunction printer")],
    }
    contract_models = {
        r["name"]: r["sys_id"]
        for r in g.tables["cmdb_model"]
        if r["sys_class_name"] == "cmdb_contract_product_model"
    }
    number = 10001
    for contract_model, count in _CONTRACT_MODELS:
        for _ in range(count):
            starts = g.rand_day(date(2016, 1, 1), g.as_of - timedelta(days=60))
            years = rng.choice([1, 3, 3, 4, 5])
            ends = add_years(starts, years) - timedelta(days=1)
            yearly = round(rng.uniform(8_000, 250_000), -2)
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
            for asset in rng.sample(pool, min(len(pool), rng.randint(20, 120))):
                g.add(
                    "clm_m2m_contract_asset",
                    {
                        "contract": contract["sys_id"],
                        "asset": asset["sys_id"],
                        "added": starts.isoformat(),
                    },
                )


_STAGES = ("delivered",) * 8 + ("shipped", "draft", "cancelled")


def transfers(g: Generator, stockrooms: list[Record], fleet: Fleet) -> None:
    """About 600 x scale transfer orders between stockrooms, 1–5 lines each."""
    rng = g.rng
    line_number = 10001
    for number in range(g.n(600)):
        source, target = rng.sample(stockrooms, 2)
        stage = rng.choice(_STAGES)
        day = g.rand_day(GO_LIVE, g.as_of - timedelta(days=1))
        shipped = g.day_time(day)
        delivered = min(shipped + rng.randrange(3600, 4 * 86400), g.end)
        order = g.add(
            "alm_transfer_order",
            {
                "number": f"TO{number + 10001:07d}",
                "from_stockroom": source["sys_id"],
                "to_stockroom": target["sys_id"],
                "stage": stage,
                "ship_date": fmt_ts(shipped) if stage in ("delivered", "shipped") else "",
                "delivery_date": fmt_ts(delivered) if stage == "delivered" else "",
            },
            shipped - 86400,
        )
        for _ in range(rng.randint(1, 5)):
            asset, _ = rng.choice(fleet.assets)
            quantity = 1 if rng.random() < 0.7 else rng.randint(2, 20)
            g.add(
                "alm_transfer_order_line",
                {
                    "number": f"TOL{line_number:07d}",
                    "transfer_order": order["sys_id"],
                    "model": asset["model"],
                    "asset": asset["sys_id"] if quantity == 1 else "",
                    "quantity_requested": str(quantity),
                    "quantity_received": str(quantity) if stage == "delivered" else "0",
                    "stage": stage,
                },
                shipped - 86400,
            )
            line_number += 1


def expenses(g: Generator, cost_centers: dict[str, list[Record]], fleet: Fleet) -> None:
    """About 10,000 x scale expense lines: asset purchases and contract payments."""
    rng = g.rng
    contract_records = g.tables["ast_contract"]
    dated = [(a, m) for a, m in fleet.assets if a["purchase_date"]]
    centres = [c for town in cost_centers.values() for c in town]
    for number in range(g.n(10_000)):
        if rng.random() < 0.7 and dated:
            asset, _ = rng.choice(dated)
            day = date.fromisoformat(asset["purchase_date"])
            amount, source = float(asset["cost"]), asset["sys_id"]
            summary, kind, centre = "capex", "one-time", asset["cost_center"]
        else:
            contract = rng.choice(contract_records)
            day = g.rand_day(
                date.fromisoformat(contract["starts"]),
                min(date.fromisoformat(contract["ends"]), g.as_of),
            )
            amount, source = float(contract["payment_amount"]), contract["sys_id"]
            summary, kind, centre = "opex", "recurring", contract["cost_center"]
        if not centre:
            centre = rng.choice(centres)["sys_id"]
        g.add(
            "fm_expense_line",
            {
                "number": f"EXP{number + 10001:07d}",
                "amount": money(amount),
                "date": day.isoformat(),
                "cost_center": centre,
                "summary_type": summary,
                "type": kind,
                "source_id": source,
            },
            g.day_time(max(day, GO_LIVE)),
        )
