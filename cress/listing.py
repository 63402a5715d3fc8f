"""The behaviour every public list shares: a FilterSet reads ``request.GET``; bad values
give a clear message and no results (status 400); pages of 20; a page past the end shows
the last page, a page that is not a number is a 404; facets and removable chips; and
``?format=csv`` streams the same filtered list as CSV."""

import csv

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

CSV_CHUNK = 1000


class _Echo:
    """A file-like object whose ``write`` returns the line, for streaming csv.writer."""

    def write(self, value):
        return value


def stream_csv(rows, header, filename):
    """UTF-8 with a byte-order mark and « ; » separators: French Excel opens it as is,
    LibreOffice and Python's csv module too. Rows are produced one by one."""
    writer = csv.writer(_Echo(), delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")

    def lines():
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class DirectoryListView(View):
    filterset_class = None
    template_name = None
    title = ""

    def get_queryset(self):
        raise NotImplementedError

    def get_filterset(self):
        return self.filterset_class(data=self.request.GET, queryset=self.get_queryset(), request=self.request)

    def paginate(self, queryset):
        paginator = Paginator(queryset, settings.DIRECTORY_PAGE_SIZE)
        raw = self.request.GET.get("page", "1")
        try:
            number = int(raw)
        except ValueError:
            raise Http404("Le numéro de page doit être un nombre entier.") from None
        return paginator.get_page(max(number, 1))

    csv_columns = []  # [(header, function(obj, site_url) -> value)]
    csv_name = "export"

    def csv_response(self, queryset):
        site_url = self.request.build_absolute_uri("/").rstrip("/")

        def rows():
            for obj in queryset.iterator(chunk_size=CSV_CHUNK):
                yield [value(obj, site_url) for _, value in self.csv_columns]

        stamp = timezone.localdate().isoformat()
        return stream_csv(rows(), [header for header, _ in self.csv_columns], f"{self.csv_name}-{stamp}.csv")

    def get(self, request, *args, **kwargs):
        filterset = self.get_filterset()
        valid = filterset.is_valid()
        if request.GET.get("format") == "csv" and valid:
            return self.csv_response(filterset.qs)
        if valid:
            page = self.paginate(filterset.qs)
            facets = filterset.facets()
            chips = filterset.chips(facets)
        else:
            page = self.paginate(filterset.queryset.none())
            facets, chips = [], []
        query = request.GET.copy()
        query.pop("page", None)
        query.pop("format", None)
        context = {
            "filterset": filterset,
            "form": filterset.form,
            "invalid": not valid,
            "page": page,
            "page_numbers": list(
                page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
            ),
            "ellipsis": page.paginator.ELLIPSIS,
            "facets": facets,
            "chips": chips,
            "query_string": query.urlencode(),
            "csv_query": "&".join(filter(None, [query.urlencode(), "format=csv"])),
            "title": self.title,
            **self.get_extra_context(),
        }
        return render(request, self.template_name, context, status=200 if valid else 400)

    def get_extra_context(self):
        return {}
