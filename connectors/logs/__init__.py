"""Non-ServiceNow logs (vehicle trips, agent trips, collection events): validated CSV landed
under source "logs"."""

from connectors.logs.trips import (
    AGENT_TRIPS,
    COLLECTION_EVENTS,
    LOGS,
    VEHICLE_TRIPS,
    TripLog,
    TripLogsReport,
    land_trip_logs,
    read_trip_log,
)

__all__ = [
    "AGENT_TRIPS",
    "COLLECTION_EVENTS",
    "LOGS",
    "VEHICLE_TRIPS",
    "TripLog",
    "TripLogsReport",
    "land_trip_logs",
    "read_trip_log",
]
