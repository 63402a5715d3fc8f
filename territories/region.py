"""The directory's region and its départements: ``settings.DIRECTORY_REGION``, read here
and nowhere else. No other module names a region or a département
(``tests/territories/test_region.py`` checks it): the loading, the lists' « Département »
filter, the home and territory pages, the sitemap and the demonstration data read this.

``DIRECTORY_REGION``: ``code`` and ``name`` (INSEE), ``liaison`` (INSEE's « typeLiaison »:
the article of its name), ``current_region`` (for a region dissolved by the 2016 reform,
the region it is part of today; ``None`` for a current region) and ``departements``
({code: name}, in the order the filter offers them).
"""

from django.conf import settings

REGION = settings.DIRECTORY_REGION
# (code, name) of the region's départements: the lists' « Département » filter offers these.
DEPARTEMENTS = list(REGION["departements"].items())
DEPARTEMENT_CODES = [code for code, _ in DEPARTEMENTS]
# The region and, for a former one, the region it belongs to today: both cover all of it.
REGION_CODES = [code for code in (REGION["code"], REGION.get("current_region")) if code]


def historic_regions():
    """The directory's region as the loader's « historic_regions » (INSEE's history: the
    Etalab package lists today's regions only), when it is a former region: the
    départements it held and its successor. None for a current region."""
    if not REGION.get("current_region"):
        return []
    return [
        {
            "code": REGION["code"],
            "nom": REGION["name"],
            "successeur": REGION["current_region"],
            "departements": DEPARTEMENT_CODES,
            "typeLiaison": REGION.get("liaison"),
        }
    ]
