"""``empreinte report | explain | dashboard``: argparse sub-commands over the published
warehouse, opened read-only."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines.reporting.messages import DEFAULT_LANGUAGE, LANGUAGES
from pipelines.warehouse import WarehousePaths, connect_read_only


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``report``, ``explain`` and ``dashboard`` to the project's command line."""
    report = subparsers.add_parser("report", help="write the self-contained HTML report")
    report.add_argument("--year", type=int, help="default: the last complete year")
    report.add_argument("--baseline", type=int, help="default: the configured baseline year")
    report.add_argument("--scenario", help="add a scenario's comparison (scenario run NAME)")
    report.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE)
    report.add_argument("--out", type=Path, required=True, help="the HTML file to write")
    report.set_defaults(handler=_report)

    explain = subparsers.add_parser(
        "explain", help="how an asset's or a catalogue item's figure was computed"
    )
    explain.add_argument("key", metavar="ASSET_OR_ITEM", help="a sys_id, asset tag or item name")
    explain.add_argument("--year", type=int, help="default: the last complete year")
    explain.add_argument("--criterion", default="climate_change")
    explain.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE)
    explain.set_defaults(handler=_explain)

    dashboard = subparsers.add_parser(
        "dashboard", help="serve the interactive dashboard on localhost"
    )
    dashboard.add_argument("--port", type=int, default=8050, help="0: a free port")
    dashboard.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE)
    dashboard.set_defaults(handler=_dashboard)


def _report(arguments: argparse.Namespace) -> int:
    from pipelines.reporting.report import build_report

    with connect_read_only(WarehousePaths.from_env()) as connection:
        document = build_report(
            connection,
            year=arguments.year,
            baseline=arguments.baseline,
            scenario=arguments.scenario,
            language=arguments.lang,
        )
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(document, encoding="utf-8")
    print(f"Report written to {arguments.out}")
    return 0


def _explain(arguments: argparse.Namespace) -> int:
    from pipelines.reporting.explain import explain

    with connect_read_only(WarehousePaths.from_env()) as connection:
        try:
            text = explain(
                connection,
                arguments.key,
                year=arguments.year,
                criterion=arguments.criterion,
                language=arguments.lang,
            )
        except KeyError as error:
            print(f"empreinte explain: {error.args[0]}", file=sys.stderr)
            return 1
    print(text)
    return 0


def _dashboard(arguments: argparse.Namespace) -> int:
    from pipelines.reporting.dashboard import serve

    serve(WarehousePaths.from_env(), port=arguments.port, language=arguments.lang)
    return 0
