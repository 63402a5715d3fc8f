"""The API's pagination (its own module: DRF imports it from its settings, before the
views that use it). The HTML lists page with ``common.listing.paginate``: the same page
size, but a page past the end shows the last page there."""

from django.conf import settings
from rest_framework.pagination import PageNumberPagination

MAX_PAGE_SIZE = 100


class DirectoryPagination(PageNumberPagination):
    """``settings.DIRECTORY_PAGE_SIZE`` a page, ``page_size`` up to 100; a page past the
    end is a 404 with a JSON body."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    invalid_page_message = "Page invalide : cette page n'existe pas."

    @property
    def page_size(self):
        return settings.DIRECTORY_PAGE_SIZE
