"""Positions from the national address base (Base adresse nationale,
api-adresse.data.gouv.fr), when it is reachable in production.

- An organisation with an address but no position gets the BAN's point for it; a position
  staff entered (``position_source`` « saisie ») is never replaced.
- A commune gets its centre (``type=municipality``): the distances of « près de chez moi ».

``fetch`` is the one place that touches the network; tests replace it with a recorded
answer.
"""

import json
import urllib.parse
import urllib.request
from decimal import Decimal

from django.conf import settings

from common import changes
from common.changes import content_changes
from territories.models import COMMUNE_KINDS, Territory

from .models import Organisation, PositionSource

MINIMUM_SCORE = 0.5


class Unreachable(Exception):
    pass


def fetch(url):
    """The BAN's JSON answer for ``url``."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - a fixed https address
            return json.load(response)
    except OSError as error:
        raise Unreachable(f"La Base adresse nationale ne répond pas ({error}).") from error


def search(query, **params):
    """(latitude, longitude) of the best answer with a sufficient score, or None."""
    url = settings.DIRECTORY_GEOCODER_URL + "?" + urllib.parse.urlencode({"q": query, "limit": 1, **params})
    features = fetch(url).get("features", [])
    if not features or features[0]["properties"].get("score", 0) < MINIMUM_SCORE:
        return None
    longitude, latitude = features[0]["geometry"]["coordinates"]
    return Decimal(str(round(latitude, 6))), Decimal(str(round(longitude, 6)))


def geocode_organisations(limit=None, progress=None):
    """Places organisations that have an address and no position; returns (placed, not found).
    ``progress`` (a background job's, jobs/progress.py) hears of each one."""
    todo = (
        Organisation.objects.filter(latitude__isnull=True).exclude(street_address="", commune=None)
        .select_related("commune").order_by("pk")
    )  # fmt: skip
    placed = missed = 0
    unreachable = None
    todo = todo[:limit] if limit else todo
    if progress is not None:
        progress.begin("Adresses cherchées dans la Base adresse nationale", total=todo.count())
    with content_changes(reason="Position calculée (Base adresse nationale)"):  # followed once, at the end
        for organisation in todo:
            if progress is not None:
                progress.advance()
            commune = organisation.commune.name if organisation.commune_id else ""
            params = {"postcode": organisation.postcode} if organisation.postcode else {}
            try:
                point = search(f"{organisation.street_address} {organisation.postcode} {commune}".strip(), **params)
            except Unreachable as error:
                unreachable = error  # what was placed so far is kept, and followed
                break
            if point is None:
                missed += 1
                continue
            organisation.latitude, organisation.longitude = point
            organisation.position_source = PositionSource.GEOCODED
            organisation.save(update_fields=["latitude", "longitude", "position_source", "updated_at"])
            placed += 1
    if unreachable is not None:
        raise unreachable
    return placed, missed


def geocode_communes(limit=None):
    """Gives a centre to communes that have none; returns (placed, not found)."""
    todo = Territory.objects.filter(kind__in=COMMUNE_KINDS, latitude__isnull=True).order_by("code")
    placed = missed = 0
    placed_ids = []
    for commune in todo[:limit] if limit else todo:
        point = search(commune.name, type="municipality", citycode=commune.code)
        if point is None:
            missed += 1
            continue
        Territory.objects.filter(pk=commune.pk).update(latitude=point[0], longitude=point[1])
        placed_ids.append(commune.pk)
        placed += 1
    changes.saved(Territory, placed_ids, ["latitude", "longitude"])  # update() sends no signal
    return placed, missed
