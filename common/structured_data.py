"""schema.org JSON-LD for every public page: organisations, programmes, actions, events,
territories, sectors, the lists, the home page and the open-data page.

Only what the directory knows: no founding date, no invented role, no structured opening
hours made up from free text. A date whose year the source does not give is not turned
into a schema.org date. An organisation's address and contact come from its public record
(``actors.public_record``: the phone and e-mail only with its consent), given to
``organisation`` by the view; the models say what they are in schema.org terms
(``schema_type``, ``is_funding``): this module imports no app.

Types, all stable schema.org types (none pending):

- an organisation: ``Organization`` (``NGO`` for an association), with its
  ``PostalAddress``, its ``location`` (a ``Place``: address, ``GeoCoordinates``, an
  ``OpeningHoursSpecification`` whose ``description`` is the hours as written) and a
  ``ContactPoint`` (the phone and e-mail it agreed to publish);
- a programme: ``CreativeWork`` — a plan of work drawn up by its actor, with its funders
  (``funder``), its partners (``contributor``), its period (``temporalCoverage``) and its
  territories (``spatialCoverage``); ``Project`` is still pending on schema.org;
- an action: ``Service`` — what a visitor comes for (an EHPAD, a legal watch, a day-care),
  run by its actor (``provider``), where (``areaServed``), for whom (``audience``), on what
  (``category``); the same reading as the data·inclusion export, where actions are
  services;
- an event: ``Event``, its theme ``about`` as a ``Thing``;
- a territory: ``AdministrativeArea`` (``City`` for a commune); a sector: ``DefinedTerm`` of
  the directory's ``DefinedTermSet``; a list: ``ItemList`` of its page's items.
"""

import json

from django.utils.safestring import mark_safe

KNOWN_PRECISIONS = ("day", "month", "year")
CONTEXT = "https://schema.org"


def script(data):
    """A ``<script type="application/ld+json">`` body, safe inside HTML."""
    text = json.dumps(data, ensure_ascii=False, indent=None)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)


def area(territory, absolute):
    node = {
        "@type": territory.schema_type,
        "name": territory.name,
        "identifier": f"INSEE:{territory.code}",
        "url": absolute(territory.get_absolute_url()),
    }
    if territory.is_historic:
        node["containedInPlace"] = {
            "@type": "AdministrativeArea",
            "name": territory.current.name,
            "identifier": f"INSEE:{territory.current.code}",
        }
    return node


def organisation_ref(organisation, absolute):
    return {
        "@type": "Organization",
        "name": organisation.name,
        "url": absolute(organisation.get_absolute_url()),
    }


def term(name, url, term_set=None):
    """A sector (or any entry of a vocabulary) as a ``DefinedTerm``."""
    node = {"@type": "DefinedTerm", "name": name, "url": url}
    if term_set:
        node["inDefinedTermSet"] = term_set
    return node


def term_set(name, url):
    return {"@type": "DefinedTermSet", "name": name, "url": url}


def address(record):
    """The ``PostalAddress`` of a public record, or ``None`` when it has none."""
    parts = {"streetAddress": record.get("adresse"), "postalCode": record.get("code_postal"),
             "addressLocality": record.get("commune")}  # fmt: skip
    parts = {key: value for key, value in parts.items() if value}
    return {"@type": "PostalAddress", **parts, "addressCountry": "FR"} if parts else None


def contact(record):
    """The ``ContactPoint`` of a public record (its consented phone and e-mail), or ``None``."""
    node = {"@type": "ContactPoint", "contactType": "accueil", "availableLanguage": "fr"}
    if record.get("telephone"):
        node["telephone"] = record["telephone"]
    if record.get("courriel"):
        node["email"] = record["courriel"]
    return node if len(node) > 3 else None


def location(record):
    """Where it receives (a ``Place``: schema.org gives an organisation no ``geo`` of its
    own): its address, its position, its opening hours as written — an
    ``OpeningHoursSpecification`` whose ``description`` is the text, never days and hours
    made up from it. ``None`` when none is known."""
    node = {"@type": "Place"}
    if address(record):
        node["address"] = address(record)
    if record.get("latitude") is not None and record.get("longitude") is not None:
        node["geo"] = {"@type": "GeoCoordinates", "latitude": record["latitude"], "longitude": record["longitude"]}
    if record.get("horaires"):
        node["openingHoursSpecification"] = {"@type": "OpeningHoursSpecification", "description": record["horaires"]}
    return node if len(node) > 1 else None


def organisation(org, absolute, territories, record=None):
    """An organisation; ``record``: its public record (``actors.public_record``)."""
    record = record or {}
    page = absolute(org.get_absolute_url())
    names = [n for n in (org.acronym, org.alternate_name) if n and n != org.name]
    data = {"@context": CONTEXT, "@type": org.schema_type, "@id": page, "name": org.name, "url": page}
    if names:
        data["alternateName"] = names if len(names) > 1 else names[0]
    if org.summary or org.description:
        data["description"] = org.summary or org.description
    if address(record):
        data["address"] = address(record)
    if location(record):
        data["location"] = location(record)
    if record.get("telephone"):
        data["telephone"] = record["telephone"]
    if record.get("courriel"):
        data["email"] = record["courriel"]
    if contact(record):
        data["contactPoint"] = contact(record)
    if territories:
        data["areaServed"] = [area(t, absolute) for t in territories]
    if org.parent_id:
        data["parentOrganization"] = organisation_ref(org.parent, absolute)
        data["memberOf"] = organisation_ref(org.parent, absolute)
    website = record.get("website", org.website)
    if website:
        data["sameAs"] = [website]
    for key, kind in (("siren", "SIREN"), ("siret", "SIRET"), ("rna", "RNA")):
        value = record.get(key, getattr(org, key))
        if value:
            data.setdefault("identifier", []).append({"@type": "PropertyValue", "propertyID": kind, "value": value})
    if record.get("verifiee_le"):  # « vérifiée le »: when someone last confirmed the page is true
        data["mainEntityOfPage"] = {"@type": "WebPage", "@id": page, "lastReviewed": record["verifiee_le"].isoformat()}
    return data


def _partners(data, partnerships, absolute, funders_as="funder", others_as="contributor"):
    funders = [p.organisation for p in partnerships if p.is_funding]
    others = [p.organisation for p in partnerships if not p.is_funding]
    if funders and funders_as:
        data[funders_as] = [organisation_ref(o, absolute) for o in funders]
    if others and others_as:
        data[others_as] = [organisation_ref(o, absolute) for o in others]


def period(obj):
    """An ISO 8601 interval from what is known of the period (``2006/2008``, ``2001/..``),
    or ``None`` when the start's year is not known."""
    if obj.start.precision not in KNOWN_PRECISIONS:
        return None
    end = obj.end.iso() if obj.end and obj.end.precision in KNOWN_PRECISIONS else ".."
    return f"{obj.start.iso()}/{end}"


def programme(obj, absolute, actor, territories, partnerships, description="", sectors=()):
    """A programme: a ``CreativeWork`` (a plan of work) drawn up by its actor.
    ``sectors``: (name, url) pairs, what it is about."""
    page = absolute(obj.get_absolute_url())
    data = {"@context": CONTEXT, "@type": "CreativeWork", "@id": page, "name": obj.title, "url": page,
            "creator": organisation_ref(actor, absolute)}  # fmt: skip
    if description:
        data["description"] = description
    if territories:
        data["spatialCoverage"] = [area(t, absolute) for t in territories]
    if period(obj):
        data["temporalCoverage"] = period(obj)
    if sectors:
        data["about"] = [term(name, url) for name, url in sectors]
    _partners(data, partnerships, absolute)
    return data


def service(obj, absolute, actor, territories, description="", sectors=(), publics=()):
    """An action: a ``Service`` its actor provides. ``sectors``: (name, url) pairs;
    ``publics``: names."""
    page = absolute(obj.get_absolute_url())
    data = {"@context": CONTEXT, "@type": "Service", "@id": page, "name": obj.title, "url": page,
            "provider": organisation_ref(actor, absolute)}  # fmt: skip
    if description:
        data["description"] = description
    if territories:
        data["areaServed"] = [area(t, absolute) for t in territories]
    if sectors:
        data["category"] = [term(name, url) for name, url in sectors]
    if publics:
        data["audience"] = [{"@type": "Audience", "audienceType": name} for name in publics]
    return data


def event(ev, absolute, organisers):
    data = {
        "@context": CONTEXT,
        "@type": "Event",
        "@id": absolute(ev.get_absolute_url()),
        "name": ev.title,
        "url": absolute(ev.get_absolute_url()),
        "description": ev.description or ev.theme,
    }
    if ev.theme:
        data["about"] = {"@type": "Thing", "name": ev.theme}
    if ev.start.precision in KNOWN_PRECISIONS:
        data["startDate"] = ev.start.iso()
    if ev.place_id:
        data["location"] = {
            "@type": "Place",
            "name": ev.place.name,
            "address": {"@type": "PostalAddress", "addressLocality": ev.place.name, "addressCountry": "FR"},
        }
    if organisers:
        data["organizer"] = [organisation_ref(o, absolute) for o in organisers]
    return data


def territory(place, absolute, parent=None):
    """A territory's page: the territory (``AdministrativeArea``, ``City``), within its
    parent, at its position when known."""
    data = {"@context": CONTEXT, **area(place, absolute)}
    data["@id"] = data["url"]
    if parent is not None:
        data["containedInPlace"] = data.get("containedInPlace") or area(parent, absolute)
    if getattr(place, "latitude", None) is not None and getattr(place, "longitude", None) is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": float(place.latitude),
                       "longitude": float(place.longitude)}  # fmt: skip
    return data


def defined_term(name, url, description, terms_name, terms_url):
    """A sector's page: a ``DefinedTerm`` of the directory's set of sectors."""
    data = {"@context": CONTEXT, "@id": url, **term(name, url, term_set(terms_name, terms_url))}
    if description:
        data["description"] = description
    return data


def item_list(name, url, items, count, start=1):
    """A list page: an ``ItemList`` of its page's ``items`` — (name, url) pairs, from
    position ``start`` — of ``count`` items in all."""
    return {
        "@context": CONTEXT,
        "@type": "ItemList",
        "@id": url,
        "name": name,
        "url": url,
        "numberOfItems": count,
        "itemListElement": [
            {"@type": "ListItem", "position": start + n, "name": item_name, "url": item_url}
            for n, (item_name, item_url) in enumerate(items)
        ],
    }


def website(name, url, search_url, publisher):
    """The home page: the ``WebSite``, its search, its publisher."""
    return {
        "@context": CONTEXT,
        "@type": "WebSite",
        "@id": url,
        "name": name,
        "url": url,
        "inLanguage": "fr",
        "publisher": {"@type": "Organization", "name": publisher},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search_url}?q={{q}}"},
            "query-input": "required name=q",
        },
    }


def data_catalog(name, url, publisher, licence, datasets):
    """The open-data page: a ``DataCatalog`` of ``Dataset`` s, each with its downloads —
    ``datasets``: (name, description, [(url, encoding format)])."""
    return {
        "@context": CONTEXT,
        "@type": "DataCatalog",
        "@id": url,
        "name": name,
        "url": url,
        "inLanguage": "fr",
        "publisher": {"@type": "Organization", "name": publisher},
        "license": licence,
        "dataset": [
            {
                "@type": "Dataset",
                "name": dataset_name,
                "description": description,
                "license": licence,
                "isAccessibleForFree": True,
                "distribution": [
                    {"@type": "DataDownload", "contentUrl": content_url, "encodingFormat": encoding}
                    for content_url, encoding in downloads
                ],
            }
            for dataset_name, description, downloads in datasets
        ],
    }
