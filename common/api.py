"""What every read-only API endpoint shares: the public lists' FilterSets, pages of
``settings.DIRECTORY_PAGE_SIZE``, unknown or malformed parameters answered with a 400
and a JSON body, a page past the end with a JSON 404."""

from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError

from .pagination import MAX_PAGE_SIZE, DirectoryPagination

ALWAYS_ALLOWED = {"page", "page_size", "format"}


class ReadOnlyDirectoryViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    pagination_class = DirectoryPagination

    def allowed_parameters(self):
        filterset_class = getattr(self, "filterset_class", None)
        names = set(filterset_class.base_filters) if filterset_class else set()
        return names | ALWAYS_ALLOWED

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        unknown = sorted(set(request.query_params) - self.allowed_parameters())
        if unknown:
            raise ValidationError(
                {name: ["Paramètre inconnu."] for name in unknown}
                | {"parametres_acceptes": sorted(self.allowed_parameters())}
            )
        page_size = request.query_params.get("page_size")
        if page_size is not None and (not page_size.isdigit() or not 1 <= int(page_size) <= MAX_PAGE_SIZE):
            raise ValidationError({"page_size": [f"Un nombre entier de 1 à {MAX_PAGE_SIZE}."]})
        page = request.query_params.get("page")
        if page is not None and not page.isdigit():
            raise ValidationError({"page": ["Un nombre entier positif."]})


class PublicPageSerializer(serializers.ModelSerializer):
    """Adds ``url``: the absolute address of the object's public page."""

    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())
