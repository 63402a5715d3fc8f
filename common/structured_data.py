"""schema.org JSON-LD for the public pages (actors, partners, programmes, actions, events).

Only what the directory knows: no address, no founding date, no invented role. A date
whose year the source does not give is not turned into a schema.org date. The models
say what they are in schema.org terms (``schema_type``, ``is_funding``): this module
imports no app.
"""

import json

from django.utils.safestring import mark_safe

KNOWN_PRECISIONS = ("day", "month", "year")


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


def organisation(org, absolute, territories):
    names = [n for n in (org.acronym, org.alternate_name) if n and n != org.name]
    data = {
        "@context": "https://schema.org",
        "@type": org.schema_type,
        "@id": absolute(org.get_absolute_url()),
        "name": org.name,
        "url": absolute(org.get_absolute_url()),
    }
    if names:
        data["alternateName"] = names if len(names) > 1 else names[0]
    if org.summary or org.description:
        data["description"] = org.summary or org.description
    if territories:
        data["areaServed"] = [area(t, absolute) for t in territories]
    if org.parent_id:
        data["parentOrganization"] = organisation_ref(org.parent, absolute)
        data["memberOf"] = organisation_ref(org.parent, absolute)
    if org.website:
        data["sameAs"] = [org.website]
    for field, kind in (("siren", "SIREN"), ("siret", "SIRET"), ("rna", "RNA")):
        if getattr(org, field):
            data.setdefault("identifier", []).append(
                {"@type": "PropertyValue", "propertyID": kind, "value": getattr(org, field)}
            )
    return data


def project(obj, absolute, actor, territories, partnerships, description=""):
    """A programme or an action, as a schema.org Project run by its actor."""
    data = {
        "@context": "https://schema.org",
        "@type": "Project",
        "@id": absolute(obj.get_absolute_url()),
        "name": getattr(obj, "title", ""),
        "url": absolute(obj.get_absolute_url()),
        "parentOrganization": organisation_ref(actor, absolute),
    }
    if description:
        data["description"] = description
    if territories:
        data["areaServed"] = [area(t, absolute) for t in territories]
    if obj.start.precision in KNOWN_PRECISIONS:
        data["foundingDate"] = obj.start.iso()
    funders = [p.organisation for p in partnerships if p.is_funding]
    others = [p.organisation for p in partnerships if not p.is_funding]
    if funders:
        data["funder"] = [organisation_ref(o, absolute) for o in funders]
    if others:
        data["member"] = [organisation_ref(o, absolute) for o in others]
    return data


def event(ev, absolute, organisers):
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": absolute(ev.get_absolute_url()),
        "name": ev.title,
        "url": absolute(ev.get_absolute_url()),
        "description": ev.description or ev.theme,
    }
    if ev.theme:
        data["about"] = ev.theme
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
