"""The template to download: one sheet per kind with its columns and one example row, a
sheet « Colonnes » explaining each column in French, and « Valeurs possibles » (types,
families, sectors, publics) — read from the resources and the database, never typed twice."""

import tablib

from actions.models import ProgrammeKind
from actors.models import EssFamily, OrganisationKind, Public, Sector
from common.collation import french
from common.csv import spreadsheet

from .resources import RESOURCES

EXAMPLES = {
    "organisations": {
        "nom": "Crèche parentale Les Lilas",
        "type": "Acteur de l'ESS",
        "famille de l'ESS": "Association",
        "RNA": "W141234567",
        "présentation courte": "Multi-accueil associatif de 20 places.",
        "adresse": "12 rue des Lilas",
        "code postal": "14000",
        "commune": "Caen",
        "téléphone publiable": "non",
        "e-mail publiable": "non",
        "territoires couverts": "Caen",
        "secteurs": "Petite enfance",
        "publics": "Familles",
    },
    "programmes": {
        "acteur": "adresse-de-l-acteur",
        "type": "Programme",
        "titre": "Programme d'accueil des familles",
        "début": "2024",
        "fin": "décembre 2026",
    },
    "actions": {
        "programme": "adresse-du-programme",
        "ordre": "1",
        "titre": "Ateliers parents-enfants",
        "début": "depuis mars 2025",
        "action phare": "non",
    },
}


def _example(label, headers):
    values = EXAMPLES[label]
    if label == "organisations":
        values = {**values, "famille de l'ESS": str(EssFamily.ASSOCIATION.label)}
        publics = list(Public.objects.values_list("name", flat=True)[:1])
        values["publics"] = publics[0] if publics else ""
    return [values.get(header, "") for header in headers]


def template_workbook():
    book = tablib.Databook()
    explanations = tablib.Dataset(headers=["feuille", "colonne", "explication"], title="Colonnes")
    for label, resource_class in RESOURCES.items():
        resource = resource_class()
        fields = [f for f in resource.get_import_fields()]
        headers = [f.column_name for f in fields]
        sheet = tablib.Dataset(headers=headers, title=resource_class.sheet)
        sheet.append(_example(label, headers))
        book.add_sheet(sheet)
        for f in fields:
            explanations.append([resource_class.sheet, f.column_name, getattr(f, "help", "")])
    explanations.append(["", "", ""])
    explanations.append(
        ["toutes", "(règle)", "Une colonne absente ne change rien, une cellule vide non plus : la valeur enregistrée reste. "
         "Pour effacer une valeur, écrivez « (effacer) » dans la cellule."]
    )
    explanations.append(
        ["Organisations", "(règle)", "Reconnue par son SIRET, puis son SIREN, son RNA, son adresse."]
    )
    explanations.append(["toutes", "(règle)", "Plusieurs valeurs dans une cellule : séparées par « | »."])
    book.add_sheet(explanations)

    allowed = tablib.Dataset(headers=["colonne", "valeurs possibles"], title="Valeurs possibles")
    for value in OrganisationKind.labels:
        allowed.append(["type (organisations)", value])
    for value in EssFamily.labels:
        allowed.append(["famille de l'ESS", value])
    for value in ProgrammeKind.labels:
        allowed.append(["type (programmes)", value])
    for name in Sector.objects.order_by(*french("name")).values_list("name", flat=True):
        allowed.append(["secteurs", name])
    for name in Public.objects.order_by(*french("name")).values_list("name", flat=True):
        allowed.append(["publics", name])
    book.add_sheet(allowed)
    return spreadsheet(book, "xlsx")  # text as text, like every export
