"""The description of the open data, for machines: a Frictionless Data Package
(``datapackage.json``: a Table Schema per CSV, made from the columns the CSVs are written
with — ``actors.exports.COLUMNS``, ``actions.exports.COLUMNS`` —, so that the description
cannot drift from the files) and a DCAT-AP catalogue in JSON-LD (``catalogue.jsonld``),
the form data.gouv.fr harvests. The licence is the site's
(``DIRECTORY_DATA_LICENCE_NAME`` / ``_URL``)."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from actions import exports as action_exports
from actors import exports as actor_exports
from common.site import absolute_url

from .datainclusion import SCHEMA_NAME

DIALECT = {"delimiter": ";", "header": True}  # UTF-8 with a byte-order mark (common/csv.py)
MISSING_VALUES = [""]  # an unknown value is an empty cell


def _resources(absolute):
    """(name, title, description, CSV address, columns, primary key, foreign keys)."""
    actors_url = absolute(reverse("actors:list")) + "?format=csv"
    actions_url = absolute(reverse("actions:list")) + "?format=csv"
    return [
        ("acteurs", "Acteurs de l'ESS", "Les acteurs publiés, une ligne chacun, avec leur fiche publique.",
         actors_url, actor_exports.COLUMNS, actor_exports.KEY, []),
        ("actions", "Actions", "Les actions publiées, une ligne chacune : territoires, secteurs, publics, partenaires.",
         actions_url, action_exports.COLUMNS, action_exports.KEY,
         [{"fields": action_exports.ACTOR_KEY, "reference": {"resource": "acteurs", "fields": actor_exports.KEY}}]),
    ]  # fmt: skip


def table_schema(columns, key, foreign_keys=()):
    """The Table Schema of a CSV, from its column declarations."""
    schema = {
        "fields": [column.table_schema() for column in columns],
        "missingValues": MISSING_VALUES,
        "primaryKey": key,
    }
    if foreign_keys:
        schema["foreignKeys"] = list(foreign_keys)
    return schema


def licence():
    return {"title": settings.DIRECTORY_DATA_LICENCE_NAME, "path": settings.DIRECTORY_DATA_LICENCE_URL}


def datapackage(request):
    """The Data Package (Frictionless specs v1, ``tabular-data-package``)."""
    absolute = absolute_url
    return {
        "profile": "tabular-data-package",
        "name": slugify(settings.DIRECTORY_SITE_NAME),  # lower case, « - »: as the specs ask
        "title": settings.DIRECTORY_SITE_NAME,
        "description": f"Les acteurs de l'économie sociale et solidaire et leurs actions, publiés par la "
        f"{settings.DIRECTORY_CRESS_NAME}. Fichiers CSV en UTF-8, séparateur « ; ».",
        "homepage": absolute(reverse("site:open-data")),
        "language": "fr",
        "licenses": [licence()],
        "contributors": [{"title": settings.DIRECTORY_PUBLISHER, "role": "publisher"}],
        "created": timezone.now().isoformat(timespec="seconds"),
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": name,
                "title": title,
                "description": description,
                "path": url,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": DIALECT,
                "licenses": [licence()],
                "schema": table_schema(columns, key, foreign_keys),
            }
            for name, title, description, url, columns, key, foreign_keys in _resources(absolute)
        ],
    }


# --- DCAT-AP ----------------------------------------------------------------------------

DCAT_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
}
IANA = "http://www.iana.org/assignments/media-types/"
EU_FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"
EU_LANGUAGE_FR = {"@id": "http://publications.europa.eu/resource/authority/language/FRA"}


def _distribution(url, title, media_type, file_type, conforms_to=None):
    distribution = {
        "@id": url,
        "@type": "dcat:Distribution",
        "dct:title": title,
        "dcat:accessURL": {"@id": url},
        "dcat:downloadURL": {"@id": url},
        "dcat:mediaType": {"@id": IANA + media_type},
        "dct:format": {"@id": EU_FILE_TYPES + file_type},
        "dct:license": {"@id": settings.DIRECTORY_DATA_LICENCE_URL},
    }
    if conforms_to:
        distribution["dct:conformsTo"] = {"@id": conforms_to}
    return distribution


def catalogue(request):
    """The DCAT-AP catalogue (JSON-LD): a dataset per kind of content, each with its
    downloads (CSV described by the Data Package, JSON API, GeoJSON, data·inclusion)."""
    absolute = absolute_url
    page = absolute(reverse("site:open-data"))
    package = absolute(reverse("site:datapackage"))
    publisher = {"@id": absolute(reverse("site:home")) + "#editeur", "@type": "foaf:Agent",
                 "foaf:name": settings.DIRECTORY_PUBLISHER}  # fmt: skip
    modified = {"@value": timezone.now().date().isoformat(), "@type": "xsd:date"}
    resources = {name: (title, description, url) for name, title, description, url, *_ in _resources(absolute)}
    api_actors, api_actions = absolute(reverse("api:actor-list")), absolute(reverse("api:action-list"))
    schema = absolute(reverse("api:schema"))
    datasets = [
        ("acteurs", [
            _distribution(resources["acteurs"][2], "Acteurs (CSV)", "text/csv", "CSV", package),
            _distribution(api_actors, "Acteurs (API JSON)", "application/json", "JSON", schema),
            _distribution(api_actors + "?format=geojson", "Acteurs placés (GeoJSON)", "application/geo+json",
                          "GEOJSON"),
        ]),
        ("actions", [
            _distribution(resources["actions"][2], "Actions (CSV)", "text/csv", "CSV", package),
            _distribution(api_actions, "Actions (API JSON)", "application/json", "JSON", schema),
        ]),
    ]  # fmt: skip
    dataset_nodes = [
        {
            "@id": f"{page}#{name}",
            "@type": "dcat:Dataset",
            "dct:identifier": f"{page}#{name}",
            "dct:title": resources[name][0],
            "dct:description": resources[name][1],
            "dct:publisher": publisher,
            "dct:license": {"@id": settings.DIRECTORY_DATA_LICENCE_URL},
            "dct:language": EU_LANGUAGE_FR,
            "dct:modified": modified,
            "dcat:landingPage": {"@id": page},
            "dcat:keyword": ["économie sociale et solidaire", "ESS", settings.DIRECTORY_REGION["name"]],
            "dcat:distribution": distributions,
        }
        for name, distributions in datasets
    ]
    dataset_nodes.append({
        "@id": f"{page}#data-inclusion",
        "@type": "dcat:Dataset",
        "dct:identifier": f"{page}#data-inclusion",
        "dct:title": f"Structures et services au format {SCHEMA_NAME}",
        "dct:description": "Les acteurs comme structures, leurs actions comme services, au schéma "
        f"{SCHEMA_NAME}, par pages (suivre « next »).",
        "dct:publisher": publisher,
        "dct:license": {"@id": settings.DIRECTORY_DATA_LICENCE_URL},
        "dct:language": EU_LANGUAGE_FR,
        "dct:modified": modified,
        "dcat:landingPage": {"@id": page},
        "dcat:keyword": ["inclusion", "data·inclusion", settings.DIRECTORY_REGION["name"]],
        "dcat:distribution": [
            _distribution(absolute(reverse("api:di-structures")), "Structures (data·inclusion v1)",
                          "application/json", "JSON", "https://github.com/gip-inclusion/data-inclusion-schema"),
            _distribution(absolute(reverse("api:di-services")), "Services (data·inclusion v1)",
                          "application/json", "JSON", "https://github.com/gip-inclusion/data-inclusion-schema"),
        ],
    })  # fmt: skip
    return {
        "@context": DCAT_CONTEXT,
        "@id": absolute(reverse("site:catalogue")),
        "@type": "dcat:Catalog",
        "dct:title": f"Données ouvertes — {settings.DIRECTORY_SITE_NAME}",
        "dct:description": f"Les données publiées par la {settings.DIRECTORY_CRESS_NAME} : acteurs de l'économie "
        "sociale et solidaire et leurs actions, en CSV décrits (Data Package), API JSON, GeoJSON et data·inclusion.",
        "dct:publisher": publisher,
        "dct:license": {"@id": settings.DIRECTORY_DATA_LICENCE_URL},
        "dct:language": EU_LANGUAGE_FR,
        "dct:modified": modified,
        "foaf:homepage": {"@id": page},
        "dcat:dataset": dataset_nodes,
    }
