"""What people come for: reach an organisation (contact box, consent), find one near
them (« Votre commune », the map and its GeoJSON), point out a mistake or ask to be listed
without an account (spam defences, moderation, e-mails), and trust how fresh it is
(verified date, stale profiles, the organisation's own confirmation link)."""

import io
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from actors import geocoding
from actors.models import Organisation, PositionSource, Status
from suggestions import verification
from suggestions.forms import form_stamp
from suggestions.models import Kind, State, Suggestion
from territories.models import Territory
from tests.clock import signing_clock
from tests.factories import OrganisationFactory


def stamp(seconds_ago=60):
    """A form time stamp signed ``seconds_ago`` (a person's pace, or a robot's)."""
    with signing_clock(-seconds_ago):
        return form_stamp()


def correction(**overrides):
    return {"what_is_wrong": "Le nom a changé en 2020.", "proposed_text": "Nouveau nom : URAF Normandie.",
            "sender_email": "lectrice@example.org", "stamp": stamp(), "website_confirmation": "", **overrides}  # fmt: skip


# --- reaching an organisation ------------------------------------------------------------


@pytest.mark.django_db
def test_the_contact_box_publishes_phone_and_email_only_with_consent(directory, client):
    caen = Territory.objects.get(key="14118")
    actor = OrganisationFactory(slug="creche-caen", street_address="12 rue des Lilas", postcode="14000", commune=caen,
                                phone="02 31 00 00 00", email="direction@creche.example", website="https://creche.example",
                                siren="732829320", opening_hours="du lundi au vendredi, 8 h – 18 h")  # fmt: skip
    page = client.get(actor.get_absolute_url()).content.decode()
    assert "12 rue des Lilas, 14000 Caen" in page and "du lundi au vendredi" in page
    assert "02 31 00 00 00" not in page and "direction@creche.example" not in page
    assert "https://annuaire-entreprises.data.gouv.fr/entreprise/732829320" in page
    Organisation.objects.filter(pk=actor.pk).update(phone_public=True, email_public=True)
    page = client.get(actor.get_absolute_url()).content.decode()
    assert "02 31 00 00 00" in page and "mailto:direction@creche.example" in page


@pytest.mark.django_db
def test_the_source_organisations_say_what_is_not_known(directory, client):
    page = client.get("/acteurs/uraf/").content.decode()
    assert "Coordonnées non renseignées : la source ne les donne pas." in page
    assert "Identifiants</dt><dd>Non renseignés." in page
    assert "Informations non vérifiées depuis leur publication." in page
    assert "informations de 2001 à 2008" in page
    assert "Intervient dans toute la région Basse-Normandie (aujourd&#x27;hui Normandie)." in page


# --- near me, and the map ------------------------------------------------------------


@pytest.fixture
def placed(directory):
    calvados, orbec, cherbourg = (Territory.objects.get(key=k) for k in ("14", "14478", "50129"))
    return {
        "orbec": OrganisationFactory(
            slug="a-orbec",
            name="A Orbec",
            territories=[orbec],
            latitude=Decimal("49.02"),
            longitude=Decimal("0.40"),
        ),  # fmt: skip
        "calvados": OrganisationFactory(
            slug="b-calvados",
            name="B Calvados",
            territories=[calvados],
            latitude=Decimal("49.18"),
            longitude=Decimal("-0.37"),
        ),  # fmt: skip
        "cherbourg": OrganisationFactory(
            slug="c-cherbourg",
            name="C Cherbourg",
            territories=[cherbourg],
            latitude=Decimal("49.64"),
            longitude=Decimal("-1.62"),
        ),  # fmt: skip
        "unplaced": OrganisationFactory(slug="d-sans-position", name="D Sans position", territories=[orbec]),
    }


def list_slugs(client, params):
    response = client.get("/acteurs/", params)
    assert response.status_code == 200, response.content[:300]
    return [a.slug for a in response.context["page_obj"].paginator.object_list]


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["Orbec", "orbec", "ORBEC ", "14478"])
def test_votre_commune_reads_a_name_a_code_or_a_postcode(placed, client, typed):
    found = list_slugs(client, {"commune": typed})
    assert found.index("a-orbec") < found.index("b-calvados") < found.index("coorace-basse-normandie")
    assert "c-cherbourg" not in found


@pytest.mark.django_db
def test_five_digits_are_a_postcode_first_and_the_insee_code_is_one_click_away(placed, client):
    # 14290 is the postcode of Orbec and others, and Fresney-le-Puceux's INSEE code.
    response = client.get("/acteurs/", {"commune": "14290"})
    near = response.context["near"]
    assert near.kind == "postcode" and "Orbec" in [c.name for c in near.communes]
    assert response.context["near_commune"] == near.communes[0], "the largest first"
    assert "a-orbec" in list_slugs(client, {"commune": "14290"}), "every commune of the postcode at once"
    page = response.content.decode().replace("&#x27;", "'")
    assert "« 14290 » est lu comme le code postal de" in page
    other, link = response.context["near_other"]
    assert other.communes[0].name == "Fresney-le-Puceux" and "Vous cherchiez plutôt Fresney-le-Puceux (dont le code INSEE est 14290) ?" in page
    assert client.get("/acteurs/" + link).context["near"].communes[0].name == "Fresney-le-Puceux"
    # Each commune of the postcode is a click away.
    choices = dict((c.name, url) for c, url in response.context["near_choices"])
    orbec = client.get("/acteurs/" + choices["Orbec"])
    assert [c.name for c in orbec.context["near"].communes] == ["Orbec"]


@pytest.mark.django_db
def test_a_postcode_gives_its_communes(placed, client):
    assert client.get("/acteurs/", {"commune": "14000"}).context["near_commune"].name == "Caen"
    # 50100: a Cherbourg-en-Cotentin postcode, and a former INSEE code of a Saint-James commune.
    response = client.get("/acteurs/", {"commune": "50100"})
    assert response.context["near_commune"].name == "Cherbourg-en-Cotentin"
    assert response.context["near_other"][0].communes[0].name == "Saint-James"
    # Amfreville, Bavent, Bréville-les-Monts, Ranville: served all at once.
    response = client.get("/acteurs/", {"commune": "14860"})
    assert response.status_code == 200
    assert sorted(c.name for c in response.context["near"].communes) == [
        "Amfreville", "Bavent", "Bréville-les-Monts", "Ranville"
    ]  # fmt: skip
    assert "14860 — " in response.content.decode() and " et 3 autres communes" in response.content.decode()


@pytest.mark.django_db
def test_the_api_reads_an_insee_code_exactly_and_gains_code_postal(placed, client):
    def slugs(params):
        response = client.get("/api/v1/acteurs/", params)
        assert response.status_code == 200, response.content[:300]
        return {row["slug"] for row in response.json()["results"]}

    # 14290: Fresney-le-Puceux's INSEE code for the API, not Orbec's postcode.
    assert "a-orbec" not in slugs({"commune": "14290"}) and "b-calvados" in slugs({"commune": "14290"})
    assert "a-orbec" in slugs({"code_postal": "14290"}) and "a-orbec" in slugs({"commune": "14478"})
    assert client.get("/api/v1/acteurs/", {"code_postal": "1429"}).status_code == 400


@pytest.mark.django_db
def test_votre_commune_with_a_historic_name_gives_today_s_commune(placed, client):
    hubert = OrganisationFactory(slug="e-hubert", territories=[Territory.objects.get(key="14538")])
    assert "e-hubert" in list_slugs(client, {"commune": "Hubert-Folie"})
    assert "e-hubert" in list_slugs(client, {"commune": "14339"})
    page = client.get("/acteurs/", {"commune": "Hubert-Folie"}).content.decode()
    assert "Intervient à Castine-en-Plaine</p>" in page
    assert hubert.slug


@pytest.mark.django_db
def test_an_ambiguous_commune_name_says_which_ones(directory, client):
    from collections import Counter

    from territories.models import COMMUNE_KINDS

    names = Counter(
        Territory.objects.filter(kind__in=COMMUNE_KINDS, current__isnull=True).values_list("name", flat=True)
    )
    twice = next(name for name, n in names.items() if n > 1)
    response = client.get("/acteurs/", {"commune": twice})
    assert response.status_code == 400
    assert f"Plusieurs communes correspondent à « {twice} »" in response.content.decode().replace(
        "&#x27;", "'"
    )


@pytest.mark.django_db
def test_the_distance_shows_when_both_positions_are_known(placed, client):
    Territory.objects.filter(key="14478").update(latitude=Decimal("49.0258"), longitude=Decimal("0.4058"))
    response = client.get("/acteurs/", {"commune": "Orbec"})
    cards = {a.slug: a for a in response.context["page_obj"].object_list}
    assert (cards["a-orbec"].distance_km, cards["b-calvados"].distance_km) == (1, 59)
    assert cards["d-sans-position"].distance_km is None
    page = response.content.decode()
    assert "Intervient dans tout le Calvados</p>" in page and "À 59 km d'Orbec" in page.replace("&#x27;", "'")
    assert "Intervient à Orbec</p>" in page and "À 1 km d'Orbec" in page.replace("&#x27;", "'")


def geojson_slugs(client, params):
    response = client.get("/api/v1/acteurs/", {**params, "format": "geojson"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/geo+json")
    data = response.json()
    assert data["type"] == "FeatureCollection"
    return sorted(f["properties"]["slug"] for f in data["features"])


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{}, {"departement": "14"}, {"departement": "50"}, {"commune": "Orbec"},
                                    {"q": "Cherbourg"}, {"famille": "association", "departement": "14"}])  # fmt: skip
def test_the_geojson_answers_the_list_s_filters(placed, client, params):
    listed = {slug for slug in list_slugs(client, params)}
    placed_slugs = {o.slug for o in Organisation.objects.filter(latitude__isnull=False)}
    assert geojson_slugs(client, params) == sorted(listed & placed_slugs)


@pytest.mark.django_db
def test_the_geojson_is_bounded_by_the_visible_area(placed, client):
    assert geojson_slugs(client, {"bbox": "-2,49.5,-1,49.8"}) == ["c-cherbourg"]
    assert client.get("/api/v1/acteurs/", {"format": "geojson", "bbox": "nord,sud"}).status_code == 400


@pytest.mark.django_db
def test_past_the_limit_the_geojson_groups_actors_and_drops_none(placed, client, monkeypatch):
    from actors import api

    placed_count = Organisation.objects.actors().published().filter(latitude__isnull=False).count()
    assert placed_count >= 3
    whole = client.get("/api/v1/acteurs/", {"format": "geojson"}).json()

    assert not whole["groupes"] and whole["count"] == len(whole["features"]) == placed_count
    monkeypatch.setattr(api, "MAP_FEATURES", 2)
    far = client.get("/api/v1/acteurs/", {"format": "geojson", "zoom": "1"}).json()

    assert far["groupes"] and far["count"] == placed_count
    groups = [f["properties"]["nombre"] for f in far["features"] if "nombre" in f["properties"]]
    singles = [f for f in far["features"] if "slug" in f["properties"]]
    assert groups and sum(groups) + len(singles) == placed_count
    near = client.get("/api/v1/acteurs/", {"format": "geojson", "zoom": "20"}).json()
    assert len(near["features"]) > len(far["features"]) and near["count"] == placed_count
    assert client.get("/api/v1/acteurs/", {"format": "geojson", "zoom": "loin"}).status_code == 400


@pytest.mark.django_db
def test_the_map_page_without_javascript_is_the_list(placed, client):
    response = client.get("/acteurs/carte/", {"departement": "50"})
    page = response.content.decode()
    assert '<div id="carte" class="map" hidden' in page
    assert "la liste ci-dessous les compte tous" in page.replace("&#x27;", "'")
    assert "C Cherbourg" in page and "A Orbec" not in page
    assert 'href="/acteurs/?departement=50"' in page, "switching to the list keeps the filters"
    assert "format=geojson" in page and "departement=50" in page.split("data-geojson=")[1][:120]
    assert (
        'href="/acteurs/carte/?departement=50"'
        in client.get("/acteurs/", {"departement": "50"}).content.decode()
    )


@pytest.mark.django_db
def test_commune_suggestions_for_the_autocomplete(directory, client):
    labels = [c["label"] for c in client.get("/acteurs/communes/", {"q": "Livar"}).json()["communes"]]
    assert any(label.startswith("Livarot-Pays-d'Auge") for label in labels)
    assert any("Livarot (commune déléguée, aujourd'hui Livarot-Pays-d'Auge)" in label for label in labels)
    assert client.get("/acteurs/communes/", {"q": "14000"}).json()["communes"][0]["value"] == "Caen"


# --- contributions -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_correction_from_an_anonymous_visitor_to_a_published_change(
    directory, client, editor_client, settings, django_capture_on_commit_callbacks
):
    settings.MANAGERS = [("Modération", "moderation@cress.example")]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/acteurs/uraf/signaler/", correction(), REMOTE_ADDR="10.9.0.1")
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert (suggestion.kind, suggestion.state, suggestion.organisation.slug) == (
        Kind.CORRECTION,
        State.PENDING,
        "uraf",
    )
    assert [m.to for m in mail.outbox] == [["moderation@cress.example"]], "the moderators are told"
    assert "Nouveau nom" not in client.get("/acteurs/uraf/").content.decode(), (
        "nothing published before moderation"
    )

    home = editor_client.get(reverse("admin:index")).content.decode()
    assert "À modérer" in home and "1 contribution en attente" in home
    change = editor_client.get(reverse("admin:suggestions_suggestion_change", args=[suggestion.pk]))
    opened = change.content.decode()
    url = reverse("admin:actors_organisation_change", args=[suggestion.organisation.pk])
    assert f'action="{url}"' in opened and f'name="contribution" value="{suggestion.pk}"' in opened
    form_page = editor_client.get(url, {"contribution": suggestion.pk}).content.decode()
    assert "Nouveau nom : URAF Normandie." in form_page and "Contribution à reporter" in form_page

    from tests.cress.test_history import form_data

    data = form_data(editor_client.get(url, {"contribution": suggestion.pk}))
    data["name"] = "URAF Normandie"
    with django_capture_on_commit_callbacks(execute=True):
        assert editor_client.post(f"{url}?contribution={suggestion.pk}", data).status_code == 302
    assert "URAF Normandie" in client.get("/acteurs/uraf/").content.decode()
    assert mail.outbox[-1].to == ["lectrice@example.org"] and "acceptée" in mail.outbox[-1].body


@pytest.mark.django_db
def test_reporting_is_offered_on_every_actor_programme_and_action(directory, client):
    for url, form in (("/acteurs/uraf/", "/acteurs/uraf/signaler/"),
                      ("/actions/programmes/uraf-enquete-perte-d-autonomie/", "/actions/programmes/uraf-enquete-perte-d-autonomie/signaler/"),
                      ("/actions/enquete-questionnaire-uraf/", "/actions/enquete-questionnaire-uraf/signaler/")):  # fmt: skip
        assert form in client.get(url).content.decode()
        assert client.get(form).status_code == 200
        assert client.post(form, correction(), REMOTE_ADDR="10.9.0.2").status_code == 302
    assert Suggestion.objects.count() == 3


@pytest.mark.django_db
def test_a_listing_request_becomes_a_draft_actor(directory, client, editor_client):
    """(What the draft carries, and the e-mails: tests/suggestions/test_moderation.py.)"""
    data = {"name": "Recyclerie du Bessin", "identifier": "732 829 320", "street_address": "3 rue du Port",
            "postcode": "14400", "commune_name": "Bayeux", "contact_email": "contact@recyclerie.example",
            "contact_phone": "", "sectors": [], "territories_text": "Bessin", "description": "Réemploi et emploi.",
            "sender_email": "fondatrice@example.org", "stamp": stamp(), "website_confirmation": ""}  # fmt: skip
    assert client.post("/referencer/", data, REMOTE_ADDR="10.9.0.3").status_code == 302
    suggestion = Suggestion.objects.get(kind=Kind.LISTING)
    response = editor_client.post(reverse("admin:suggestions_suggestion_accept", args=[suggestion.pk]))
    created = Organisation.objects.get(name="Recyclerie du Bessin")
    assert response["Location"] == reverse("admin:actors_organisation_change", args=[created.pk])
    assert (created.status, created.siren, created.email_public) == (Status.DRAFT, "732829320", False)
    assert client.get(created.get_absolute_url()).status_code == 404, "a draft until an editor publishes it"


@pytest.mark.django_db
def test_a_rejection_tells_the_sender_why(directory, client, editor_client, django_capture_on_commit_callbacks):
    client.post("/acteurs/uraf/signaler/", correction(), REMOTE_ADDR="10.9.0.4")
    suggestion = Suggestion.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(reverse("admin:suggestions_suggestion_reject", args=[suggestion.pk]),
                           {"reason": "La source dit bien l'inverse."})  # fmt: skip
    suggestion.refresh_from_db()
    assert suggestion.state == State.REJECTED
    assert "La source dit bien l'inverse." in mail.outbox[-1].body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"website_confirmation": "http://spam.example"}, "n'a pas pu être accepté"),
        ({"stamp": None}, "Envoi trop rapide"),
        ({"stamp": "formulaire:tampered:sig"}, "a expiré"),
        ({"stamp": "old"}, "a expiré"),
        ({"what_is_wrong": "x" * 2001}, "au plus 2000"),
    ],
    ids=["honeypot", "too fast", "tampered", "a day old", "too long"],
)
def test_spam_defences(directory, client, overrides, message):
    if overrides.get("stamp") is None and "stamp" in overrides:
        overrides["stamp"] = stamp(seconds_ago=0)
    elif overrides.get("stamp") == "old":
        overrides["stamp"] = stamp(seconds_ago=2 * 24 * 3600)
    response = client.post("/acteurs/uraf/signaler/", correction(**overrides), REMOTE_ADDR="10.9.0.5")
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Suggestion.objects.exists()
    typed = correction(**overrides)["what_is_wrong"]
    assert typed in response.content.decode(), "nothing typed is lost"


@pytest.mark.django_db
def test_a_limit_per_address(directory, client):
    for _ in range(5):
        assert client.post("/acteurs/uraf/signaler/", correction(), REMOTE_ADDR="10.9.0.6").status_code == 302
    sixth = client.post("/acteurs/uraf/signaler/", correction(), REMOTE_ADDR="10.9.0.6")
    assert sixth.status_code == 400 and "Trop d'envois" in sixth.content.decode().replace("&#x27;", "'")
    assert client.post("/acteurs/uraf/signaler/", correction(), REMOTE_ADDR="10.9.0.7").status_code == 302


# --- freshness -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_verification_link(directory, client, settings):
    uraf = Organisation.objects.get(slug="uraf")
    token = verification.make_token(uraf)
    page = client.get(f"/verifier/{token}/")
    assert page.status_code == 200 and "Ces informations sont toujours exactes" in page.content.decode()
    assert client.post(f"/verifier/{token}/").status_code == 302
    uraf.refresh_from_db()
    assert uraf.verified_at is not None
    assert uraf.history.first().history_change_reason == "Confirmée par l'organisation (lien de vérification)"
    assert "Informations vérifiées le" in client.get("/acteurs/uraf/").content.decode()
    used = client.get(f"/verifier/{token}/")
    assert used.status_code == 400 and "Ce lien a déjà servi" in used.content.decode(), "once per change"
    token = verification.make_token(uraf)  # a new link, for the checks below

    tampered = client.get(f"/verifier/{token[:-2]}xx/")
    assert tampered.status_code == 400 and "pas valide" in tampered.content.decode()
    validity = settings.DIRECTORY_VERIFICATION_DAYS * 24 * 3600
    with signing_clock(validity - 60):
        assert client.get(f"/verifier/{token}/").status_code == 200, "valid to its last day"
    with signing_clock(validity + 1):
        expired = client.get(f"/verifier/{token}/")
    assert expired.status_code == 400 and "a expiré" in expired.content.decode()


@pytest.mark.django_db
def test_verification_requests_go_to_organisations_due(directory, django_capture_on_commit_callbacks):
    due = OrganisationFactory(email="due@example.org")
    OrganisationFactory(email="fresh@example.org", verified_at=__import__("datetime").date.today())
    preview = io.StringIO()
    call_command("send_verification_requests", "--dry-run", stdout=preview)
    assert due.name in preview.getvalue() and "1 demande(s) de vérification à envoyer" in preview.getvalue()
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_verification_requests", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [["due@example.org"]]
    assert "/verifier/" in mail.outbox[0].body and due.name in mail.outbox[0].body
    link = next(word for word in mail.outbox[0].body.split() if "/verifier/" in word)
    assert Client().get(urlsplit(link).path).status_code == 200, (
        "the link works when it arrives (noting that it was sent changes no version)"
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_verification_requests", stdout=io.StringIO())
    assert len(mail.outbox) == 1, "not asked again while the link is valid"


@pytest.mark.django_db
def test_the_stale_profiles_view(directory, editor_client):
    import datetime

    old = OrganisationFactory(name="Fiche ancienne", verified_at=datetime.date(2020, 1, 1),
                              territories=[Territory.objects.get(key="61")])  # fmt: skip
    fresh = OrganisationFactory(name="Fiche fraîche", verified_at=datetime.date.today())
    response = editor_client.get(
        reverse("admin:actors_organisation_changelist"), {"verification": "a-revoir", "departement": "61"}
    )
    names = {o.name for o in response.context["cl"].result_list}
    assert old.name in names and fresh.name not in names
    assert "Union Régionale des Associations Familiales" in names, "never verified"
    editor_client.post(reverse("admin:actors_organisation_verified", args=[old.pk]))
    old.refresh_from_db()
    assert old.verified_at == datetime.date.today()


# --- position and logo ----------------------------------------------------------------

BAN_ANSWER = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point",
              "coordinates": [-0.363545, 49.182863]}, "properties": {"label": "12 Rue des Lilas 14000 Caen",
              "score": 0.93, "citycode": "14118"}}]}  # fmt: skip


@pytest.mark.django_db
def test_geocode_places_an_address_never_a_staff_position(directory, monkeypatch):
    asked = []
    monkeypatch.setattr(geocoding, "fetch", lambda url: asked.append(url) or BAN_ANSWER)
    caen = Territory.objects.get(key="14118")
    address = OrganisationFactory(street_address="12 rue des Lilas", postcode="14000", commune=caen)
    staff = OrganisationFactory(street_address="1 place", postcode="14000", commune=caen, latitude=Decimal("49.1"),
                                longitude=Decimal("-0.3"), position_source=PositionSource.STAFF)  # fmt: skip
    call_command("geocode", stdout=io.StringIO())
    address.refresh_from_db()
    staff.refresh_from_db()
    assert (address.latitude, address.longitude, address.position_source) == (
        Decimal("49.182863"),
        Decimal("-0.363545"),
        PositionSource.GEOCODED,
    )
    assert (staff.latitude, staff.longitude) == (Decimal("49.1"), Decimal("-0.3"))
    assert (
        len(asked) == 1
        and "rue+des+Lilas" in asked[0]
        and asked[0].startswith("https://api-adresse.data.gouv.fr/")
    )


@pytest.mark.django_db
def test_logo_is_checked_from_its_content(directory, editor_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the logo is a file (tests/actors/test_logos.py)
    from PIL import Image

    from tests.cress.test_history import form_data

    uraf = Organisation.objects.get(slug="uraf")
    url = reverse("admin:actors_organisation_change", args=[uraf.pk])

    def upload(content, name):
        data = form_data(editor_client.get(url))
        data["logo_file"] = io.BytesIO(content)
        data["logo_file"].name = name
        return editor_client.post(url, data)

    png = io.BytesIO()
    Image.new("RGB", (120, 60), "green").save(png, "PNG")
    assert upload(png.getvalue(), "logo.png").status_code == 302
    uraf.refresh_from_db()
    logo = Client().get(reverse("actors:logo", args=["uraf"]))
    assert logo.status_code == 302 and logo["Location"] == uraf.logo.url
    assert (tmp_path / uraf.logo.name).read_bytes()[8:12] == b"WEBP"
    assert upload(b"<script>pas une image</script>", "logo.png").status_code == 200
    big = io.BytesIO()
    Image.new("RGB", (3000, 10), "green").save(big, "PNG")
    refused = upload(big.getvalue(), "grand.png")
    assert refused.status_code == 200 and "pixels de côté" in refused.content.decode()


@pytest.mark.django_db
def test_the_map_data_are_compressed_for_those_who_accept_it(placed, client):
    import gzip
    import json

    url = "/api/v1/acteurs/?format=geojson"
    plain = client.get(url)
    assert "Content-Encoding" not in plain
    packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip")  # the second one comes from the page cache
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert json.loads(gzip.decompress(packed.content)) == plain.json()
    page = client.get("/acteurs/", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in page, "HTML is left to the proxy (BREACH)"


@pytest.mark.django_db
def test_verification_requests_in_the_background_from_the_admin(directory, editor_client,
                                                                django_capture_on_commit_callbacks):  # fmt: skip
    from jobs.models import Job

    due = OrganisationFactory(email="due@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("admin:jobs_job_launch"), {"kind": "verification"})
    job = Job.objects.get()
    assert response["Location"] == reverse("admin:jobs_job_change", args=[job.pk])
    assert job.state == Job.State.DONE and job.done == job.total == 1 and "1 lien(s)" in job.summary
    assert [m.to for m in mail.outbox] == [["due@example.org"]] and due.name in mail.outbox[0].body
