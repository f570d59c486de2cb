"""`empreinte dashboard` in Debian's headless Chromium: a filter changes the displayed figures
to the mart's for that filter; the drill-down goes town → site → asset and shows the asset's
explanation; the tables read like the report's (labels, figures written in the dashboard's
language) while their cells stay the marts' numbers (sorting by value). Screenshots go to the
test's output folder."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from pipelines.reporting import figures
from pipelines.reporting.dashboard import FILTERS, running
from pipelines.reporting.messages import number, percent
from pipelines.warehouse import connect_read_only
from tests.browser import MISSING, available, browser
from tests.pipeline.conftest import PipelineRun

needs_browser = pytest.mark.skipif(not available(), reason=MISSING)
YEAR = 2025  # the dashboard opens on the last complete year
WAIT = 30


def climate_tco2e(run: PipelineRun, condition: str = "true", parameters: list | None = None):
    with connect_read_only(run.paths) as connection:
        return connection.execute(
            "select sum(value) / 1000 from fct_footprint_yearly where reporting_year = ?"
            f" and method = 'amortised' and criterion = 'climate_change' and {condition}",
            [YEAR, *(parameters or [])],
        ).fetchall()[0][0]


def cells(driver, table: str, column: str) -> list[str]:
    """The text of ``column``'s cells in the table ``table``, as the browser shows them."""
    from selenium.webdriver.common.by import By

    found = driver.find_elements(By.CSS_SELECTOR, f"#{table} td[data-dash-column='{column}']")
    return [cell.text for cell in found]


def headers(driver, table: str) -> list[str]:
    from selenium.webdriver.common.by import By

    return [cell.text for cell in driver.find_elements(By.CSS_SELECTOR, f"#{table} th")]


@needs_browser
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
        cell = "#drill-table td[data-dash-column='{}']"

        def column(name: str) -> list[str]:
            return cells(driver, "drill-table", name)

        # The filtered town is the only row, with the mart's figure written as the report
        # writes it, under the report's labels.
        wait.until(lambda _: column("name") == [town], "the filtered town alone")
        assert headers(driver, "drill-table") == ["Identifier", "Name", "Items", "tCO2e", "Share"]
        assert column("tco2e") == [number(of_town, "en")]
        assert column("share") == ["100%"]

        for title in ("Sites of", "Assets of"):
            driver.find_element(By.CSS_SELECTOR, cell.format("name")).click()
            wait.until(
                lambda _, title=title: title in driver.find_element(By.ID, "drill-title").text,
                title,
            )
        asset = column("key")[0]
        driver.find_element(By.CSS_SELECTOR, cell.format("name")).click()
        wait.until(
            lambda _: driver.find_element(By.ID, "explanation").text.startswith("Asset " + asset),
            "the asset's explanation",
        )
        driver.save_screenshot(str(tmp_path / "dashboard-drill-down.png"))
    assert (tmp_path / "dashboard.png").stat().st_size > 10_000


@needs_browser
def test_the_tables_read_like_the_reports_in_french(
    pipeline_run: PipelineRun, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    with connect_read_only(pipeline_run.paths) as connection:
        towns = figures.breakdown(connection, YEAR, "town")
        budgets = figures.budgets(connection, YEAR)
    tco2e = list(towns["tco2e"])
    page = 15  # the drill-down's rows
    # Ordering the written figures as text would not order them by value: the sort below
    # tells the two apart.
    by_value = [number(value, "fr") for value in sorted(tco2e)]
    assert sorted(number(value, "fr") for value in tco2e) != by_value

    with running(pipeline_run.paths, "fr") as url, browser() as driver:
        wait = WebDriverWait(driver, WAIT)
        driver.get(url)
        tab = "//*[text()='{}']"
        wait.until(lambda _: driver.find_elements(By.XPATH, tab.format("Exploration")), "the tabs")
        driver.find_element(By.XPATH, tab.format("Exploration")).click()
        wait.until(lambda _: len(cells(driver, "drill-table", "name")) == page, "the towns")
        assert headers(driver, "drill-table") == ["Identifiant", "Nom", "Éléments", "tCO2e", "Part"]
        # 1 decimal, a decimal comma and a narrow no-break space between thousands; integers
        # grouped; shares in percent: `number` and `percent`'s writing, the report's.
        assert cells(driver, "drill-table", "tco2e") == [number(v, "fr") for v in tco2e[:page]]
        assert cells(driver, "drill-table", "items") == [
            number(v, "fr", 0) for v in towns["items"][:page]
        ]
        assert cells(driver, "drill-table", "share") == [
            percent(v, "fr") for v in towns["share"][:page]
        ]
        # Sorting orders by value: the smallest towns first.
        sort = "#drill-table th[data-dash-column='tco2e'] .column-header--sort"
        driver.find_element(By.CSS_SELECTOR, sort).click()
        wait.until(
            lambda _: cells(driver, "drill-table", "tco2e") == by_value[:page],
            "the towns by tCO2e, smallest first",
        )

        driver.find_element(By.XPATH, tab.format("Décisions")).click()
        wait.until(lambda _: cells(driver, "budgets-table", "colour"), "the budgets")
        labels = headers(driver, "budgets-table")
        assert labels[:4] == ["Centre de coût", "Statut", "Ligne budgétaire", "Dépense (€)"]
        assert labels[5] == "kgCO2e par €"
        # Each row shown is a row of the mart written as the report writes it: spend with
        # grouped thousands, kgCO2e per euro with 2 decimals (`precise`). Rows are matched
        # whole, as rows of equal weight may come in either order.
        keys = ("cost_center_name", "status", "budget_line", "spend", "kgco2e_per_euro")
        shown = list(zip(*(cells(driver, "budgets-table", key) for key in keys), strict=True))
        written = {
            (
                row["cost_center_name"],
                row["status"],
                row["budget_line"] or "",
                number(row["spend"], "fr"),
                number(row["kgco2e_per_euro"], "fr", 2),
            )
            for row in budgets.iter_rows(named=True)
        }
        assert len(shown) == 10 and set(shown) <= written
        assert any("\u202f" in spend for _, _, _, spend, _ in shown)
        driver.save_screenshot(str(tmp_path / "dashboard-decisions.png"))


def test_the_tables_hold_numbers_with_their_format(pipeline_run: PipelineRun) -> None:
    """What the browser receives from the Décisions and Qualité callback: the labels in French,
    each number column numeric with its format, and the marts' figures to the last digit."""
    with connect_read_only(pipeline_run.paths) as connection:
        trajectory = figures.trajectory(connection)
        levels = figures.match_levels(connection)
    inputs = [
        {"id": "filter-year", "property": "value", "value": YEAR},
        {"id": "filter-method", "property": "value", "value": "amortised"},
        *({"id": f"filter-{key}", "property": "value", "value": None} for key in FILTERS),
    ]
    outputs = [{"id": tab, "property": "children"} for tab in ("decisions", "quality")]
    with running(pipeline_run.paths, "fr") as url:
        answer = requests.post(
            url + "_dash-update-component",
            json={
                "output": "..decisions.children...quality.children..",
                "outputs": outputs,
                "inputs": inputs,
                "changedPropIds": [],
                "state": [],
            },
            timeout=WAIT,
        )
    answer.raise_for_status()
    tables = {
        child["props"]["id"]: child["props"]
        for tab in answer.json()["response"].values()
        for child in tab["children"]
        if child["type"] == "DataTable"
    }
    path = tables["trajectory-table"]
    assert path["locale_format"] == {"group": "\u202f", "decimal": ",", "percent": "\u202f%"}
    assert path["sort_action"] == "native" and path["export_format"] == "csv"
    columns = {column["id"]: column for column in path["columns"]}
    assert columns["gap_tco2e"]["name"] == "Écart à la cible (tCO2e)"
    assert columns["tco2e"]["type"] == "numeric"
    assert columns["tco2e"]["format"]["specifier"] == ",.1f"
    assert "type" not in columns["year_status"]
    # The cells are the mart's numbers, not text: the CSV export and the sort read them.
    assert [row["tco2e"] for row in path["data"]] == list(trajectory["tco2e"])
    assert [row["gap_tco2e"] for row in path["data"]] == list(trajectory["gap_tco2e"])

    shares = {column["id"]: column for column in tables["match-levels-table"]["columns"]}
    assert shares["share"]["name"] == "Part"
    assert shares["share"]["format"]["specifier"] == ",.0%"
    assert shares["assets"]["format"]["specifier"] == ",.0f"
    assert [row["share"] for row in tables["match-levels-table"]["data"]] == list(levels["share"])
