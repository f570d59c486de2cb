"""Equipment moving between sites: stockrooms at the towns' sites and transfer orders.

The three stores (central, north, south) ship to and take back from a stockroom at each town
hall and at the data centre, as a metropolis's IT logistics does: most orders are deliveries
from a store to a site, then returns to a store (repair, disposal), then moves between stores.
"""

from __future__ import annotations

from datetime import timedelta

from connectors.servicenow.fake.fleet import Fleet
from connectors.servicenow.fake.generator import GO_LIVE, Generator, Record, fmt_ts

_STAGES = ("delivered",) * 8 + ("shipped", "draft", "cancelled")


def site_stockrooms(
    g: Generator, sites: dict[str, list[Record]], stores: list[Record]
) -> list[Record]:
    """A field stockroom at each town hall and one at the data centre (of the type of the
    stores after the central one)."""
    field_type = stores[-1]["type"]
    halls = [town_sites[0] for name, town_sites in sites.items() if not name.startswith("__")]
    return [
        g.add(
            "alm_stockroom",
            {
                "name": f"Stock {site['name']}",
                "location": site["sys_id"],
                "type": field_type,
            },
        )
        for site in [*halls, *sites["__datacentre__"]]
    ]


def _route(g: Generator, stores: list[Record], field: list[Record]) -> tuple[Record, Record]:
    roll = g.rng.random()
    if roll < 0.55:
        return g.rng.choice(stores), g.rng.choice(field)  # a delivery to a site
    if roll < 0.85:
        return g.rng.choice(field), g.rng.choice(stores)  # a return to a store
    source, target = g.rng.sample(stores, 2)
    return source, target


def transfers(g: Generator, stores: list[Record], field: list[Record], fleet: Fleet) -> None:
    """About 600 x scale transfer orders between stockrooms, 1–5 lines each."""
    rng = g.rng
    line_number = 10001
    for number in range(g.n(600)):
        source, target = _route(g, stores, field)
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
