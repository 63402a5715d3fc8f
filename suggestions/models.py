"""What visitors send without an account: a mistake to correct on a page, or a request
to list their organisation. Nothing they send is published before an editor accepts it
(the moderation lives in ``suggestions/admin.py``)."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from actions.models import Action, Programme
from actors.models import Organisation, Sector


class Kind(models.TextChoices):
    CORRECTION = "correction", "Erreur signalée ou modification proposée"
    LISTING = "referencement", "Demande de référencement"


class State(models.TextChoices):
    PENDING = "a-moderer", "À modérer"
    ACCEPTED = "acceptee", "Acceptée"
    REJECTED = "refusee", "Refusée"


class SuggestionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=State.PENDING)


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
    sectors = models.ManyToManyField(Sector, verbose_name="secteurs", blank=True, related_name="+")
    territories_text = models.CharField("territoires où elle intervient", max_length=300, blank=True)
    description = models.TextField("présentation", max_length=4000, blank=True)
    # Whom to answer (optional) and what became of it.
    sender_email = models.EmailField("e-mail pour la réponse", blank=True)
    rejection_reason = models.TextField("motif du refus", blank=True)
    created_organisation = models.ForeignKey(Organisation, verbose_name="fiche créée", null=True, blank=True,
                                             on_delete=models.SET_NULL, related_name="+")  # fmt: skip
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
                        kind=Kind.CORRECTION,
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
                violation_error_message="Une correction porte sur une seule page ; une demande de référencement sur aucune.",
            )
        ]

    def __str__(self):
        if self.kind == Kind.LISTING:
            return f"Référencement : {self.name}"
        return f"Correction : {self.target}"

    @property
    def target(self):
        return self.organisation or self.programme or self.action

    def target_admin_url(self):
        target = self.target
        if target is None:
            return ""
        meta = target._meta
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[target.pk])
