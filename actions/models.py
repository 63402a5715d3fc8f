"""Programmes, their actions, the partnerships around them, events, quotes and key
figures. Depends on ``actors`` (organisations and vocabularies).

Programmes and actions store their *coverage* — where they work, what they are about,
whom they serve, when — computed by ``actions/coverage.py`` (own, else the programme's,
else the actor's): the ``effective_*`` fields are never edited by hand.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Max, Q
from django.db.models.functions import Collate
from django.urls import reverse

from actors.models import (
    DERIVED_FIELDS,
    CoverageQuerySet,
    Listing,
    Organisation,
    OrganisationKind,
    Public,
    Publishable,
    Sector,
    Status,
    VisibilityQuerySet,
    history,
    listing_indexes,
)
from common.collation import FrenchKey, french
from common.search import Searchable
from territories.models import Territory

from .dates import PeriodMixin, period_constraints

# What list pages never show: the stored search documents and listing columns.
# A list reads each row's ``scope_keys`` (where it works, said on its card).
LIST_DEFERRED = tuple(name for name in DERIVED_FIELDS if name != "scope_keys")
ACTOR_DEFERRED = tuple(f"actor__{name}" for name in (*DERIVED_FIELDS, "description"))


COVERAGE_COLUMNS = ["territories_from", "sectors_from", "publics_from", "listed"]


class Inheritance(models.TextChoices):
    """Where an item's stored coverage comes from."""

    OWN = "propre", "propre"
    PROGRAMME = "programme", "du programme"
    ACTOR = "acteur", "de l'acteur"
    NONE = "aucune", "aucune"


def inheritance_field(label):
    return models.CharField(
        f"{label} : origine",
        max_length=10,
        choices=Inheritance.choices,
        null=True,
        editable=False,
        help_text="Calculé (actions/coverage.py) ; vide tant que la couverture n'a pas été calculée.",
    )


class Coverage(Listing):
    """The stored coverage of a programme or an action (see ``actions/coverage.py``), and
    whether a visitor may see it (``listed``)."""

    listed = models.BooleanField(
        "visible du public (calculé)",
        default=False,
        editable=False,
        help_text="Calculé (actions/coverage.py) : publié, et son programme, son acteur et son action "
        "parente aussi.",
    )

    effective_territories = models.ManyToManyField(
        Territory, verbose_name="territoires (calculés)", blank=True, editable=False, related_name="+"
    )
    effective_sectors = models.ManyToManyField(
        Sector, verbose_name="secteurs (calculés)", blank=True, editable=False, related_name="+"
    )
    effective_publics = models.ManyToManyField(
        Public, verbose_name="publics (calculés)", blank=True, editable=False, related_name="+"
    )
    territories_from = inheritance_field("territoires")
    sectors_from = inheritance_field("secteurs")
    publics_from = inheritance_field("publics")

    class Meta:
        abstract = True

    @property
    def territories_note(self):
        """Where the territories shown come from, when they are not the item's own."""
        item = "l'action" if isinstance(self, Action) else "le programme"
        if self.territories_from == Inheritance.PROGRAMME:
            return f"Territoires du programme : {item} n'en précise pas d'autres."
        if self.territories_from == Inheritance.ACTOR:
            parents = (
                "ni l'action ni son programme n'en précisent"
                if isinstance(self, Action)
                else f"{item} n'en précise pas"
            )
            return f"Territoires de l'acteur : {parents} d'autres."
        return ""


class ContentQuerySet(CoverageQuerySet):
    coverage_fields = {
        "territories": "effective_territories",
        "sectors": "effective_sectors",
        "publics": "effective_publics",
    }

    def with_public_partnerships(self):
        """``public_partnerships`` on each item: the partnerships a visitor may see."""
        return self.prefetch_related(
            models.Prefetch(
                "partnerships",
                queryset=Partnership.objects.published()
                .select_related("organisation")
                .order_by("role", *french("organisation__name"), "pk"),
                to_attr="public_partnerships",
            )
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


# Visibility is stored: ``listed`` (``actions/coverage.py`` computes it from the statuses
# of the item, its programme, its actor and its parent action, in the unit of work that
# changed one of them), so no list or count walks the parents' statuses at read time.


def published_programme(prefix=""):
    """A programme an anonymous visitor may see: published, and so is its actor."""
    return Q(**{f"{prefix}listed": True})


def published_action(prefix=""):
    """An action an anonymous visitor may see: published, with its programme, its actor
    and, for a sub-item, its parent action."""
    return Q(**{f"{prefix}listed": True})


class ProgrammeQuerySet(ContentQuerySet):
    def published(self):
        return self.filter(published_programme())

    def real(self):
        """Without the synthetic demonstration data (``generate_demo_data``)."""
        return self.filter(actor__is_demo=False)


class Programme(PeriodMixin, Coverage, Searchable, Publishable):
    """A dated programme, plan, call for projects or line of work owned by an actor."""

    actor = models.ForeignKey(
        Organisation,
        verbose_name="acteur",
        on_delete=models.PROTECT,
        related_name="programmes",
        limit_choices_to={"kind": OrganisationKind.ACTOR},
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
    history = history(
        searchable=True, m2m_fields=[territories, sectors, publics], excluded_fields=COVERAGE_COLUMNS
    )

    class Meta:
        verbose_name = "programme"
        verbose_name_plural = "programmes"
        ordering = [*french("actor__name"), *french("title")]
        constraints = period_constraints()
        indexes = [
            # The list's default order (/actions/programmes/): an index answers it.
            models.Index(FrenchKey("title"), Collate(F("title"), "C"), name="programme_french_order"),
            *listing_indexes("programme"),
            # The home page's « recent programmes ».
            models.Index(
                F("start_year").desc(), FrenchKey("title"), Collate(F("title"), "C"),
                name="programme_recent", condition=Q(listed=True, start_year__isnull=False),
            ),
        ]  # fmt: skip

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("actions:programme", args=[self.slug])


class ActionQuerySet(ContentQuerySet):
    def published(self):
        return self.filter(published_action())

    def real(self):
        """Without the synthetic demonstration data (``generate_demo_data``)."""
        return self.filter(actor__is_demo=False)

    def for_list(self):
        """What a list shows of each action, its programme, actor and parent: the page's
        rows are read alone (an index gives them in order, 20 at a time), their programmes
        and parents by two small queries — never a join of every action to its programme."""
        programmes = Programme.objects.select_related("actor").defer(*LIST_DEFERRED, *ACTOR_DEFERRED)
        return self.defer(*LIST_DEFERRED).prefetch_related(
            models.Prefetch("programme", queryset=programmes),
            models.Prefetch("parent", queryset=Action.objects.defer(*LIST_DEFERRED)),
        )

    def top_level(self):
        return self.filter(parent__isnull=True)

    def active_in(self, year):
        """Actions running in ``year`` (stored years: own dates, else the programme's)."""
        return self.filter(Q(first_year__lte=year) & (Q(last_year__gte=year) | Q(last_year__isnull=True)))

    def count_by_years(self):
        """{(first_year, last_year): how many actions}, one grouped query: the year facet
        adds these up per year, so its cost does not grow with the data."""
        rows = (
            self.order_by().filter(first_year__isnull=False).values("first_year", "last_year")
            .annotate(n=models.Count("pk")).values_list("first_year", "last_year", "n")
        )  # fmt: skip
        return {(first, last): n for first, last, n in rows}


class Action(PeriodMixin, Coverage, Searchable, Publishable):
    """A step or line of work inside a programme; ``parent`` holds sub-items."""

    programme = models.ForeignKey(
        Programme, verbose_name="programme", on_delete=models.CASCADE, related_name="actions"
    )
    actor = models.ForeignKey(
        Organisation,
        verbose_name="acteur (celui du programme)",
        on_delete=models.CASCADE,
        related_name="+",
        editable=False,
        help_text="Copie de l'acteur du programme, tenue à jour à chaque enregistrement : visibilité, "
        "filtres et facettes la lisent sans joindre 600 000 actions à leurs programmes.",
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
    title = models.CharField("titre", max_length=250, db_index=True)
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
    first_year = models.PositiveSmallIntegerField(
        "première année (calculée)", null=True, editable=False, db_index=True
    )
    last_year = models.PositiveSmallIntegerField(
        "dernière année (calculée)", null=True, editable=False, help_text="Vide : en cours (« depuis »)."
    )
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
    history = history(
        searchable=True,
        m2m_fields=[territories, sectors, publics],
        excluded_fields=[*COVERAGE_COLUMNS, "first_year", "last_year", "actor"],
    )

    class Meta:
        verbose_name = "action"
        verbose_name_plural = "actions"
        ordering = ["programme", "order", "pk"]
        constraints = period_constraints()
        # The list's default order (actions/filters.py): an index answers it.
        indexes = [
            models.Index(FrenchKey("title"), Collate(F("title"), "C"), name="action_french_order"),
            *listing_indexes("action"),
            # The home page's « recent actions ».
            models.Index(
                F("first_year").desc(), FrenchKey("title"), Collate(F("title"), "C"), name="action_recent",
                condition=Q(listed=True, parent__isnull=True, first_year__isnull=False),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.programme_id:
            self.actor_id = (
                Programme.objects.filter(pk=self.programme_id).values_list("actor_id", flat=True).first()
            )
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "actor"}
        super().save(*args, **kwargs)

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


class PartnershipQuerySet(VisibilityQuerySet):
    def published(self):
        """The partner is published, and so is what it takes part in (with its parents)."""
        return self.filter(
            Q(organisation__status=Status.PUBLISHED)
            & ((Q(programme__isnull=False) & published_programme("programme__"))
               | (Q(action__isnull=False) & published_action("action__")))
        )  # fmt: skip


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

    objects = PartnershipQuerySet.as_manager()
    history = history()

    class Meta:
        verbose_name = "partenariat"
        verbose_name_plural = "partenariats"
        ordering = ["role", *french("organisation__name")]
        constraints = [
            *period_constraints(),
            models.UniqueConstraint(
                fields=["organisation", "programme", "role"],
                condition=Q(programme__isnull=False),
                name="partnership_unique_on_programme",
                violation_error_message="Cette organisation a déjà ce rôle dans ce programme.",
            ),
            models.UniqueConstraint(
                fields=["organisation", "action", "role"],
                condition=Q(action__isnull=False),
                name="partnership_unique_on_action",
                violation_error_message="Cette organisation a déjà ce rôle dans cette action.",
            ),
            models.CheckConstraint(
                name="partnership_programme_xor_action",
                condition=(
                    Q(programme__isnull=False, action__isnull=True)
                    | Q(programme__isnull=True, action__isnull=False)
                ),
                violation_error_message="Un partenariat porte soit sur un programme, soit sur "
                "une action, pas les deux.",
            ),
        ]

    def __str__(self):
        target = self.action or self.programme
        return f"{self.organisation} — {self.get_role_display().lower()} — {target}"

    @property
    def is_funding(self):
        return self.role == Role.COFUNDER

    def _has(self, name):
        """Set, even to a parent not saved yet (an inline form on a new action)."""
        return getattr(self, f"{name}_id") is not None or self._state.fields_cache.get(name) is not None

    def clean(self):
        super().clean()
        if self._has("programme") == self._has("action"):
            raise ValidationError("Choisissez soit un programme, soit une action (exactement l'un des deux).")


class EventQuerySet(VisibilityQuerySet):
    def real(self):
        return self.filter(actor__is_demo=False)

    def published(self):
        """Published, and so is its actor, and its programme when it has one."""
        return self.filter(
            Q(status=Status.PUBLISHED, actor__status=Status.PUBLISHED)
            & (Q(programme__isnull=True) | published_programme("programme__"))
        )


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
        limit_choices_to={"kind": OrganisationKind.ACTOR},
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
    history = history(m2m_fields=[organisers])

    class Meta:
        verbose_name = "événement"
        verbose_name_plural = "événements"
        ordering = [*french("title")]
        constraints = period_constraints()

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("actions:event", args=[self.slug])


class OrderedByActor(models.Model):
    """Quotes and key figures: numbered within their actor (``actor`` and ``order`` are
    their natural key, the one ``load_directory`` matches on). Left empty, the number
    is the next free one."""

    order = models.PositiveSmallIntegerField(
        "ordre", null=True, blank=True, help_text="Laisser vide pour placer en dernier."
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.order is None:
            last = type(self).objects.filter(actor_id=self.actor_id).aggregate(last=Max("order"))["last"]
            self.order = (last or 0) + 1
        super().save(*args, **kwargs)


class QuoteQuerySet(VisibilityQuerySet):
    def published(self):
        return self.filter(actor__status=Status.PUBLISHED)


class Quote(OrderedByActor):
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
        help_text="Ce qui complète la signature « — Laurent Hénart, Président de l'ANSP, … » : par exemple "
        "« saluant le modèle coopératif ». Laisser vide quand la source dit seulement « affirme ».",
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

    objects = QuoteQuerySet.as_manager()
    history = history()

    class Meta:
        verbose_name = "citation"
        verbose_name_plural = "citations"
        ordering = ["actor", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "order"],
                name="quote_unique_order",
                violation_error_message="Une autre citation de cet acteur a déjà ce numéro d'ordre.",
            )
        ]

    def __str__(self):
        return f"{self.person_name} : « {self.text[:60]}… »"


class KeyFigureQuerySet(VisibilityQuerySet):
    def published(self):
        """Its actor is published, and its programme too when it has one."""
        return self.filter(
            Q(actor__status=Status.PUBLISHED)
            & (Q(programme__isnull=True) | published_programme("programme__"))
        )


class KeyFigure(PeriodMixin, OrderedByActor):
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

    objects = KeyFigureQuerySet.as_manager()
    history = history()

    class Meta:
        verbose_name = "chiffre clé"
        verbose_name_plural = "chiffres clés"
        ordering = ["actor", "order", "pk"]
        constraints = [
            *period_constraints(),
            models.UniqueConstraint(
                fields=["actor", "order"],
                name="keyfigure_unique_order",
                violation_error_message="Un autre chiffre clé de cet acteur a déjà ce numéro d'ordre.",
            ),
        ]

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
