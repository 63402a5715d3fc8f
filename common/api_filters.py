"""The API's filter backend (its own module: DRF imports it from its settings, before the
views that use it)."""

from django_filters.rest_framework import DjangoFilterBackend


class DirectoryFilterBackend(DjangoFilterBackend):
    """django-filter's backend, keeping on the view the filter set it used: the paginator
    asks the view for the count that filter set may know (``known_count``) instead of
    building another one."""

    def get_filterset(self, request, queryset, view):
        view.filterset = super().get_filterset(request, queryset, view)
        return view.filterset
