"""Expensive answers are limited per client, one rule in one place (issue 23,
``common.client.ClientRateLimitMiddleware``): the public CSV exports (0.9 s and 2.9 MB each
for 10,000 actors), and the API on every answer, the page cache's included."""

import pytest
from django.test import Client

ALICE, BOB = "10.7.0.1", "10.7.0.2"


@pytest.fixture
def rates(settings):
    def set_rates(**rates):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates},
        }

    return set_rates


def csv(path, address, read=True):
    """A download, read to its end as a client does (``read=False``: just begun)."""
    response = Client().get(path, {"format": "csv"}, REMOTE_ADDR=address)
    if read and response.streaming:
        b"".join(response.streaming_content)
    return response


@pytest.mark.django_db
def test_csv_exports_are_limited_per_client_with_a_french_429(directory, rates, redis_cache):
    rates(export="2/minute")
    assert [csv("/acteurs/", ALICE).status_code, csv("/actions/", ALICE).status_code] == [200, 200]
    limited = csv("/acteurs/", ALICE)
    assert limited.status_code == 429, "every public export counts against one limit"
    assert int(limited["Retry-After"]) > 0
    assert "réessayez dans" in limited.content.decode()
    assert limited["Content-Type"].startswith("text/plain")
    assert csv("/acteurs/", BOB).status_code == 200, "per client"
    assert Client().get("/acteurs/", REMOTE_ADDR=ALICE).status_code == 200, "the HTML list is not limited"


@pytest.mark.django_db
def test_the_api_limit_counts_answers_from_the_page_cache(directory, rates, redis_cache):
    rates(anon="3/minute")
    answers = [Client().get("/api/v1/secteurs/", REMOTE_ADDR=ALICE) for _ in range(4)]
    assert [a.get("X-Cache") for a in answers[:3]] == ["miss", "hit", "hit"]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert int(answers[3]["Retry-After"]) > 0
    assert "Trop de requêtes" in answers[3].json()["detail"]
    assert Client().get("/api/v1/secteurs/", REMOTE_ADDR=BOB).status_code == 200


@pytest.mark.django_db
def test_whole_list_exports_stream_one_at_a_time_on_the_whole_site(directory, settings, redis_cache):
    """Each client within their limit, but a few at once would take every worker from the
    pages: the second download while one streams is told to come back, and the slot is free
    again once the first has sent its last row."""
    settings.DIRECTORY_EXPORT_SLOTS = 1
    first = csv("/acteurs/", ALICE, read=False)
    assert first.status_code == 200 and first.streaming
    stream = iter(first.streaming_content)
    next(stream)  # the header row is out: the export is streaming
    busy = csv("/actions/", BOB)
    assert busy.status_code == 429 and busy["Retry-After"] == "30"
    assert "en cours" in busy.content.decode()
    assert Client().get("/acteurs/", REMOTE_ADDR=BOB).status_code == 200, "the pages are not held"
    b"".join(stream)
    assert csv("/actions/", BOB).status_code == 200
    # A client gone before the first row frees the slot when the server closes the answer.
    gone = csv("/acteurs/", ALICE, read=False)
    for close in gone._resource_closers:  # what the server's close() runs (close() itself would
        close()  # also end the test's database connection, with request_finished)
    # A revalidation that streams nothing does not keep the slot either.
    etag = csv("/acteurs/", ALICE)
    revalidated = Client().get("/acteurs/", {"format": "csv"}, REMOTE_ADDR=ALICE, HTTP_IF_NONE_MATCH=etag["ETag"])
    assert revalidated.status_code == 304
    assert csv("/actions/", BOB).status_code == 200
