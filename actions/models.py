"""Programmes, their actions, the partnerships around them, events, quotes and key
figures. Depends on ``actors`` (organisations and vocabularies)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from actors.dates import PeriodMixin
from actors.models import (
    Organisation,
    Public,
    Publishable,
    PublishableQuerySet,
    Sector,
    Status,
    Territory,
)


class ProgrammeKind(models.TextChoices):
    PROGRAMME = "programme", "Programme d'actions"
    AGREEMENT = "convention", "Convention ou accord cadre"
    ACTION_PLAN = "plan", "Plan d'action"
    SECTOR = "secteur", "Secteur d'activité"
    CALL = "appel", "Appel à projets"
    SURVEY = "enquete", "Enquête"
    STRATEGY = "strategie", "Stratégie"
    FUNDING = "financement", "Financement"


class ProgrammeQuerySet(PublishableQuerySet):
    def published(self):
        """Published, and so is its actor."""
        return self.filter(status=Status.PUBLISHED, actor__status=Status.PUBLISHED)

    def in_departement(self, code):
        covering = Territory.objects.covering_departement(code)
        return self.filter(
            Exists(
                Programme.territories.through.objects.filter(programme=OuterRef("pk"), territory__in=covering)
            )
            | Exists(
                Organisation.territories.through.objects.filter(
                    organisation=OuterRef("actor"), territory__in=covering
                )
            )
        )


class Programme(PeriodMixin, Publishable):
    """A dated programme, plan, call for projects or line of work owned by an actor."""

    actor = models.ForeignKey(
        Organisation,
        verbose_name="acteur",
        on_delete=models.PROTECT,
        related_name="programmes",
        limit_choices_to={"kind": "acteur"},
    )
    kind = models.CharField(
        "type", max_length=20, choices=ProgrammeKind.choices, default=ProgrammeKind.PROGRAMME
    )
    title = models.CharField("titre", max_length=250)
    summary = models.CharField("présentation courte", max_length=300, blank=True)
    description = models.TextField("description", blank=True)
    source_text = models.TextField(
        "texte de la source",
        blank=True,
        help_text="Passage du document source, cité tel quel.",
    )
    territories = models.ManyToManyField(
        Territory,
        verbose_name="territoires",
        blank=True,
        related_name="programmes",
        help_text="Laisser vide si le programme couvre le territoire de l'acteur.",
    )
    sectors = models.ManyToManyField(Sector, verbose_name="secteurs", blank=True, related_name="programmes")
    publics = models.ManyToManyField(Public, verbose_name="publics", blank=True, related_name="programmes")

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = "programme"
        verbose_name_plural = "programmes"
        ordering = ["actor__name", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("actions:programme", args=[self.slug])


class ActionQuerySet(PublishableQuerySet):
    def published(self):
        """Published, and so are its programme and actor."""
        return self.filter(
            status=Status.PUBLISHED,
            programme__status=Status.PUBLISHED,
            programme__actor__status=Status.PUBLISHED,
        )

    def for_list(self):
        return self.select_related("programme", "programme__actor", "parent")

    def in_departement(self, code):
        """An action counts where it is located; with no territory of its own, where its
        programme is; with none either, where its actor is."""
        covering = Territory.objects.covering_departement(code)
        own = Action.territories.through.objects.filter(action=OuterRef("pk"))
        programme = Programme.territories.through.objects.filter(programme=OuterRef("programme"))
        actor = Organisation.territories.through.objects.filter(organisation=OuterRef("programme__actor"))
        return self.filter(
            Exists(own.filter(territory__in=covering))
            | (~Exists(own) & Exists(programme.filter(territory__in=covering)))
            | (~Exists(own) & ~Exists(programme) & Exists(actor.filter(territory__in=covering)))
        )

    def top_level(self):
        return self.filter(parent__isnull=True)


class Action(PeriodMixin, Publishable):
    """A step or line of work inside a programme; ``parent`` holds sub-items."""

    programme = models.ForeignKey(
        Programme, verbose_name="programme", on_delete=models.CASCADE, related_name="actions"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="action parente",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sub_actions",
        help_text="Pour un sous-point d'une action (ex. « appui technique… »).",
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)
    title = models.CharField("titre", max_length=250)
    description = models.TextField("description", blank=True)
    source_text = models.TextField(
        "texte de la source", blank=True, help_text="Passage du document source, cité tel quel."
    )
    editorial_note = models.TextField(
        "note de la rédaction",
        blank=True,
        help_text="Explication d'un sigle ou d'un terme de la source (ex. CAT, aujourd'hui ESAT).",
    )
    is_flagship = models.BooleanField("action phare", default=False)
    territories = models.ManyToManyField(
        Territory,
        verbose_name="territoires",
        blank=True,
        related_name="actions",
        help_text="Laisser vide si l'action couvre le territoire de son programme.",
    )
    sectors = models.ManyToManyField(Sector, verbose_name="secteurs", blank=True, related_name="actions")
    publics = models.ManyToManyField(Public, verbose_name="publics", blank=True, related_name="actions")

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = "action"
        verbose_name_plural = "actions"
        ordering = ["programme", "order", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("actions:detail", args=[self.slug])

    def clean(self):
        super().clean()
        if self.parent_id and self.programme_id and self.parent.programme_id != self.programme_id:
            raise ValidationError({"parent": "L'action parente doit appartenir au même programme."})
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": "Une action ne peut pas être sa propre parente."})


class Role(models.TextChoices):
    SIGNATORY = "signataire", "Signataire"
    COFUNDER = "cofinanceur", "Cofinanceur"
    PARTNER = "partenaire", "Partenaire"
    PREMISES = "locaux", "Mise à disposition de locaux"
    RECIPIENT = "destinataire", "Destinataire des résultats"
    CO_ORGANISER = "co-organisateur", "Co-organisateur"


class Partnership(PeriodMixin, models.Model):
    """An organisation's part in a programme or an action, with its role and period."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        on_delete=models.PROTECT,
        related_name="partnerships",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name="programme",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="partnerships",
    )
    action = models.ForeignKey(
        Action,
        verbose_name="action",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="partnerships",
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices, default=Role.PARTNER)
    detail = models.CharField(
        "précision",
        max_length=300,
        blank=True,
        help_text="Par exemple « accord cadre national » ou « en lien avec ».",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "partenariat"
        verbose_name_plural = "partenariats"
        ordering = ["role", "organisation__name"]
        constraints = [
            models.CheckConstraint(
                name="partnership_programme_xor_action",
                condition=(
                    Q(programme__isnull=False, action__isnull=True)
                    | Q(programme__isnull=True, action__isnull=False)
                ),
                violation_error_message="Un partenariat porte soit sur un programme, soit sur "
                "une action, pas les deux.",
            )
        ]

    def __str__(self):
        target = self.action or self.programme
        return f"{self.organisation} — {self.get_role_display().lower()} — {target}"

    def _has(self, name):
        """Set, even to a parent not saved yet (an inline form on a new action)."""
        return getattr(self, f"{name}_id") is not None or self._state.fields_cache.get(name) is not None

    def clean(self):
        super().clean()
        if self._has("programme") == self._has("action"):
            raise ValidationError("Choisissez soit un programme, soit une action (exactement l'un des deux).")


class EventQuerySet(PublishableQuerySet):
    def published(self):
        """Published, and so is its actor."""
        return self.filter(status=Status.PUBLISHED, actor__status=Status.PUBLISHED)


class Event(PeriodMixin, Publishable):
    """An event (e.g. the exchange day in Paris on 29 November, year not given)."""

    title = models.CharField("titre", max_length=250)
    theme = models.CharField("thème", max_length=300, blank=True)
    description = models.TextField("description", blank=True)
    source_text = models.TextField("texte de la source", blank=True)
    place = models.ForeignKey(
        Territory,
        verbose_name="lieu",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    actor = models.ForeignKey(
        Organisation,
        verbose_name="acteur concerné",
        on_delete=models.PROTECT,
        related_name="events",
        limit_choices_to={"kind": "acteur"},
    )
    organisers = models.ManyToManyField(
        Organisation, verbose_name="organisateurs", blank=True, related_name="organised_events"
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name="programme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = "événement"
        verbose_name_plural = "événements"
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("actions:event", args=[self.slug])


class Quote(models.Model):
    """Someone's words, as the source reports them. The role is never invented: when the
    source gives none, it stays empty."""

    actor = models.ForeignKey(
        Organisation, verbose_name="acteur", on_delete=models.CASCADE, related_name="quotes"
    )
    text = models.TextField("citation")
    context = models.CharField(
        "contexte",
        max_length=200,
        blank=True,
        help_text="Verbe d'introduction de la source (« affirme », « a salué… comme étant »).",
    )
    person_name = models.CharField("personne citée", max_length=120)
    person_role = models.CharField(
        "fonction",
        max_length=200,
        blank=True,
        help_text="Laisser vide si la source ne la donne pas : ne jamais l'inventer.",
    )
    person_organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation de la personne",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="spokespeople_quotes",
    )
    event = models.ForeignKey(
        Event,
        verbose_name="événement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quotes",
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "citation"
        verbose_name_plural = "citations"
        ordering = ["actor", "order", "pk"]

    def __str__(self):
        return f"{self.person_name} : « {self.text[:60]}… »"


class KeyFigure(PeriodMixin, models.Model):
    """A figure the source gives (650 courriers reçus en 2006, plus de 900 000 € par an…)."""

    actor = models.ForeignKey(
        Organisation, verbose_name="acteur", on_delete=models.CASCADE, related_name="key_figures"
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name="programme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="key_figures",
    )
    value = models.DecimalField("valeur", max_digits=14, decimal_places=2)
    qualifier = models.CharField(
        "approximation",
        max_length=40,
        blank=True,
        help_text="« plus de », « environ »… tel que dans la source.",
    )
    value_text = models.CharField(
        "valeur telle que dans la source",
        max_length=60,
        blank=True,
        help_text="Par exemple « une douzaine ».",
    )
    unit = models.CharField("unité", max_length=40, blank=True, help_text="€, %, courriers…")
    label = models.CharField("libellé", max_length=250)
    frequency = models.CharField("fréquence", max_length=60, blank=True, help_text="Par exemple « par an ».")
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "chiffre clé"
        verbose_name_plural = "chiffres clés"
        ordering = ["actor", "order", "pk"]

    def __str__(self):
        return f"{self.display_value} — {self.label}"

    @property
    def display_value(self):
        if self.value_text:
            return self.value_text
        value = self.value.normalize()
        number = f"{value:,.0f}" if value == value.to_integral() else f"{value:,}"
        number = number.replace(",", "\u202f")
        parts = [self.qualifier, f"{number}\u00a0{self.unit}" if self.unit in {"€", "%"} else number]
        if self.unit and self.unit not in {"€", "%"}:
            parts.append(self.unit)
        return " ".join(p for p in parts if p)
