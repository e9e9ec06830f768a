"""A headless Chromium driven by selenium, for tests of the pages the harness writes.

Tests using it skip when Debian's `chromium` and `chromium-driver` (or selenium) are absent.
"""
from __future__ import annotations

import shutil
import tempfile

import pytest

# What Chromium needs to start as root in a container, and to stay off the network.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage")


def _binary(*names: str) -> str | None:
    for n in names:
        path = shutil.which(n)
        if path:
            return path
    return None


def start(width: int = 1400, height: int = 1000):
    """A new browser, or skip the test."""
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    chromium = _binary("chromium", "chromium-browser", "google-chrome")
    driver = _binary("chromedriver")
    if not chromium or not driver:
        pytest.skip("needs chromium and chromedriver (apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    for flag in FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="harness-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={width},{height}")
    options.binary_location = chromium
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(options=options, service=Service(driver))
    browser._harness_profile = profile
    return browser


def stop(browser) -> None:
    profile = getattr(browser, "_harness_profile", None)
    browser.quit()
    if profile:
        shutil.rmtree(profile, ignore_errors=True)


def console_errors(browser) -> list[dict]:
    """The console messages of level SEVERE since the last call (uncaught errors among them)."""
    return [m for m in browser.get_log("browser") if m.get("level") == "SEVERE"]
