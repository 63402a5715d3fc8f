"""Organisations' logos are files in the storage (actors/logos.py): what staff send is
checked, resized, re-encoded and named by us; a replaced or removed logo's file is
deleted once the change commits; the migration moved the bytes of the database to files."""

import io
import random
import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from PIL import Image

from actors import logos
from actors.models import Organisation, Status
from imports.merge import merge
from tests.cress.test_history import form_data
from tests.factories import OrganisationFactory

MIGRATION = ("actors", "0012_logo_files")
NAME = re.compile(r"logos/uraf-[0-9a-f]{8}\.webp")
EXIF_ORIENTATION = 0x0112


@pytest.fixture
def media(settings, tmp_path):
    """The storage of this test alone."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored(media):
    return sorted(str(path.relative_to(media)) for path in media.rglob("*") if path.is_file())


def image_bytes(size=(1000, 500), fmt="PNG", mode="RGB", color="green", **options):
    output = io.BytesIO()
    Image.new(mode, size, color).save(output, fmt, **options)
    return output.getvalue()


def with_location(fmt="PNG", **options):
    """An image whose metadata say where it was taken (EXIF GPS, as a phone writes it)."""
    exif = Image.Exif()
    exif[0x010F] = "Téléphone de l'éditrice"  # Make
    exif.get_ifd(0x8825)[2] = (49.0, 11.0, 2.0)  # GPSLatitude
    content = image_bytes(fmt=fmt, exif=exif, **options)
    with Image.open(io.BytesIO(content)) as image:
        assert image.getexif().get_ifd(0x8825), "the sent image says where"
    return content


def post_logo(client, organisation, content=None, name="logo.png", remove=False):
    url = reverse("admin:actors_organisation_change", args=[organisation.pk])
    data = form_data(client.get(url))
    if content is not None:
        data["logo_file"] = io.BytesIO(content)
        data["logo_file"].name = name
    if remove:
        data["remove_logo"] = "on"
    return client.post(url, data)


@pytest.fixture
def uraf(directory):
    organisation = Organisation.objects.get(slug="uraf")
    assert not organisation.logo and organisation.status == Status.PUBLISHED
    return organisation


@pytest.mark.django_db
def test_an_uploaded_logo_is_stored_resized_without_metadata_and_shown(
    uraf, editor_client, client, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_logo(editor_client, uraf, with_location(), name="../Mon logo été 2024.PNG")
    assert response.status_code == 302, response.context["adminform"].form.errors
    uraf.refresh_from_db()
    assert NAME.fullmatch(uraf.logo.name), "our name, never the sender's"
    assert stored(media) == [uraf.logo.name]
    with Image.open(media / uraf.logo.name) as image:
        assert image.format == "WEBP"
        assert image.size == (400, 200), "fit within 400 × 400, proportions kept"
        assert not {"exif", "xmp", "icc_profile"} & set(image.info), image.info.keys()
    assert (media / uraf.logo.name).stat().st_size < 20_000

    page = client.get(uraf.get_absolute_url()).content.decode()
    assert uraf.logo.url == f"/media/{uraf.logo.name}"
    assert f'<img class="summary-logo" src="{uraf.logo.url}" alt="Logo de {uraf.name}">' in page
    old_address = client.get(reverse("actors:logo", args=["uraf"]))
    assert (old_address.status_code, old_address["Location"]) == (302, uraf.logo.url)
    admin_page = editor_client.get(reverse("admin:actors_organisation_change", args=[uraf.pk]))
    assert f'src="{uraf.logo.url}"' in admin_page.content.decode()


@pytest.mark.django_db
def test_a_small_logo_is_not_enlarged_and_keeps_its_transparency(uraf, editor_client, media):
    response = post_logo(editor_client, uraf, image_bytes((120, 60), mode="RGBA", color=(0, 128, 0, 0)))
    assert response.status_code == 302
    uraf.refresh_from_db()
    with Image.open(media / uraf.logo.name) as image:
        assert image.size == (120, 60)
        assert image.mode == "RGBA" and image.getpixel((10, 10))[3] == 0


def test_a_photo_is_turned_upright_and_loses_its_metadata():
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = 6  # taken sideways: to be turned a quarter
    photo = image_bytes((800, 200), fmt="JPEG", exif=exif)
    with Image.open(io.BytesIO(photo)) as original:
        assert original.getexif()[EXIF_ORIENTATION] == 6
    with Image.open(logos.page_version(photo)) as page:
        assert page.format == "WEBP" and page.size == (100, 400)
        assert not page.getexif() and "exif" not in page.info


def noise_png():
    """A PNG over 300 KB (noise does not compress), within 1200 pixels a side."""
    pixels = random.Random(17).randbytes(400 * 400 * 3)
    output = io.BytesIO()
    Image.frombytes("RGB", (400, 400), pixels).save(output, "PNG")
    assert output.tell() > logos.MAX_BYTES
    return output.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (lambda: b"<script>alert('pas une image')</script>", "Transférez une image valide"),
        (noise_png, "Le logo dépasse 300 Ko."),
        (lambda: image_bytes((3000, 10)), "Le logo dépasse 1200 pixels de côté."),
        (lambda: image_bytes((100, 100), fmt="GIF"), "Le logo doit être une image PNG, JPEG ou WebP."),
    ],
    ids=["pas-une-image", "trop-lourd", "trop-grand", "gif"],
)
def test_a_refused_file_says_why_in_french_and_nothing_is_stored(uraf, editor_client, media, content, message):
    response = post_logo(editor_client, uraf, content())
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["logo_file"]
    assert len(errors) == 1 and errors[0].startswith(message)
    assert message in response.content.decode()
    assert stored(media) == []
    uraf.refresh_from_db()
    assert not uraf.logo


@pytest.mark.django_db
def test_replacing_a_logo_deletes_the_old_file_once_the_change_commits(
    uraf, editor_client, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert post_logo(editor_client, uraf, image_bytes(color="green")).status_code == 302
    uraf.refresh_from_db()
    first = uraf.logo.name

    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        assert post_logo(editor_client, uraf, image_bytes(color="red")).status_code == 302
    uraf.refresh_from_db()
    second = uraf.logo.name
    assert NAME.fullmatch(second) and second != first
    assert stored(media) == sorted([first, second]), "until the commit, a rollback still finds its file"
    for callback in after_commit:
        callback()
    assert stored(media) == [second]
    with Image.open(media / second) as image:
        assert image.convert("RGB").getpixel((5, 5))[0] > 200, "the new logo, red"


@pytest.mark.django_db
def test_removing_a_logo_deletes_its_file(uraf, editor_client, client, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_logo(editor_client, uraf, image_bytes())
    assert len(stored(media)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert post_logo(editor_client, uraf, remove=True).status_code == 302
    uraf.refresh_from_db()
    assert not uraf.logo
    assert stored(media) == []
    assert "summary-logo" not in client.get(uraf.get_absolute_url()).content.decode()
    assert client.get(reverse("actors:logo", args=["uraf"])).status_code == 404


@pytest.mark.django_db
def test_a_draft_logo_address_is_not_given_to_visitors(db, client, media):
    draft = OrganisationFactory(status=Status.DRAFT)
    draft.replace_logo(logos.page_version(image_bytes()))
    draft.save()
    assert client.get(reverse("actors:logo", args=[draft.slug])).status_code == 404


@pytest.mark.django_db
def test_deleting_an_organisation_deletes_its_logo(db, media, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory()
    organisation.replace_logo(logos.page_version(image_bytes()))
    organisation.save()
    assert stored(media) == [organisation.logo.name]
    with django_capture_on_commit_callbacks(execute=True):
        Organisation.objects.only("pk").get(pk=organisation.pk).delete()  # the logo not read yet
    assert stored(media) == []


@pytest.mark.django_db
def test_a_merge_moves_the_logo_to_the_kept_organisation(directory, media):
    keep, other = OrganisationFactory(), OrganisationFactory()
    other.replace_logo(logos.page_version(image_bytes()))
    other.save()
    name = other.logo.name
    merge(keep, other)
    keep.refresh_from_db()
    other.refresh_from_db()
    assert keep.logo.name == name and not other.logo, "one file, one organisation"
    assert stored(media) == [name]


# --- the migration that moved the bytes out of the database --------------------------


@pytest.mark.django_db  # PostgreSQL's DDL is transactional: the test's rollback undoes it all
def test_the_migration_moves_stored_bytes_to_files_and_back(directory, media):
    executor = MigrationExecutor(connection)
    before = list(executor.loader.get_migration(*MIGRATION).dependencies)
    latest = executor.loader.graph.leaf_nodes()
    png = image_bytes((900, 300), color="blue")
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps.get_model("actors", "Organisation")
        old.objects.filter(slug="uraf").update(logo=png, logo_type="image/png")

        executor = MigrationExecutor(connection)
        executor.migrate([MIGRATION])
        new = executor.loader.project_state([MIGRATION]).apps.get_model("actors", "Organisation")
        name = new.objects.values_list("logo", flat=True).get(slug="uraf")
        assert NAME.fullmatch(name)
        assert stored(media) == [name]
        with Image.open(media / name) as image:
            assert (image.format, image.size) == ("WEBP", (400, 133))
            assert image.convert("RGB").getpixel((5, 5))[2] > 200, "the blue logo"
        assert set(new.objects.exclude(slug="uraf").values_list("logo", flat=True)) == {""}

        executor = MigrationExecutor(connection)
        executor.migrate(before)
        old = executor.loader.project_state(before).apps.get_model("actors", "Organisation")
        back, kind = old.objects.values_list("logo", "logo_type").get(slug="uraf")
        assert (bytes(back), kind) == ((media / name).read_bytes(), "image/webp")
    finally:
        MigrationExecutor(connection).migrate(latest)
    again = Organisation.objects.get(slug="uraf").logo.name
    assert NAME.fullmatch(again) and again != name and len(stored(media)) == 2, "forwards again: a new file"
