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


def csv(path, address):
    return Client().get(path, {"format": "csv"}, REMOTE_ADDR=address)


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
