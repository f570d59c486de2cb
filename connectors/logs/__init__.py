"""Non-ServiceNow logs (vehicle trips, agent trips): validated CSV landed under source "logs"."""

from connectors.logs.trips import (
    AGENT_TRIPS,
    VEHICLE_TRIPS,
    TripLog,
    TripLogsReport,
    land_trip_logs,
    read_trip_log,
)

__all__ = [
    "AGENT_TRIPS",
    "VEHICLE_TRIPS",
    "TripLog",
    "TripLogsReport",
    "land_trip_logs",
    "read_trip_log",
]
