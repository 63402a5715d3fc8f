"""What every read-only API endpoint shares: the public lists' FilterSets, pages of
``settings.DIRECTORY_PAGE_SIZE``, unknown or malformed parameters answered with a 400
and a JSON body, a page past the end with a JSON 404 — and the OpenAPI description of
those answers (``DirectorySchema``), so that the published document keeps the API's
promise (``tests/api/test_openapi_live.py`` checks it on live responses)."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer

from .pagination import MAX_PAGE_SIZE, DirectoryPagination
from .site import absolute_url

ALWAYS_ALLOWED = {"page", "page_size", "format"}

# The JSON bodies of the error answers (DRF's own shapes).
ERROR_SCHEMAS = {
    "Erreur": {
        "type": "object",
        "description": "Une erreur : son explication en français.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "ErreursDeParametres": {
        "type": "object",
        "description": "Les paramètres refusés, chacun avec ses messages ; pour un paramètre inconnu, "
        "« parametres_acceptes » donne la liste des paramètres admis.",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
}
ERRORS = {
    400: ("ErreursDeParametres", "Paramètre inconnu ou valeur invalide (filtre, page, page_size)."),
    404: (
        "Erreur",
        "Introuvable : fiche inconnue ou non publiée, page au-delà de la dernière, format inconnu.",
    ),
    406: ("Erreur", "Aucun des formats demandés (en-tête Accept) n'est disponible."),
    429: ("Erreur", "Trop de requêtes : réessayer après le délai donné par Retry-After (secondes)."),
}
RETRY_AFTER = {
    "Retry-After": {
        "description": "Secondes à attendre avant de réessayer.",
        "schema": {"type": "integer", "minimum": 0},
    }
}
# The HTTP headers of every successful answer (common/http_cache.py, common/cors.py), and
# the pages of a list (common/pagination.py).
SUCCESS_HEADERS = {
    "Cache-Control": {
        "description": "Durée pendant laquelle un cache peut garder la réponse avant de la revalider.",
        "required": True,
        "schema": {"type": "string"},
    },
    "ETag": {
        "description": "Identifiant de cette version de la réponse : renvoyé dans If-None-Match, "
        "il vaut une réponse 304 tant que rien n'a changé.",
        "required": True,
        "schema": {"type": "string"},
    },
    "Access-Control-Allow-Origin": {
        "description": "« * » : lisible depuis une page web de n'importe quel site (sans cookies).",
        "required": True,
        "schema": {"type": "string", "enum": ["*"]},
    },
}
LINK = {
    "Link": {
        "description": "Les autres pages de la liste (RFC 8288) : first, prev, next, last.",
        "schema": {"type": "string"},
    }
}
NOT_MODIFIED = {
    "description": "Non modifiée depuis la version qu'a le client (If-None-Match ou If-Modified-Since) : "
    "pas de corps, la version en cache reste valable."
}


def servers_of_the_request(result, generator, request, public):
    """drf-spectacular's post-processing hook: the document served by the site names the
    configured site address (``common.site``, never the request's Host: the document is
    cached for everyone); the one written by ``manage.py spectacular`` keeps
    ``settings.SPECTACULAR_SETTINGS["SERVERS"]``."""
    if request is not None:
        result["servers"] = [{"url": absolute_url("/").rstrip("/"), "description": "L'annuaire"}]
    return result


class DirectorySchema(AutoSchema):
    """drf-spectacular's schema, plus the error answers the view can give (``errors``:
    status codes of ``ERRORS``), always in JSON. (A class attribute: ``extend_schema``
    makes a subclass of the view's schema class and instantiates it without arguments.)"""

    errors = tuple(ERRORS)

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        for status in self.errors:
            name, description = ERRORS[status]
            component = ResolvedComponent(
                name=name, type=ResolvedComponent.SCHEMA, object=name, schema=ERROR_SCHEMAS[name]
            )
            registry.register_on_missing(component)
            response = {
                "description": description,
                "content": {"application/json": {"schema": component.ref}},
            }
            if status == 429:
                response["headers"] = RETRY_AFTER
            operation["responses"].setdefault(str(status), response)
        success = operation["responses"].get("200")
        if success is not None:
            headers = dict(SUCCESS_HEADERS)
            if self._is_list_view() and self._get_paginator() is not None:
                headers.update(LINK)
            success.setdefault("headers", {}).update(headers)
            operation["responses"].setdefault("304", NOT_MODIFIED)
        return operation


class UncheckedParametersSchema(DirectorySchema):
    """For the views that ignore their query parameters: they never answer 400."""

    errors = (404, 406, 429)


class JSONErrorsMixin:
    """Errors are JSON whatever format was asked (``?format=geojson``): an error body is
    not GeoJSON, and the OpenAPI document says ``application/json``."""

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response


class ReadOnlyDirectoryViewSet(JSONErrorsMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    pagination_class = DirectoryPagination
    schema = DirectorySchema()

    extra_parameters = ()  # parameters of the view itself, beside its filters

    def known_count(self, request):
        """The list's count when its filter set knows it without counting (the listing
        counts, ``CoverageFilterSet.listing_counts``), else ``None``."""
        filterset = getattr(self, "filterset", None)  # the one the filter backend used
        if filterset is None or not hasattr(filterset, "listing_counts"):
            return None
        counts = filterset.listing_counts()
        return counts.count if counts is not None else None

    def allowed_parameters(self):
        filterset_class = getattr(self, "filterset_class", None)
        names = set(filterset_class.base_filters) if filterset_class else set()
        return names | ALWAYS_ALLOWED | set(self.extra_parameters)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        unknown = sorted(set(request.query_params) - self.allowed_parameters())
        if unknown:
            raise ValidationError(
                {name: ["Paramètre inconnu."] for name in unknown}
                | {"parametres_acceptes": sorted(self.allowed_parameters())}
            )
        page_size = request.query_params.get("page_size")
        maximum = getattr(self.paginator, "max_page_size", None) or MAX_PAGE_SIZE  # GeoJSON pages are larger
        if page_size is not None and (not page_size.isdigit() or not 1 <= int(page_size) <= maximum):
            raise ValidationError({"page_size": [f"Un nombre entier de 1 à {maximum}."]})
        page = request.query_params.get("page")
        if page is not None and not page.isdigit():
            raise ValidationError({"page": ["Un nombre entier positif."]})


class PublicPageSerializer(serializers.ModelSerializer):
    """Adds ``url``: the absolute address of the object's public page."""

    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return absolute_url(obj.get_absolute_url())
