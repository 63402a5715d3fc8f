"""Production serves fingerprinted, compressed static files (whitenoise's manifest storage):
``collectstatic`` must succeed on every file we ship, vendored libraries included (a
JavaScript file naming a source map that is not there stops the deployment)."""

import io
import json

import pytest
from django.core.management import call_command
from django.test import override_settings

PRODUCTION = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """STATIC_ROOT after ``collectstatic`` with the production storage (once: it takes a while)."""
    from django.conf import settings

    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=str(root), STORAGES={**settings.STORAGES, "staticfiles": PRODUCTION}):
        call_command("collectstatic", "--no-input", stdout=io.StringIO())
    return root


def test_collectstatic_with_the_production_storage(collected):
    tmp_path = collected
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in ("css/site.css", "js/map.js", "vendor/leaflet-1.9.4/leaflet.js",
                 "vendor/leaflet.markercluster-1.5.3/leaflet.markercluster.js"):  # fmt: skip
        assert name in manifest
        assert (tmp_path / (manifest[name] + ".gz")).exists(), "compressed copy for whitenoise"


@pytest.mark.parametrize("autorefresh", [False, True])
@pytest.mark.django_db
def test_the_manifest_is_not_served(collected, settings, autorefresh):
    """whitenoise would serve ``/static/staticfiles.json``, the list of every file: not ours to give."""
    from django.test import Client

    settings.STATIC_ROOT, settings.WHITENOISE_AUTOREFRESH = str(collected), autorefresh
    settings.STORAGES = {**settings.STORAGES, "staticfiles": PRODUCTION}
    client = Client()  # a new handler: the middleware reads the settings above
    css = json.loads((collected / "staticfiles.json").read_text())["paths"]["css/site.css"]

    def status(name):
        response = client.get(settings.STATIC_URL + name)
        response.close()
        return response.status_code

    assert status(css) == 200
    for name in ("staticfiles.json", "staticfiles.json.gz", "staticfiles.json.br"):
        assert status(name) == 404, name
