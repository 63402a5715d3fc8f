"""python manage.py import_directory FILE [--dry-run] [--publish] [--type …]

The admin's import, from the command line: the same code path (imports/service.py), the
same report; exit status 1 on any error (and nothing is written)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from imports.resources import RESOURCES
from imports.service import run_import


class Command(BaseCommand):
    help = "Importe un fichier CSV, XLSX ou ODS d'organisations, de programmes ou d'actions (tout ou rien)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier .csv, .xlsx ou .ods")
        parser.add_argument(
            "--dry-run", action="store_true", help="Simule : montre ce qui changerait, n'écrit rien."
        )
        parser.add_argument(
            "--publish", action="store_true", help="Publie les nouvelles fiches (sinon : brouillons)."
        )
        parser.add_argument(
            "--type",
            choices=sorted(RESOURCES),
            help="Ce que contient un CSV (sinon : deviné d'après les colonnes).",
        )
        parser.add_argument(
            "--no-duplicate-check",
            action="store_true",
            help="Ne cherche pas les doublons probables (plus rapide).",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        report = run_import(
            path.name,
            path.read_bytes(),
            dry_run=options["dry_run"],
            publish=options["publish"],
            kind=options["type"],
            check_duplicates=not options["no_duplicate_check"],
        )
        self.stdout.write(report.as_text())
        if report.has_errors:
            raise CommandError("Import refusé : le fichier contient des erreurs, rien n'a été enregistré.")
