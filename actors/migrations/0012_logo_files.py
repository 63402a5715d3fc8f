"""Logos leave the database (issue 17, item 5): the bytes of each organisation's logo
become a file in the default storage (``MEDIA_ROOT``), the page version an upload gives
(``actors/logos.py``: fit within 400 × 400, WebP without metadata), named
``logos/<slug>-<random>.webp``; then the binary column and ``logo_type`` go.

Reversible: going back reads each file into the binary column again (WebP,
``image/webp``) and leaves the files where they are (deleting them is not needed to go
back, and keeps a second copy until someone decides).
"""

from django.db import migrations, models

import actors.logos
from actors.logos import file_name, page_version


def move_logos_to_files(apps, schema_editor):
    """Each stored logo, one row at a time (a logo is up to 300 KB): written through the
    storage, its name in the new column. « Modifiée le » does not change."""
    Organisation = apps.get_model("actors", "Organisation")
    storage = Organisation._meta.get_field("logo").storage
    with_bytes = Organisation._base_manager.filter(logo_bytes__isnull=False)
    for pk in list(with_bytes.order_by("pk").values_list("pk", flat=True)):
        slug, data = with_bytes.filter(pk=pk).values_list("slug", "logo_bytes").get()
        try:
            content = page_version(bytes(data))
        except Exception as error:
            raise RuntimeError(
                f"Le logo de l'organisation « {slug} » (id {pk}) ne se lit pas comme une image PNG, JPEG ou "
                f"WebP ({error}). Rien n'a été changé : retirez ce logo (UPDATE actors_organisation SET "
                f"logo = NULL, logo_type = '' WHERE id = {pk}) ou remplacez-le, puis relancez migrate."
            ) from error
        name = storage.save(file_name(slug), content)
        Organisation._base_manager.filter(pk=pk).update(logo=name)


def move_files_back(apps, schema_editor):
    """The way back: each file's bytes in the binary column again; the files stay."""
    Organisation = apps.get_model("actors", "Organisation")
    storage = Organisation._meta.get_field("logo").storage
    with_file = Organisation._base_manager.exclude(logo="")
    for pk, name in list(with_file.order_by("pk").values_list("pk", "logo")):
        with storage.open(name, "rb") as stored:
            data = stored.read()
        Organisation._base_manager.filter(pk=pk).update(logo_bytes=data, logo_type="image/webp")


class Migration(migrations.Migration):

    dependencies = [
        ('actors', '0011_one_engine'),
    ]

    operations = [
        migrations.RenameField(
            model_name='organisation',
            old_name='logo',
            new_name='logo_bytes',
        ),
        migrations.AddField(
            model_name='organisation',
            name='logo',
            field=models.ImageField(blank=True, default='', editable=False, upload_to=actors.logos.upload_to, verbose_name='logo'),
            preserve_default=False,
        ),
        migrations.RunPython(move_logos_to_files, move_files_back, elidable=False),
        migrations.RemoveField(
            model_name='organisation',
            name='logo_bytes',
        ),
        migrations.RemoveField(
            model_name='organisation',
            name='logo_type',
        ),
        migrations.RemoveField(
            model_name='historicalorganisation',
            name='logo_type',
        ),
    ]
