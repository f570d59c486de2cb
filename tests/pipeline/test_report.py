"""`empreinte report` on the shared demo warehouse: every section, the marts' figures, nothing
loaded from outside the file, French by default and English on request."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.reporting.report import SECTIONS
from pipelines.warehouse import MARTS, connect_read_only
from tests.pipeline.conftest import PipelineRun
from tests.pipeline.report_html import ReportPage, read_report

YEAR = 2025  # the last complete year of the shared run (as of 2026-11-01)
# Every mart the report reads beside the footprint. Those the publish step requires
# (pipelines.warehouse.MARTS) must be there; a section whose mart the build does not make says
# "not available", naming it.
REPORT_MARTS = (
    "mart_trajectory",
    "mart_budget_colour",
    "mart_footprint_by_service",
    "mart_catalogue_item_impact",
    "mart_end_of_life",
    "mart_keep_or_replace",
    "mart_data_quality",
)


@pytest.fixture(scope="module")
def report(pipeline_run: PipelineRun, tmp_path_factory: pytest.TempPathFactory) -> ReportPage:
    assert pipeline_run.success
    out = tmp_path_factory.mktemp("report") / "report.html"
    assert main(["report", "--year", str(YEAR), "--out", str(out)]) == 0
    return read_report(out.read_text(encoding="utf-8"))


def query(run: PipelineRun, sql: str, parameters: list | None = None) -> list[tuple]:
    with connect_read_only(run.paths) as connection:
        return connection.execute(sql, parameters or []).fetchall()


def test_every_section_is_there_with_its_mart(report: ReportPage) -> None:
    assert report.sections == [*SECTIONS, "explanations"]
    for mart in REPORT_MARTS:
        if mart in MARTS:
            assert mart not in report.text, f"the warehouse lacks {mart}"
        else:
            assert f"Non disponible : l'entrepôt publié ne contient pas {mart}." in report.text


def needs(*marts: str) -> None:
    missing = [mart for mart in marts if mart not in MARTS]
    if missing:
        pytest.skip(f"{', '.join(missing)} not among the published marts (MARTS) on this branch")


def test_nothing_is_loaded_from_outside_the_file(report: ReportPage) -> None:
    assert report.links, "the report links its figures to their explanations"
    assert all(link.startswith("#") for link in report.links), report.links
    assert not report.tags & {"script", "link", "img", "iframe", "object", "embed"}
    for link in report.links:
        assert link[1:] in report.ids, f"{link} points nowhere"


def test_headline_and_towns_are_the_marts(report: ReportPage, pipeline_run: PipelineRun) -> None:
    ((climate,),) = query(
        pipeline_run,
        "select sum(value) from fct_footprint_yearly where reporting_year = ?"
        " and method = 'amortised' and criterion = 'climate_change'",
        [YEAR],
    )
    assert report.values["headline-climate_change"] == pytest.approx(climate, rel=1e-9)
    towns = dict(
        query(
            pipeline_run,
            "select coalesce(town_name, '—'), sum(value) / 1000 from fct_footprint_yearly"
            " where reporting_year = ? and method = 'amortised'"
            " and criterion = 'climate_change' group by all",
            [YEAR],
        )
    )
    shown = {row[0].text: row[2].value for row in report.rows("towns-table")}
    assert shown.keys() == towns.keys()
    for town, tco2e in towns.items():
        assert shown[town] == pytest.approx(tco2e, rel=1e-9), town
    stages = {row[0].text: row[2].value for row in report.rows("stages-table")}
    assert sum(stages.values()) == pytest.approx(climate / 1000, rel=1e-9)


def test_decision_sections_are_the_marts(report: ReportPage, pipeline_run: PipelineRun) -> None:
    needs("mart_trajectory", "mart_catalogue_item_impact", "mart_budget_colour")
    needs("mart_keep_or_replace")
    ((gap,),) = query(
        pipeline_run,
        "select gap_to_target / 1000 from mart_trajectory where reporting_year = ?"
        " and method = 'amortised' and criterion = 'climate_change'",
        [YEAR],
    )
    trajectory = {row[0].text: row[4].value for row in report.rows("trajectory-table")}
    assert trajectory[str(YEAR)] == pytest.approx(gap, rel=1e-9)
    heaviest = query(
        pipeline_run,
        "select catalogue_item_name, life_impact from mart_catalogue_item_impact"
        " where criterion = 'climate_change' and is_default_country"
        " order by life_impact desc nulls last, catalogue_item_name limit 1",
    )[0]
    first = report.rows("catalogue-table")[0]
    assert (first[0].text, first[3].value) == (heaviest[0], pytest.approx(heaviest[1]))
    budgets = query(
        pipeline_run,
        "select sum(kgco2e) from mart_budget_colour where reporting_year = ?",
        [YEAR],
    )[0][0]
    shown = [row[4].value for row in report.rows("budgets-table") if row[4].value is not None]
    assert max(shown) <= budgets and shown == sorted(shown, reverse=True)
    keep = query(
        pipeline_run,
        "select count(*) from mart_keep_or_replace where criterion = 'climate_change'",
    )[0][0]
    assert len(report.rows("keep-table")) == min(keep, 15)
    levels = dict(query(pipeline_run, "select match_level, count(*) from dim_hardware_assets"
                                      " group by all"))  # fmt: skip
    assert {row[0].text: row[1].value for row in report.rows("match-levels-table")} == levels


def test_headline_items_link_to_their_explanation(
    report: ReportPage, pipeline_run: PipelineRun
) -> None:
    ((heaviest,),) = query(
        pipeline_run,
        "select asset_id from fct_footprint where reporting_year = ? and method = 'amortised'"
        " and criterion = 'climate_change' and asset_id is not null group by asset_id"
        " order by sum(value) desc limit 1",
        [YEAR],
    )
    assert f"#explain-{heaviest}" in report.links
    assert report.texts[f"explain-{heaviest}"].startswith("Équipement " + heaviest)


def test_english_on_request(pipeline_run: PipelineRun, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert main(["report", "--year", str(YEAR), "--lang", "en", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in text and "Headline figures" in text
    assert "Chiffres clés" not in text
