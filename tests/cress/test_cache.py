"""The shared cache (Redis, as in production): anonymous pages come from it, an edit
makes them stale at once on every worker, staff and forms are never cached, and answers
carry an ETag for conditional GET."""

import pytest
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actors.models import Organisation
from common.cache import VERSION_KEY, content_version, page_key

PROFILE = "/acteurs/uraf/"


@pytest.mark.django_db
def test_a_second_visit_is_served_from_the_cache_without_sql(directory, client, redis_cache):
    first = client.get(PROFILE)
    assert first["X-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(PROFILE)
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert len(queries) == 0
    assert second["Content-Type"].startswith("text/html")
    assert second["X-Frame-Options"] == "DENY", "headers set above the cache are on every answer"


@pytest.mark.django_db
def test_an_edit_shows_at_once(directory, client, redis_cache, django_capture_on_commit_callbacks):
    client.get(PROFILE)
    uraf = Organisation.objects.get(slug="uraf")
    uraf.name = "URAF — nom modifié par l'équipe"
    with django_capture_on_commit_callbacks(execute=True):  # the version changes once committed
        uraf.save()
    response = client.get(PROFILE)
    assert response["X-Cache"] == "miss"
    assert "URAF — nom modifié par l&#x27;équipe" in response.content.decode()


@pytest.mark.django_db
def test_every_worker_shares_the_pages_and_the_version(directory, client, redis_cache, settings):
    """Another process (another gunicorn worker, another machine) has its own client to
    the same Redis: it reads the page this one stored and bumps the version they share."""
    location, prefix = settings.CACHES["default"]["LOCATION"], settings.CACHES["default"]["KEY_PREFIX"]
    other_worker = RedisCache(location, {"KEY_PREFIX": prefix})
    client.get(PROFILE)
    version = content_version()
    assert other_worker.get(page_key("GET", "http://testserver" + PROFILE))[0] == version
    other_worker.incr(VERSION_KEY)
    assert content_version() == version + 1
    assert client.get(PROFILE)["X-Cache"] == "miss"


@pytest.mark.django_db
def test_staff_pages_are_never_cached_nor_served_from_the_cache(
    directory, client, editor_client, redis_cache
):
    Organisation.objects.filter(slug="uraf").update(status="brouillon")
    assert editor_client.get(PROFILE).status_code == 200
    assert not editor_client.get(PROFILE).has_header("X-Cache")
    assert client.get(PROFILE).status_code == 404


@pytest.mark.django_db
def test_errors_and_csv_are_not_cached(directory, client, redis_cache):
    client.get("/acteurs/inconnu/")
    assert not client.get("/acteurs/inconnu/").has_header("X-Cache")
    client.get("/acteurs/", {"format": "csv"})
    assert not client.get("/acteurs/", {"format": "csv"}).has_header("X-Cache")


@pytest.mark.django_db
def test_conditional_get(directory, client, redis_cache, django_capture_on_commit_callbacks):
    etag = client.get("/acteurs/")["ETag"]
    assert client.get("/acteurs/", headers={"if-none-match": etag}).status_code == 304
    Organisation.objects.filter(slug="uraf").update(name="Autre nom")
    from common import changes

    with django_capture_on_commit_callbacks(execute=True):  # update() sends no signal: say it
        changes.saved(Organisation, Organisation.objects.filter(slug="uraf").values_list("pk", flat=True))
    assert client.get("/acteurs/", headers={"if-none-match": etag}).status_code == 200


@pytest.mark.django_db
def test_after_an_edit_one_request_recomputes_while_the_others_get_the_previous_page(
    directory, client, redis_cache
):
    """Eight visitors right after an edit must not compute the same page eight times."""
    from django.core.cache import cache

    from common.cache import bump

    client.get("/acteurs/")
    bump()
    version = content_version()
    lock = f"recompute:{version}:{page_key('GET', 'http://testserver/acteurs/')}"
    cache.add(lock, 1, 30)  # another worker is on it
    assert client.get("/acteurs/")["X-Cache"] == "stale"
    cache.delete(lock)
    assert client.get("/acteurs/")["X-Cache"] == "miss"
    assert client.get("/acteurs/")["X-Cache"] == "hit"


@pytest.mark.django_db
def test_a_page_whose_new_answer_is_not_kept_is_not_served_stale(directory, client, redis_cache):
    """After a change, /recherche/?q=14100 answers a redirect (the one box): the page kept
    from before must not be served to the visitors who follow."""
    from django.core.cache import cache

    from common.cache import bump

    cache.set(page_key("GET", "http://testserver/recherche/?q=14100"), (content_version(), 200, [], b"ancienne page"), 60)
    bump()
    assert client.get("/recherche/?q=14100").status_code == 302, "the new answer"
    version = content_version()
    cache.add(f"recompute:{version}:{page_key('GET', 'http://testserver/recherche/?q=14100')}", 1, 30)  # another worker
    assert client.get("/recherche/?q=14100").status_code == 302, "never the older page"
