"""How often other sites show the directory through an embed, per referring site, view and
day: staff see who uses the embeds. No personal data: the host name of the page that
frames the embed (from the ``Referer`` header, never its path nor the visitor's address),
the view and a count."""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connections, models, router
from django.utils import timezone

HOST_LENGTH = 253  # the longest DNS name
# What a host name may hold (an IDN arrives in its ASCII form, « xn--… »; an IPv6 address
# in brackets): anything else in a Referer is not kept.
HOST = re.compile(r"^[a-z0-9._\-\[\]:]+$")


class EmbedUse(models.Model):
    class Kind(models.TextChoices):
        LIST = "liste", "Liste"
        MAP = "carte", "Carte"

    host = models.CharField(
        "site", max_length=HOST_LENGTH, blank=True,
        help_text="Le nom du site dont une page montre l'annuaire intégré (donné par le navigateur dans "
                  "l'en-tête Referer) ; vide quand le navigateur ne l'a pas donné.",
    )  # fmt: skip
    kind = models.CharField("vue", max_length=5, choices=Kind.choices)
    day = models.DateField("jour")
    count = models.PositiveIntegerField("affichages", default=0)

    class Meta:
        verbose_name = "affichage de l'annuaire intégré"
        verbose_name_plural = "affichages de l'annuaire intégré"
        ordering = ["-day", "host", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["host", "kind", "day"], name="embed_use_one_row_per_site_view_and_day")
        ]

    def __str__(self):
        return f"{self.host or 'site inconnu'} — {self.get_kind_display().lower()} — {self.day:%d/%m/%Y}"

    @classmethod
    def record(cls, host, kind, day=None):
        """One more display of ``kind`` on ``host`` today: one statement, an upsert whose
        ``count + 1`` is computed by PostgreSQL (two workers at once never lose one)."""
        connection = connections[router.db_for_write(cls)]
        table, name = connection.ops.quote_name(cls._meta.db_table), connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({name('host')}, {name('kind')}, {name('day')}, {name('count')}) "
                f"VALUES (%s, %s, %s, 1) ON CONFLICT ({name('host')}, {name('kind')}, {name('day')}) "
                f"DO UPDATE SET {name('count')} = {table}.{name('count')} + 1",
                [host, kind, day or timezone.localdate()],
            )


def referring_host(request):
    """The host name of the page that shows the embed, from ``Referer``: ``""`` when the
    browser gave none (or an unreadable one), ``None`` when it is the directory itself
    (the preview of /integrer/, a click inside the frame): not another site's use."""
    referer = request.headers.get("Referer", "")
    try:
        parts = urlsplit(referer)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return ""
    if not host:
        return ""
    own = {request.get_host().lower(), urlsplit(settings.DIRECTORY_SITE_URL).netloc.lower()}
    if parts.netloc.lower().rpartition("@")[2] in own:
        return None
    return host if len(host) <= HOST_LENGTH and HOST.match(host) else ""
