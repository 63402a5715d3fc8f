"""Organisations (ESS actors and their partners) and the reference vocabularies shared by
the whole directory: territories, sectors, publics served, ESS families.

``actions`` depends on this app; this app never imports ``actions``.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from .validators import validate_rna, validate_siren, validate_siret


class Status(models.TextChoices):
    DRAFT = "brouillon", "Brouillon"
    PUBLISHED = "publie", "Publié"
    ARCHIVED = "archive", "Archivé"


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user):
        """Staff see drafts too (with a banner); everyone else sees published content."""
        if user is not None and user.is_active and user.is_staff:
            return self
        return self.published()


class Publishable(models.Model):
    """Publication status, a stable French slug and timestamps for every public object."""

    status = models.CharField(
        "statut de publication",
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text="Seuls les contenus publiés sont visibles du public.",
    )
    slug = models.SlugField(
        "adresse (slug)",
        max_length=120,
        unique=True,
        help_text="Partie de l'adresse web, en minuscules sans accents : ne plus la changer "
        "une fois publiée.",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True, db_index=True)

    class Meta:
        abstract = True

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED


# --- Territories -------------------------------------------------------------------------


class TerritoryKind(models.TextChoices):
    REGION = "region", "Région"
    DEPARTEMENT = "departement", "Département"
    COMMUNE = "commune", "Commune"
    COMMUNE_DELEGUEE = "commune-deleguee", "Commune déléguée"
    COMMUNE_ASSOCIEE = "commune-associee", "Commune associée"


COMMUNE_KINDS = (TerritoryKind.COMMUNE, TerritoryKind.COMMUNE_DELEGUEE, TerritoryKind.COMMUNE_ASSOCIEE)


class TerritoryQuerySet(models.QuerySet):
    def covering_departement(self, code):
        """Territories whose coverage counts for the département ``code``.

        The rule (documented in the README): something counts in a département when it
        covers the département itself, any commune in it (current, déléguée or associée,
        so historic communes count), or a whole region that contains it — the current
        region (Normandie) or the historic one (Basse-Normandie).
        """
        departement = self.model.objects.filter(kind=TerritoryKind.DEPARTEMENT, code=code)
        return self.filter(
            Q(kind=TerritoryKind.DEPARTEMENT, code=code)
            | Q(kind__in=COMMUNE_KINDS, parent__in=departement)
            | Q(kind=TerritoryKind.REGION, pk__in=departement.values("parent"))
            | Q(kind=TerritoryKind.REGION, pk__in=departement.values("former_region"))
        )

    def departements_of(self, codes):
        return self.filter(kind=TerritoryKind.DEPARTEMENT, code__in=codes)


class Territory(models.Model):
    """A région, département or commune from INSEE's Code officiel géographique.

    Codes are not unique across kinds (région 28 and département 28; a commune déléguée
    keeps the code of its current commune), so ``key`` is the unique, stable address.
    """

    kind = models.CharField("type", max_length=20, choices=TerritoryKind.choices, db_index=True)
    code = models.CharField("code INSEE", max_length=5, db_index=True)
    key = models.SlugField("identifiant", max_length=40, unique=True)
    name = models.CharField("nom", max_length=120, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="rattachement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="Département d'une commune, région actuelle d'un département.",
    )
    current = models.ForeignKey(
        "self",
        verbose_name="territoire actuel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="historic",
        help_text="Pour une commune déléguée ou associée, la commune actuelle ; pour une "
        "ancienne région, la région qui lui a succédé.",
    )
    former_region = models.ForeignKey(
        "self",
        verbose_name="ancienne région",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="former_departements",
        limit_choices_to={"kind": TerritoryKind.REGION},
        help_text="Pour un département, la région d'avant la réforme de 2016.",
    )
    is_current = models.BooleanField("en vigueur", default=True)
    population = models.PositiveIntegerField("population", null=True, blank=True)
    postcodes = models.CharField("codes postaux", max_length=200, blank=True)

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = "territoire"
        verbose_name_plural = "territoires"
        ordering = ["kind", "code", "name"]
        indexes = [models.Index(fields=["kind", "code"])]

    def __str__(self):
        label = f"{self.name} ({self.get_kind_display().lower()} {self.code})"
        if not self.is_current and self.kind == TerritoryKind.REGION:
            label += ", ancienne région"
        return label

    def get_absolute_url(self):
        return reverse("site:territory", args=[self.key])

    @property
    def display_name(self):
        """The name, with today's territory for a historic one: « Livarot (commune
        déléguée, aujourd'hui Livarot-Pays-d'Auge) ». Needs ``current`` loaded."""
        if self.current_id and self.current_id != self.pk:
            kind = "ancienne région" if self.kind == TerritoryKind.REGION else self.get_kind_display().lower()
            return f"{self.name} ({kind}, aujourd'hui {self.current.name})"
        if self.kind == TerritoryKind.DEPARTEMENT:
            return f"{self.name} ({self.code})"
        return self.name

    @property
    def is_commune(self):
        return self.kind in COMMUNE_KINDS

    @property
    def is_historic(self):
        return self.current_id is not None and self.current_id != self.pk

    @classmethod
    def make_key(cls, kind, code):
        if kind == TerritoryKind.DEPARTEMENT or kind == TerritoryKind.COMMUNE:
            return code.lower()
        if kind == TerritoryKind.REGION:
            return f"region-{code}"
        return f"{code}-{kind.removeprefix('commune-')}".lower()


# --- Vocabularies ------------------------------------------------------------------------


class Vocabulary(models.Model):
    name = models.CharField("nom", max_length=120, unique=True)
    slug = models.SlugField("adresse (slug)", max_length=120, unique=True)
    description = models.TextField("description", blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Sector(Vocabulary):
    """Sector or theme (services à la personne, insertion par l'activité économique…)."""

    class Meta(Vocabulary.Meta):
        verbose_name = "secteur"
        verbose_name_plural = "secteurs"

    def get_absolute_url(self):
        return reverse("site:sector", args=[self.slug])


class Public(Vocabulary):
    """Public served (demandeurs d'emploi en insertion, personnes âgées…)."""

    class Meta(Vocabulary.Meta):
        verbose_name = "public"
        verbose_name_plural = "publics"


class EssFamily(models.TextChoices):
    """The families (statuts) of the social and solidarity economy."""

    ASSOCIATION = "association", "Association"
    COOPERATIVE = "cooperative", "Coopérative (SCOP, SCIC…)"
    MUTUELLE = "mutuelle", "Mutuelle ou union mutualiste"
    FONDATION = "fondation", "Fondation"
    ENTREPRISE = "entreprise-ess", "Entreprise commerciale de l'ESS (ESUS)"


# --- Organisations -----------------------------------------------------------------------


class OrganisationKind(models.TextChoices):
    ACTOR = "acteur", "Acteur de l'ESS"
    NETWORK = "reseau", "Réseau ou fédération"
    PUBLIC_BODY = "organisme-public", "Organisme public"
    LOCAL_AUTHORITY = "collectivite", "Collectivité territoriale"
    OTHER = "autre", "Autre organisation"


class OrganisationQuerySet(PublishableQuerySet):
    def actors(self):
        return self.filter(kind=OrganisationKind.ACTOR)

    def partners(self):
        return self.exclude(kind=OrganisationKind.ACTOR)

    def in_departement(self, code):
        covering = Territory.objects.covering_departement(code)
        return self.filter(
            Exists(
                Organisation.territories.through.objects.filter(
                    organisation=OuterRef("pk"), territory__in=covering
                )
            )
        )

    def for_list(self):
        return self.select_related("parent").prefetch_related("sectors")


class Organisation(Publishable):
    """An organisation: an ESS actor profiled by the directory, or a partner (public
    body, national federation, local authority) that appears in its programmes."""

    kind = models.CharField(
        "type d'organisation",
        max_length=20,
        choices=OrganisationKind.choices,
        default=OrganisationKind.ACTOR,
        db_index=True,
    )
    name = models.CharField("nom", max_length=200, db_index=True)
    acronym = models.CharField("sigle", max_length=40, blank=True)
    alternate_name = models.CharField(
        "autre nom", max_length=200, blank=True, help_text="Par exemple « URSCOP Ouest »."
    )
    family = models.CharField(
        "famille de l'ESS",
        max_length=20,
        choices=EssFamily.choices,
        blank=True,
        db_index=True,
        help_text="Statut de l'organisation ou du mouvement qu'elle fédère. Vide pour un organisme public.",
    )
    siren = models.CharField(
        "SIREN", max_length=9, blank=True, validators=[validate_siren], help_text="9 chiffres."
    )
    siret = models.CharField(
        "SIRET (siège)",
        max_length=14,
        blank=True,
        validators=[validate_siret],
        help_text="14 chiffres.",
    )
    rna = models.CharField(
        "numéro RNA",
        max_length=10,
        blank=True,
        validators=[validate_rna],
        help_text="Répertoire national des associations : W suivi de 9 chiffres.",
    )
    summary = models.CharField(
        "présentation courte", max_length=300, blank=True, help_text="Une phrase pour les listes."
    )
    description = models.TextField("description", blank=True)
    website = models.URLField("site web", blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="réseau ou organisation mère",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    territories = models.ManyToManyField(
        Territory, verbose_name="territoires couverts", blank=True, related_name="organisations"
    )
    sectors = models.ManyToManyField(
        Sector, verbose_name="secteurs", blank=True, related_name="organisations"
    )
    publics = models.ManyToManyField(Public, verbose_name="publics", blank=True, related_name="organisations")
    source = models.CharField(
        "source",
        max_length=300,
        blank=True,
        help_text="D'où viennent ces informations (document, page, date).",
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "organisation"
        verbose_name_plural = "organisations"
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "status", "name"])]

    def __str__(self):
        return (
            f"{self.name} ({self.acronym})" if self.acronym and self.acronym not in self.name else self.name
        )

    def get_absolute_url(self):
        if self.is_actor:
            return reverse("actors:detail", args=[self.slug])
        return reverse("partners:partner", args=[self.slug])

    @property
    def is_actor(self):
        return self.kind == OrganisationKind.ACTOR

    def clean(self):
        super().clean()
        if self.siret and self.siren and not self.siret.startswith(self.siren):
            raise ValidationError({"siret": "Le SIRET doit commencer par le SIREN de l'organisation."})
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": "Une organisation ne peut pas être sa propre mère."})
