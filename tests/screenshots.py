"""The README's screenshots (`make screenshots`): the report and the dashboard of the published
warehouse (``EMPREINTE_DATA_DIR``, the demo's by default), in Debian's headless Chromium.

    python -m tests.screenshots docs
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from pipelines.reporting.dashboard import running
from pipelines.reporting.report import build_report
from pipelines.warehouse import WarehousePaths, connect_read_only
from tests.browser import MISSING, available, browser


def main(folder: str) -> int:
    if not available():
        print(MISSING, file=sys.stderr)
        return 1
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = WarehousePaths.from_env()
    with connect_read_only(paths) as connection:
        document = build_report(connection)
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.html"
        report.write_text(document, encoding="utf-8")
        with browser(1100, 2200) as driver:
            driver.get(report.as_uri())
            driver.save_screenshot(str(out / "report.png"))
    with running(paths) as url, browser(1400, 1000) as driver:
        driver.get(url)
        time.sleep(5)  # the charts draw after their callbacks answer
        driver.save_screenshot(str(out / "dashboard.png"))
    print(f"Screenshots written to {out / 'report.png'} and {out / 'dashboard.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "docs"))
