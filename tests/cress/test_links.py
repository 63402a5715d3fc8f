"""No address the site shows answers 404 (or anything but a page): every link reachable
from the home page, followed through the real content."""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest

HREF = re.compile(r'href="([^"#]*)(?:#[^"]*)?"')
SKIPPED = ("/admin/", "/static/", "mailto:", "tel:")


@pytest.mark.django_db
def test_every_link_of_the_site_answers(directory, client):
    seen, queue, broken = {"/"}, deque(["/"]), []
    while queue and len(seen) < 600:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code != 200:
            broken.append((url, response.status_code))
            continue
        if not response["Content-Type"].startswith("text/html"):
            continue
        for href in HREF.findall(response.content.decode()):
            href = href.replace("&amp;", "&")
            target = urljoin("http://testserver" + url, href)
            parts = urlsplit(target)
            if (
                parts.netloc != "testserver"
                or not href
                or href.startswith(SKIPPED)
                or parts.path.startswith(SKIPPED)
            ):
                continue
            if "format=csv" in parts.query:
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path not in seen:
                seen.add(path)
                queue.append(path)
    assert broken == []
    assert len(seen) > 150, f"only {len(seen)} addresses reached"
