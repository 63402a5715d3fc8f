"""The behaviour every public list shares, on django-filter's ``FilterView``:

- the FilterSet reads ``request.GET``; a bad value gives a clear French message, no
  results and the status 400;
- pages of ``settings.DIRECTORY_PAGE_SIZE``; a page past the end shows the last page, a
  page that is not a number is a 404;
- facets and removable chips (``common.filters``);
- ``?format=csv`` streams the same filtered list as CSV (``common.csv``).
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, StreamingHttpResponse
from django.utils import timezone
from django_filters.views import FilterView

from . import structured_data
from .cache import cached
from .csv import csv_lines
from .iterables import batched
from .querystring import filters_only, with_params
from .search import mark, passage, query_stems
from .site import absolute_url

CSV_CHUNK = 1000


def csv_response(columns, rows, filename):
    response = StreamingHttpResponse(csv_lines(columns, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def paginate(request, queryset, page_kwarg="page", per_page=None, count=None):
    """The page asked for in ``request.GET[page_kwarg]``: past the end, the last page;
    not a whole number, a 404 with a French message. ``count``, when the caller already
    knows it, spares the COUNT query."""
    paginator = Paginator(queryset, per_page or settings.DIRECTORY_PAGE_SIZE)
    if count is not None:
        paginator.count = count
    raw = request.GET.get(page_kwarg) or "1"
    try:
        number = int(raw)
    except ValueError:
        raise Http404("Le numéro de page doit être un nombre entier.") from None
    return paginator.get_page(max(number, 1))


class DirectoryListView(FilterView):
    """A filtered list. Its CSV: ``csv_columns`` and ``csv_rows(ids, site_url)``, the rows
    of a chunk of primary keys (in the list's order), read as plain values: 10,000 rows
    stream in a second or two, in flat memory."""

    csv_columns = []  # common.csv.Column
    csv_name = "export"
    list_name = ""  # the list's name in its JSON-LD (an ``ItemList`` of the page's items)

    def get_filterset_kwargs(self, filterset_class):
        # Always bound, even without parameters, so that the default order applies.
        return {**super().get_filterset_kwargs(filterset_class), "data": self.request.GET}

    def csv_rows(self, ids, site_url):
        raise NotImplementedError

    def csv_response(self, queryset):
        site_url = absolute_url("/").rstrip("/")

        def rows():
            # In a transaction, PostgreSQL's server-side cursor streams the ordered keys as
            # they are read; outside one (WITH HOLD) it would first materialise them all.
            with transaction.atomic():
                ordered_ids = queryset.values_list("pk", flat=True).iterator(chunk_size=CSV_CHUNK)
                for ids in batched(ordered_ids, CSV_CHUNK):
                    yield from self.csv_rows(list(ids), site_url)

        stamp = timezone.localdate().isoformat()
        return csv_response(self.csv_columns, rows(), f"{self.csv_name}-{stamp}.csv")

    def get(self, request, *args, **kwargs):
        self.filterset = self.get_filterset(self.get_filterset_class())
        self.valid = self.filterset.is_valid()
        if self.valid and request.GET.get("format") == "csv":
            return self.csv_response(self.filterset.qs)
        self.object_list = self.filterset.qs if self.valid else self.filterset.queryset.none()
        context = self.get_context_data(object_list=self.object_list)
        return self.render_to_response(context, status=200 if self.valid else 400)

    def filters_key(self):
        """The list and its filters, without page or format: what the count and the
        facets depend on (the pages of one list share them)."""
        return f"{self.request.path}?{filters_only(self.request.GET).urlencode()}"

    def count(self, queryset):
        """How many items the filtered list holds (the filter set may know it without
        counting: ``CoverageFilterSet.count``)."""
        counter = getattr(self.filterset, "count", None)
        return counter(queryset) if counter is not None else queryset.count()

    def get_paginate_by(self, queryset):
        return settings.DIRECTORY_PAGE_SIZE

    def paginate_queryset(self, queryset, page_size):
        # The count of a list over 600,000 actions is read once per content version.
        count = cached(f"count:{self.filters_key()}", lambda: self.count(queryset)) if self.valid else 0
        page = paginate(self.request, queryset, self.page_kwarg, page_size, count=count)
        return page.paginator, page, page.object_list, page.has_other_pages()

    def list_facets(self):
        """The facets beside the list. A filter in error keeps the others on the page
        (counted without it)."""
        return cached(f"facets:{self.filters_key()}", self.filterset.facets) if self.valid else self.filterset.facets()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        facets = self.list_facets()
        query = filters_only(self.request.GET)
        context.update(
            form=self.filterset.form,
            invalid=not self.valid,
            facets=facets,
            chips=self.filterset.chips(facets) if self.valid else [],
            query_string=query.urlencode(),
            csv_query=with_params(query, format="csv"),
            jsonld=structured_data.script(self.item_list(context["page_obj"])),
        )
        return context

    def item_list(self, page):
        """The page's items as an ``ItemList``: each named by its title or name, at its page."""
        absolute = absolute_url
        items = [(getattr(item, "title", None) or item.name, absolute(item.get_absolute_url()))
                 for item in page.object_list]  # fmt: skip
        return structured_data.item_list(self.list_name, absolute(self.request.get_full_path()), items, page.paginator.count,
                                         page.start_index() or 1)  # fmt: skip


class MatchesMixin:
    """Searching (``?q=``), each result of the page shows why it matched: ``excerpt``, a
    short passage of the first of its ``texts`` that holds a word found, those words
    marked (empty when none does); and, for each of its ``shown`` texts (title, actor…),
    ``marked_<name>``: the text with the words found marked."""

    def texts(self, item):
        return ()

    def read_texts(self, items):
        """Reads, for the page's ``items``, what ``texts`` needs and the list left out
        (one query, never one per item)."""

    def shown(self, item):
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = (self.filterset.selected("q") or "").strip() if self.valid else ""
        if query:
            wanted = query_stems(query)
            self.read_texts(context["page_obj"].object_list)
            for item in context["page_obj"].object_list:
                found = passage(wanted, *self.texts(item))
                item.excerpt = found if "<mark>" in found else ""
                for name, text in self.shown(item).items():
                    setattr(item, f"marked_{name}", mark(text, wanted))
        return context
