from django.core.management.base import BaseCommand, CommandError

from territories import loading
from territories.region import DEPARTEMENT_CODES


class Command(BaseCommand):
    help = (
        "Importe les régions, départements et communes officiels (INSEE, paquet npm "
        "@etalab/decoupage-administratif 6.0.0). Sans option : depuis le fichier de "
        "référence fixtures/territories.json. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            help="Dossier data/ du paquet npm décompressé (npm pack @etalab/decoupage-administratif@6.0.0).",
        )
        parser.add_argument(
            "--departements",
            nargs="+",
            default=DEPARTEMENT_CODES,
            help=f"Départements dont on importe les communes (défaut : {' '.join(DEPARTEMENT_CODES)}, "
            "ceux de DIRECTORY_REGION).",
        )
        parser.add_argument(
            "--write-fixture",
            action="store_true",
            help="Avec --source : réécrit fixtures/territories.json avec ces données.",
        )

    def handle(self, *args, source=None, departements=None, write_fixture=False, **options):
        if source:
            try:
                data = loading.read_package(source, departements)
            except FileNotFoundError as error:
                raise CommandError(f"Fichier introuvable : {error.filename}") from error
            if write_fixture:
                loading.write_fixture(data)
                self.stdout.write(f"Fichier de référence écrit : {loading.FIXTURE_PATH}")
        else:
            if write_fixture:
                raise CommandError("--write-fixture demande --source.")
            data = loading.read_fixture()
        created, updated = loading.import_territories(data)
        self.stdout.write(
            self.style.SUCCESS(
                f"Territoires : {created} créés, {updated} mis à jour "
                f"({len(data['communes'])} communes des départements "
                f"{', '.join(data['departements_with_communes'])})."
            )
        )
