"""The official territories — régions, départements, communes (today's and historic
ones) from INSEE's Code officiel géographique — and their roll-up (``reach``), under the
apps that place things in them (``actors``, ``actions``) and above ``common`` only.

Loading and the roll-up rule: ``territories/loading.py``; reading what a person or a
file types to name one: ``territories/resolver.py``.

The table keeps its first name, ``actors_territory`` (this model was born in ``actors``:
migration ``territories/0001`` moved it without touching the database).
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from common.changes import ChangesQuerySet
from common.collation import french
from common.search import Searchable

from .region import DEPARTEMENT_CODES


class TerritoryKind(models.TextChoices):
    REGION = "region", "Région"
    DEPARTEMENT = "departement", "Département"
    COMMUNE = "commune", "Commune"
    COMMUNE_DELEGUEE = "commune-deleguee", "Commune déléguée"
    COMMUNE_ASSOCIEE = "commune-associee", "Commune associée"


COMMUNE_KINDS = (TerritoryKind.COMMUNE, TerritoryKind.COMMUNE_DELEGUEE, TerritoryKind.COMMUNE_ASSOCIEE)
HISTORIC_COMMUNE_KINDS = (TerritoryKind.COMMUNE_DELEGUEE, TerritoryKind.COMMUNE_ASSOCIEE)


class Scope(models.IntegerChoices):
    """How local a territory is: the levels of a territory page's sections."""

    COMMUNE = 0, "commune"
    DEPARTEMENT = 1, "département"
    REGION = 2, "région"


SCOPE_KINDS = {
    Scope.COMMUNE: COMMUNE_KINDS,
    Scope.DEPARTEMENT: (TerritoryKind.DEPARTEMENT,),
    Scope.REGION: (TerritoryKind.REGION,),
}


class TerritoryQuerySet(ChangesQuerySet):
    def departements(self, codes=None):
        queryset = self.filter(kind=TerritoryKind.DEPARTEMENT)
        return queryset if codes is None else queryset.filter(code__in=codes)

    def communes(self):
        return self.filter(kind__in=COMMUNE_KINDS)

    def for_display(self):
        """What ``display_name`` needs (today's territory of a historic one), in order."""
        return self.select_related("current", "parent__parent").order_by("kind", *french("name"))


class Territory(Searchable):
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
    latitude = models.DecimalField("latitude", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("longitude", max_digits=9, decimal_places=6, null=True, blank=True)
    postcodes = models.CharField("codes postaux", max_length=200, blank=True)
    liaison = models.PositiveSmallIntegerField(
        "type de nom (INSEE)",
        null=True,
        blank=True,
        help_text="« typeLiaison » du COG : l'article et la charnière du nom (le Calvados, du Calvados).",
    )
    reach = models.ManyToManyField(
        "self",
        verbose_name="territoires concernés",
        symmetrical=False,
        blank=True,
        related_name="+",
        help_text="Calculé à l'import : les territoires où compte ce qui couvre celui-ci — "
        "lui-même, ceux qui le contiennent (commune actuelle, département, région actuelle "
        "et ancienne) et ceux qu'il contient.",
    )

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        db_table = "actors_territory"  # its name from when it lived in ``actors``
        verbose_name = "territoire"
        verbose_name_plural = "territoires"
        ordering = ["kind", "code", *french("name")]
        indexes = [models.Index(fields=["kind", "code"])]

    def __str__(self):
        label = f"{self.name} ({self.get_kind_display().lower()} {self.code})"
        if not self.is_current and self.kind == TerritoryKind.REGION:
            label += ", ancienne région"
        return label

    def get_absolute_url(self):
        if _page_url is None:
            raise ImproperlyConfigured(
                "No app registered the address of a territory's page (register_page_url)."
            )
        return _page_url(self)

    @property
    def display_name(self):
        """The name, with today's territory for a historic one: « Livarot (commune
        déléguée, aujourd'hui Livarot-Pays-d'Auge) ». Needs ``current`` loaded."""
        current = self.current.name if self.current_id and self.current_id != self.pk else None
        return self.describe(self.name, self.kind, self.code, current)

    @staticmethod
    def describe(name, kind, code, current_name=None):
        """``display_name`` from plain values (exports read rows, not objects)."""
        if current_name:
            label = "ancienne région" if kind == TerritoryKind.REGION else TerritoryKind(kind).label.lower()
            return f"{name} ({label}, aujourd'hui {current_name})"
        if kind == TerritoryKind.DEPARTEMENT:
            return f"{name} ({code})"
        return name

    @property
    def where_phrase(self):
        """« à Caen », « dans tout le département du Calvados », « dans toute la région
        Basse-Normandie (aujourd'hui Normandie) ». Needs ``current`` loaded."""
        today = f" (aujourd'hui {self.current.name})" if self.is_historic else ""
        if self.is_commune:
            return f"à {self.name}{today}"
        if self.kind == TerritoryKind.DEPARTEMENT:
            return f"dans tout le département {self.of_name}"
        return f"dans toute la région {self.name}{today}"

    # INSEE's « type de nom en clair »: 0 and 1 take no article (« de Caen », « d'Orbec »),
    # 2 « le »/« du », 3 « la »/« de la », 4 « les »/« des », 5 « l' »/« de l' ».
    CHARNIERES = {0: "de ", 1: "d'", 2: "du ", 3: "de la ", 4: "des ", 5: "de l'"}

    @property
    def of_name(self):
        """The name after « de », with its article: « du Calvados », « de la Manche »,
        « de l'Orne », « de Caen »."""
        if self.liaison is None:
            return f"de {self.name}" if self.name[:1].lower() not in "aeiouyéèêâh" else f"d'{self.name}"
        name = self.name
        if self.liaison in (2, 3, 4, 5):  # the article is not part of INSEE's name
            return self.CHARNIERES[self.liaison] + name
        return self.CHARNIERES.get(self.liaison, "de ") + name

    @property
    def is_commune(self):
        return self.kind in COMMUNE_KINDS

    @property
    def list_filter(self):
        """The lists' filter that gives what works here, and what it is called:
        (``departement=14``, « de ce département ») or (``commune=14118``, « de cette
        commune »); None for a region (every list is already the whole region) or a
        département outside the directory's region (``DIRECTORY_REGION``). Needs ``current`` loaded for a historic one."""
        if self.kind == TerritoryKind.DEPARTEMENT and self.code in DEPARTEMENT_CODES:
            return {"query": f"departement={self.code}", "label": "de ce département"}
        if self.is_commune and not self.is_historic:
            return {"query": f"commune={self.code}", "label": "de cette commune"}
        if self.is_commune:
            return {"query": f"commune={self.code}", "label": f"de {self.current.name}"}
        return None

    @property
    def is_departement(self):
        return self.kind == TerritoryKind.DEPARTEMENT

    @property
    def is_region(self):
        return self.kind == TerritoryKind.REGION

    @property
    def is_historic(self):
        return self.current_id is not None and self.current_id != self.pk

    @property
    def scope(self):
        return next(scope for scope, kinds in SCOPE_KINDS.items() if self.kind in kinds)

    def covering(self):
        """{Scope: ids of the territories whose ``reach`` holds this one}, by their level:
        what covers one of them counts here (a commune: itself, its historic communes, its
        département and regions; a département: itself, its communes, its regions). Read
        once per territory object."""
        if not hasattr(self, "_covering"):
            kinds = {kind: scope for scope, scope_kinds in SCOPE_KINDS.items() for kind in scope_kinds}
            result = {scope: [] for scope in Scope}
            rows = Territory.reach.through.objects.filter(to_territory=self).values_list(
                "from_territory_id", "from_territory__kind"
            )
            for pk, kind in rows.order_by("from_territory_id"):
                result[kinds[kind]].append(pk)
            self._covering = result
        return self._covering

    @staticmethod
    def covering_all(territories):
        """``covering`` of several territories at once (a postcode's communes), merged
        level by level, in one query."""
        territories = list(territories)
        if len(territories) == 1:
            return territories[0].covering()
        kinds = {kind: scope for scope, scope_kinds in SCOPE_KINDS.items() for kind in scope_kinds}
        result = {scope: set() for scope in Scope}
        rows = Territory.reach.through.objects.filter(to_territory__in=[t.pk for t in territories]).values_list(
            "from_territory_id", "from_territory__kind"
        )
        for pk, kind in rows:
            result[kinds[kind]].add(pk)
        return {scope: sorted(ids) for scope, ids in result.items()}

    @property
    def schema_type(self):
        """schema.org type (structured data)."""
        return "City" if self.is_commune else "AdministrativeArea"

    @classmethod
    def make_key(cls, kind, code):
        if kind == TerritoryKind.DEPARTEMENT or kind == TerritoryKind.COMMUNE:
            return code.lower()
        if kind == TerritoryKind.REGION:
            return f"region-{code}"
        return f"{code}-{kind.removeprefix('commune-')}".lower()


# The public page of a territory is the site's (``cress``, above this app): the site says
# how its address is built, at start-up, so that this app names no app above it.
_page_url = None


def register_page_url(build):
    """``build(territory)`` gives the address of a territory's public page
    (``Territory.get_absolute_url``)."""
    global _page_url
    _page_url = build
