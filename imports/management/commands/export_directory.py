"""python manage.py export_directory FILE [--type …]

The columns the import reads (imports/resources.py): a .xlsx or .ods workbook holds the
sheets « Organisations », « Programmes », « Actions »; a .csv holds one kind (--type,
organisations by default). Synthetic demonstration records are left out."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from imports.resources import RESOURCES
from imports.service import ImportFileError, export_file, real_querysets


class Command(BaseCommand):
    help = "Exporte organisations, programmes et actions dans les colonnes de l'import (CSV, XLSX ou ODS)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier .csv, .xlsx ou .ods à écrire")
        parser.add_argument("--type", choices=sorted(RESOURCES), help="Une seule sorte de fiches.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            content = export_file(path.name, kind=options["type"], querysets=real_querysets())
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        path.write_bytes(content)
        self.stdout.write(f"Écrit : {path}")
