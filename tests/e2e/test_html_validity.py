"""Every public page type is valid HTML for the Nu Html Checker (vnu.jar)."""

import pytest

from .conftest import vnu_errors
from .pages import EMBEDDED_PAGES, PAGE_TYPES


@pytest.mark.django_db
def test_every_page_type_is_valid_html(directory, client, vnu_jar, tmp_path):
    files = {}
    for url in [*PAGE_TYPES.values(), *EMBEDDED_PAGES.values()]:
        response = client.get(url)
        assert response.status_code in (200, 400, 404), url
        path = tmp_path / f"{len(files):02d}.html"
        path.write_bytes(response.content)
        files[path.name] = url
    errors = vnu_errors(vnu_jar, [p for p in tmp_path.iterdir()])
    readable = [
        f"{files.get(e.get('url', '').rsplit('/', 1)[-1])} l.{e.get('lastLine')}: {e.get('message')}"
        for e in errors
    ]
    assert readable == []
    print(f"\n{len(files)} pages validées par le Nu Html Checker, 0 erreur.")
