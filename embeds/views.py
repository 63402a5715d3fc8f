"""Other sites show the directory on their pages (issue 24):

- ``/integrer/`` (``builder``): anyone picks what to show — a commune (typed as people
  type it: « Votre commune » of the actor list reads it, ``actors.filters.CommuneField``),
  a département, a sector, a public —, a list or a map, how many actors; sees the embed
  and copies its ``<iframe>`` code. Without JavaScript the form reloads the page; with it
  (static/js/embed-builder.js) the preview follows each change.
- ``/integrer/liste/`` and ``/integrer/carte/``: the embedded pages, light (no header
  nor footer of the site), framed by any site (``common.security.frameable``), setting no
  cookie. They are the actor list and map views (``actors.views``) with the same filter
  set, read as the API reads it (``?commune=<code INSEE>``: what the builder writes); each
  actor links to its page on the directory, outside the frame.
- Each display on another site is counted for that site, view and day (``EmbedUse``), in
  the view: its answers are ``private``, so the page cache (``common/cache.py``) never
  serves one without the view running."""

from html import escape

from django.conf import settings
from django.http import QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from actors.filters import ActorFilterSet
from actors.models import Organisation
from actors.views import ActorListView, ActorMapView
from common.querystring import filters_only, with_params
from territories.region import DEPARTEMENTS
from territories.resolver import keyed

from .forms import EmbedOptions
from .models import EmbedUse, referring_host

# What the builder offers to choose (the actor list's filters of the same names).
CHOSEN_FILTERS = ("commune", "departement", "secteur", "public")
# The parameters of the embed itself, not of the list it shows.
EMBED_PARAMETERS = ("vue", "nombre")
# The frame's height in the code to copy (pixels): the page scrolls inside beyond it.
FRAME_HEIGHTS = {"liste": 600, "carte": 760}
NOUN = "Acteurs de l'ESS"


def selection(filterset):
    """What a list shows, in words: [« Lisieux », « Calvados », « Insertion »…]."""
    if not (filterset.is_bound and filterset.form.is_valid()):
        return []
    data = filterset.form.cleaned_data
    parts = []
    near = filterset.near()
    if near is not None:
        parts.append(near.label)
    if data.get("departement"):
        parts.append(dict(DEPARTEMENTS)[data["departement"]])
    for name in ("secteur", "public"):
        if data.get(name):
            parts.append(dict(filterset.vocabularies[name])[data[name]])
    if data.get("famille"):
        parts.append(dict(filterset.filters["famille"].extra["choices"])[data["famille"]])
    if (data.get("q") or "").strip():
        parts.append(f"« {data['q'].strip()} »")
    return parts


def heading(filterset):
    parts = selection(filterset)
    return f"{NOUN} : {', '.join(parts)}" if parts else f"{NOUN} en {settings.DIRECTORY_REGION['name']}"


def list_query(filterset, query):
    """``query`` (a list's filters) as the actor list reads them: a commune named with its
    key (« Lisieux (14366) »), which « Votre commune » reads back exactly."""
    query = filters_only(query)
    for name in EMBED_PARAMETERS:
        query.pop(name, None)
    reading = filterset.selected("commune")
    if reading is not None:
        query["commune"] = reading.value
    return query.urlencode()


def directory_links(filterset, query):
    """The actor list and map with the same filters, on the directory's address."""
    listed = list_query(filterset, query)
    suffix = f"?{listed}" if listed else ""
    site = settings.DIRECTORY_SITE_URL
    return site + reverse("actors:list") + suffix, site + reverse("actors:map") + suffix


class EmbeddedMixin:
    """An actor list view, embedded: its first ``nombre`` actors, no facets, counted."""

    filterset_class = ActorFilterSet.for_machines()
    kind = None  # EmbedUse.Kind

    def get(self, request, *args, **kwargs):
        self.options = EmbedOptions(request.GET)
        response = super().get(request, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200 and not response.streaming:
            host = referring_host(request)
            if host is not None:
                EmbedUse.record(host, self.kind)
        # Never from the page cache nor a shared one: each display reaches the view.
        response["Cache-Control"] = "private, no-cache"
        return response

    def get_paginate_by(self, queryset):
        return self.options.value("nombre")

    def list_facets(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        list_url, map_url = directory_links(self.filterset, self.request.GET)
        context.update(
            heading=heading(self.filterset),
            site_url=settings.DIRECTORY_SITE_URL,
            directory_list_url=list_url,
            directory_map_url=map_url,
            builder_url=settings.DIRECTORY_SITE_URL + reverse("embeds:builder"),
        )
        return context


class EmbeddedList(EmbeddedMixin, ActorListView):
    template_name = "embeds/list.html"
    kind = EmbedUse.Kind.LIST


class EmbeddedMap(EmbeddedMixin, ActorMapView):
    template_name = "embeds/map.html"
    kind = EmbedUse.Kind.MAP

    def machine_query(self):
        """The map's data: the list's filters, without the embed's own parameters (the
        API refuses what it does not know); every actor placed, not only the first ones."""
        query = QueryDict(super().machine_query(), mutable=True)
        for name in EMBED_PARAMETERS:
            query.pop(name, None)
        return query.urlencode()

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        # No « Autour de moi » in a frame: the site's own policy (no geolocation).
        del response["Permissions-Policy"]
        return response


def embed_query(filterset, options):
    """The embedded page's query string: the chosen filters as the machines read them (a
    commune by its INSEE code, a postcode as ``code_postal``: the code stays right if
    names change) and how many actors."""
    chosen = QueryDict(mutable=True)
    for name in CHOSEN_FILTERS:
        value = (filterset.data.get(name) or "").strip()
        if value:
            chosen[name] = value
    query = filterset.machine_query(chosen)
    query["nombre"] = options.value("nombre")
    return query.urlencode()


def attribute(text):
    """``text`` safe in a double-quoted attribute and as an element's text, and readable
    by the person who copies it (« l'ESS », not « l&#x27;ESS »)."""
    return escape(str(text), quote=False).replace('"', "&quot;")


def builder(request):
    """/integrer/: choose, preview, copy."""
    filterset = ActorFilterSet(data=request.GET, queryset=Organisation.objects.none(), request=request)
    options = EmbedOptions(request.GET)
    valid = filterset.form.is_valid() and options.is_valid()
    kind = options.value("vue")
    context = {"form": filterset.form, "options": options, "forms": [filterset.form, options], "invalid": not valid,
               "vocabularies": filterset.vocabularies, "departements": DEPARTEMENTS, "kind": kind,
               "preview_url": "", "commune_choices": []}  # fmt: skip
    reading = getattr(filterset.form.fields["commune"], "reading", None)
    if reading is not None and reading.choices and filterset.form.errors.get("commune"):
        context["commune_choices"] = [(c, "?" + with_params(request.GET, commune=keyed(c))) for c in reading.choices]
    if valid:
        path = reverse("embeds:list" if kind == "liste" else "embeds:map") + "?" + embed_query(filterset, options)
        title = f"{heading(filterset)} — {settings.DIRECTORY_SITE_NAME}"
        list_url, map_url = directory_links(filterset, request.GET)
        context.update(
            kind=kind,
            preview_url=path,
            frame_title=title,
            snippet=render_to_string("embeds/_snippet.html", {name: attribute(value) for name, value in {
                "embed_url": settings.DIRECTORY_SITE_URL + path,
                "title": title,
                "height": FRAME_HEIGHTS[kind],
                "directory_url": list_url if kind == "liste" else map_url,
                "link_text": f"Voir ces acteurs sur l'{settings.DIRECTORY_SITE_NAME[:1].lower()}"
                             f"{settings.DIRECTORY_SITE_NAME[1:]}",
            }.items()}).strip(),
        )  # fmt: skip
    return render(request, "embeds/builder.html", context, status=200 if valid else 400)
