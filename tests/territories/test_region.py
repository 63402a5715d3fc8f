"""The directory's region is a setting (``DIRECTORY_REGION``): no code names a region or a
département, everything reads ``territories/region.py``."""

import ast
from pathlib import Path

from django.conf import settings

from territories import loading, region

ROOT = Path(settings.BASE_DIR)
# Where the region may be named: the setting itself, tests, migrations (history), and what
# is not ours.
ALLOWED = ("cress/settings.py",)
SKIPPED_PARTS = {"tests", "migrations", ".venv", "node_modules", ".git"}


def region_literals():
    """What naming the region looks like: its codes and its current region's, its
    départements' codes and names, the regions' keys (``region-25``)."""
    config = settings.DIRECTORY_REGION
    codes = [config["code"], config["current_region"], *config["departements"]]
    return {*codes, *(f"region-{code}" for code in codes[:2]), config["name"], *config["departements"].values()}


def named_literals(source, literals):
    """(line, value) of every string constant of ``source`` that is one of ``literals``
    (docstrings and comments may mention them: only a whole string counts)."""
    return [
        (node.lineno, node.value)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in literals
    ]


def python_files():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if SKIPPED_PARTS & set(relative.parts) or str(relative) in ALLOWED:
            continue
        yield relative, path


def test_no_python_file_names_the_region_or_its_departements():
    literals = region_literals()
    assert {"25", "28", "14", "50", "61", "region-25", "region-28"} <= literals
    offending = [
        (str(relative), line, value)
        for relative, path in python_files()
        for line, value in named_literals(path.read_text(encoding="utf-8"), literals)
    ]
    assert offending == [], "Lisez settings.DIRECTORY_REGION (territories/region.py) au lieu de nommer la région."


def test_the_check_finds_a_named_region_and_departement():
    literals = region_literals()
    source = 'REGION_KEY = "region-25"\nCODES = ["14", "50", "61"]\n"""Le Calvados, « 14 »."""\n'
    assert named_literals(source, literals) == [(1, "region-25"), (2, "14"), (2, "50"), (2, "61")]
    # The scan reaches the apps (a file of the tree is read).
    assert any(str(relative) == "territories/region.py" for relative, _ in python_files())


def test_the_region_module_reads_the_setting(settings):
    config = settings.DIRECTORY_REGION
    assert region.DEPARTEMENTS == list(config["departements"].items())
    assert region.DEPARTEMENT_CODES == list(config["departements"])
    assert region.REGION_CODES == [config["code"], config["current_region"]]


def test_the_committed_fixture_agrees_with_the_setting():
    """The fixture was written from the package and this setting (``import_territories
    --source … --write-fixture``): a changed region needs a new fixture."""
    data = loading.read_fixture()
    assert data["historic_regions"] == region.historic_regions()
    assert data["departements_with_communes"] == region.DEPARTEMENT_CODES
