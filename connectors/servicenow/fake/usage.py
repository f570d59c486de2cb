"""Who uses the business services: requests for catalogue services name the service they are
for (``sc_req_item.business_service``), as agents' requests do on a real instance."""

from __future__ import annotations

from connectors.servicenow.fake.generator import Generator, Record


def link_requests(g: Generator, towns: dict[str, Record]) -> None:
    """Most requests for a catalogue service name a service of the requester's town or of the
    metropolis; hardware requests name none."""
    metropolis = towns["__metropolis__"]["sys_id"]
    by_company: dict[str, list[Record]] = {}
    for service in g.tables["cmdb_ci_service"]:
        by_company.setdefault(service["company"], []).append(service)
    # Catalogue services are the items without a hardware model.
    services = {item["sys_id"] for item in g.tables["sc_cat_item"] if not item.get("model")}
    sites = {site["sys_id"]: site for site in g.tables["cmn_location"]}
    for request in g.tables["sc_req_item"]:
        if request["cat_item"] not in services:
            continue
        town = sites[request["location"]]["company"]
        candidates = by_company.get(town, []) + by_company.get(metropolis, [])
        if candidates and g.rng.random() < 0.85:
            request["business_service"] = g.rng.choice(candidates)["sys_id"]
