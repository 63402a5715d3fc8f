"""French alphabetical order everywhere, on both databases: « Caisse » before « COORACE »,
« État » among the E (common/collation.py)."""

import pytest
from django.urls import reverse

from actors.models import Organisation, Sector
from common.collation import french, french_key
from tests.factories import OrganisationFactory

NAMES = ["Zèbre solidaire", "COORACE test", "État civil solidaire", "Caisse test", "Elan test", "école du quartier",
         "Œuvre test", "Ecole test", "Lesage test", "Les Amis test", "L'Abri test"]  # fmt: skip
# A space sorts before a letter, whatever the database's own collation (glibc's French one
# ignores spaces and would put « Lesage » first).
FRENCH_ORDER = ["Caisse test", "COORACE test", "école du quartier", "Ecole test", "Elan test", "État civil solidaire",
                "L'Abri test", "Les Amis test", "Lesage test", "Œuvre test", "Zèbre solidaire"]  # fmt: skip


def test_the_python_key():
    assert sorted(NAMES, key=french_key) == FRENCH_ORDER


@pytest.fixture
def named(db):
    for name in NAMES:
        OrganisationFactory(name=name, slug=f"ordre-{NAMES.index(name)}", summary="ordre alphabétique")
    return NAMES


@pytest.mark.django_db
def test_the_database_orders_names_the_french_way(named):
    assert list(
        Organisation.objects.filter(name__in=NAMES).order_by(*french("name")).values_list("name", flat=True)
    ) == (FRENCH_ORDER)


@pytest.mark.django_db
def test_the_public_list_and_the_admin_list(named, client, admin_client):
    listed = [
        a.name for a in client.get("/acteurs/", {"q": "ordre alphabetique"}).context["page_obj"].object_list
    ]
    assert listed == FRENCH_ORDER
    listed = [a.name for a in client.get("/acteurs/", {"tri": "nom"}).context["page_obj"].paginator.object_list
              if a.name in NAMES]  # fmt: skip
    assert listed == FRENCH_ORDER
    changelist = admin_client.get(reverse("admin:actors_organisation_changelist"), {"q": "test", "o": "1"})
    shown = [o.name for o in changelist.context["cl"].result_list]
    assert [n for n in shown if n in NAMES] == [n for n in FRENCH_ORDER if n in shown]


@pytest.mark.django_db
def test_facet_choices_follow_french_order(db, client):
    names = ("Économie test", "Emploi test", "Culture test", "Éducation test", "Zone test", "aide à domicile test")
    for number, name in enumerate(names):
        Sector.objects.create(name=name, slug=f"ordre-{number}")
    facet = next(f for f in client.get("/acteurs/").context["facets"] if f.name == "secteur")
    labels = [c.label for c in facet.choices]
    assert labels == sorted(labels, key=french_key)
    assert labels.index("aide à domicile test") < labels.index("Culture test") < labels.index("Économie test")
    assert labels.index("Économie test") < labels.index("Éducation test") < labels.index("Emploi test")
