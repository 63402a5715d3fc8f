"""A search someone follows (« Me prévenir »): an e-mail address, the filters of the actor
list it watches (a normalised query string: ``follows/searches.py``), how often it hears
(weekly by default) and when it last did. Nothing else is kept: the address serves this
alone, is deleted on unsubscribe, and deleted after ``DIRECTORY_FOLLOW_UNCONFIRMED_DAYS``
days when it was never confirmed (``send_digests``)."""

from datetime import timedelta

from django.db import models


class Frequency(models.TextChoices):
    WEEKLY = "hebdomadaire", "chaque semaine"
    DAILY = "quotidienne", "chaque jour"


PERIODS = {Frequency.WEEKLY: timedelta(days=7), Frequency.DAILY: timedelta(days=1)}


class SavedSearchQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed_before(self, moment):
        return self.filter(confirmed_at__isnull=True, created_at__lt=moment)


class SavedSearch(models.Model):
    email = models.EmailField("e-mail", max_length=254)
    query = models.CharField(
        "filtres", max_length=600, blank=True, help_text="Les filtres de la liste des acteurs, normalisés."
    )
    frequency = models.CharField("fréquence", max_length=12, choices=Frequency.choices, default=Frequency.WEEKLY)
    created_at = models.DateTimeField("demandée le", db_index=True)
    confirmed_at = models.DateTimeField("confirmée le", null=True, blank=True)
    last_sent_at = models.DateTimeField("dernier envoi", null=True, blank=True)

    objects = SavedSearchQuerySet.as_manager()

    class Meta:
        verbose_name = "recherche suivie"
        verbose_name_plural = "recherches suivies"
        constraints = [
            models.UniqueConstraint(fields=["email", "query"], name="saved_search_unique_per_address"),
        ]
        indexes = [models.Index(fields=["query"], name="saved_search_query")]

    def __str__(self):
        return f"Recherche suivie n° {self.pk}"

    @property
    def period(self):
        return PERIODS[Frequency(self.frequency)]

    def since(self):
        """Where the next digest starts: the last one sent, else the confirmation."""
        return self.last_sent_at or self.confirmed_at
