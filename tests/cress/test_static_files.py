"""Production serves fingerprinted, compressed static files (whitenoise's manifest storage):
``collectstatic`` must succeed on every file we ship, vendored libraries included (a
JavaScript file naming a source map that is not there stops the deployment)."""

import io
import json

from django.core.management import call_command
from django.test import override_settings


def test_collectstatic_with_the_production_storage(tmp_path, settings):
    storages = {**settings.STORAGES,
                "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}  # fmt: skip
    with override_settings(STATIC_ROOT=str(tmp_path), STORAGES=storages):
        call_command("collectstatic", "--no-input", stdout=io.StringIO())
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in ("css/site.css", "js/map.js", "vendor/leaflet-1.9.4/leaflet.js",
                 "vendor/leaflet.markercluster-1.5.3/leaflet.markercluster.js"):  # fmt: skip
        assert name in manifest
        assert (tmp_path / (manifest[name] + ".gz")).exists(), "compressed copy for whitenoise"
