"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

The browser is never skipped: without it these tests fail and say how to install it."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from cress.accessibility import AXE_TAGS

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = Path(settings.BASE_DIR) / "artifacts" / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium introuvable ({CHROMIUM}) : installez-le (apt-get install chromium) "
            "ou indiquez son chemin dans CHROMIUM_PATH. Les tests de navigateur ne sont jamais sautés."
        )
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_JS.exists():
        pytest.fail(f"axe-core introuvable ({AXE_JS}) : lancez « npm ci » (make test le fait).")
    return AXE_JS


@pytest.fixture(scope="session")
def vnu_jar():
    if not VNU_JAR.exists():
        pytest.fail(f"vnu.jar introuvable ({VNU_JAR}) : lancez « npm ci » (make test le fait).")
    if not shutil.which("java"):
        pytest.fail(
            "java introuvable : le Nu Html Checker demande Java 17 (apt-get install default-jre-headless)."
        )
    return VNU_JAR


@pytest.fixture
def audit_page(browser):
    """A page whose context lets the auditors inject their script (axe-core): the site's
    Content-Security-Policy forbids inline scripts, rightly. Journeys use ``page``, under
    the policy, and check that nothing is refused."""
    context = browser.new_context(bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def site(live_server, transactional_db, directory, settings):
    """The live server's base URL, with the real content loaded; the site's absolute links
    (common/site.py) lead to it."""
    settings.DIRECTORY_SITE_URL = live_server.url
    return live_server.url


def run_axe(page, axe_source):
    page.add_script_tag(path=str(axe_source))
    return page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )


def vnu_errors(vnu_jar, files):
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    return json.loads(result.stderr or '{"messages": []}')["messages"]
