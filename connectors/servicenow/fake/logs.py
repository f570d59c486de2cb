"""The metropolis's own logs, beside its ServiceNow instance: vehicle trips, agent trips and
collection events, as CSV files with the documented headers (``connectors/README.md``).

They are drawn from the generated tables (transfer orders, contracts, sites, cost centres,
retired assets), with their own random stream, so the instance's data stays the same whether
the logs are written or not. The organisation started logging trips in 2022; its collection
points (the 18 town halls and the 10 largest towns' libraries) have taken devices in since 2021,
most of them during the Digital Cleanup Day each March.
"""

from __future__ import annotations

import csv
import itertools
import math
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from connectors.logs import AGENT_TRIPS, COLLECTION_EVENTS, VEHICLE_TRIPS
from connectors.servicenow.fake.generator import Record
from connectors.servicenow.fake.metropolis import generate

LOGGED_FROM = date(2022, 1, 1)
COLLECTED_FROM = date(2021, 1, 1)
COLLECTION_POINTS = 28

Row = dict[str, str]


def write_logs(
    folder: Path | str, seed: int = 42, scale: float = 1.0, as_of: date = date(2026, 11, 1)
) -> list[Path]:
    """Write ``vehicle_trips.csv``, ``agent_trips.csv`` and ``collection_events.csv`` for the
    instance generated with the same seed, scale and as-of date; return their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, columns, rows in logs(generate(seed, scale, as_of), seed, as_of):
        path = folder / f"{name}.csv"
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
        written.append(path)
    return written


def logs(
    tables: dict[str, list[Record]], seed: int, as_of: date
) -> Iterator[tuple[str, tuple[str, ...], list[Row]]]:
    """(log name, columns, rows) of each log."""
    world = _World(tables, random.Random(seed ^ 0x106), as_of)
    yield VEHICLE_TRIPS.name, VEHICLE_TRIPS.columns, world.vehicle_trips()
    yield AGENT_TRIPS.name, AGENT_TRIPS.columns, world.agent_trips()
    yield COLLECTION_EVENTS.name, COLLECTION_EVENTS.columns, world.collection_events()


def _km(a: Record, b: Record) -> float:
    """Great-circle distance between two sites (the fake's roads are 15–45% longer)."""
    lat1, lon1, lat2, lon2 = (
        math.radians(float(v))
        for v in (a["latitude"], a["longitude"], b["latitude"], b["longitude"])
    )
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


class _World:
    """What the logs are drawn from, indexed once."""

    def __init__(self, tables: dict[str, list[Record]], rng: random.Random, as_of: date):
        self.tables, self.rng, self.as_of = tables, rng, as_of
        self.scale_rows = max(1, len(tables["alm_hardware"]))
        self.sites = {site["sys_id"]: site for site in tables["cmn_location"]}
        self.stockrooms = {room["sys_id"]: room for room in tables["alm_stockroom"]}
        halls = [s for s in tables["cmn_location"] if s["name"].startswith("Hôtel de ville")]
        libraries = [s for s in tables["cmn_location"] if s["name"].startswith("Médiathèque")]
        # Towns are generated largest first: their libraries come first.
        self.collection_points = (halls + libraries)[:COLLECTION_POINTS]
        self.central = next(s for s in tables["cmn_location"] if s["name"] == "Magasin central")

    def n(self, base: float) -> int:
        """``base`` at scale 1 (25,000 assets), scaled like the instance."""
        return max(1, round(base * self.scale_rows / 25_000))

    def day(self, start: date, end: date | None = None) -> date:
        """A day from ``start`` to ``end`` (default: the day before the as-of date)."""
        end = min(end or self.as_of, self.as_of - timedelta(days=1))
        return date.fromordinal(self.rng.randrange(start.toordinal(), end.toordinal() + 1))

    # ---- vehicle trips --------------------------------------------------------------------
    def vehicle_trips(self) -> list[Row]:
        rows = self._transfer_trips() + self._collection_rounds() + self._interventions()
        rows.sort(key=lambda row: (row["trip_date"], row["purpose"]))
        for number, row in enumerate(rows, start=1):
            row["trip_id"] = f"VT{number:06d}"
        return rows

    def _transfer_trips(self) -> list[Row]:
        """Most shipped transfer orders since logging began, 60% with kilometres logged."""
        rng = self.rng
        counts: dict[str, int] = {}
        for line in self.tables["alm_transfer_order_line"]:
            counts[line["transfer_order"]] = counts.get(line["transfer_order"], 0) + int(
                line["quantity_requested"]
            )
        rows = []
        for order in self.tables["alm_transfer_order"]:
            shipped = order["ship_date"][:10]
            if not shipped or shipped < LOGGED_FROM.isoformat() or rng.random() < 0.15:
                continue
            source = self.sites[self.stockrooms[order["from_stockroom"]]["location"]]
            target = self.sites[self.stockrooms[order["to_stockroom"]]["location"]]
            both_in_nantes = source["city"] == target["city"] == "Nantes"
            vehicle = rng.choices(
                ["van_diesel", "van_electric", "cargo_bike"],
                [40, 35, 25 if both_in_nantes else 0],
            )[0]
            logged = rng.random() < 0.6
            rows.append(
                {
                    "trip_date": shipped,
                    "vehicle_type": vehicle,
                    "purpose": "transfer",
                    "distance_km": f"{_km(source, target) * rng.uniform(1.15, 1.45):.1f}"
                    if logged
                    else "",
                    "from_location_id": source["sys_id"],
                    "to_location_id": target["sys_id"],
                    "transfer_order_number": order["number"],
                    "asset_count": str(counts.get(order["sys_id"], 0)),
                    "operator": "own" if rng.random() < 0.8 else "carrier",
                }
            )
        return rows

    def _collection_rounds(self) -> list[Row]:
        """A round of a few collection points each month, back to the central store."""
        rng, rows = self.rng, []
        month = LOGGED_FROM
        while month < self.as_of:
            stops = rng.sample(self.collection_points, rng.randint(3, 6))
            legs = [self.central, *stops, self.central]
            km = sum(_km(a, b) for a, b in itertools.pairwise(legs)) * 1.3
            rows.append(
                {
                    "trip_date": (month + timedelta(days=rng.randrange(0, 27))).isoformat(),
                    "vehicle_type": rng.choice(["van_diesel", "van_electric"]),
                    "purpose": "collection",
                    "distance_km": f"{km:.1f}",
                    "from_location_id": self.central["sys_id"],
                    "to_location_id": self.central["sys_id"],
                    "asset_count": str(rng.randint(10, 80)),
                    "operator": "own",
                    "comment": f"Tournée de collecte ({len(stops)} points)",
                }
            )
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        return rows

    def _interventions(self) -> list[Row]:
        """Technicians' trips: under maintenance contracts (the vendor's), or the organisation's
        own technicians (no contract)."""
        rng, rows = self.rng, []
        covered: dict[str, list[str]] = {}
        assets = {asset["sys_id"]: asset for asset in self.tables["alm_hardware"]}
        for link in self.tables["clm_m2m_contract_asset"]:
            covered.setdefault(link["contract"], []).append(assets[link["asset"]]["location"])
        models = {model["sys_id"]: model["name"] for model in self.tables["cmdb_model"]}
        for contract in self.tables["ast_contract"]:
            if models[contract["contract_model"]] != "Maintenance" or rng.random() < 0.4:
                continue
            starts = max(date.fromisoformat(contract["starts"]), LOGGED_FROM)
            ends = min(date.fromisoformat(contract["ends"]), self.as_of - timedelta(days=1))
            years = (ends - starts).days / 365.25
            for _ in range(round(years * rng.randint(4, 20))):
                rows.append(
                    {
                        "trip_date": self.day(starts, ends).isoformat(),
                        "vehicle_type": rng.choice(["car_diesel", "van_diesel", "car_electric"]),
                        "purpose": "intervention",
                        "distance_km": f"{rng.uniform(8, 70):.1f}",
                        "to_location_id": rng.choice(covered.get(contract["sys_id"], [""])),
                        "contract_number": contract["number"],
                        "operator": "carrier",
                    }
                )
        for _ in range(self.n(900) * (self.as_of.year - LOGGED_FROM.year + 1)):
            site = rng.choice(self.collection_points)
            rows.append(
                {
                    "trip_date": self.day(LOGGED_FROM).isoformat(),
                    "vehicle_type": rng.choice(["car_petrol", "car_electric", "cargo_bike"]),
                    "purpose": "intervention",
                    "distance_km": f"{_km(self.central, site) * rng.uniform(2.3, 2.9):.1f}",
                    "to_location_id": site["sys_id"],
                    "operator": "own",
                    "comment": "Intervention du support de proximité (aller-retour)",
                }
            )
        return rows

    # ---- agent trips ----------------------------------------------------------------------
    def agent_trips(self) -> list[Row]:
        """IT staff's business travel: mostly tram, bus and bike in the metropolis, some train
        to Paris or Rennes, a few flights."""
        rng = self.rng
        codes = [c["code"] for c in self.tables["cmn_cost_center"] if c["code"].endswith("-NUM")]
        nantes = [code for code in codes if code.startswith("44109")]
        trips = (
            ("tram", 30, (2, 12), "Réunion"),
            ("bus", 15, (3, 15), "Réunion"),
            ("bike", 18, (1, 8), "Intervention"),
            ("walk", 5, (0.5, 2), "Intervention"),
            ("car_petrol", 8, (5, 40), "Intervention"),
            ("car_electric", 6, (5, 40), "Intervention"),
            ("car_hybrid", 3, (5, 40), "Intervention"),
            ("train", 10, (110, 390), "Formation"),
            ("plane", 2, (520, 830), "Salon professionnel"),
        )
        rows = []
        for _ in range(self.n(2_000) * (self.as_of.year - LOGGED_FROM.year + 1)):
            mode, _, (low, high), purpose = rng.choices(trips, [t[1] for t in trips])[0]
            by_car = mode.startswith("car_")
            rows.append(
                {
                    "trip_date": self.day(LOGGED_FROM).isoformat(),
                    "mode": mode,
                    "distance_km": f"{rng.uniform(low, high):.1f}",
                    "cost_center_code": rng.choice(nantes if rng.random() < 0.7 else codes),
                    "purpose": purpose,
                    "passengers": str(rng.choice([1, 1, 1, 2, 3])) if by_car else "",
                }
            )
        rows.sort(key=lambda row: row["trip_date"])
        for number, row in enumerate(rows, start=1):
            row["trip_id"] = f"AT{number:06d}"
        return rows

    # ---- collection events ----------------------------------------------------------------
    def collection_events(self) -> list[Row]:
        """Devices handed in at the collection points: the Digital Cleanup Day (third Saturday
        of March) at every point, and drop-offs the rest of the year. A few carry the tag of
        a retired fleet asset."""
        rng = self.rng
        kinds = (
            ("smartphone", 30),
            ("laptop", 18),
            ("screen", 14),
            ("tablet", 8),
            ("desktop", 8),
            ("printer", 5),
            ("ip_phone", 5),
            ("other", 12),
        )
        retired = [
            asset
            for asset in self.tables["alm_hardware"]
            if asset["substatus"] in ("disposed", "donated") and asset["retired"] >= "2021"
        ]
        rows = []
        for year in range(COLLECTED_FROM.year, self.as_of.year + 1):
            cleanup = _third_saturday_of_march(year)
            if cleanup < self.as_of:
                for point in self.collection_points:
                    for _ in range(rng.randint(2, 5)):
                        rows.append(self._handed_in(cleanup, point, "Digital Cleanup Day", kinds))
            for _ in range(self.n(400)):
                day = self.day(date(year, 1, 1), date(year, 12, 31))
                rows.append(self._handed_in(day, rng.choice(self.collection_points), "", kinds))
        for asset in rng.sample(retired, min(len(retired), self.n(60))):
            point = rng.choice(self.collection_points)
            row = self._handed_in(date.fromisoformat(asset["retired"]), point, "", kinds)
            row.update(asset_tag=asset["asset_tag"], item_count="1", outcome="recycling")
            rows.append(row)
        rows.sort(key=lambda row: row["event_date"])
        for number, row in enumerate(rows, start=1):
            row["event_id"] = f"CE{number:06d}"
        return rows

    def _handed_in(
        self, day: date, point: Record, campaign: str, kinds: tuple[tuple[str, int], ...]
    ) -> Row:
        rng = self.rng
        category = rng.choices([k for k, _ in kinds], [w for _, w in kinds])[0]
        return {
            "event_date": day.isoformat(),
            "collection_point_id": point["sys_id"],
            "campaign": campaign,
            "device_category": category,
            "item_count": str(rng.randint(1, 12)),
            "outcome": rng.choices(["reuse", "refurbishment", "recycling"], [25, 10, 65])[0],
        }


def _third_saturday_of_march(year: int) -> date:
    first = date(year, 3, 1)
    return first + timedelta(days=(5 - first.weekday()) % 7 + 14)
