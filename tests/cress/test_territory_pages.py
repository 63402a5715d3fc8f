"""Territory pages roll up both ways and agree with the list filters: what works in a
commune is what covers it, its historic communes, its département or its region."""

import pytest

from actors.models import Organisation
from territories.models import Scope, Territory
from tests.factories import ActionFactory, OrganisationFactory, ProgrammeFactory


def group(response, name):
    data = response.context[name]
    return {
        section["scope"]: {item.slug for item in section["page_obj"].object_list}
        for section in data["sections"]
    }


def counts(response, name):
    return {section["scope"]: section["count"] for section in response.context[name]["sections"]}


def list_slugs(client, url, params):
    response = client.get(url, {**params, "page": 1})
    return {item.slug for item in response.context["page_obj"].paginator.object_list}


@pytest.mark.django_db
def test_caen_shows_every_actor_of_the_calvados_and_the_region(directory, client):
    """« Acteurs (0) » was shown although every actor works in the Calvados or the region."""
    response = client.get("/territoires/14118/")
    page = response.content.decode()
    assert response.context["actors"]["total"] == 6
    assert counts(response, "actors") == {Scope.DEPARTEMENT: 1, Scope.REGION: 5}
    assert group(response, "actors")[Scope.DEPARTEMENT] == {"mutualite-francaise-du-calvados"}
    assert (
        "6 acteurs interviennent à Caen : 1 dans tout le département du Calvados, 5 dans toute la région."
        in page
    )
    assert response.context["actors"]["total"] == len(list_slugs(client, "/acteurs/", {"commune": "14118"}))


@pytest.mark.django_db
def test_livarot_pays_d_auge_shows_what_works_in_its_historic_commune(directory, client):
    response = client.get("/territoires/14371/")
    assert "halte-garderie-itinerante" in group(response, "actions")[Scope.COMMUNE]
    assert "Livarot" in {t.name for t in response.context["historic"]}
    assert response.context["actions"]["total"] == len(list_slugs(client, "/actions/", {"commune": "14371"}))


@pytest.mark.django_db
def test_livarot_historic_page_shows_the_halte_garderie_and_its_current_commune(directory, client):
    response = client.get("/territoires/14371-deleguee/")
    page = response.content.decode()
    assert "halte-garderie-itinerante" in group(response, "actions")[Scope.COMMUNE]
    assert "Livarot-Pays-d&#x27;Auge" in page
    assert response.context["actors"]["total"] == 6


@pytest.mark.django_db
def test_normandie_counts_what_is_tagged_basse_normandie(directory, client):
    response = client.get("/territoires/region-28/")
    assert "coorace-basse-normandie" in group(response, "actors")[Scope.REGION]
    assert "mutualite-francaise-du-calvados" in group(response, "actors")[Scope.DEPARTEMENT]
    assert response.context["actors"]["total"] == 6


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["14", "50", "61"])
def test_departement_pages_agree_with_the_departement_filter(directory, client, key):
    orbec = Territory.objects.get(key="14478")
    OrganisationFactory(territories=[orbec])
    ActionFactory(programme=ProgrammeFactory(actor=OrganisationFactory()), territories=[orbec])
    response = client.get(f"/territoires/{key}/")
    for name, url in (("actors", "/acteurs/"), ("actions", "/actions/")):
        page_items = (
            set().union(*group(response, name).values()) if response.context[name]["sections"] else set()
        )
        listed = list_slugs(client, url, {"departement": key})
        assert response.context[name]["total"] == len(listed)
        if response.context[name]["total"] <= 20:
            assert page_items == listed


@pytest.mark.django_db
def test_sections_go_from_the_most_local_and_never_repeat(directory, client):
    orbec, calvados = Territory.objects.get(key="14478"), Territory.objects.get(key="14")
    both = OrganisationFactory(slug="orbec-et-calvados", territories=[orbec, calvados])
    only = OrganisationFactory(slug="tout-le-calvados", territories=[calvados])
    response = client.get("/territoires/14478/")
    sections = group(response, "actors")
    assert both.slug in sections[Scope.COMMUNE]
    assert both.slug not in sections[Scope.DEPARTEMENT]
    assert only.slug in sections[Scope.DEPARTEMENT]
    assert (
        response.context["actors"]["total"]
        == Organisation.objects.actors().published().in_territory(orbec).count()
    )


@pytest.mark.django_db
def test_sections_are_paginated(directory, client, settings):
    orbec = Territory.objects.get(key="14478")
    OrganisationFactory.create_batch(settings.DIRECTORY_PAGE_SIZE + 3, territories=[orbec])
    response = client.get("/territoires/14478/", {"page_acteurs_commune": "2"})
    section = response.context["actors"]["sections"][0]
    assert section["scope"] == Scope.COMMUNE and section["count"] == settings.DIRECTORY_PAGE_SIZE + 3
    assert len(section["page_obj"].object_list) == 3
    assert "page_acteurs_commune=1" in response.content.decode()


@pytest.mark.django_db
def test_territory_list_shows_only_communes_with_published_content(directory, client):
    from actors.models import Status

    cherbourg = Territory.objects.get(key="50129")
    draft = OrganisationFactory(territories=[cherbourg], status=Status.DRAFT)
    assert "/territoires/50129/" not in client.get("/territoires/", {"page": 1}).content.decode()
    type(draft).objects.filter(pk=draft.pk).update(status=Status.PUBLISHED)
    communes = {c.key for c in client.get("/territoires/").context["page_obj"].paginator.object_list}
    assert "50129" in communes


@pytest.mark.django_db
def test_sections_from_the_listing_counts_equal_the_coverage_rule(directory):
    """Département and commune pages read their sections' counts from the listing counts
    and the scope keys; the coverage rule (``count_by_scope``, ``in_scope``) says the same,
    for every département and every commune with content — after a mix of coverages."""
    from actions.models import Action
    from cress import places
    from tests.factories import bulk_actors

    spots = list(Territory.objects.filter(key__in=["14", "14478", "14371-deleguee", "region-25", "50129", "61"]))
    bulk_actors(12, prefix="melange", places=spots, actions_per_actor=2)
    lists = {"acteurs": Organisation.objects.actors().published(), "actions": Action.objects.published()}
    territories = [*Territory.objects.departements(), *places.communes_with_content()]
    assert len(territories) > 10
    for territory in territories:
        for listing, queryset in lists.items():
            counts, sections = places.scoped(territory, queryset, listing)
            assert counts == queryset.count_by_scope(territory), (territory.key, listing)
            for scope in Scope:
                expected = set(queryset.in_scope(territory, scope).values_list("pk", flat=True))
                assert set(sections[scope].values_list("pk", flat=True)) == expected, (territory.key, scope)
