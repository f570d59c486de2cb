"""`empreinte dashboard` in Debian's headless Chromium: a filter changes the displayed figures
to the mart's for that filter; the drill-down goes town → site → asset and shows the asset's
explanation. Screenshots go to the test's output folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.reporting.dashboard import running
from pipelines.reporting.messages import number
from pipelines.warehouse import connect_read_only
from tests.browser import MISSING, available, browser
from tests.pipeline.conftest import PipelineRun

pytestmark = pytest.mark.skipif(not available(), reason=MISSING)
YEAR = 2025  # the dashboard opens on the last complete year
WAIT = 30


def climate_tco2e(run: PipelineRun, condition: str = "true", parameters: list | None = None):
    with connect_read_only(run.paths) as connection:
        return connection.execute(
            "select sum(value) / 1000 from fct_footprint_yearly where reporting_year = ?"
            f" and method = 'amortised' and criterion = 'climate_change' and {condition}",
            [YEAR, *(parameters or [])],
        ).fetchall()[0][0]


def test_a_filter_shows_the_marts_figure_and_drills_down(
    pipeline_run: PipelineRun, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    with connect_read_only(pipeline_run.paths) as connection:
        town_id, town = connection.execute(
            "select town_id, town_name from fct_footprint_yearly where reporting_year = ?"
            " and criterion = 'climate_change' and method = 'amortised' group by all"
            " order by sum(value) limit 1",
            [YEAR],
        ).fetchall()[0]
    everything = climate_tco2e(pipeline_run)
    of_town = climate_tco2e(pipeline_run, "town_id = ?", [town_id])
    assert number(everything, "en") != number(of_town, "en")

    with running(pipeline_run.paths, "en") as url, browser() as driver:
        wait = WebDriverWait(driver, WAIT)

        def total() -> str:
            return driver.find_element(By.ID, "total").text

        driver.get(url)
        wait.until(lambda _: total() == number(everything, "en"), "the unfiltered total")
        driver.save_screenshot(str(tmp_path / "dashboard.png"))

        field = driver.find_element(By.CSS_SELECTOR, "#filter-town input")
        field.send_keys(town)
        field.send_keys(Keys.ENTER)
        wait.until(lambda _: total() == number(of_town, "en"), f"the total of {town}")

        driver.find_element(By.XPATH, "//*[text()='Drill-down']").click()
        cells = "#drill-table td[data-dash-column='{}']"

        def column(name: str) -> list[str]:
            return [cell.text for cell in driver.find_elements(By.CSS_SELECTOR, cells.format(name))]

        # The filtered town is the only row, with the mart's figure to the last digit.
        wait.until(lambda _: column("name") == [town], "the filtered town alone")
        assert float(column("tco2e")[0]) == pytest.approx(of_town, rel=1e-9)

        for title in ("Sites of", "Assets of"):
            driver.find_element(By.CSS_SELECTOR, cells.format("name")).click()
            wait.until(
                lambda _, title=title: title in driver.find_element(By.ID, "drill-title").text,
                title,
            )
        asset = column("key")[0]
        driver.find_element(By.CSS_SELECTOR, cells.format("name")).click()
        wait.until(
            lambda _: driver.find_element(By.ID, "explanation").text.startswith("Asset " + asset),
            "the asset's explanation",
        )
        driver.save_screenshot(str(tmp_path / "dashboard-drill-down.png"))
    assert (tmp_path / "dashboard.png").stat().st_size > 10_000
