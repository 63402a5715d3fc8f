"""The API's pagination (its own module: DRF imports it from its settings, before the
views that use it). The HTML lists page with ``common.listing.paginate``: the same page
size, but a page past the end shows the last page there."""

from django.conf import settings
from django.core.paginator import Paginator
from rest_framework.pagination import PageNumberPagination
from rest_framework.utils.urls import remove_query_param, replace_query_param

from .site import absolute_url

MAX_PAGE_SIZE = 100


class DirectoryPagination(PageNumberPagination):
    """``settings.DIRECTORY_PAGE_SIZE`` a page, ``page_size`` up to 100; a page past the
    end is a 404 with a JSON body. Every page says where the others are in a ``Link``
    header (RFC 8288: ``first``, ``prev``, ``next``, ``last``), beside ``next`` and
    ``previous`` in the body."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    invalid_page_message = "Page invalide : cette page n'existe pas."

    @property
    def page_size(self):
        return settings.DIRECTORY_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        # The view may know the list's count without counting (``known_count``: the
        # listing counts of a list filtered on what they hold).
        count = view.known_count(request) if hasattr(view, "known_count") else None

        class Known(Paginator):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if count is not None:
                    self.count = count

        self.django_paginator_class = Known
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in self.links())
        return response

    def page_address(self):
        """This page's absolute address, on the configured site (``common.site``)."""
        return absolute_url(self.request.get_full_path())

    def get_next_link(self):
        if not self.page.has_next():
            return None
        return replace_query_param(self.page_address(), self.page_query_param, self.page.next_page_number())

    def get_previous_link(self):
        if not self.page.has_previous():
            return None
        number = self.page.previous_page_number()
        if number == 1:
            return remove_query_param(self.page_address(), self.page_query_param)
        return replace_query_param(self.page_address(), self.page_query_param, number)

    def links(self):
        url = self.page_address()
        first = remove_query_param(url, self.page_query_param)
        last_number = self.page.paginator.num_pages
        last = replace_query_param(url, self.page_query_param, last_number) if last_number > 1 else first
        links = [("first", first)]
        if self.page.has_previous():
            links.append(("prev", self.get_previous_link()))
        if self.page.has_next():
            links.append(("next", self.get_next_link()))
        links.append(("last", last))
        return links
