"""Organisations' logos: image files in Django's default storage (``MEDIA_ROOT``, served
under ``MEDIA_URL`` by the web server), the organisation row holding only their name.

- What staff send is checked from its content (Pillow), never from its name or type: PNG,
  JPEG or WebP, at most ``MAX_BYTES`` and ``MAX_SIDE`` pixels a side.
- What is stored is the page's version (``page_version``): turned upright, fit within
  ``PAGE_SIDE`` × ``PAGE_SIDE``, re-encoded as WebP without any metadata (EXIF, XMP, ICC
  profile: a phone's photo says where it was taken).
- Its name is ours (``file_name``): ``logos/<slug>-<8 random hex>.webp``. A new logo has a
  new name, so a browser or a proxy never shows an old one from its cache.
- A file replaced or removed is deleted once the transaction commits (``delete_after_commit``):
  a rollback still finds the file its row names.

The migration that moved the logos out of the database (actors/migrations/0012) uses
``page_version`` and ``file_name``: the files it wrote are those an upload writes.
"""

import io
import secrets
from functools import partial

from django import forms
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from PIL import Image, ImageOps

MAX_BYTES = 300_000
MAX_SIDE = 1200
FORMATS = {"PNG", "JPEG", "WEBP"}
PAGE_SIDE = 400
FOLDER = "logos"
HELP_TEXT = (
    f"PNG, JPEG ou WebP, {MAX_BYTES // 1000} Ko et {MAX_SIDE} × {MAX_SIDE} pixels au plus ; "
    f"la fiche l'affiche réduit à {PAGE_SIDE} × {PAGE_SIDE} pixels au plus."
)


def file_name(slug):
    """``logos/<slug>-<8 random hex>.webp``: the uploaded file's name is never used."""
    stem = slugify(slug or "")[:60].strip("-") or "logo"
    return f"{FOLDER}/{stem}-{secrets.token_hex(4)}.webp"


def upload_to(instance, filename):
    """The ``upload_to`` of ``Organisation.logo``: ``filename`` (the sender's) is ignored."""
    return file_name(instance.slug or instance.name)


def page_version(data):
    """The logo as pages show it, from the image's bytes: a ``ContentFile`` of WebP."""
    with Image.open(io.BytesIO(data)) as image:
        if image.format not in FORMATS:
            raise ValueError(f"format {image.format} refusé")
        upright = ImageOps.exif_transpose(image)  # a copy, turned as the photo was taken
    upright.thumbnail((PAGE_SIDE, PAGE_SIDE), Image.Resampling.LANCZOS)  # never enlarges
    transparent = upright.mode in {"RGBA", "LA", "PA"} or "transparency" in upright.info
    clean = upright.convert("RGBA" if transparent else "RGB")
    output = io.BytesIO()
    # Nothing passed but the pixels: Pillow's WebP writer adds EXIF, XMP or an ICC profile
    # only when asked to.
    clean.save(output, "WEBP", quality=90, method=6)
    return ContentFile(output.getvalue())


def checked_page_version(upload):
    """The page version of an image sent through a form (already opened and verified by
    Django's ``forms.ImageField``), or a ``ValidationError`` in French."""
    if upload.size > MAX_BYTES:
        raise forms.ValidationError(f"Le logo dépasse {MAX_BYTES // 1000} Ko.")
    image = upload.image
    if image.format not in FORMATS:
        raise forms.ValidationError("Le logo doit être une image PNG, JPEG ou WebP.")
    if max(image.size) > MAX_SIDE:
        raise forms.ValidationError(f"Le logo dépasse {MAX_SIDE} pixels de côté.")
    upload.seek(0)
    try:
        return page_version(upload.read())
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise forms.ValidationError(
            "Le logo n'a pas pu être lu : enregistrez-le à nouveau en PNG ou JPEG."
        ) from error


def _delete_unless_used(model, storage, name):
    if not model._base_manager.filter(logo=name).exists():
        storage.delete(name)


def delete_after_commit(model, storage, name):
    """Deletes the file ``name`` once the current transaction commits (at once outside
    one), unless a row of ``model`` names it again by then."""
    if name:
        transaction.on_commit(partial(_delete_unless_used, model, storage, name))
