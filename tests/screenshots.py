"""The README's screenshots (`make screenshots`): the report (its top, and its trend and
trajectory) and the dashboard (its overview, and its decisions tab) of the published warehouse
(``EMPREINTE_DATA_DIR``, else the demo's folder), in Debian's headless Chromium.

    python -m tests.screenshots docs
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from selenium.webdriver.common.by import By

from pipelines.demo import demo_folder
from pipelines.reporting.dashboard import running
from pipelines.reporting.messages import translator
from pipelines.reporting.report import build_report
from pipelines.warehouse import WarehousePaths, connect_read_only
from tests.browser import MISSING, available, browser

PICTURES = ("report.png", "report-trend.png", "dashboard.png", "dashboard-decisions.png")
LANGUAGE = "fr"


def main(folder: str) -> int:
    if not available():
        print(MISSING, file=sys.stderr)
        return 1
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    given = os.environ.get("EMPREINTE_DATA_DIR")
    paths = WarehousePaths.at(Path(given) if given else demo_folder(None))
    with connect_read_only(paths) as connection:
        document = build_report(connection, language=LANGUAGE)
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.html"
        report.write_text(document, encoding="utf-8")
        with browser(1100, 2200) as driver:
            driver.get(report.as_uri())
            driver.save_screenshot(str(out / "report.png"))
        with browser(1100, 1400) as driver:
            driver.get(report.as_uri() + "#trend")
            driver.save_screenshot(str(out / "report-trend.png"))
    with running(paths, LANGUAGE) as url, browser(1400, 1000) as driver:
        driver.get(url)
        time.sleep(5)  # the charts draw after their callbacks answer
        driver.save_screenshot(str(out / "dashboard.png"))
        decisions = translator(LANGUAGE)("tab_decisions")
        driver.find_element(By.XPATH, f"//*[text()='{decisions}']").click()
        time.sleep(2)
        driver.save_screenshot(str(out / "dashboard-decisions.png"))
    print(f"Screenshots written to {out}: {', '.join(PICTURES)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "docs"))
