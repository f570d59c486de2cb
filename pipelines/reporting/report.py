"""`empreinte report`: one self-contained HTML file (no script, no external asset; charts are
inline SVG; print CSS for a clean PDF). Every figure comes from a mart (see figures.py); every
number cell carries its raw value in `data-value`, so a test or a reader can check it.

This file puts the document together; `report_writer.py` writes the parts of a section,
`report_footprint.py` and `report_decisions.py` hold the sections."""

from __future__ import annotations

import html

import duckdb

from pipelines.reporting import figures
from pipelines.reporting import report_decisions as decisions
from pipelines.reporting import report_footprint as footprint
from pipelines.reporting.messages import translator
from pipelines.reporting.report_writer import ReportWriter

# Sections in order; each id is an anchor of the contents.
SECTIONS = (
    "headline",
    "towns",
    "stages",
    "sources",
    "trend",
    "categories",
    "budgets",
    "services",
    "catalogue",
    "transport",
    "keep",
    "quality",
)

STYLE = """
body { font-family: system-ui, sans-serif; color: #111; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.4; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; border-bottom: 2px solid #0072B2;
       padding-bottom: .2rem; margin-top: 2.5rem; }
table { border-collapse: collapse; margin: .6rem 0; font-size: .85rem; }
th, td { border-bottom: 1px solid #ccc; padding: .2rem .5rem; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.reading { font-weight: 600; margin: .3rem 0; }
.note { color: #555; font-style: italic; }
.headline { display: flex; flex-wrap: wrap; gap: 1rem; }
.figure { border: 1px solid #ccc; border-radius: .4rem; padding: .6rem 1rem; min-width: 12rem; }
.figure .value { font-size: 1.6rem; font-weight: 700; }
pre { white-space: pre-wrap; font-size: .8rem; background: #f6f6f6; padding: .6rem; }
svg { max-width: 100%; height: auto; }
@media print {
  body { max-width: none; margin: 0; }
  section { break-inside: avoid-page; }
  h2 { break-before: page; break-after: avoid-page; }
  #headline h2 { break-before: avoid-page; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
}
"""


def build_report(
    connection: duckdb.DuckDBPyConnection,
    *,
    year: int | None = None,
    baseline: int | None = None,
    scenario: str | None = None,
    language: str = "fr",
) -> str:
    """The whole report as an HTML document."""
    t = translator(language)
    year = year or figures.latest_complete_year(connection)
    writer = ReportWriter(connection, year, language, t)
    # In the order of SECTIONS: the categories and the catalogue choose what is explained.
    body = [
        footprint.headline(writer),
        footprint.towns(writer),
        footprint.stages(writer),
        footprint.sources(writer),
        decisions.trend(writer, baseline),
        footprint.categories(writer),
        decisions.budgets(writer),
        footprint.services(writer),
        decisions.catalogue(writer),
        footprint.transport(writer),
        decisions.keep(writer),
        footprint.quality(writer),
    ]
    sections = list(SECTIONS)
    if scenario:
        body.append(decisions.scenario(writer, scenario))
        sections.append("scenario")
    body.append(footprint.explanations(writer))
    sections.append("explanations")
    contents = "".join(
        f'<li><a href="#{key}">{html.escape(writer.titles[key])}</a></li>' for key in sections
    )
    title = t("report_title", year=year)
    return (
        f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(writer.generated())}</p>"
        f"<nav><h2>{t('contents')}</h2><ol>{contents}</ol></nav>{''.join(body)}</body></html>"
    )
