"""The listing counts (``ListingCount``) are exactly what counting the lists gives, after
every kind of write: a form's save, a relation added, a bulk update, a deletion, a new
item. PostgreSQL keeps them (statement triggers); these tests count by hand and compare."""

from collections import Counter

import pytest

from actions.models import Action, Programme
from actors.models import ANY, ANY_FAMILY, ListingCount, Organisation, Sector, Status, listing_counts
from territories.models import Territory
from tests.factories import ActionFactory, OrganisationFactory, ProgrammeFactory


def cells(departements, sectors, publics, family, span=None):
    for d in [*(departements or []), ANY]:
        for s in [*(sectors or []), ANY]:
            for p in [*(publics or []), ANY]:
                for f in [family, ANY_FAMILY] if family else [ANY_FAMILY]:
                    for y in [span, ANY] if span else [ANY]:
                        yield d, s, p, f, y


def counted_by_hand():
    expected = Counter()
    columns = ("departement_ids", "scope_keys", "sector_ids", "public_ids")

    def keyed(departements, keys, *others):  # the scope keys beside the départements
        return [*(departements or []), *(keys or [])], *others

    for *arrays, family in Organisation.objects.actors().published().values_list(*columns, "family"):
        expected.update(("acteurs", *cell) for cell in cells(*keyed(*arrays), family))
    for *arrays, first, last in Action.objects.published().values_list(*columns, "first_year", "last_year"):
        span = first * 10000 + (last or 9999) if first else None
        expected.update(("actions", *cell) for cell in cells(*keyed(*arrays), None, span))
    for arrays in Programme.objects.published().values_list(*columns):
        expected.update(("programmes", *cell) for cell in cells(*keyed(*arrays), None))
    return +expected


def stored():
    rows = ListingCount.objects.values_list("list", "departement", "sector", "public", "family", "span", "n")
    return +Counter({tuple(row[:6]): row[6] for row in rows})


@pytest.mark.django_db
def test_listing_counts_equal_counting_after_every_kind_of_write(directory):
    assert stored() == counted_by_hand() != Counter()

    actor = Organisation.objects.actors().published().filter(programmes__actions__isnull=False).first()
    actor.status = Status.DRAFT  # a form's save: the actor and all its actions leave the lists
    actor.save()
    assert stored() == counted_by_hand()

    Organisation.objects.filter(pk=actor.pk).update(status=Status.PUBLISHED)  # a bulk update
    actor.territories.add(Territory.objects.get(key="50"))  # a relation
    actor.sectors.add(Sector.objects.order_by("pk").last())
    assert stored() == counted_by_hand()

    action = ActionFactory(programme=ProgrammeFactory(actor=OrganisationFactory(status=Status.PUBLISHED)))
    assert stored() == counted_by_hand()
    action.start_year, action.since = 2004, True  # its span of years
    action.save()
    assert stored() == counted_by_hand()
    Action.objects.filter(pk=action.pk).delete()  # a deletion
    actor.programmes.first().delete()  # and a cascade
    assert stored() == counted_by_hand()


@pytest.mark.django_db
def test_a_list_reads_its_count_and_facets_from_a_few_rows(directory):
    sector = Sector.objects.order_by("pk").first()
    departement = Territory.objects.get(key="14")
    counts = listing_counts("acteurs", departement=departement.pk)
    count, facets = counts.count, counts.facets
    actors = Organisation.objects.actors().published()
    assert count == actors.in_departement("14").count() > 0
    assert facets["sector"].get(sector.pk, 0) == actors.in_departement("14").with_sector(sector.slug).count()
    assert facets["departement"][departement.pk] == count
    assert facets["departement"].get(Territory.objects.get(key="50").pk, 0) == actors.in_departement("50").count()
    families = Counter(actors.in_departement("14").exclude(family="").values_list("family", flat=True))
    assert facets["family"] == dict(families)


@pytest.mark.django_db
def test_a_year_is_counted_from_the_spans_that_hold_it(directory):
    sector = Sector.objects.order_by("pk").first()
    ProgrammeFactory(start_year=2003, end_year=2005, sectors=[sector], actor=OrganisationFactory(status=Status.PUBLISHED))
    ActionFactory(start_year=2004, since=True, sectors=[sector])
    actions = Action.objects.published()
    for year in (2001, 2004, 2006, 2008):
        counts = listing_counts("actions", sector=sector.pk, year=year)
        assert counts.count == actions.with_sector(sector.slug).active_in(year).count(), year
        departement = Territory.objects.get(key="14").pk
        assert counts.facets["departement"].get(departement, 0) == (
            actions.with_sector(sector.slug).active_in(year).in_departement("14").count()
        )
    spans = listing_counts("actions", sector=sector.pk).spans
    by_years = actions.with_sector(sector.slug).count_by_years()
    assert {(span // 10000, span % 10000): n for span, n in spans.items()} == {
        (first, last or 9999): n for (first, last), n in by_years.items()
    }


@pytest.mark.django_db
def test_a_bulk_refresh_counts_once_at_its_end_and_agrees(directory, monkeypatch):
    """Past ``RECOUNT`` organisations, the triggers step aside and the lists are counted
    once from the tables: the same counts, and the triggers count again afterwards."""
    from django.db import connection

    from actions import coverage

    monkeypatch.setattr(coverage, "RECOUNT", 0)
    ListingCount.objects.update(n=0)  # damaged: the recount does not add to what is there
    coverage.rebuild()
    assert stored() == counted_by_hand()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('annuaire.recount', true)")
        assert cursor.fetchone()[0] == "off"
    actor = Organisation.objects.actors().published().first()
    actor.sectors.add(Sector.objects.order_by("pk").last())  # a small change: the triggers count it
    assert stored() == counted_by_hand()
