"""« Compare, then merge » (issue 20, item 5): the two organisations side by side, field by
field, each difference marked in words; administrators choose per field what the kept
one gets, see the preview, then confirm; the merge applies exactly what was previewed.
Editors compare but never merge."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from actors.models import Organisation, Sector
from imports.merge import merge, plan
from imports.models import DuplicatePair
from territories.models import Territory
from tests.factories import OrganisationFactory


@pytest.fixture
def administrator_client(staff_groups):
    user = User.objects.create_user("admin-fusion", password="x", is_staff=True)
    user.groups.add(staff_groups[1])
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def twins(directory):
    """A (older, kept by default) and B: one body typed twice, with differences."""
    caen = Territory.objects.get(kind="commune", code="14118")
    sectors = list(Sector.objects.order_by("pk")[:2])
    a = OrganisationFactory(
        name="Association des Jardins Familiaux de Caen", slug="ajf-caen", commune=caen,
        phone="02 31 00 00 01", website="", email="contact@ajf-caen.example", sectors=[sectors[0]],
    )  # fmt: skip
    b = OrganisationFactory(
        name="Association des Jardins Familiaux Caen", slug="ajf-caen-2", commune=caen,
        phone="", website="https://ajf-caen.example", email="contact@ajf-caen.example", sectors=[sectors[1]],
    )  # fmt: skip
    pair = DuplicatePair.objects.get(first=a, second=b)
    return a, b, pair, sectors


def url(pair):
    return reverse("admin:imports_duplicatepair_merge", args=[pair.pk])


def rows(html):
    """{field: differs} from the comparison table's rows."""
    return {
        name: bool(differs)
        for name, differs in re.findall(r'<tr class="[^"]*" data-field="([^"]+)"( data-differs)?>', html)
    }


def preview(client, pair, keep, **choices):
    response = client.post(url(pair), {"keep": keep.pk, "preview": "1", **choices})
    assert response.status_code == 200
    assert response.context["preview"] is not None, response.content.decode()[:2000]
    return response


def confirm(client, pair, response):
    return client.post(url(pair), {"confirm": "1", "token": response.context["token"]})


@pytest.mark.django_db
def test_the_comparison_lists_each_differing_field(twins, administrator_client):
    a, b, pair, _ = twins
    html = administrator_client.get(url(pair)).content.decode()
    found = rows(html)
    assert {name for name, differs in found.items() if differs} == {"slug", "name", "phone", "website", "sectors"}
    assert found["email"] is False and found["commune"] is False and found["territories"] is False
    # marked in words, not by colour only; every radio labelled, the table captioned
    assert html.count('<strong class="merge-marker">diffère</strong>') == 5
    assert "<caption>Comparaison champ par champ : 5 différences." in html
    assert '<th scope="row">Téléphone</th>' in html
    for name in ("name", "phone", "website", "sectors"):
        for side in ("a", "b"):
            assert f'id="merge-{name}-{side}"' in html and f'<label for="merge-{name}-{side}">' in html
    assert 'id="merge-sectors-union" checked' in html  # the union stays the default
    assert 'value="a" id="merge-phone-a" checked' in html  # the filled value is preselected
    assert 'value="b" id="merge-website-b" checked' in html
    assert "merge-email-a" not in html  # nothing to choose where both agree


@pytest.mark.django_db
def test_a_choice_of_the_others_value_lands_on_the_kept_record(twins, administrator_client):
    a, b, pair, sectors = twins
    response = preview(administrator_client, pair, a, name="b", phone="a", website="b", sectors="b")
    html = response.content.decode()
    assert "Aperçu de la fusion : rien n'est encore fait" in html
    assert "Association des Jardins Familiaux Caen" in html and "https://ajf-caen.example" in html
    assert Organisation.objects.get(pk=b.pk).merged_into is None  # a preview writes nothing

    done = confirm(administrator_client, pair, response)
    assert done.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert b.merged_into == a
    assert (a.name, a.phone, a.website, a.slug) == (
        "Association des Jardins Familiaux Caen", "02 31 00 00 01", "https://ajf-caen.example", "ajf-caen",
    )  # fmt: skip
    assert list(a.sectors.all()) == [sectors[1]]  # B's only, as chosen
    reason = a.history.latest().history_change_reason
    assert reason == "Fusion : « ajf-caen-2 » réunie ici ; choix : nom, site web, secteurs"


@pytest.mark.django_db
def test_keeping_b_takes_the_values_chosen_whichever_is_kept(twins, administrator_client):
    a, b, pair, sectors = twins
    response = preview(administrator_client, pair, b, name="a", phone="a", website="b")
    assert confirm(administrator_client, pair, response).status_code == 302
    b.refresh_from_db()
    assert (b.name, b.phone, b.website) == (a.name, "02 31 00 00 01", "https://ajf-caen.example")
    assert set(b.sectors.all()) == set(sectors)  # the union, by default


@pytest.mark.django_db
def test_an_empty_value_of_the_other_never_blanks_the_kept_one_unless_chosen_and_previewed(
    twins, administrator_client
):
    a, b, pair, _ = twins
    # the rule, without choices: the kept phone stays, the empty website is filled
    assert [label for label, *_ in plan(a, b).fields] == ["site web"] and plan(a, b).erased == []
    # a merge that was not previewed does nothing
    refused = administrator_client.post(url(pair), {"keep": a.pk, "phone": "b", "confirm": "1"})
    assert refused.status_code == 200 and Organisation.objects.get(pk=b.pk).merged_into is None
    forged = administrator_client.post(url(pair), {"confirm": "1", "token": "faux"})
    assert forged.status_code == 200 and Organisation.objects.get(pk=b.pk).merged_into is None

    response = preview(administrator_client, pair, a, phone="b")
    html = response.content.decode()
    assert "data-merge-erased" in html and "<del>02 31 00 00 01</del>" in html
    assert "1 valeur de la fiche gardée sera effacée" in html
    assert confirm(administrator_client, pair, response).status_code == 302
    a.refresh_from_db()
    assert a.phone == "" and a.website == "https://ajf-caen.example"


@pytest.mark.django_db
def test_merge_applies_choices_and_keeps_the_rule_by_default(twins):
    a, b, _, sectors = twins
    with pytest.raises(ValueError):
        merge(a, b, {"slug": "other"})  # identity is not a choice
    with pytest.raises(ValueError):
        merge(a, b, {"phone": "les deux"})
    merge(a, b, {"website": "keep", "sectors": "keep"})
    a.refresh_from_db()
    assert (a.phone, a.website) == ("02 31 00 00 01", "")  # the kept empty website, as chosen
    assert list(a.sectors.all()) == [sectors[0]]


@pytest.mark.django_db
def test_an_editor_compares_but_cannot_merge(twins, editor_client):
    a, b, pair, _ = twins
    page = editor_client.get(url(pair))
    html = page.content.decode()
    assert page.status_code == 200 and rows(html)["phone"] is True and "diffère" in html
    assert 'type="radio"' not in html and "Prévisualiser la fusion" not in html
    assert "Seul un administrateur peut fusionner" in html
    assert editor_client.post(url(pair), {"keep": a.pk, "preview": "1"}).status_code == 403
    assert editor_client.post(url(pair), {"confirm": "1", "token": "x"}).status_code == 403
    assert Organisation.objects.get(pk=b.pk).merged_into is None
