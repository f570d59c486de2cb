"""``python -m connectors.servicenow.fake --port 8080 --seed 42 --scale 1 --faults SPEC``."""

from __future__ import annotations

import argparse

from connectors.servicenow.fake.server import serve


def main() -> None:
    """Parse the command line and serve until interrupted."""
    parser = argparse.ArgumentParser(description="Run a fake ServiceNow instance on loopback.")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--faults", default=None, help="fault spec, see the fake's README")
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="serve reads from this many forked copies, in parallel (writes refused)",
    )
    options = parser.parse_args()
    if options.processes < 1:
        parser.error("--processes must be at least 1")
    serve(options.port, options.seed, options.scale, options.faults, options.processes)


if __name__ == "__main__":
    main()
