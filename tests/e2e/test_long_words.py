"""A long unbroken word never widens a page (issue 23): a 200-character name without a
space once made the contribution page 3,570 px wide on a 375 px phone. Public pages (the
profile, its card in the list, the contribution form that names it) and the moderators'
contribution page wrap it (``overflow-wrap: anywhere``, static/css)."""

from django.urls import reverse

from suggestions.models import Kind, Suggestion
from tests.factories import OrganisationFactory

from .test_journeys import log_in_as_editor

LONG = "Associationpourlaréinsertionetlemploisolidairedesquartiersprioritaires" * 3
WIDTH = 375


def scroll_width(page, url):
    page.goto(url)
    return page.evaluate("() => document.documentElement.scrollWidth")


def test_a_long_unbroken_name_never_widens_a_page(site, page):
    name = LONG[:200]
    organisation = OrganisationFactory(name=name, slug="nom-tres-long", summary=LONG[:180],
                                       description=LONG, website="https://example.org/" + LONG[:150])  # fmt: skip
    listing = Suggestion.objects.create(kind=Kind.LISTING, name=name, description=LONG, territories_text=LONG,
                                        street_address=LONG[:200], commune_name="Bayeux", identifier="732829320")  # fmt: skip
    correction = Suggestion.objects.create(kind=Kind.CORRECTION, organisation=organisation, what_is_wrong=LONG,
                                           proposed_text=LONG)  # fmt: skip
    page.set_viewport_size({"width": WIDTH, "height": 812})
    public = {
        "fiche": organisation.get_absolute_url(),
        "carte dans la liste": "/acteurs/?q=Associationpourlaréinsertion",
        "contribution": reverse("suggestions:report-actor", args=[organisation.slug]),
    }
    wide = {label: scroll_width(page, site + url) for label, url in public.items()}
    log_in_as_editor(page, site)
    for label, suggestion in (("référencement à modérer", listing), ("correction à modérer", correction)):
        wide[label] = scroll_width(page, site + reverse("admin:suggestions_suggestion_change", args=[suggestion.pk]))
    assert {label: width for label, width in wide.items() if width > WIDTH} == {}
