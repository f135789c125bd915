"""Chromium for the end-to-end tests, and the accessibility audit's summary at the end of the run."""

import os

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

from .axe import AXE_SCRIPT, summary_lines

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser_context():
    """A fresh browser profile in Debian's Chromium (/usr/bin/chromium); a missing browser is a failure,
    not a skip. axe-core is in every page from its start, injected by the browser itself, so that the
    pages' Content-Security-Policy applies as for anyone else."""
    # Playwright's sync API runs an event loop in this thread; the test still talks to the database
    # synchronously, between browser steps, which is safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    assert os.path.exists(CHROMIUM), "Debian's Chromium is required: apt-get install -y chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="fr-FR")
        context.add_init_script(path=str(AXE_SCRIPT))
        yield context
        browser.close()
        # Database work done while Playwright runs uses a connection of its own context: close it, or
        # the test database cannot be dropped at the end.
        connections.close_all()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def browser_page(browser_context):
    return browser_context.new_page()


@pytest.fixture
def chromium_page(browser_page):
    return browser_page


def pytest_terminal_summary(terminalreporter):
    lines = summary_lines()
    if lines:
        terminalreporter.section("accessibility audit (axe-core)")
        for line in lines:
            terminalreporter.write_line(line)
