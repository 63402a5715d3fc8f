"""Organisations (ESS actors and their partners) and the reference vocabularies shared by
the whole directory: sectors, publics served, ESS families. The territories they work in
are the ``territories`` app's, below this one.

``actions`` depends on this app; this app never imports ``actions``.
"""

from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F
from django.db.models.functions import Collate
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from common.changes import ChangesModel, ChangesQuerySet
from common.collation import FrenchKey, french
from common.dates import PartialDate
from common.search import DOCUMENT_FIELDS, Searchable, terms
from territories.models import COMMUNE_KINDS, Scope, Territory, TerritoryKind

from . import logos, public_record
from .extensions import page_address
from .validators import validate_phone, validate_postcode, validate_rna, validate_siren, validate_siret


class Status(models.TextChoices):
    DRAFT = "brouillon", "Brouillon"
    PUBLISHED = "publie", "Publié"
    ARCHIVED = "archive", "Archivé"


def is_staff(user):
    return user is not None and user.is_active and user.is_staff


class VisibilityQuerySet(ChangesQuerySet):
    """What an anonymous visitor may see is decided by each public model's ``published()``,
    parents' status included; staff see everything (drafts carry a banner)."""

    def published(self):
        raise NotImplementedError

    def visible_to(self, user):
        return self if is_staff(user) else self.published()


# What lists filter and count on, stored by ``actions/coverage.py`` in the shape the
# filters ask (``Listing``).
LISTING_FIELDS = ("territory_ids", "departement_ids", "sector_ids", "public_ids", "scope_keys")

# What no history records and no list reads: values derived by the code (search documents,
# listing columns), recomputed, never edited.
DERIVED_FIELDS = [*DOCUMENT_FIELDS, *LISTING_FIELDS]


def _ids_field(label):
    return ArrayField(
        models.BigIntegerField(),
        verbose_name=label,
        null=True,
        blank=True,
        editable=False,
        help_text="Calculé (actions/coverage.py) ; vide tant que la couverture n'a pas été calculée.",
    )


class Listing(models.Model):
    """An item's coverage in the shape the lists' filters and facets ask, one row per item:
    no list joins a coverage table or walks the territories' roll-up at read time.

    - ``territory_ids``: its territories (own for an organisation, effective for a
      programme or an action), as stored in the coverage table;
    - ``departement_ids``: the départements where it counts — those its territories reach
      (a commune's, a département itself, every département of a region it covers);
    - ``sector_ids``, ``public_ids``: its sectors and publics (own, or effective);
    - ``scope_keys``: per département, how it works there (``scope_key``, ``whole_key``,
      ``region_key``): what a territory page's sections count.

    Written by the one code path of the coverage (``actions/coverage.py``), in the unit of
    work; ``manage.py rebuild_coverage`` recomputes them;
    ``tests/actions/test_coverage.py`` and ``tests/cress/test_territory_pages.py`` prove
    them equal to the rule. GIN indexes answer ``@>`` (contains) and ``&&``
    (overlaps)."""

    territory_ids = _ids_field("territoires (calculés)")
    departement_ids = _ids_field("départements (calculés)")
    sector_ids = _ids_field("secteurs (calculés)")
    public_ids = _ids_field("publics (calculés)")
    scope_keys = _ids_field("niveaux par département (calculés)")

    class Meta:
        abstract = True


# ``Listing.scope_keys``: how an item works in each département it counts in, as keys
# (negative: never a département's own key, so the listing counts hold them beside the
# départements, ``ListingCount.departement``) — what a territory page's sections count.
def scope_key(departement, scope):
    """The item's most local level in ``departement`` is ``scope`` (commune, département,
    region): the département page's sections."""
    return -(8 * departement + 1 + int(scope))


def whole_key(departement):
    """The item covers ``departement`` as such (the département itself)."""
    return -(8 * departement + 4)


def region_key(departement):
    """The item covers a region that contains ``departement``, and not the département
    itself: with ``whole_key``, what counts in each commune of it, commune aside."""
    return -(8 * departement + 5)


def scope_keys(territories, places):
    """The ``scope_keys`` of an item whose territories are ``territories`` (ids);
    ``places``: {territory id: (its ``Scope``, the ids of the départements it reaches)}."""
    levels, whole, regions = {}, set(), set()
    for territory in territories:
        scope, departements = places.get(territory, (None, ()))
        for departement in departements:
            levels[departement] = min(levels.get(departement, scope), scope)
            if territory == departement:
                whole.add(departement)
            if scope == Scope.REGION:
                regions.add(departement)
    keys = {scope_key(departement, scope) for departement, scope in levels.items()}
    keys |= {whole_key(departement) for departement in whole}
    keys |= {region_key(departement) for departement in regions - whole}
    return sorted(keys)


def covering_of(territory):
    """``Territory.covering`` of one territory or of several (merged)."""
    if isinstance(territory, (list, tuple)):
        return Territory.covering_all(territory)
    return territory.covering()


def listing_indexes(prefix):
    return [GinIndex(fields=[name], name=f"{prefix}_{name}") for name in LISTING_FIELDS]


def history(searchable=False, **kwargs):
    """The history of a content model: who changed what, when (django-simple-history);
    ``searchable``: the model has a stored search document, left out."""
    excluded = [*(DERIVED_FIELDS if searchable else []), *kwargs.pop("excluded_fields", [])]
    return HistoricalRecords(excluded_fields=excluded, cascade_delete_history=False, **kwargs)


class PublishableQuerySet(VisibilityQuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)


class Publishable(ChangesModel):
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


# --- Vocabularies ------------------------------------------------------------------------


class Synonym(models.Model):
    """A group of words the search treats as one (common/search.py, which reads them
    through ``texts``, registered at start-up): a search for any of them finds the
    others. Kept by staff in the admin."""

    terms = models.CharField(
        "mots équivalents",
        max_length=400,
        unique=True,
        help_text="Séparés par des virgules, par exemple « crèche, halte-garderie, multi-accueil ». "
        "Une expression de plusieurs mots (« maison de retraite ») compte pour un mot. Accents et "
        "majuscules sont indifférents.",
    )
    note = models.CharField("remarque", max_length=200, blank=True)

    class Meta:
        verbose_name = "synonymes de recherche"
        verbose_name_plural = "synonymes de recherche"
        ordering = ["terms"]

    def __str__(self):
        return self.terms

    @classmethod
    def texts(cls):
        """Every group's text, what ``common.search.synonym_groups`` reads."""
        return list(cls.objects.values_list("terms", flat=True))

    def clean(self):
        parts = [part.strip() for part in self.terms.split(",") if part.strip()]
        if len(parts) < 2:
            raise ValidationError(
                {"terms": "Indiquez au moins deux mots ou expressions, séparés par des virgules."}
            )
        empty = [part for part in parts if not terms(part)]
        if empty:
            raise ValidationError(
                {
                    "terms": f"« {empty[0]} » ne contient que des mots vides (le, de, pour…) : la recherche l'ignore."
                }
            )
        self.terms = ", ".join(parts)


class Vocabulary(models.Model):
    name = models.CharField("nom", max_length=120, unique=True)
    slug = models.SlugField("adresse (slug)", max_length=120, unique=True)
    description = models.TextField("description", blank=True)

    class Meta:
        abstract = True
        ordering = [*french("name")]

    def __str__(self):
        return self.name


class Sector(Vocabulary):
    """Sector or theme (services à la personne, insertion par l'activité économique…)."""

    history = HistoricalRecords()

    class Meta(Vocabulary.Meta):
        verbose_name = "secteur"
        verbose_name_plural = "secteurs"

    def get_absolute_url(self):
        return page_address("sector", self)  # the page is the site's (cress/addresses.py)


class Public(Vocabulary):
    """Public served (demandeurs d'emploi en insertion, personnes âgées…)."""

    history = HistoricalRecords()

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


class PositionSource(models.TextChoices):
    STAFF = "saisie", "saisie par l'équipe"
    GEOCODED = "geocodage", "géocodage (Base adresse nationale)"


class OrganisationKind(models.TextChoices):
    ACTOR = "acteur", "Acteur de l'ESS"
    NETWORK = "reseau", "Réseau ou fédération"
    PUBLIC_BODY = "organisme-public", "Organisme public"
    LOCAL_AUTHORITY = "collectivite", "Collectivité territoriale"
    OTHER = "autre", "Autre organisation"


class CoverageQuerySet(PublishableQuerySet):
    """Where an item works, what it is about, whom it serves — read from its stored
    coverage. An organisation's coverage is its own territories, sectors and publics;
    programmes and actions store theirs (``actions/coverage.py`` computes it: own, else
    the programme's, else the actor's). Territory roll-up: an item counts in a territory
    when one of its territories has it in its ``reach`` (``territories/loading.py``).

    Filters and counts read the listing columns (``Listing``: arrays, GIN indexes), never
    the coverage tables nor the roll-up at read time; the coverage tables give what a page
    shows (names, links)."""

    # The many-to-many fields that hold the coverage, by dimension.
    coverage_fields = {"territories": "territories", "sectors": "sectors", "publics": "publics"}

    def _through(self, dimension):
        field = self.model._meta.get_field(self.coverage_fields[dimension])
        return field.remote_field.through, field.m2m_field_name(), field.m2m_reverse_field_name()

    def coverage_rows(self, dimension, **lookups):
        """Rows of the coverage table of ``dimension`` for the items of this queryset;
        ``lookups`` apply to the territory, sector or public."""
        through, item, target = self._through(dimension)
        return through.objects.filter(
            **{f"{item}__in": self.order_by().values("pk")},
            **{f"{target}__{lookup}": value for lookup, value in lookups.items()},
        )

    # --- filters and counts: on the stored listing columns (``Listing``)
    def in_territory(self, territory, scope=None):
        """What works in ``territory`` (any kind; or in one of several: a postcode's
        communes); with ``scope``, only through territories of that level (``Scope``)."""
        covering = covering_of(territory)
        ids = covering[scope] if scope is not None else [pk for ids in covering.values() for pk in ids]
        return self.filter(territory_ids__overlap=ids) if ids else self.none()

    def in_departement(self, code):
        return self.in_departements(Territory.objects.departements([code]).values_list("pk", flat=True))

    def in_departements(self, ids):
        """What works in one of the départements ``ids`` (their keys)."""
        ids = list(ids)
        return self.filter(departement_ids__overlap=ids) if ids else self.none()

    def with_sector(self, slug):
        return self.with_sectors(Sector.objects.filter(slug=slug).values_list("pk", flat=True))

    def with_sectors(self, ids):
        """What has one of the sectors ``ids`` (their keys)."""
        ids = list(ids)
        return self.filter(sector_ids__overlap=ids) if ids else self.none()

    def with_public(self, slug):
        return self.with_publics(Public.objects.filter(slug=slug).values_list("pk", flat=True))

    def with_publics(self, ids):
        """What serves one of the publics ``ids`` (their keys)."""
        ids = list(ids)
        return self.filter(public_ids__overlap=ids) if ids else self.none()

    def count_values(self, column, labels=None, **where):
        """{value: how many items of this queryset have it} for a listing column: one
        pass over the filtered rows, each row's array unnested. ``labels``: a model and
        one of its fields, by which the values (its keys) are named in the same query;
        ``where``: lookups on that model."""
        from django.core.exceptions import EmptyResultSet
        from django.db import connection

        try:
            sql, params = self.order_by().values(column).query.sql_with_params()
        except EmptyResultSet:  # ``none()``: a search without any searchable word
            return {}
        quote = connection.ops.quote_name
        counts = (
            f"SELECT value, COUNT(*) AS n FROM (SELECT unnest(items.{quote(column)}) AS value "
            f"FROM ({sql}) AS items) AS v GROUP BY value"
        )
        if labels is not None:
            model, field = labels
            names = model.objects.filter(**where).order_by().values_list("pk", field)
            names_sql, names_params = names.query.sql_with_params()
            counts = (
                f"SELECT names.label, counts.n FROM ({counts}) AS counts "
                f"JOIN ({names_sql}) AS names(id, label) ON names.id = counts.value"
            )
            params = (*params, *names_params)
        with connection.cursor() as cursor:
            cursor.execute(counts, params)
            return dict(cursor.fetchall())

    def coverage_texts(self, ids):
        """{pk: {"territories": [(display name, INSEE code)], "sectors": [names],
        "publics": [names]}} for the items ``ids``, from three flat queries: what an export
        writes, without building a model object per territory or sector."""
        result = {pk: {"territories": [], "sectors": [], "publics": []} for pk in ids}
        for pk, territories in self.territory_texts(ids).items():
            result[pk]["territories"] = territories
        for dimension in ("sectors", "publics"):
            through, item, target = self._through(dimension)
            names = through.objects.filter(**{f"{item}__in": ids}).order_by(*french(f"{target}__name"))
            for pk, name in names.values_list(item, f"{target}__name"):
                result[pk][dimension].append(name)
        return result

    def territory_texts(self, ids):
        """{pk: [(display name, INSEE code)]} of the items ``ids``, broadest first, in one query."""
        result = {pk: [] for pk in ids}
        through, item, target = self._through("territories")
        rows = (
            through.objects.filter(**{f"{item}__in": ids})
            .order_by(f"{target}__kind", *french(f"{target}__name"))
            .values_list(
                item, f"{target}__name", f"{target}__kind", f"{target}__code", f"{target}__current__name"
            )
        )
        for pk, name, kind, code, current in rows:
            result[pk].append((Territory.describe(name, kind, code, current), code))
        return result

    def with_coverage(self):
        """Prefetches the coverage a list, CSV or API row shows: territories (for display),
        sectors and publics."""
        return self.prefetch_related(
            models.Prefetch(self.coverage_fields["territories"], queryset=Territory.objects.for_display()),
            self.coverage_fields["sectors"],
            self.coverage_fields["publics"],
        )

    def count_by_departement(self, codes):
        """{code: how many items work in that département}, in one pass."""
        return self.count_values(
            "departement_ids", labels=(Territory, "code"), kind=TerritoryKind.DEPARTEMENT, code__in=codes
        )

    def count_by_vocabulary(self, dimension):
        """{slug: how many items} for ``sectors`` or ``publics``, in one pass."""
        vocabulary, column = {"sectors": (Sector, "sector_ids"), "publics": (Public, "public_ids")}[dimension]
        return self.count_values(column, labels=(vocabulary, "slug"))

    def scope_in(self, territory):
        """An expression: each item's most local level (``Scope``) in ``territory`` (or
        several) — commune, département, region — from the territories it covers there."""
        covering = covering_of(territory)
        levels = [
            models.When(territory_ids__overlap=covering[scope], then=models.Value(int(scope)))
            for scope in Scope
            if covering[scope]
        ]
        if not levels:
            return models.Value(None, output_field=models.IntegerField())
        return models.Case(*levels, default=models.Value(None), output_field=models.IntegerField())

    def count_by_scope(self, territory):
        """{Scope: how many items work in ``territory`` at that level, and at no more
        local one}: the sections of a territory page, in one grouped query."""
        rows = (
            self.in_territory(territory).order_by().annotate(level=self.scope_in(territory))
            .values("level").annotate(n=Count("pk")).values_list("level", "n")
        )  # fmt: skip
        counts = dict(rows)
        return {scope: counts.get(int(scope), 0) for scope in Scope}

    def in_scope(self, territory, scope):
        """The items of one section of ``territory``'s page (see ``count_by_scope``)."""
        covering = territory.covering()
        queryset = self.in_territory(territory, scope)
        more_local = [pk for level in Scope if level < scope for pk in covering[level]]
        return queryset.exclude(territory_ids__overlap=more_local) if more_local else queryset


ANY = 0  # a dimension of ``ListingCount`` not filtered on
ANY_FAMILY = "*"
OPEN_END = 9999  # the last year of a span still running


class ListingCount(models.Model):
    """How many items a public list holds for each combination of its département,
    sector, public, (actors) family and (actions) span of years — ``ANY`` where not
    filtered on: the count and the facets of every such list, read from a few rows
    instead of counted over the whole directory (``listing_counts``).

    Kept exact by PostgreSQL itself: statement triggers on the organisation, programme and
    action tables add what a statement's new rows count and take away what its old rows
    counted (``actors/migrations/0016_listing_counts.py``), whatever writes them — forms,
    imports, bulk updates, deletions, restores. What counts is the list's own rule: a
    published actor (``actors().published()``), a listed action or programme
    (``listed``); ``tests/actors/test_listing_counts.py`` proves the table equal to
    counting."""

    list = models.CharField("liste", max_length=10)
    departement = models.BigIntegerField("département")
    sector = models.BigIntegerField("secteur")
    public = models.BigIntegerField("public")
    family = models.CharField("famille", max_length=20)
    span = models.BigIntegerField(
        "années", help_text="Première année × 10 000 + dernière (9999 : en cours) ; 0 : toutes."
    )
    n = models.BigIntegerField("nombre")

    class Meta:
        verbose_name = "décompte d'une liste"
        constraints = [
            models.UniqueConstraint(
                fields=["list", "departement", "sector", "public", "family", "span"], name="listing_count_cell"
            )
        ]
        # ``listing_counts`` reads the rows where every dimension but one is fixed: an index
        # with that dimension last, for each (the family's: the constraint's).
        indexes = [
            models.Index(fields=["list", "sector", "public", "family", "departement"], name="listing_count_d"),
            models.Index(fields=["list", "departement", "public", "family", "sector"], name="listing_count_s"),
            models.Index(fields=["list", "departement", "sector", "family", "public"], name="listing_count_p"),
        ]

    def __str__(self):
        return f"{self.list} {self.departement}/{self.sector}/{self.public}/{self.family}/{self.span} : {self.n}"

    @staticmethod
    @contextmanager
    def recounted():
        """A bulk write, inside a transaction: the counting triggers step aside for the rest
        of it and every list is counted again at the end of the block, once, from the tables
        (each ``<table>_listing_recount()`` of the migrations). The counts table is locked
        meanwhile: a concurrent write waits to add its own changes after the new count."""
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE actors_listingcount IN EXCLUSIVE MODE")
            cursor.execute("SET LOCAL annuaire.recount = 'on'")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL annuaire.recount = 'off'")
        with connection.cursor() as cursor:
            cursor.execute("SELECT proname FROM pg_proc WHERE proname LIKE '%%\\_listing\\_recount'")
            for (function,) in cursor.fetchall():
                cursor.execute(f"SELECT {connection.ops.quote_name(function)}()")


def span_years(span):
    """(first year, last year or ``None`` if still running) of a span of ``ListingCount``
    (first × 10,000 + last, ``OPEN_END`` for still running: the SQL of
    ``actions/migrations/0015_listing_counts.py`` writes them)."""
    first, last = divmod(span, 10000)
    return first, None if last == OPEN_END else last


def span_holds(span, year):
    """Whether a span of ``ListingCount`` runs in ``year``."""
    first, last = span_years(span)
    return first <= year and (last is None or year <= last)


@dataclass
class ListingCounts:
    """What ``listing_counts`` reads: the list's ``count``; its ``facets`` —
    {"departement"|"sector"|"public"|"family": {key: count}}, each with the other filters
    applied; and its ``spans`` — {span: count} with every filter but the year applied
    (the year facet adds them up)."""

    count: int
    facets: dict
    spans: dict


def listing_totals(list_name, keys):
    """{key: how many items of the list count in it} for keys of the département dimension
    (départements, scope keys), no other filter: one query."""
    rows = ListingCount.objects.filter(
        list=list_name, departement__in=list(keys), sector=ANY, public=ANY, family=ANY_FAMILY, span=ANY
    ).values_list("departement", "n")
    return {key: 0 for key in keys} | dict(rows)


def listing_counts(list_name, departement=ANY, sector=ANY, public=ANY, family=ANY_FAMILY, year=None):  # noqa: PLR0913
    """The count and facets of a list filtered on these keys (``ANY``: not filtered) and,
    for actions, on a year. One query of a few hundred rows at most."""
    cell = {"departement": departement, "sector": sector, "public": public, "family": family}
    anything = {"departement": ANY, "sector": ANY, "public": ANY, "family": ANY_FAMILY}
    condition = models.Q(**cell)  # the list itself, every span (the year facet's)
    for name in cell:  # each facet: the other filters fixed, its own keys
        facet = models.Q(**{key: value for key, value in cell.items() if key != name}) & ~models.Q(
            **{name: anything[name]}
        )
        if name == "departement":
            facet &= models.Q(departement__gt=0)  # the départements, not the scope keys
        if year is None:
            facet &= models.Q(span=ANY)
        condition |= facet

    def counted(span):
        return span == ANY if year is None else span != ANY and span_holds(span, year)

    count, facets, spans = 0, {name: {} for name in cell}, {}
    rows = ListingCount.objects.filter(condition, list=list_name).values_list(*cell, "span", "n")
    for *keys, span, n in rows:
        differing = [name for name, key in zip(cell, keys, strict=True) if key != cell[name]]
        if not differing and span != ANY:
            spans[span] = n
        if not counted(span):
            continue
        if not differing:
            count += n
        elif len(differing) == 1:  # a row of one facet: the other filters, another key
            key = keys[list(cell).index(differing[0])]
            facets[differing[0]][key] = facets[differing[0]].get(key, 0) + n
    for name, key in cell.items():
        if key != anything[name]:  # the selected key of a facet: the list itself
            facets[name][key] = count
    return ListingCounts(count, facets, spans)


class OrganisationQuerySet(CoverageQuerySet):
    def stale(self):
        """Never verified, or not for ``DIRECTORY_REVERIFY_MONTHS`` months: « à revoir »."""
        from datetime import timedelta

        from django.conf import settings
        from django.utils import timezone

        limit = timezone.localdate() - timedelta(days=round(30.44 * settings.DIRECTORY_REVERIFY_MONTHS))
        return self.filter(models.Q(verified_at__isnull=True) | models.Q(verified_at__lt=limit))

    def real(self):
        """Without the synthetic demonstration data: what open-data exports publish."""
        return self.filter(is_demo=False)

    def actors(self):
        return self.filter(kind=OrganisationKind.ACTOR)

    def partners(self):
        return self.exclude(kind=OrganisationKind.ACTOR)

    def for_list(self):
        """What a list shows: the page's rows alone (an index gives them by name), their
        network and sectors by small queries; never the stored search documents."""
        light = (*DERIVED_FIELDS, "description")
        # Each card says where it is: its commune, else where it works (``scope_keys``).
        shown = tuple(name for name in light if name != "scope_keys")
        return (
            self.defer(*shown).select_related("commune").defer("commune__search_vector")
            .prefetch_related(models.Prefetch("parent", queryset=Organisation.objects.defer(*light)), "sectors")
        )  # fmt: skip


class OrganisationManager(models.Manager.from_queryset(OrganisationQuerySet)):
    """Organisations, with the queries of ``OrganisationQuerySet``."""


class Organisation(Searchable, Listing, Publishable):
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
    # How to reach it. E-mail and phone may name a person: they are published only when
    # the organisation agreed (ticked by staff; the history keeps who and when).
    street_address = models.CharField("adresse (voie)", max_length=200, blank=True,
                                      help_text="Numéro et voie, complément : « 12 rue des Lilas, bâtiment B ».")  # fmt: skip
    postcode = models.CharField("code postal", max_length=5, blank=True, validators=[validate_postcode])
    commune = models.ForeignKey(
        Territory,
        verbose_name="commune",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="located_organisations",
        limit_choices_to={"kind__in": COMMUNE_KINDS},
        help_text="Tapez un nom, une ancienne commune ou un code postal.",
    )
    phone = models.CharField("téléphone", max_length=20, blank=True, validators=[validate_phone])
    phone_public = models.BooleanField("l'organisation accepte que son téléphone soit publié", default=False)
    email = models.EmailField("e-mail", blank=True)
    email_public = models.BooleanField("l'organisation accepte que son e-mail soit publié", default=False)
    opening_hours = models.TextField(
        "horaires d'accueil", blank=True, help_text="En clair : « du lundi au vendredi, 9 h – 17 h »."
    )
    # A file in the default storage (actors/logos.py), set by the admin form only.
    logo = models.ImageField("logo", upload_to=logos.upload_to, blank=True, editable=False)
    latitude = models.DecimalField("latitude", max_digits=9, decimal_places=6, null=True, blank=True,
                                   validators=[MinValueValidator(-90), MaxValueValidator(90)])  # fmt: skip
    longitude = models.DecimalField("longitude", max_digits=9, decimal_places=6, null=True, blank=True,
                                    validators=[MinValueValidator(-180), MaxValueValidator(180)])  # fmt: skip
    position_source = models.CharField(
        "origine de la position", max_length=20, blank=True, choices=PositionSource.choices, editable=False
    )
    verified_at = models.DateField(
        "informations vérifiées le",
        null=True,
        blank=True,
        help_text="Date à laquelle quelqu'un a confirmé que la fiche est toujours exacte (≠ « modifié le »).",
    )
    verification_requested_at = models.DateField(
        "confirmation demandée le",
        null=True,
        blank=True,
        editable=False,
        help_text="Dernier envoi du lien de confirmation à l'organisation (send_verification_requests).",
    )
    source_period = models.CharField(
        "période décrite par la source",
        max_length=60,
        blank=True,
        help_text="Par exemple « de 2001 à 2008 ».",
    )
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
    merged_into = models.ForeignKey(
        "self",
        verbose_name="fusionnée dans",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
        editable=False,
        help_text="Après une fusion de doublons : l'organisation gardée. Son ancienne adresse y mène.",
    )
    is_demo = models.BooleanField(
        "fiche de démonstration",
        default=False,
        db_index=True,
        editable=False,
        help_text="Données fictives créées par « generate_demo_data » pour mesurer les performances : "
        "signalées sur chaque page, jamais exportées comme données réelles.",
    )

    objects = OrganisationManager()
    # Not the logo: a replaced logo's file is deleted, so an old version's path would name
    # nothing, and restoring that version would show a broken image. A restore keeps the
    # current logo.
    history = history(searchable=True, m2m_fields=[territories, sectors, publics], excluded_fields=["logo"])

    class Meta:
        verbose_name = "organisation"
        verbose_name_plural = "organisations"
        ordering = [*french("name")]
        indexes = [
            models.Index(fields=["kind", "status", "name"]),
            models.Index(FrenchKey("name"), Collate(F("name"), "C"), name="organisation_french_order"),
            models.Index(fields=["latitude", "longitude"], name="organisation_position"),
            *listing_indexes("organisation"),
        ]
        constraints = [
            # Two organisations never share a SIRET (an establishment); a SIREN or an RNA
            # may be shared by establishments of one body: a warning, not an error.
            models.UniqueConstraint(
                fields=["siret"],
                condition=~models.Q(siret=""),
                name="organisation_unique_siret",
                violation_error_message="Une autre organisation a déjà ce SIRET.",
            )
        ]

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

    @property
    def schema_type(self):
        """schema.org type (structured data)."""
        return "NGO" if self.family == EssFamily.ASSOCIATION else "Organization"

    @property
    def public_phone(self):
        """The phone a visitor may see: only with the organisation's agreement (the rule
        is ``actors.public_record``'s)."""
        return public_record.public_phone(self.phone, self.phone_public)

    @property
    def public_email(self):
        return public_record.public_email(self.email, self.email_public)

    @cached_property
    def public_record(self):
        """What it publishes (``actors.public_record``): the API, the CSV, the GeoJSON and
        the JSON-LD read it."""
        return public_record.of(self)

    @property
    def has_position(self):
        return self.latitude is not None and self.longitude is not None

    @property
    def public_record_url(self):
        """Its page in the Annuaire des entreprises (data.gouv.fr), from the SIREN."""
        siren = self.siren or self.siret[:9]
        return f"https://annuaire-entreprises.data.gouv.fr/entreprise/{siren}" if siren else ""

    def replace_logo(self, content=None):
        """Takes ``content`` (a page version, ``logos.page_version``) as the logo, written
        to the storage now under a name of ours, or removes the logo when ``None``; the
        previous file is deleted once the transaction that saves this row commits. The
        caller saves the row."""
        previous = self.logo.name
        if content is None:
            self.logo = ""
        else:
            self.logo.save("logo.webp", content, save=False)  # the name: logos.upload_to
        if previous and previous != self.logo.name:
            logos.delete_after_commit(Organisation, self.logo.storage, previous)

    def clean(self):
        super().clean()
        if self.siret and self.siren and not self.siret.startswith(self.siren):
            raise ValidationError({"siret": "Le SIRET doit commencer par le SIREN de l'organisation."})
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": "Une organisation ne peut pas être sa propre mère."})


class SuccessionKind(models.TextChoices):
    RENAMED = "renomme", "renommé en"
    MERGED = "fusionne", "fusionné dans"
    REPLACED = "remplace", "remplacé par"


class Succession(ChangesModel):
    """A public body that became another (« la DRTEFP de Basse-Normandie devient la
    DIRECCTE de Basse-Normandie en 2010 »): a typed, dated link from the old body to the
    one that followed it, with its source. Which body is today's is read from these links
    by one rule (``actors/successors.py``); the source's wording is never changed, today's
    body is shown beside it."""

    predecessor = models.ForeignKey(
        Organisation,
        verbose_name="ancien organisme",
        on_delete=models.CASCADE,
        related_name="successions",
    )
    successor = models.ForeignKey(
        Organisation,
        verbose_name="organisme qui lui succède",
        on_delete=models.PROTECT,
        related_name="predecessions",
    )
    kind = models.CharField("changement", max_length=10, choices=SuccessionKind.choices, default=SuccessionKind.RENAMED)
    year = models.PositiveSmallIntegerField(
        "année du changement", validators=[MinValueValidator(1800), MaxValueValidator(2100)]
    )
    month = models.PositiveSmallIntegerField(
        "mois", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="1 à 12 ; vide si la source ne donne que l'année.",
    )  # fmt: skip
    day = models.PositiveSmallIntegerField(
        "jour", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    note = models.CharField(
        "précision", max_length=300, blank=True,
        help_text="Par exemple « devenue unité territoriale de la DIRECCTE en 2010 ».",
    )  # fmt: skip
    source = models.CharField(
        "source", max_length=300, help_text="Le texte officiel qui fait le changement (décret, loi)."
    )
    source_url = models.URLField("adresse de la source", blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    history = history()

    class Meta:
        verbose_name = "changement de nom ou succession"
        verbose_name_plural = "changements de nom et successions"
        ordering = ["year", "month", "day", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"],
                name="succession_unique_pair",
                violation_error_message="Cette succession est déjà enregistrée.",
            ),
            models.CheckConstraint(
                condition=~models.Q(predecessor=F("successor")),
                name="succession_not_itself",
                violation_error_message="Un organisme ne peut pas se succéder à lui-même.",
            ),
        ]

    def __str__(self):
        return f"{self.predecessor.name} → {self.successor.name} ({self.date})"

    @property
    def date(self):
        return PartialDate(self.year, self.month, self.day)

    @property
    def change_noun(self):
        """The change as a noun, for a sentence whatever the bodies' gender: « fusion »."""
        return {SuccessionKind.RENAMED: "changement de nom", SuccessionKind.MERGED: "fusion",
                SuccessionKind.REPLACED: "remplacement"}[SuccessionKind(self.kind)]  # fmt: skip

    def clean(self):
        super().clean()
        problems = PartialDate(self.year, self.month, self.day).errors() if self.year else []
        if problems:
            raise ValidationError({"day" if self.day else "month": problems})
        if self.predecessor_id and self.successor_id:
            if self.predecessor_id == self.successor_id:
                raise ValidationError({"successor": "Un organisme ne peut pas se succéder à lui-même."})
            from .successors import leads_to

            if leads_to(self.successor_id, self.predecessor_id, ignoring=self.pk):
                raise ValidationError(
                    {"successor": "Cet organisme précède déjà l'ancien organisme : la chaîne tournerait en rond."}
                )


@receiver(pre_delete, sender=Organisation, dispatch_uid="organisation-logo-file")
def delete_logo_file(sender, instance, **kwargs):
    """A deleted organisation's logo file goes too, once the deletion commits (read before:
    the row still answers if its logo was deferred)."""
    logos.delete_after_commit(sender, instance.logo.storage, instance.logo.name)
