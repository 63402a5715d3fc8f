"""The behaviour every public list shares: a FilterSet reads ``request.GET``; bad values
give a clear message and no results (status 400); pages of 20; a page past the end shows
the last page, a page that is not a number is a 404; facets and removable chips."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views import View


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

    def get(self, request, *args, **kwargs):
        filterset = self.get_filterset()
        valid = filterset.is_valid()
        if valid:
            page = self.paginate(filterset.qs)
            facets = filterset.facets()
            chips = filterset.chips(facets)
        else:
            page = self.paginate(filterset.queryset.none())
            facets, chips = [], []
        query = request.GET.copy()
        query.pop("page", None)
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
            "title": self.title,
            **self.get_extra_context(),
        }
        return render(request, self.template_name, context, status=200 if valid else 400)

    def get_extra_context(self):
        return {}
