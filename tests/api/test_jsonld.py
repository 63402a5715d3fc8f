"""JSON-LD on every page type of the sitemap: each page has one block, that parses, of the
stable schema.org type its kind of page calls for, with the properties that type needs;
and every node anywhere in it uses only properties that schema.org defines for its type
(the table below, read from schema.org's definitions: a property outside its domain, or a
pending type such as Project, fails)."""

import pytest

from actors.models import Organisation
from tests.api.test_open_data import jsonld_blocks, sitemap_urls

THING = {"name", "url", "description", "identifier", "sameAs", "alternateName", "mainEntityOfPage",
         "potentialAction", "subjectOf", "image"}  # fmt: skip
PLACE = {"address", "geo", "containedInPlace", "openingHoursSpecification"}
# schema.org type: the properties it has (besides Thing's), as this site uses them.
DOMAINS = {
    "Organization": {"address", "location", "telephone", "email", "contactPoint", "areaServed",
                     "parentOrganization", "memberOf", "funder", "member"},
    "CreativeWork": {"creator", "spatialCoverage", "temporalCoverage", "about", "funder", "contributor",
                     "inLanguage", "publisher", "license", "isAccessibleForFree"},
    "Service": {"provider", "areaServed", "category", "audience"},
    "Event": {"about", "startDate", "endDate", "location", "organizer", "funder"},
    "Place": PLACE,
    "AdministrativeArea": PLACE,
    "City": PLACE,
    "PostalAddress": {"streetAddress", "postalCode", "addressLocality", "addressCountry"},
    "GeoCoordinates": {"latitude", "longitude"},
    "ContactPoint": {"contactType", "availableLanguage", "telephone", "email", "hoursAvailable"},
    "OpeningHoursSpecification": {"opens", "closes", "dayOfWeek"},
    "PropertyValue": {"propertyID", "value"},
    "WebPage": {"lastReviewed"},
    "Audience": {"audienceType"},
    "Thing": set(),
    "DefinedTerm": {"inDefinedTermSet", "termCode"},
    "DefinedTermSet": {"hasDefinedTerm"},
    "ItemList": {"numberOfItems", "itemListElement"},
    "ListItem": {"position", "item"},
    "WebSite": {"inLanguage", "publisher"},
    "SearchAction": {"target", "query-input"},
    "EntryPoint": {"urlTemplate"},
    "DataCatalog": {"inLanguage", "publisher", "license", "dataset"},
    "Dataset": {"license", "isAccessibleForFree", "distribution"},
    "DataDownload": {"contentUrl", "encodingFormat"},
}
DOMAINS["NGO"] = DOMAINS["Organization"]
for creative_work in ("WebSite", "DataCatalog", "Dataset", "DataDownload", "WebPage"):
    DOMAINS[creative_work] |= DOMAINS["CreativeWork"]

# The page's kind (by its address), the types it may have, what it must say.
PAGES = [
    ("/acteurs/", {"ItemList"}, {"numberOfItems", "itemListElement"}),
    ("/acteurs/", {"Organization", "NGO"}, {"name", "url", "areaServed"}),
    ("/partenaires/", {"ItemList"}, {"numberOfItems", "itemListElement"}),
    ("/partenaires/", {"Organization", "NGO"}, {"name", "url"}),
    ("/actions/", {"ItemList"}, {"numberOfItems", "itemListElement"}),
    ("/actions/programmes/", {"CreativeWork"}, {"name", "url", "creator"}),
    ("/actions/evenements/", {"Event"}, {"name", "url"}),
    ("/actions/", {"Service"}, {"name", "url", "provider"}),
    ("/territoires/", {"ItemList"}, {"numberOfItems", "itemListElement"}),
    ("/territoires/", {"AdministrativeArea", "City"}, {"name", "identifier", "url"}),
    ("/secteurs/", {"DefinedTerm"}, {"name", "url", "inDefinedTermSet"}),
    ("/donnees/", {"DataCatalog"}, {"name", "url", "dataset", "license"}),
    ("/", {"WebSite"}, {"name", "url", "potentialAction"}),
]


def check_domains(node, path="$"):
    """Every typed node uses only its type's properties; returns the types seen."""
    seen = set()
    if isinstance(node, list):
        for n, item in enumerate(node):
            seen |= check_domains(item, f"{path}[{n}]")
        return seen
    if not isinstance(node, dict):
        return seen
    kind = node.get("@type")
    assert kind in DOMAINS, f"{path}: {kind} is not a stable type this site uses"
    seen.add(kind)
    extra = set(node) - DOMAINS[kind] - THING - {"@context", "@type", "@id"}
    assert not extra, f"{path} ({kind}): {sorted(extra)} not defined for {kind} on schema.org"
    for key, value in node.items():
        if isinstance(value, (dict, list)):
            seen |= check_domains(value, f"{path}.{key}")
    return seen


def expected_for(address, block):
    for prefix, types, required in PAGES:
        if block["@type"] in types and (address.startswith(prefix) if prefix != "/" else address == "/"):
            return required
    raise AssertionError(f"{address}: unexpected type {block['@type']}")


@pytest.mark.django_db
def test_every_page_of_the_sitemap_has_valid_json_ld(directory, client):
    Organisation.objects.filter(slug="uraf").update(
        street_address="1 place de la Mairie", postcode="14000", phone="02 31 00 00 00", phone_public=True,
        opening_hours="du lundi au vendredi, 9 h – 17 h", latitude=49.18, longitude=-0.37,
    )  # fmt: skip
    addresses = sorted(sitemap_urls(client))
    assert len(addresses) > 50
    types = set()
    for address in addresses:
        response = client.get(address)
        assert response.status_code == 200, address
        blocks = jsonld_blocks(response.content.decode())
        assert len(blocks) == 1, f"{address}: {len(blocks)} JSON-LD blocks"
        (block,) = blocks
        assert block["@context"] == "https://schema.org", address
        required = expected_for(address, block)
        assert required <= set(block), f"{address}: {block['@type']} lacks {sorted(required - set(block))}"
        assert block["url"].startswith("http://testserver/"), address
        types |= check_domains(block, address)
    assert {"Organization", "NGO", "CreativeWork", "Service", "Event", "AdministrativeArea", "City", "DefinedTerm",
            "ItemList", "WebSite", "DataCatalog", "PostalAddress", "GeoCoordinates", "ContactPoint",
            "OpeningHoursSpecification"} <= types, "every page type and the record's nodes were seen"  # fmt: skip
    assert "Project" not in types


@pytest.mark.django_db
def test_a_list_s_item_list_is_its_page(directory, client):
    (block,) = jsonld_blocks(client.get("/acteurs/", {"departement": "14"}).content.decode())
    page = client.get("/acteurs/", {"departement": "14"}).context["page_obj"]
    assert block["numberOfItems"] == page.paginator.count
    assert [item["url"].replace("http://testserver", "") for item in block["itemListElement"]] == [
        actor.get_absolute_url() for actor in page.object_list
    ]
    assert [item["position"] for item in block["itemListElement"]] == list(range(1, len(page.object_list) + 1))


@pytest.mark.django_db
def test_programme_and_action_types_and_about(directory, client):
    (programme,) = jsonld_blocks(client.get("/actions/programmes/coorace-programme-d-actions/").content.decode())
    assert programme["@type"] == "CreativeWork" and programme["creator"]["name"].startswith("COORACE")
    assert all(term["@type"] == "DefinedTerm" for term in programme.get("about", []))
    (action,) = jsonld_blocks(client.get("/actions/halte-garderie-itinerante/").content.decode())
    assert action["@type"] == "Service" and action["provider"]["name"] == "Mutualité Française du Calvados"
