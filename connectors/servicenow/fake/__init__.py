"""A faithful fake ServiceNow instance: seeded synthetic data served over real HTTP."""

from connectors.servicenow.fake.faults import Faults
from connectors.servicenow.fake.metropolis import generate
from connectors.servicenow.fake.server import (
    DEFAULT_PASSWORD,
    DEFAULT_USER,
    FakeInstance,
    serve,
)

__all__ = ["DEFAULT_PASSWORD", "DEFAULT_USER", "FakeInstance", "Faults", "generate", "serve"]
