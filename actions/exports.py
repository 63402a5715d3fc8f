"""The CSV export of the actions (/actions/?format=csv): its columns, declared once
(``COLUMNS``: header, value, Table Schema type, description), and its rows, read as plain
values a chunk of keys at a time (``rows``)."""

from django.urls import reverse

from actors.exports import join_texts
from common.collation import french
from common.csv import Column, row_of

from .dates import PartialDate, format_period
from .models import Action, Inheritance, Partnership, Role

DATES = ("start_year", "start_month", "start_day", "end_year", "end_month", "end_day", "since")
VALUES = ("title", "slug", "description", "updated_at", "territories_from", "programme__title",
          "programme__actor__name", "programme__actor__slug", "parent__title", *DATES, *(f"programme__{d}" for d in DATES))  # fmt: skip
ORIGINS = dict(Inheritance.choices)


def period_of(values, prefix=""):
    """The period in French from the date fields of a row of values."""
    part = lambda name: values[f"{prefix}{name}"]  # noqa: E731
    return format_period(
        PartialDate(part("start_year"), part("start_month"), part("start_day")),
        PartialDate(part("end_year"), part("end_month"), part("end_day")),
        part("since"),
    )


COLUMNS = [
    Column("Action", lambda row: row["title"], description="Titre de l'action."),
    Column("Acteur", lambda row: row["programme__actor__name"], description="L'acteur qui la mène."),
    Column("Programme", lambda row: row["programme__title"]),
    Column("Action parente", lambda row: row["parent__title"], description="Pour un sous-élément d'une action."),
    Column("Période", lambda row: period_of(row) or period_of(row, "programme__"),
           description="En français, à la précision connue ; sans dates propres, celle du programme."),
    Column("Début (ISO)", lambda row: PartialDate(row["start_year"], row["start_month"], row["start_day"]).edtf(),
           constraints={"pattern": r"(\d{4}|XXXX)(-\d{2}(-\d{2})?)?"},
           description="ISO 8601-2 (EDTF) à la précision connue : 2006, 2006-12, 2006-01-17, ou XXXX-12-14 sans "
           "année (l'API écrit --12-14, qu'un tableur lirait comme une formule)."),
    Column("Territoires", lambda row: join_texts(name for name, _ in row["coverage"]["territories"]),
           description="Territoires où elle a lieu, séparés par « | »."),
    Column("Codes INSEE", lambda row: join_texts(code for _, code in row["coverage"]["territories"]),
           description="Codes INSEE de ces territoires, dans le même ordre, séparés par « | »."),
    Column("Territoires : origine", lambda row: ORIGINS.get(row["territories_from"], ""),
           description="D'où viennent ses territoires : les siens, ceux du programme ou ceux de l'acteur."),
    Column("Secteurs", lambda row: join_texts(row["coverage"]["sectors"]), description="Séparés par « | »."),
    Column("Publics", lambda row: join_texts(row["coverage"]["publics"]), description="Séparés par « | »."),
    Column("Partenaires", lambda row: join_texts(row["partners"]),
           description="Chacun avec son rôle entre parenthèses, séparés par « | »."),
    Column("Description", lambda row: row["description"]),
    Column("Fiche", lambda row: row["url"], format="uri", description="Adresse de sa page dans l'annuaire."),
    Column("Mise à jour", lambda row: row["updated_at"].date().isoformat(), "date",
           description="Dernière modification de l'action."),
    Column("Identifiant", lambda row: row["slug"], constraints={"required": True, "unique": True},
           description="Identifiant stable de l'action (celui de /api/v1/actions/<identifiant>/) : la clé du fichier."),
    Column("Identifiant de l'acteur", lambda row: row["programme__actor__slug"], constraints={"required": True},
           description="L'« Identifiant » de l'acteur qui la mène dans l'export des acteurs."),
]  # fmt: skip
KEY = "Identifiant"  # the primary key of the file (datapackage.json)
ACTOR_KEY = "Identifiant de l'acteur"  # -> the actors' file


def rows(ids, site_url):
    """The CSV rows of the actions ``ids`` (in that order): four flat queries, no model
    object built per row."""
    found = {row["pk"]: row for row in Action.objects.filter(pk__in=ids).values("pk", *VALUES)}
    coverage = Action.objects.coverage_texts(ids)
    partners = {}
    for pk, name, role in (
        Partnership.objects.published().filter(action_id__in=ids)
        .order_by("role", *french("organisation__name"), "pk").values_list("action_id", "organisation__name", "role")
    ):  # fmt: skip
        partners.setdefault(pk, []).append(f"{name} ({Role(role).label})")
    address = site_url + reverse("actions:detail", args=["SLUG"])  # one reverse(), not one per row
    for pk in ids:
        row = found[pk]
        row.update(coverage=coverage[pk], partners=partners.get(pk, []), url=address.replace("SLUG", row["slug"]))
        yield row_of(COLUMNS, row)
