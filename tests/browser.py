"""Debian's headless Chromium driven by Selenium through Debian's chromedriver: never a
downloaded browser or driver (`make test` installs the two packages where it can)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
MISSING = (
    "Debian's chromium and chromium-driver are not installed (`make test` installs them with"
    " apt-get when it runs as root on Debian)"
)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


def available() -> bool:
    """Whether the system browser and its driver are there."""
    return CHROMIUM.exists() and CHROMEDRIVER.exists()


@contextmanager
def browser(width: int = 1400, height: int = 1000) -> Iterator:
    """A headless Chromium session (``selenium.webdriver.Chrome``), quit afterwards."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--window-size={width},{height}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
