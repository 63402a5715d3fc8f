"""The columns of a spreadsheet of organisations, programmes or actions — one definition
for import and export (django-import-export ``ModelResource``), so that export → edit →
import is a round trip.

Rules the resources keep (see also ``imports/service.py``):

- A column absent from the file leaves its field alone, and so does an empty cell: staff
  data are never erased by a blank (a template-shaped row, a partial spreadsheet). Erasing
  is explicit: the cell says « (effacer) » (``CLEAR``). For a new item, an empty cell is
  simply empty.
- An organisation is matched by SIRET, then SIREN, then RNA, then address (slug)
  (``OrganisationMatcher``); programmes and actions by their address.
- A new item arrives as a draft unless the import publishes (``publish=True``); the
  status of an existing item is never changed by an import.
- Territories, sectors and publics are read by ``imports/widgets.py``: never created,
  an unknown or ambiguous one is an error that says what exists.
- Every save carries the history reason « Import du fichier « nom » ».
"""

from django.core.exceptions import ValidationError
from django.db.models.signals import post_save
from django.utils.text import slugify
from import_export import fields, resources
from import_export.instance_loaders import BaseInstanceLoader
from import_export.widgets import DateWidget as IsoDateWidget
from import_export.widgets import ManyToManyWidget

from actions.dates import PartialDate
from actions.models import Action, Programme, ProgrammeKind
from actors.models import EssFamily, Organisation, OrganisationKind, PositionSource, Public, Sector, Status
from common.collation import french
from territories.models import COMMUNE_KINDS

from . import bulk
from .widgets import (
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    IdentifierWidget,
    Lookups,
    SlugWidget,
    TerritoriesWidget,
    TextWidget,
    VocabularyWidget,
    YesNoWidget,
    text,
)

# What a cell says to erase a value (an empty cell keeps it).
CLEAR = "(effacer)"
SLUG_COLUMN = "adresse (slug)"


def column(name, attribute, widget=None, readonly=False, help=""):
    field = fields.Field(
        column_name=name, attribute=attribute, widget=widget or TextWidget(), readonly=readonly
    )
    field.help = help
    return field


class CommuneWidget(TextWidget):
    """One commune, read like a territory (INSEE code, postcode, name, historic commune)."""

    def __init__(self, lookups, **kwargs):
        self.lookups = lookups
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        value = text(value)
        if not value:
            return None
        territory = self.lookups.territory(value)
        if territory.kind not in COMMUNE_KINDS:
            raise ValueError(
                f"« {value} » est un(e) {territory.get_kind_display().lower()}, pas une commune."
            )
        return territory

    def render(self, value, obj=None, **kwargs):
        return f"{value.name} ({value.key})" if value else ""


class PeriodSide(fields.Field):
    """« début » or « fin »: one cell for the three date fields (and « depuis »)."""

    def __init__(self, side, **kwargs):
        self.side = side
        super().__init__(attribute=side, widget=DateWidget(), **kwargs)

    def get_value(self, obj):
        date = obj.start if self.side == "start" else obj.end
        since = obj.since if self.side == "start" else False
        return (date, since) if date else None

    def save(self, instance, row, is_m2m=False, **kwargs):
        cleaned = self.clean(row, **kwargs)
        date, since = cleaned if cleaned else (PartialDate(None, None, None), False)
        if self.side == "end" and since:
            raise ValueError("« depuis » ne s'emploie qu'au début d'une période.")
        setattr(instance, f"{self.side}_year", date.year)
        setattr(instance, f"{self.side}_month", date.month)
        setattr(instance, f"{self.side}_day", date.day)
        if self.side == "start":
            instance.since = since


class NoDiff:
    """import-export's HTML diff reads every column twice per row; ``changes`` below
    computes (column, before, after) once, for the columns of the file only."""

    def __init__(self, resource, instance, new):
        pass

    def compare_with(self, resource, instance):
        pass

    def as_html(self):
        return []


class DirectoryResource(resources.ModelResource):
    """What the three resources share: French errors by column, m2m read before saving
    (so that an unknown sector is a line's error, not a failure after the save), the
    change list of a row (column, before, after), drafts, history reasons."""

    def __init__(self, publish=False, file_name="", user=None, progress=None, **kwargs):
        self.lookups = Lookups()
        self.publish = publish
        self.file_name = file_name
        self.user = user
        self.progress = progress  # a background job's (jobs/progress.py): one step per row
        super().__init__(**kwargs)

    class Meta:
        abstract = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        skip_html_diff = True

    def get_diff_class(self):
        return NoDiff

    # -- columns --------------------------------------------------------------------------
    def columns(self):
        return {field.attribute: field.column_name for field in self.get_import_fields()}

    def is_m2m(self, field):
        return isinstance(field.widget, ManyToManyWidget)

    def kept(self, instance, row):
        """``row`` as it changes ``instance``: for an existing item, an empty cell is left
        out (the value stays); « (effacer) » is an empty cell that erases."""
        existing = instance.pk is not None
        kept = {}
        for name, value in row.items():
            text = value.strip() if isinstance(value, str) else value
            if isinstance(text, str) and text.lower() == CLEAR:
                kept[name] = ""
            elif existing and text in (None, ""):
                continue
            else:
                kept[name] = value
        return kept

    def import_instance(self, instance, row, **kwargs):
        row = instance._import_row = self.kept(instance, row)
        errors = {}
        previous_slug = instance.slug
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not instance.slug and not errors.get("slug"):
            # An empty address keeps the one an item has (it is its public address).
            instance.slug = previous_slug or self.free_slug(self.slug_source(instance))
        instance._import_m2m = {}
        for field in self.get_import_fields():
            if not self.is_m2m(field) or field.column_name not in row:
                continue
            try:
                instance._import_m2m[field.attribute] = field.clean(row, **kwargs)
            except ValueError as error:
                errors[field.attribute] = ValidationError(str(error), code="invalid")
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        # Saved without a history record when relations follow: ``save_m2m`` records
        # one, with the relations (not one per relation, as signals would).
        if getattr(instance, "_import_m2m", None):
            instance.skip_history_when_saving = True
        instance._import_created = is_create
        super().do_instance_save(instance, is_create)

    def save_m2m(self, instance, row, **kwargs):
        relations = getattr(instance, "_import_m2m", {})
        if not relations:
            return
        for attribute, values in relations.items():
            getattr(instance, attribute).set(values)
        del instance.skip_history_when_saving
        # The save's signal again, now that the relations are set: the history records
        # the row once (« + » or « ~ »), relations included; the other receivers (derived
        # values, cache version) are deferred to the end of the import anyway.
        post_save.send(
            sender=type(instance), instance=instance, created=instance._import_created,
            update_fields=None, raw=False, using=instance._state.db,
        )  # fmt: skip

    # -- what a row changes -------------------------------------------------------------
    def rendered(self, instance, new, after=False):
        """{column: text} of an instance as the file shows it."""
        values = {}
        for field in self.get_import_fields():
            if field.readonly:
                continue
            if self.is_m2m(field):
                if after and field.attribute in getattr(instance, "_import_m2m", {}):
                    values[field.column_name] = field.widget.render(instance._import_m2m[field.attribute])
                elif new or instance.pk is None:
                    values[field.column_name] = ""
                else:
                    values[field.column_name] = field.export(instance)
            else:
                values[field.column_name] = field.export(instance)
        return values

    def changes(self, original, instance, new, row):
        """[(column, before, after)] for the columns of the file whose value changes."""
        before = getattr(instance, "_import_before", None)
        if before is None:
            before = {} if new else self.rendered(original, False)
        after = self.rendered(instance, new, after=True)
        present = set(row)
        return [
            (name, before.get(name, ""), value)
            for name, value in after.items()
            if name in present and str(before.get(name, "")) != str(value)
        ]

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors:
            return False
        new = instance.pk is None
        instance._import_changes = self.changes(original, instance, new, row)
        return not new and not instance._import_changes

    # -- new items, history ----------------------------------------------------------------
    def after_init_instance(self, instance, new, row, **kwargs):
        if not new:
            # Read before the row changes it, with the relations already fetched (a copy
            # of the instance would fetch them again).
            instance._import_before = self.rendered(instance, False)
        if new:
            instance.status = Status.PUBLISHED if self.publish else Status.DRAFT
        instance._change_reason = self.reason

    @property
    def reason(self):
        return f"Import du fichier « {self.file_name} »"[:100]

    def before_save_instance(self, instance, row, **kwargs):
        if not instance.slug:
            instance.slug = self.free_slug(self.slug_source(instance))
        self.taken_slugs.add(instance.slug)

    def slug_source(self, instance):
        return getattr(instance, "name", "") or getattr(instance, "title", "")

    def free_slug(self, text_value):
        base = slugify(text_value)[:110] or "sans-nom"
        slug, n = base, 1
        while slug in self.taken_slugs:
            n += 1
            slug = f"{base}-{n}"
        self.taken_slugs.add(slug)
        return slug

    def before_import(self, dataset, **kwargs):
        self.taken_slugs = set(self._meta.model.objects.values_list("slug", flat=True))

    def after_import_row(self, row, row_result, **kwargs):
        if self.progress is not None:
            self.progress.advance()



class OrganisationMatcher(BaseInstanceLoader):
    """SIRET, then SIREN, then RNA, then address (slug): the first identifier of the row
    that names exactly one organisation. Built once per file (one query); rows created by
    the file join the index, so a file that lists an organisation twice updates it."""

    ORDER = (("SIRET", "siret"), ("SIREN", "siren"), ("RNA", "rna"), (SLUG_COLUMN, "slug"))

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.index = {field: {} for _, field in self.ORDER}
        self.sirets = {}
        rows = Organisation.objects.filter(merged_into__isnull=True).values_list(
            "pk", "siret", "siren", "rna", "slug"
        )
        for pk, *values in rows:
            self.add(pk, dict(zip(("siret", "siren", "rna", "slug"), values, strict=True)))
        resource.matcher = self
        # The organisations the file names, read at once with their relations (for the
        # comparison of each row): one query per batch, not one per row.
        wanted = set()
        for row in dataset.dict if dataset is not None else []:
            try:
                pk = self.match(row)
            except ValidationError:
                continue
            if pk is not None:
                wanted.add(pk)
        self.cache = (
            Organisation.objects.select_related("commune", "parent")
            .prefetch_related("territories", "sectors", "publics")
            .in_bulk(sorted(wanted))
            if wanted
            else {}
        )

    def add(self, pk, values):
        self.sirets[pk] = values["siret"]
        for field, value in values.items():
            if value:
                self.index[field].setdefault(value, set()).add(pk)

    def match(self, row):
        """The pk of the organisation ``row`` names, or None; a ValidationError when its
        SIRET names several."""
        for name, field in self.ORDER:
            value = text(row.get(name))
            if field != "slug":
                value = IdentifierWidget().clean(value)
            if not value:
                continue
            found = self.index[field].get(value, set())
            if field != "siret" and text(row.get("SIRET")):
                # A row with a SIRET that no one has is another establishment: it never
                # takes one that has its own SIRET through their common SIREN or RNA.
                found = {pk for pk in found if not self.sirets.get(pk)}
            if len(found) == 1:
                return next(iter(found))
            if len(found) > 1:
                if field == "siren" or field == "rna":
                    continue  # several establishments of one body: the next identifier decides
                names = ", ".join(
                    f"« {o.name} » ({o.slug})"
                    for o in Organisation.objects.filter(pk__in=found).order_by(*french("name"))[:5]
                )
                raise ValidationError({field: f"Plusieurs organisations ont ce {name} : {names}."})
        return None

    def get_instance(self, row):
        pk = self.match(row)
        if pk is None:
            return None
        return self.cache.get(pk) or Organisation.objects.get(pk=pk)


class OrganisationResource(DirectoryResource):
    """Organisations: the directory's actors and partners."""

    label = "organisations"
    sheet = "Organisations"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        lookups = self.lookups
        self.fields["commune"].widget = CommuneWidget(lookups)
        self.fields["territories"].widget = TerritoriesWidget(lookups)

    slug = column(SLUG_COLUMN, "slug", help="Fin de l'adresse de la fiche ; vide : calculée depuis le nom.")
    name = column("nom", "name", help="Nom complet. Obligatoire.")
    acronym = column("sigle", "acronym")
    alternate_name = column("autre nom", "alternate_name")
    kind = column("type", "kind", ChoiceWidget(OrganisationKind.choices, "Type", default=OrganisationKind.ACTOR),
                  help="« acteur de l'ESS » ou « partenaire ».")  # fmt: skip
    family = column("famille de l'ESS", "family", ChoiceWidget(EssFamily.choices, "Famille de l'ESS"))
    siren = column(
        "SIREN",
        "siren",
        IdentifierWidget(),
        help="9 chiffres. Sert à reconnaître une organisation déjà présente.",
    )
    siret = column(
        "SIRET", "siret", IdentifierWidget(), help="14 chiffres (siège). Reconnaît l'organisation en premier."
    )
    rna = column("RNA", "rna", IdentifierWidget(), help="W suivi de 9 chiffres (associations).")
    summary = column("présentation courte", "summary", help="Une phrase (300 caractères au plus).")
    description = column("description", "description")
    website = column("site web", "website")
    street_address = column("adresse", "street_address", help="Numéro et voie.")
    postcode = column("code postal", "postcode")
    commune = column("commune", "commune",
                     help="Nom, code INSEE ou code postal ; une ancienne commune donne la commune d'aujourd'hui.")  # fmt: skip
    phone = column("téléphone", "phone")
    phone_public = column("téléphone publiable", "phone_public", YesNoWidget(),
                          help="« oui » seulement si l'organisation l'a accepté.")  # fmt: skip
    email = column("e-mail", "email")
    email_public = column("e-mail publiable", "email_public", YesNoWidget(),
                          help="« oui » seulement si l'organisation l'a accepté.")  # fmt: skip
    opening_hours = column("horaires d'accueil", "opening_hours")
    latitude = column("latitude", "latitude", DecimalWidget(), help="Par exemple 49,1829.")
    longitude = column("longitude", "longitude", DecimalWidget(), help="Par exemple -0,3707.")
    parent = column("réseau", "parent", SlugWidget(Organisation, "Réseau"),
                    help="Adresse (slug) de l'organisation mère ou du réseau.")  # fmt: skip
    territories = column("territoires couverts", "territories", help="Séparés par « | » : nom ou code INSEE.")
    sectors = column("secteurs", "sectors", VocabularyWidget(Sector, "Secteur"), help="Séparés par « | ».")
    publics = column("publics", "publics", VocabularyWidget(Public, "Public"), help="Séparés par « | ».")
    source = column("source", "source", help="D'où viennent ces informations.")
    source_period = column("période décrite", "source_period")
    verified_at = column("vérifiée le", "verified_at", IsoDateWidget(format="%d/%m/%Y"),
                         help="Date (jj/mm/aaaa) où l'organisation a confirmé sa fiche.")  # fmt: skip
    status = column("statut", "status", ChoiceWidget(Status.choices, "Statut"), readonly=True,
                    help="Exporté pour information ; un import ne change jamais le statut d'une fiche.")  # fmt: skip

    class Meta(DirectoryResource.Meta):
        use_bulk = True
        batch_size = 1000
        model = Organisation
        fields = (
            "slug",
            "name",
            "acronym",
            "alternate_name",
            "kind",
            "family",
            "siren",
            "siret",
            "rna",
            "summary",
            "description",
            "website",
            "street_address",
            "postcode",
            "commune",
            "phone",
            "phone_public",
            "email",
            "email_public",
            "opening_hours",
            "latitude",
            "longitude",
            "parent",
            "territories",
            "sectors",
            "publics",
            "source",
            "source_period",
            "verified_at",
            "status",
        )
        instance_loader_class = OrganisationMatcher
        import_id_fields = ()

    def get_queryset(self):
        return Organisation.objects.filter(merged_into__isnull=True).select_related("commune", "parent")

    def get_instance(self, instance_loader, row):
        return instance_loader.get_instance(row)

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        if {"latitude", "longitude"} & set(getattr(instance, "_import_row", row)):
            instance.position_source = PositionSource.STAFF if instance.has_position else ""

    # -- many rows at once (imports/bulk.py) ----------------------------------------------
    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        headers = set(dataset.headers or [])
        self.written_fields = [
            f.attribute for f in self.get_import_fields()
            if f.column_name in headers and not f.readonly and not self.is_m2m(f)
        ]  # fmt: skip
        self.slug_owners = dict(Organisation.objects.values_list("slug", "pk"))
        self.file_sirets = {}
        self.failed = False

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's checks, then the two unique ones in memory (an address, a SIRET),
        against the database and the lines above in the file — no query per row."""
        errors = dict(import_validation_errors or {})
        try:
            # The commune and the network were found by the widgets: no query to check them again.
            exclude = {*errors.keys(), "commune", "parent"}
            exclude |= {f.name for f in Organisation._meta.fields if not f.editable}  # the logo is not even read
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        claim = instance.pk or id(instance)
        if instance.slug and "slug" not in errors:
            owner = self.slug_owners.setdefault(instance.slug, claim)
            if owner != claim:
                errors["slug"] = ["Une autre organisation a déjà cette adresse (slug)."]
        if instance.siret and "siret" not in errors:
            owners = self.matcher.index["siret"].get(instance.siret, set()) - {instance.pk}
            line = self.file_sirets.setdefault(instance.siret, claim)
            if owners:
                errors["siret"] = ["Une autre organisation a déjà ce SIRET."]
            elif line != claim:
                errors["siret"] = ["Ce SIRET figure déjà sur une autre ligne du fichier."]
        if errors:
            raise ValidationError(errors)

    def save_m2m(self, instance, row, **kwargs):
        pass  # written with the batch (imports/bulk.py)

    def _write(self, objects, created, result, raise_errors):
        if self.failed or not objects:
            objects.clear()
            return
        try:
            bulk.write(list(objects), created, self.written_fields, self.reason, user=self.user)
        except Exception as error:  # reported as the file's error; nothing will be kept
            self.failed = True
            self.handle_import_error(result, error, raise_errors)
        else:
            for organisation in objects:
                self.matcher.add(
                    organisation.pk, {f: getattr(organisation, f) for f in ("siret", "siren", "rna", "slug")}
                )
        objects.clear()

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self._write(self.create_instances, True, result, raise_errors)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self._write(self.update_instances, False, result, raise_errors)

    def bulk_delete(self, using_transactions, dry_run, raise_errors, result=None):
        pass  # an import never deletes


class ProgrammeResource(DirectoryResource):
    label = "programmes"
    sheet = "Programmes"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields["territories"].widget = TerritoriesWidget(self.lookups)

    slug = column(
        SLUG_COLUMN, "slug", help="Fin de l'adresse du programme ; vide : calculée depuis le titre."
    )
    actor = column("acteur", "actor",
                   SlugWidget(Organisation, "Acteur", Organisation.objects.filter(kind=OrganisationKind.ACTOR)),
                   help="Adresse (slug) de l'acteur qui porte le programme. Obligatoire.")  # fmt: skip
    kind = column(
        "type",
        "kind",
        ChoiceWidget(ProgrammeKind.choices, "Type de programme", default=ProgrammeKind.PROGRAMME),
    )
    title = column("titre", "title", help="Obligatoire.")
    summary = column("présentation courte", "summary")
    description = column("description", "description")
    source_text = column("texte de la source", "source_text")
    start = PeriodSide("start", column_name="début")
    end = PeriodSide("end", column_name="fin")
    territories = column("territoires", "territories", help="Vide : ceux de l'acteur.")
    sectors = column("secteurs", "sectors", VocabularyWidget(Sector, "Secteur"))
    publics = column("publics", "publics", VocabularyWidget(Public, "Public"))
    status = column("statut", "status", ChoiceWidget(Status.choices, "Statut"), readonly=True)

    class Meta(DirectoryResource.Meta):
        model = Programme
        fields = (
            "slug",
            "actor",
            "kind",
            "title",
            "summary",
            "description",
            "source_text",
            "start",
            "end",
            "territories",
            "sectors",
            "publics",
            "status",
        )
        import_id_fields = ("slug",)

    def get_queryset(self):
        return Programme.objects.select_related("actor")


class ActionResource(DirectoryResource):
    label = "actions"
    sheet = "Actions"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields["territories"].widget = TerritoriesWidget(self.lookups)

    slug = column(SLUG_COLUMN, "slug", help="Fin de l'adresse de l'action ; vide : calculée depuis le titre.")
    programme = column("programme", "programme", SlugWidget(Programme, "Programme"),
                       help="Adresse (slug) du programme. Obligatoire.")  # fmt: skip
    parent = column("action parente", "parent", SlugWidget(Action, "Action parente"))
    order = column("ordre", "order", help="Rang dans le programme (0, 1, 2…).")
    title = column("titre", "title", help="Obligatoire.")
    description = column("description", "description")
    source_text = column("texte de la source", "source_text")
    editorial_note = column("note de la rédaction", "editorial_note")
    is_flagship = column("action phare", "is_flagship", YesNoWidget())
    start = PeriodSide("start", column_name="début")
    end = PeriodSide("end", column_name="fin")
    territories = column("territoires", "territories", help="Vide : ceux du programme.")
    sectors = column("secteurs", "sectors", VocabularyWidget(Sector, "Secteur"))
    publics = column("publics", "publics", VocabularyWidget(Public, "Public"))
    status = column("statut", "status", ChoiceWidget(Status.choices, "Statut"), readonly=True)

    class Meta(DirectoryResource.Meta):
        model = Action
        fields = (
            "slug",
            "programme",
            "parent",
            "order",
            "title",
            "description",
            "source_text",
            "editorial_note",
            "is_flagship",
            "start",
            "end",
            "territories",
            "sectors",
            "publics",
            "status",
        )
        import_id_fields = ("slug",)

    def get_queryset(self):
        return Action.objects.select_related("programme", "parent")


RESOURCES = {
    resource.label: resource for resource in (OrganisationResource, ProgrammeResource, ActionResource)
}
BY_SHEET = {resource.sheet: resource for resource in RESOURCES.values()}
BY_MODEL = {resource._meta.model: resource for resource in RESOURCES.values()}
