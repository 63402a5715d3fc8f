"""What visitors send without an account: a mistake to correct on a page, a request to
list their organisation, or — from the signed link an organisation receives — its own
record brought up to date, field by field. Nothing they send is published before an
editor accepts it (the moderation lives in ``suggestions/admin.py``)."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from actions.models import Action, Programme
from actors.models import Organisation, Sector


class Kind(models.TextChoices):
    CORRECTION = "correction", "Erreur signalée ou modification proposée"
    LISTING = "referencement", "Demande de référencement"
    UPDATE = "mise-a-jour", "Mise à jour par l'organisation"


class State(models.TextChoices):
    PENDING = "a-moderer", "À modérer"
    ACCEPTED = "acceptee", "Acceptée"
    REJECTED = "refusee", "Refusée"


class SuggestionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=State.PENDING)

    def about(self, record):
        """The contributions about ``record`` (an organisation, a programme or an action),
        and the listing request it was created from, newest first."""
        field = record._meta.model_name
        where = models.Q(**{field: record})
        if field == "organisation":
            where |= models.Q(created_organisation=record)
        return self.filter(where)


class Suggestion(models.Model):
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    state = models.CharField(
        "état", max_length=20, choices=State.choices, default=State.PENDING, db_index=True
    )
    # A correction: the page it is about (one of the three).
    organisation = models.ForeignKey(Organisation, verbose_name="organisation", null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="suggestions")  # fmt: skip
    programme = models.ForeignKey(Programme, verbose_name="programme", null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="suggestions")  # fmt: skip
    action = models.ForeignKey(Action, verbose_name="action", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="suggestions")  # fmt: skip
    what_is_wrong = models.TextField("ce qui est inexact", max_length=2000, blank=True)
    proposed_text = models.TextField("texte proposé", max_length=4000, blank=True)
    # A listing request.
    name = models.CharField("nom de l'organisation", max_length=200, blank=True)
    identifier = models.CharField("SIREN, SIRET ou RNA", max_length=14, blank=True)
    street_address = models.CharField("adresse", max_length=200, blank=True)
    postcode = models.CharField("code postal", max_length=5, blank=True)
    commune_name = models.CharField("commune", max_length=120, blank=True)
    contact_email = models.EmailField("e-mail de l'organisation", blank=True)
    contact_phone = models.CharField("téléphone de l'organisation", max_length=20, blank=True)
    # The organisation's agreement to publish them (what Organisation.phone_public and
    # email_public store), asked by the listing form.
    phone_public = models.BooleanField("accepte que le téléphone soit publié", default=False)
    email_public = models.BooleanField("accepte que l'e-mail soit publié", default=False)
    sectors = models.ManyToManyField(Sector, verbose_name="secteurs", blank=True, related_name="+")
    territories_text = models.CharField("territoires où elle intervient", max_length=300, blank=True)
    description = models.TextField("présentation", max_length=4000, blank=True)
    # An organisation's update: {field: {"old": value when proposed, "new": value,
    # "old_text"/"new_text": how to show them}}, the changed fields only (``updates.py``).
    proposal = models.JSONField("modifications proposées", default=dict, blank=True)
    applied_fields = models.JSONField("champs appliqués", default=list, blank=True)
    # Whom to answer (optional) and what became of it.
    sender_email = models.EmailField("e-mail pour la réponse", blank=True)
    rejection_reason = models.TextField("motif du refus", blank=True)
    created_organisation = models.ForeignKey(Organisation, verbose_name="fiche créée", null=True, blank=True,
                                             on_delete=models.SET_NULL, related_name="listing_requests")  # fmt: skip
    online_notice_sent_at = models.DateTimeField("mise en ligne annoncée le", null=True, blank=True)
    created_at = models.DateTimeField("reçue le", auto_now_add=True, db_index=True)
    moderated_at = models.DateTimeField("modérée le", null=True, blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="modérée par", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")  # fmt: skip

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = "contribution"
        verbose_name_plural = "contributions"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="suggestion_correction_has_one_target",
                condition=(
                    models.Q(
                        kind=Kind.LISTING,
                        organisation__isnull=True,
                        programme__isnull=True,
                        action__isnull=True,
                    )
                    | models.Q(
                        kind__in=[Kind.CORRECTION, Kind.UPDATE],
                        organisation__isnull=False,
                        programme__isnull=True,
                        action__isnull=True,
                    )
                    | models.Q(
                        kind=Kind.CORRECTION,
                        organisation__isnull=True,
                        programme__isnull=False,
                        action__isnull=True,
                    )
                    | models.Q(
                        kind=Kind.CORRECTION,
                        organisation__isnull=True,
                        programme__isnull=True,
                        action__isnull=False,
                    )
                ),
                violation_error_message="Une correction porte sur une seule page ; une demande de référencement sur aucune ; "
                "une mise à jour sur la fiche d'une organisation.",
            )
        ]

    def __str__(self):
        if self.kind == Kind.LISTING:
            return f"Référencement : {self.name}"
        if self.kind == Kind.UPDATE:
            return f"Mise à jour par l'organisation : {self.target}"
        return f"Correction : {self.target}"

    @property
    def reference(self):
        """« Contribution n° 12 »: how the history of a record names it."""
        return f"Contribution n° {self.pk}"

    @property
    def target(self):
        return self.organisation or self.programme or self.action

    def target_admin_url(self):
        target = self.target
        if target is None:
            return ""
        meta = target._meta
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[target.pk])
