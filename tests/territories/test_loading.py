"""Official territories: import, idempotence, and the département roll-up rule."""

import pytest

from actors.models import Organisation
from territories import loading
from territories.models import Territory, TerritoryKind
from tests.factories import ActionFactory, OrganisationFactory, ProgrammeFactory


@pytest.fixture(scope="module")
def fixture_data():
    return loading.read_fixture()


def test_committed_fixture_names_source_and_version(fixture_data):
    assert fixture_data["version"] == "6.0.0"
    assert "@etalab/decoupage-administratif" in fixture_data["source"]
    assert fixture_data["departements_with_communes"] == ["14", "50", "61"]


def test_committed_fixture_holds_the_communes_of_the_three_departements(fixture_data):
    kinds = [c["type"] for c in fixture_data["communes"]]
    assert len(kinds) == 1881
    assert kinds.count("commune-actuelle") == 1352
    assert kinds.count("commune-deleguee") == 507
    assert kinds.count("commune-associee") == 22
    by_dep = {d: sum(1 for c in fixture_data["communes"] if c["departement"] == d and c["type"] == "commune-actuelle")
              for d in ("14", "50", "61")}  # fmt: skip
    assert by_dep == {"14": 526, "50": 445, "61": 381}


@pytest.mark.django_db
def test_import_is_idempotent(directory, fixture_data):
    before = Territory.objects.count()
    created, updated = loading.import_territories(fixture_data)
    assert (created, updated) == (0, 0)
    assert Territory.objects.count() == before
    assert Territory.objects.filter(kind__startswith="commune").count() == 1881
    assert Territory.objects.filter(kind=TerritoryKind.DEPARTEMENT).count() == len(
        fixture_data["departements"]
    )


@pytest.mark.django_db
def test_import_repairs_a_changed_name(directory, fixture_data):
    Territory.objects.filter(key="14478").update(name="Orbec-modifié")
    created, updated = loading.import_territories(fixture_data)
    assert (created, updated) == (0, 1)
    assert Territory.objects.get(key="14478").name == "Orbec"


@pytest.mark.django_db
def test_historic_communes_point_to_their_current_commune(directory):
    livarot = Territory.objects.get(key="14371-deleguee")
    assert livarot.kind == TerritoryKind.COMMUNE_DELEGUEE
    assert livarot.current.key == "14371"
    assert livarot.current.name == "Livarot-Pays-d'Auge"
    assert livarot.parent.name == "Calvados"
    associee = Territory.objects.filter(kind=TerritoryKind.COMMUNE_ASSOCIEE).first()
    assert associee.current.kind == TerritoryKind.COMMUNE


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("territory_key", "counts_in"),
    [
        ("14478", {"14"}),  # Orbec, a current commune
        ("14371-deleguee", {"14"}),  # historic Livarot
        ("14", {"14"}),
        ("50", {"50"}),
        ("region-25", {"14", "50", "61"}),  # historic Basse-Normandie
        ("region-28", {"14", "50", "61"}),  # Normandie
        ("region-53", set()),  # Bretagne
    ],
)
def test_departement_roll_up(directory, territory_key, counts_in):
    territory = Territory.objects.get(key=territory_key)
    action = ActionFactory(territories=[territory])
    actor = OrganisationFactory(territories=[territory])
    for code in ("14", "50", "61"):
        assert Organisation.objects.in_departement(code).filter(pk=actor.pk).exists() == (code in counts_in)
        assert type(action).objects.in_departement(code).filter(pk=action.pk).exists() == (code in counts_in)


@pytest.mark.django_db
def test_action_without_territory_inherits_programme_then_actor(directory):
    manche = Territory.objects.get(key="50")
    orbec = Territory.objects.get(key="14478")
    action = ActionFactory(programme=ProgrammeFactory(actor=OrganisationFactory(territories=[manche])))
    Action = type(action)
    assert set(Action.objects.filter(pk=action.pk).in_departement("50").values_list("pk", flat=True)) == {
        action.pk
    }
    action.programme.territories.set([orbec])
    assert not Action.objects.filter(pk=action.pk).in_departement("50").exists()
    assert Action.objects.filter(pk=action.pk).in_departement("14").exists()


@pytest.mark.django_db
def test_real_content_rolls_up_to_calvados(directory):
    from actions.models import Action

    calvados = set(Action.objects.in_departement("14").values_list("slug", flat=True))
    assert "halte-garderie-itinerante" in calvados
    assert "halte-garderie-itinerante" not in set(
        Action.objects.in_departement("50").values_list("slug", flat=True)
    )
    assert "mutualite-francaise-du-calvados" in set(
        Organisation.objects.in_departement("14").values_list("slug", flat=True)
    )
    assert "mutualite-francaise-du-calvados" not in set(
        Organisation.objects.in_departement("61").values_list("slug", flat=True)
    )
